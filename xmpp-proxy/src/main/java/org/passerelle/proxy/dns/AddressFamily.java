package org.passerelle.proxy.dns;

/** IPv4 or IPv6, with the DNS record type that carries it. */
public enum AddressFamily {
  IPV4("A"),
  IPV6("AAAA");

  private final String recordType;

  AddressFamily(String recordType) {
    this.recordType = recordType;
  }

  /** {@code A} or {@code AAAA}. */
  public String recordType() {
    return recordType;
  }
}
