package org.passerelle.gateway.sip;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Who may speak for the organisation's users: requests whose {@code From} is in one of {@link
 * #localDomains()} are accepted only from {@link #addresses()}, the organisation's SIP server. The
 * gateway has no other way to know a local sender is real: it does not authenticate users, the SIP
 * server does (RFC 3261 §22), and the gateway sits behind it.
 *
 * @param localDomains the organisation's domains, lower case
 * @param addresses where the SIP server sends from
 */
public record TrustedSources(Set<String> localDomains, List<AddressRange> addresses) {

  public TrustedSources {
    Set<String> lower = new LinkedHashSet<>();
    for (String domain : localDomains) {
      lower.add(domain.toLowerCase(Locale.ROOT));
    }
    localDomains = Set.copyOf(lower);
    addresses = List.copyOf(addresses);
    if (localDomains.isEmpty()) {
      throw new IllegalArgumentException("name the organisation's domains");
    }
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("name at least one address of the SIP server");
    }
  }

  /** Whether {@code source} is the SIP server. */
  public boolean isTrusted(InetAddress source) {
    Objects.requireNonNull(source, "source");
    for (AddressRange range : addresses) {
      if (range.contains(source)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a {@code From} host names one of the organisation's domains. */
  public boolean isLocal(String fromHost) {
    return fromHost != null && localDomains.contains(fromHost.toLowerCase(Locale.ROOT));
  }
}
