package org.passerelle.testpeers;

import java.util.Locale;

/** The SIP transports the test peers use (RFC 3261 §18); no TLS on loopback. */
public enum SipTransport {
  UDP,
  TCP;

  /** As in a SIP URI's {@code transport} parameter and a JAIN-SIP listening point: lower case. */
  public String token() {
    return name().toLowerCase(Locale.ROOT);
  }
}
