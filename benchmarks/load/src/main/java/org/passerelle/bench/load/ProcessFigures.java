package org.passerelle.bench.load;

/**
 * What one process cost during a measurement.
 *
 * @param cpuMicros user + system CPU time spent, microseconds
 * @param rssKib resident memory at the end
 * @param gc the GC pauses logged during the measurement (empty for the tool itself)
 * @param readyMillis from launch to {@code /health/ready}, -1 if not measured
 */
public record ProcessFigures(long cpuMicros, long rssKib, GcLog.Pauses gc, long readyMillis) {

  /** CPU microseconds per delivered message; NaN when nothing was delivered. */
  double cpuPerMessage(long delivered) {
    return delivered == 0 ? Double.NaN : (double) cpuMicros / delivered;
  }

  /** Share of one core used over {@code nanos}. */
  double coreShare(long nanos) {
    return nanos <= 0 ? Double.NaN : cpuMicros * 1000.0 / nanos;
  }

  /** Samples a process before a measurement; {@link Start#finish} yields its figures. */
  static Start start(ServiceProcess process) {
    return new Start(
        process,
        process.pid(),
        process.cpuMicros(),
        process.gcLog() == null ? 0 : process.gcLog().mark());
  }

  /** Samples a process that is not a JVM of ours (no GC log), e.g. Prosody. */
  static Start start(long pid) {
    return new Start(null, pid, ProcessCpu.cpuMicros(pid), 0);
  }

  static Start startSelf() {
    return start(ProcessHandle.current().pid());
  }

  record Start(ServiceProcess process, long pid, long cpuMicros, long gcMark) {
    ProcessFigures finish() {
      if (process == null) {
        return new ProcessFigures(
            ProcessCpu.cpuMicros(pid) - cpuMicros,
            ProcessCpu.rssKib(pid),
            new GcLog.Pauses(0, 0, 0, -1, -1),
            -1);
      }
      GcLog log = process.gcLog();
      return new ProcessFigures(
          process.cpuMicros() - cpuMicros,
          process.rssKib(),
          log.pausesBetween(gcMark, log.mark()),
          process.readyMillis());
    }
  }
}
