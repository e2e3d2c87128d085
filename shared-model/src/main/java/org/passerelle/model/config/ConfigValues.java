package org.passerelle.model.config;

import java.net.IDN;
import java.net.InetSocketAddress;
import java.util.Locale;

/** Checks of values several configuration sections share: domain names and addresses. */
public final class ConfigValues {
  private ConfigValues() {}

  /** A domain name, lower-cased, or an error naming {@code key}. */
  public static String domain(ConfigReader reader, String key, String value) {
    String domain = value.trim().toLowerCase(Locale.ROOT);
    try {
      IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
    } catch (IllegalArgumentException e) {
      throw reader.error(key, "'" + value + "' is not a valid domain name");
    }
    if (domain.isEmpty() || domain.contains("@") || domain.contains("/")) {
      throw reader.error(key, "'" + value + "' is not a domain name");
    }
    return domain;
  }

  /** The address with its host resolved now, or an error naming {@code key}. */
  public static InetSocketAddress resolved(
      ConfigReader reader, String key, InetSocketAddress address) {
    InetSocketAddress result = new InetSocketAddress(address.getHostString(), address.getPort());
    if (result.isUnresolved()) {
      throw reader.error(key, "host '" + address.getHostString() + "' cannot be resolved");
    }
    return result;
  }
}
