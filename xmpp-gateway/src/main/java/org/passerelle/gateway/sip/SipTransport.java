package org.passerelle.gateway.sip;

import java.util.Locale;

/** The SIP transports the endpoint can listen on and send over (RFC 3261 §18). */
public enum SipTransport {
  UDP(5060, false),
  TCP(5060, true),
  /** TCP with TLS; reached through {@code sips:} URIs or {@code transport=tls}. */
  TLS(5061, true);

  private final int defaultPort;
  private final boolean reliable;

  SipTransport(int defaultPort, boolean reliable) {
    this.defaultPort = defaultPort;
    this.reliable = reliable;
  }

  /** The port used when a URI names none (RFC 3261 §19.1.2). */
  public int defaultPort() {
    return defaultPort;
  }

  /**
   * Whether the transport is reliable and congestion-controlled, as RFC 3261 §18.1.1 requires for
   * requests over 1300 bytes.
   */
  public boolean isReliable() {
    return reliable;
  }

  /** The name as written in a {@code transport} URI parameter or a Via header, lower case. */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The transport named by a {@code transport} parameter or a Via header, in any case.
   *
   * @throws IllegalArgumentException for transports we do not support (e.g. SCTP, WS)
   */
  public static SipTransport fromToken(String token) {
    for (SipTransport transport : values()) {
      if (transport.name().equalsIgnoreCase(token)) {
        return transport;
      }
    }
    throw new IllegalArgumentException("unsupported SIP transport: " + token);
  }
}
