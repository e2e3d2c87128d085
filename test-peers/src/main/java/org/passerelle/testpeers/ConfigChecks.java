package org.passerelle.testpeers;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/** Checks shared by the peer configurations, each failing with the value it rejects. */
final class ConfigChecks {

  private ConfigChecks() {}

  /** An IPv4 literal in 127.0.0.0/8, turned into an address without any lookup. */
  static InetAddress loopback(String literal) {
    Objects.requireNonNull(literal, "address");
    if (!literal.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
      throw new IllegalArgumentException("not an IPv4 loopback literal: " + literal);
    }
    try {
      // A literal: no lookup happens.
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 loopback literal: " + literal, e);
    }
  }

  /** A lower-case dotted domain name such as {@code sip.test}. */
  static String domainName(String domain) {
    Objects.requireNonNull(domain, "domain");
    if (!domain.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
      throw new IllegalArgumentException("not a lower-case dotted domain name: " + domain);
    }
    return domain;
  }

  /**
   * A simple SIP user part such as {@code alice}: what the test clients use, and safe to write into
   * a configuration file as it is.
   */
  static String sipUser(String user) {
    Objects.requireNonNull(user, "user");
    if (!user.matches("[a-z0-9][a-z0-9._-]*")) {
      throw new IllegalArgumentException("use a simple lower-case user name, not " + user);
    }
    return user;
  }

  /** A TCP or UDP port number. */
  static int port(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("not a port number: " + port);
    }
    return port;
  }

  /** {@code value} if it lies in {@code [min, max]}. */
  static int within(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be within [" + min + ", " + max + "]: " + value);
    }
    return value;
  }

  /** {@code value} if it lies in {@code [min, max]}. */
  static Duration within(String name, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          name + " must be within [" + min + ", " + max + "]: " + value);
    }
    return value;
  }
}
