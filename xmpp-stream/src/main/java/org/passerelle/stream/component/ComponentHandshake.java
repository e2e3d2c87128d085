package org.passerelle.stream.component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import org.dom4j.QName;
import org.passerelle.model.Namespaces;
import org.passerelle.stream.NamespaceMapping;

/**
 * The component handshake of XEP-0114 §3: the component proves it knows the shared secret by
 * sending the lower-case hex SHA-1 of the stream id followed by the secret.
 */
public final class ComponentHandshake {
  /**
   * {@code <handshake/>}, in the namespace both processes keep stanzas in: the link's codec ({@link
   * NamespaceMapping#LINK}) reads and writes it as {@code jabber:component:accept}.
   */
  public static final QName ELEMENT = QName.get("handshake", Namespaces.SERVER);

  private ComponentHandshake() {}

  public static String digest(String streamId, String secret) {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(secret, "secret");
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] hash = sha1.digest((streamId + secret).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java platform", e);
    }
  }

  /** Constant-time check of a received digest. */
  public static boolean matches(String received, String streamId, String secret) {
    if (received == null) {
      return false;
    }
    byte[] expected = digest(streamId, secret).getBytes(StandardCharsets.US_ASCII);
    byte[] actual = received.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
    return MessageDigest.isEqual(expected, actual);
  }
}
