package org.passerelle.proxy.policy;

import java.util.Arrays;
import java.util.Optional;

/** Whether a remote domain must, may or must not authenticate with its certificate (XEP-0178). */
public enum SaslExternal {
  /**
   * Its servers must prove their domain with a certificate that passes RFC 6125 checks against our
   * trust anchors, in both directions: SASL EXTERNAL inbound (or a dialback request whose
   * certificate proves the sender, XEP-0344 §2.4), and the receiving server's certificate outbound.
   */
  REQUIRED("required"),
  /** A certificate that proves the domain is used; otherwise dialback, if allowed. */
  OPTIONAL("optional"),
  /** SASL EXTERNAL is neither offered nor used; dialback only. */
  OFF("off");

  private final String configName;

  SaslExternal(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Optional<SaslExternal> fromConfigName(String name) {
    return Arrays.stream(values()).filter(s -> s.configName.equals(name)).findFirst();
  }
}
