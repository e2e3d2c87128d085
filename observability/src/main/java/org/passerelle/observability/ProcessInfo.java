package org.passerelle.observability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;

/**
 * Which process this is, which version, and since when it runs: the head of every status page and
 * the {@code passerelle_build_info} metric.
 *
 * @param process {@code proxy} or {@code gateway}
 * @param version the Maven project version the process was built from
 * @param started when the process started serving
 */
public record ProcessInfo(String process, String version, Instant started) {
  public ProcessInfo {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(started, "started");
  }

  /** This build's version, started now. */
  public static ProcessInfo startingNow(String process, Clock clock) {
    return new ProcessInfo(process, buildVersion(), clock.instant());
  }

  /** How long the process has been running at {@code now}. */
  public Duration uptime(Instant now) {
    return Duration.between(started, now);
  }

  /** A duration as people read it: {@code 3d 4h 5m 6s}. */
  public static String readable(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3_600;
    long minutes = seconds % 3_600 / 60;
    StringBuilder text = new StringBuilder();
    if (days > 0) {
      text.append(days).append("d ");
    }
    if (days > 0 || hours > 0) {
      text.append(hours).append("h ");
    }
    if (days > 0 || hours > 0 || minutes > 0) {
      text.append(minutes).append("m ");
    }
    return text.append(seconds % 60).append('s').toString();
  }

  static String buildVersion() {
    Properties properties = new Properties();
    try (InputStream in = ProcessInfo.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "unknown");
  }
}
