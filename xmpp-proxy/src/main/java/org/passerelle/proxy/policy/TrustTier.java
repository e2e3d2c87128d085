package org.passerelle.proxy.policy;

import java.util.Arrays;
import java.util.Optional;

/**
 * How far a remote domain's users may reach into ours, after Lync's federated partners and its
 * verified and unverified public providers.
 */
public enum TrustTier {
  /** A partner organisation: its users may write to anyone here. */
  FEDERATED("federated"),
  /** A public provider trusted to vouch for its users: they may write to anyone here. */
  PUBLIC_VERIFIED("public-verified"),
  /**
   * A public provider whose users are not vouched for: they may reach a local user only after that
   * user has written to them or asked for or approved a presence subscription ({@link
   * ContactLedger}).
   */
  PUBLIC_UNVERIFIED("public-unverified");

  private final String configName;

  TrustTier(String configName) {
    this.configName = configName;
  }

  /** The value written in the configuration file. */
  public String configName() {
    return configName;
  }

  /** Whether users of a domain in this tier may write to any local user. */
  public boolean reachesEveryone() {
    return this != PUBLIC_UNVERIFIED;
  }

  public static Optional<TrustTier> fromConfigName(String name) {
    return Arrays.stream(values()).filter(t -> t.configName.equals(name)).findFirst();
  }
}
