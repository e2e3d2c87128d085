package org.passerelle.cli;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values written as in the configuration files. */
final class Converters {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

  private Converters() {}

  /** {@code 500ms}, {@code 10s}, {@code 2m}: positive, at most ten minutes. */
  static final class Timeout implements ITypeConverter<Duration> {
    static final Duration MAX = Duration.ofMinutes(10);

    @Override
    public Duration convert(String text) {
      Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new TypeConversionException(
            "'" + text + "' is not a duration such as 500ms, 10s or 1m");
      }
      long amount = Long.parseLong(m.group(1));
      Duration duration =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
          };
      if (duration.isZero() || duration.compareTo(MAX) > 0) {
        throw new TypeConversionException("'" + text + "' must be longer than 0 and at most 10m");
      }
      return duration;
    }
  }

  /** {@code host:port} or {@code host} (port 53), resolved now: a name server. */
  static final class NameServer implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String text) {
      return address(text, 53);
    }
  }

  /** {@code host:port} or {@code host} (port 5269), resolved now: where to listen. */
  static final class ListenAddress implements ITypeConverter<InetSocketAddress> {
    @Override
    public InetSocketAddress convert(String text) {
      return address(text, 5269);
    }
  }

  static InetSocketAddress address(String text, int defaultPort) {
    String host = text.trim();
    int port = defaultPort;
    int colon = host.lastIndexOf(':');
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        throw new TypeConversionException("'" + text + "' has an unclosed '['");
      }
      if (colon > close) {
        port = port(text, host.substring(colon + 1));
      }
      host = host.substring(1, close);
    } else if (colon >= 0 && host.indexOf(':') == colon) {
      port = port(text, host.substring(colon + 1));
      host = host.substring(0, colon);
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new TypeConversionException("'" + host + "' cannot be resolved");
    }
    return address;
  }

  private static int port(String text, String digits) {
    try {
      int port = Integer.parseInt(digits);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new TypeConversionException("'" + text + "' has no port between 1 and 65535");
  }
}
