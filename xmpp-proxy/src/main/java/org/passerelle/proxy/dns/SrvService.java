package org.passerelle.proxy.dns;

import java.util.Objects;

/** The two SRV services that announce an XMPP server-to-server endpoint. */
public enum SrvService {
  /** Direct TLS (XEP-0368 §3): TLS starts on connect, STARTTLS is never used. */
  XMPPS_SERVER("_xmpps-server", true),
  /** STARTTLS (RFC 6120 §3.2.1). */
  XMPP_SERVER("_xmpp-server", false);

  private final String label;
  private final boolean directTls;

  SrvService(String label, boolean directTls) {
    this.label = label;
    this.directTls = directTls;
  }

  /** The service label, e.g. {@code _xmpp-server}. */
  public String label() {
    return label;
  }

  /** Whether targets of this service are connected to with direct TLS. */
  public boolean directTls() {
    return directTls;
  }

  /** The absolute name to query, e.g. {@code _xmpp-server._tcp.example.org.} (RFC 2782). */
  public String queryName(String domain) {
    Objects.requireNonNull(domain, "domain");
    return label + "._tcp." + domain + ".";
  }
}
