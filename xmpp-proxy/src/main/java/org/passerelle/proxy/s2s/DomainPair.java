package org.passerelle.proxy.s2s;

import java.util.Objects;

/**
 * The two ends of a server-to-server stream: the local domain it speaks for and the remote domain
 * it reaches (RFC 6120 §4.5: streams are unidirectional, one per pair and direction).
 */
public record DomainPair(String local, String remote) {
  public DomainPair {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
  }

  @Override
  public String toString() {
    return local + "→" + remote;
  }
}
