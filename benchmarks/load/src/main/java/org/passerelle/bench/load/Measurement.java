package org.passerelle.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * The measuring common to every system under test: a warm-up phase and a measured phase, each with
 * a fresh {@link DeliveryLedger} installed where the sinks record, the two server processes' CPU
 * and memory sampled around the measured phase, and the {@link RunReport}.
 */
final class Measurement {
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  private final AtomicReference<DeliveryLedger> ledger;
  private int nextRun = 1;

  /**
   * @param ledger where this system's sinks record what arrives
   */
  Measurement(AtomicReference<DeliveryLedger> ledger) {
    this.ledger = ledger;
  }

  /** Warms up, then measures {@code scenario} sent through {@code sender}. */
  RunReport run(
      Scenario scenario,
      LoadSender sender,
      Supplier<ProcessFigures.Start> first,
      Supplier<ProcessFigures.Start> second)
      throws InterruptedException {
    if (!scenario.warmup().isZero()) {
      DeliveryLedger warm = new DeliveryLedger(nextRun++, scenario.capacity(scenario.warmup()));
      ledger.set(warm);
      Pacer.Sent sent = drive(scenario, sender, warm, scenario.warmup());
      Pacer.drain(warm, sent.count(), DRAIN_TIMEOUT);
    }
    double loadAverage = loadAverage();
    DeliveryLedger measured = new DeliveryLedger(nextRun++, scenario.capacity(scenario.duration()));
    ledger.set(measured);
    ProcessFigures.Start firstStart = first.get();
    ProcessFigures.Start secondStart = second.get();
    ProcessFigures.Start toolStart = ProcessFigures.startSelf();
    Pacer.Sent sent = drive(scenario, sender, measured, scenario.duration());
    Pacer.drain(measured, sent.count(), DRAIN_TIMEOUT);
    ProcessFigures firstFigures = firstStart.finish();
    ProcessFigures secondFigures = secondStart.finish();
    ProcessFigures toolFigures = toolStart.finish();
    Histogram latency = measured.latency();
    long last = measured.lastDeliveryNanos();
    return new RunReport(
        Instant.now(),
        scenario,
        sent.count(),
        measured.delivered(),
        measured.duplicated(),
        measured.bounced(),
        measured.shed(),
        last == 0 ? 0 : last - sent.startNanos(),
        RunReport.millis(latency, 50),
        RunReport.millis(latency, 99),
        RunReport.millis(latency, 99.9),
        latency.getTotalCount() == 0 ? Double.NaN : latency.getMaxValue() / 1e6,
        firstFigures,
        secondFigures,
        toolFigures,
        loadAverage);
  }

  private static Pacer.Sent drive(
      Scenario scenario, LoadSender sender, DeliveryLedger ledger, Duration length) {
    return scenario.mode() == Scenario.Mode.OPEN
        ? Pacer.openLoop(sender, ledger, scenario.load(), length)
        : Pacer.closedLoop(sender, ledger, scenario.load(), length);
  }

  /** The machine's 1-minute load average now, or NaN. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
