package org.passerelle.bench.load;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * What one bare relay process is told, written by the load tool as a properties file and read by
 * {@link RelayMain} at start: where it listens (TLS, with its certificate), where it forwards to,
 * and whether that next hop is TLS (mutual, as Passerelle's link) or plain TCP (as the SIP hop).
 *
 * @param trust the CA certificate (PEM) that both ends of a TLS hop between relays check
 */
public record RelayConfig(
    InetSocketAddress listen,
    InetSocketAddress admin,
    Path certificate,
    Path privateKey,
    Path trust,
    InetSocketAddress forward,
    boolean forwardTls,
    boolean requireClientCertificate) {

  public RelayConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(forward, "forward");
  }

  public void write(Path file) {
    Properties properties = new Properties();
    properties.setProperty("listen", hostPort(listen));
    properties.setProperty("admin", hostPort(admin));
    properties.setProperty("certificate", certificate.toString());
    properties.setProperty("private-key", privateKey.toString());
    properties.setProperty("trust", trust.toString());
    properties.setProperty("forward", hostPort(forward));
    properties.setProperty("forward-tls", Boolean.toString(forwardTls));
    properties.setProperty(
        "require-client-certificate", Boolean.toString(requireClientCertificate));
    try (Writer out = Files.newBufferedWriter(file)) {
      properties.store(out, "A bare relay of the load tool's floor measurement");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads and checks {@code file}; a missing or malformed key fails the start. */
  public static RelayConfig read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    return new RelayConfig(
        address(properties, "listen"),
        address(properties, "admin"),
        Path.of(required(properties, "certificate")),
        Path.of(required(properties, "private-key")),
        Path.of(required(properties, "trust")),
        address(properties, "forward"),
        bool(properties, "forward-tls"),
        bool(properties, "require-client-certificate"));
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("relay configuration: " + key + " is missing");
    }
    return value.trim();
  }

  private static InetSocketAddress address(Properties properties, String key) {
    String value = required(properties, key);
    int colon = value.lastIndexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("relay configuration: " + key + " must be host:port");
    }
    return new InetSocketAddress(
        value.substring(0, colon), Integer.parseInt(value.substring(colon + 1)));
  }

  private static boolean bool(Properties properties, String key) {
    String value = required(properties, key);
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException("relay configuration: " + key + " must be true or false");
    }
    return Boolean.parseBoolean(value);
  }
}
