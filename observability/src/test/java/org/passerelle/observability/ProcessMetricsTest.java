package org.passerelle.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProcessMetricsTest {
  @Test
  void scrapeCarriesBuildInfoJvmMetersAndRefreshesComputedGaugesFirst() {
    ProcessInfo info = new ProcessInfo("proxy", "1.2.3", Instant.EPOCH);
    try (ProcessMetrics metrics = ProcessMetrics.create(info)) {
      AtomicInteger refreshed = new AtomicInteger();
      metrics.beforeScrape(refreshed::incrementAndGet);

      String text = metrics.scrape();

      assertThat(text)
          .contains("passerelle_build_info{process=\"proxy\",version=\"1.2.3\"} 1")
          .contains("jvm_memory_used_bytes")
          .contains("process_uptime_seconds");
      assertThat(refreshed).hasValue(1);
    }
  }

  @Test
  void theEventLoopsCountersCarryTheProcessNameAndAreReadWhenScraped() {
    ProcessInfo info = new ProcessInfo("gateway", "1.2.3", Instant.EPOCH);
    try (ProcessMetrics metrics = ProcessMetrics.create(info)) {
      AtomicLong passes = new AtomicLong(41);
      metrics.eventLoops(passes::get, () -> 7);
      passes.incrementAndGet();
      // The registry must hold the suppliers itself: nobody else does.
      System.gc();

      String text = metrics.scrape();

      assertThat(text)
          .contains("passerelle_gateway_io_passes_total 42.0")
          .contains("passerelle_gateway_io_coalesced_total 7.0");
    }
  }

  @Test
  void latencyTimersExposeTheirBucketsAndNoPercentiles() {
    try (ProcessMetrics metrics =
        ProcessMetrics.create(new ProcessInfo("gateway", "x", Instant.EPOCH))) {
      Timer timer =
          Timer.builder("passerelle.test.latency")
              .serviceLevelObjectives(ProcessMetrics.LATENCY_BUCKETS.toArray(Duration[]::new))
              .register(metrics.registry());
      timer.record(Duration.ofMillis(3));

      String text = metrics.scrape();

      assertThat(text)
          .contains("passerelle_test_latency_seconds_bucket{le=\"0.001\"} 0")
          .contains("passerelle_test_latency_seconds_bucket{le=\"0.005\"} 1")
          .contains("passerelle_test_latency_seconds_count 1")
          .doesNotContain("quantile");
    }
  }

  @Test
  void countSumsTheCountersThatHaveTheTags() {
    try (ProcessMetrics metrics = ProcessMetrics.create(new ProcessInfo("p", "v", Instant.EPOCH))) {
      Counter.builder("c")
          .tags("kind", "message", "direction", "in")
          .register(metrics.registry())
          .increment(2);
      Counter.builder("c")
          .tags("kind", "message", "direction", "out")
          .register(metrics.registry())
          .increment(3);
      Counter.builder("c")
          .tags("kind", "iq", "direction", "in")
          .register(metrics.registry())
          .increment(5);

      assertThat(metrics.count("c", "kind", "message")).isEqualTo(5.0);
      assertThat(metrics.count("c")).isEqualTo(10.0);
      assertThat(metrics.count("missing")).isZero();
    }
  }

  @Test
  void uptimeReadsLikeAPersonWouldWriteIt() {
    assertThat(ProcessInfo.readable(Duration.ofSeconds(7))).isEqualTo("7s");
    assertThat(ProcessInfo.readable(Duration.ofSeconds(3_600 + 5))).isEqualTo("1h 0m 5s");
    assertThat(ProcessInfo.readable(Duration.ofDays(2).plusMinutes(3))).isEqualTo("2d 0h 3m 0s");
  }

  @Test
  void theVersionIsTheBuildsProjectVersion() {
    assertThat(ProcessInfo.buildVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
  }
}
