package org.passerelle.proxy.s2s;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Stream ids (RFC 6120 §4.7.3): unique, unpredictable and never repeated, because dialback keys are
 * bound to them (XEP-0220 §2.1.2). 128 random bits each.
 */
public final class StreamIds {
  private static final int BYTES = 16;
  private final SecureRandom random = new SecureRandom();

  public String next() {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
