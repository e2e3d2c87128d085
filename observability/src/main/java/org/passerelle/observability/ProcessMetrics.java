package org.passerelle.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The meters of one process, kept for Prometheus. Hot paths only touch meters registered at start
 * (an array index, then a lock-free add); gauges that need a look at state owned by another thread
 * are computed when scraped, by the refreshers registered with {@link #beforeScrape}.
 *
 * <p>Besides Passerelle's own meters it carries the JVM's (memory, GC, threads, CPU, uptime) and
 * {@code passerelle_build_info{process,version}}, always 1.
 */
public final class ProcessMetrics implements AutoCloseable {
  /**
   * Bucket bounds of Passerelle's latency histograms: from what a stanza costs on an idle machine
   * to the transaction timeouts (SIP's Timer F is 32 s). Fixed buckets cost one array update per
   * recording; no percentile is computed in the process (Prometheus does it from the buckets).
   */
  public static final List<Duration> LATENCY_BUCKETS =
      List.of(
          Duration.ofMillis(1),
          Duration.ofMillis(5),
          Duration.ofMillis(25),
          Duration.ofMillis(100),
          Duration.ofMillis(500),
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          Duration.ofSeconds(32));

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private final String process;
  private final List<Runnable> refreshers = new CopyOnWriteArrayList<>();
  private final List<Object> held = new CopyOnWriteArrayList<>();

  private ProcessMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc, String process) {
    this.registry = registry;
    this.gc = gc;
    this.process = process;
  }

  /** A registry with the JVM's meters and the build info of {@code info}. */
  public static ProcessMetrics create(ProcessInfo info) {
    Objects.requireNonNull(info, "info");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    Gauge.builder("passerelle.build.info", () -> 1)
        .description("Which Passerelle process and version this is")
        .tag("process", info.process())
        .tag("version", info.version())
        .register(registry);
    return new ProcessMetrics(registry, gc, info.process());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * {@code passerelle_<process>_io_passes_total} and {@code …_io_coalesced_total}: how often the
   * event loops went round (each pass is at most one wake-up) and how often one slept out {@code
   * io.coalesce} to let input gather (decision 20), read from the loops' counters when scraped.
   * This object keeps the suppliers: Micrometer's function counters hold them only weakly.
   */
  public void eventLoops(LongSupplier passes, LongSupplier coalesced) {
    held.add(passes);
    held.add(coalesced);
    FunctionCounter.builder(
            "passerelle." + process + ".io.passes", passes, s -> (double) s.getAsLong())
        .description("Passes of the event loops; each is at most one wake-up")
        .register(registry);
    FunctionCounter.builder(
            "passerelle." + process + ".io.coalesced", coalesced, s -> (double) s.getAsLong())
        .description("Times an event loop slept out io.coalesce to let input gather")
        .register(registry);
  }

  /** Runs {@code refresh} before each scrape, on the admin thread (it may wait briefly). */
  public void beforeScrape(Runnable refresh) {
    refreshers.add(Objects.requireNonNull(refresh, "refresh"));
  }

  /** Refreshes the computed gauges, then writes every meter in the Prometheus text format. */
  public String scrape() {
    refreshers.forEach(Runnable::run);
    return registry.scrape();
  }

  /**
   * The sum of every counter named {@code name} whose tags include {@code tags} (name, value, name,
   * value…): what a status page shows.
   */
  public double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
