package org.passerelle.proxy.dialback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Generates and checks dialback keys (XEP-0220 §2.1.1, §2.2.2) following XEP-0185 §2:
 *
 * <pre>
 * key = hex(HMAC-SHA256(hex(SHA256(secret)), receiving + " " + originating + " " + streamId))
 * </pre>
 *
 * <p>where {@code hex} is lower-case hexadecimal and the HMAC key is the <em>hex string</em> of the
 * hashed secret, not its raw bytes. Domains and the stream ID are used exactly as given (they are
 * the values from the wire, which the peer echoes back unchanged).
 *
 * <p>Thread-safe: the key spec is prepared once and each thread keeps its own {@link Mac}.
 */
public final class DialbackKeys {

  /** XEP-0185 §2. */
  private static final String HMAC_ALGORITHM = "HmacSHA256";

  private static final String HASH_ALGORITHM = "SHA-256";
  private static final HexFormat HEX = HexFormat.of();

  private final SecretKeySpec keySpec;
  // Mac is stateful and not thread-safe; one initialised instance per thread avoids both locking
  // and the provider lookup of Mac.getInstance on every call.
  private final ThreadLocal<Mac> macs;

  /**
   * @param secret the dialback secret; must not be empty. Length rules for configured secrets live
   *     in {@link DialbackSecret}.
   */
  public DialbackKeys(String secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("dialback secret must not be empty");
    }
    this.keySpec = new SecretKeySpec(hmacKey(secret), HMAC_ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
    newMac(); // fail here, not on first use, if the JDK lacks HmacSHA256
  }

  /**
   * The dialback key for a stream.
   *
   * @param receivingDomain the Receiving Server's domain (the {@code to} of {@code <db:result/>})
   * @param originatingDomain the Initiating/Sender domain (the {@code from} of {@code
   *     <db:result/>})
   * @param streamId the stream ID the Receiving Server sent in its response stream header
   * @return 64 lower-case hex digits
   */
  public String key(String receivingDomain, String originatingDomain, String streamId) {
    requireNonEmpty(receivingDomain, "receivingDomain");
    requireNonEmpty(originatingDomain, "originatingDomain");
    requireNonEmpty(streamId, "streamId");
    String message = receivingDomain + " " + originatingDomain + " " + streamId;
    Mac mac = macs.get();
    return HEX.formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Whether {@code key} is the key this secret produces for the given stream. The comparison takes
   * time independent of where the keys differ, so a peer cannot guess a key byte by byte. Hex case
   * and surrounding whitespace in {@code key} are ignored. Any empty argument (values come from the
   * peer) makes the key invalid rather than throwing.
   */
  public boolean isValid(
      String key, String receivingDomain, String originatingDomain, String streamId) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(receivingDomain, "receivingDomain");
    Objects.requireNonNull(originatingDomain, "originatingDomain");
    Objects.requireNonNull(streamId, "streamId");
    if (receivingDomain.isEmpty() || originatingDomain.isEmpty() || streamId.isEmpty()) {
      return false;
    }
    byte[] expected =
        key(receivingDomain, originatingDomain, streamId).getBytes(StandardCharsets.US_ASCII);
    byte[] presented = key.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, presented);
  }

  @Override
  public String toString() {
    return "DialbackKeys[secret redacted]";
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(HMAC_ALGORITHM);
      mac.init(keySpec);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(HMAC_ALGORITHM + " is not available in this JDK", e);
    }
  }

  /** The lower-case hex string of SHA-256(secret), as bytes: the HMAC key of XEP-0185 §2. */
  private static byte[] hmacKey(String secret) {
    try {
      byte[] hash =
          MessageDigest.getInstance(HASH_ALGORITHM).digest(secret.getBytes(StandardCharsets.UTF_8));
      return HEX.formatHex(hash).getBytes(StandardCharsets.US_ASCII);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(HASH_ALGORITHM + " is not available in this JDK", e);
    }
  }

  private static void requireNonEmpty(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }
}
