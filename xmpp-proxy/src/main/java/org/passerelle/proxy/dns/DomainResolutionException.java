package org.passerelle.proxy.dns;

import java.util.Objects;

/**
 * A remote domain could not be resolved to any address: the stanza router bounces queued stanzas
 * with {@code <remote-server-not-found/>} (RFC 6120 §10.4.3). {@link #lookups()} says which records
 * were tried.
 */
public final class DomainResolutionException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why resolution failed. */
  public enum Reason {
    /** The domain is not a syntactically valid DNS name; nothing was asked. */
    INVALID_DOMAIN("not a valid domain name"),
    /**
     * {@code _xmpp-server} has the single target {@code .} (RFC 6120 §3.2.1 step 3), or {@code
     * _xmpps-server} does and no {@code _xmpp-server} record exists (XEP-0368 §5); no A/AAAA
     * fallback is allowed.
     */
    SERVICE_ABSENT("the domain declares that it offers no XMPP server-to-server service"),
    /**
     * No address: SRV records exist but none of their targets resolved (no fallback, RFC 6120
     * §3.2.1 step 8), or there is no SRV record and the domain itself has no A/AAAA (§3.2.2).
     */
    NO_ADDRESS("no address found"),
    /** A question timed out or failed, so the answer may exist: worth retrying later. */
    DNS_UNAVAILABLE("DNS did not answer every question");

    private final String description;

    Reason(String description) {
      this.description = description;
    }

    /** A short human-readable explanation. */
    public String description() {
      return description;
    }
  }

  private final String domain;
  private final Reason reason;
  // Not serialized: these exceptions never leave the process.
  private final transient Lookups lookups;

  /**
   * @param domain the domain as given (not normalized if it was invalid)
   * @param reason why it failed
   * @param lookups what was asked
   * @param detail extra explanation, empty if none
   */
  public DomainResolutionException(String domain, Reason reason, Lookups lookups, String detail) {
    super(message(domain, reason, lookups, detail));
    this.domain = domain;
    this.reason = reason;
    this.lookups = lookups;
  }

  /** The domain that could not be resolved. */
  public String domain() {
    return domain;
  }

  /** Why resolution failed. */
  public Reason reason() {
    return reason;
  }

  /** The DNS questions asked and their answers. */
  public Lookups lookups() {
    return lookups;
  }

  private static String message(String domain, Reason reason, Lookups lookups, String detail) {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(lookups, "lookups");
    Objects.requireNonNull(detail, "detail");
    return "cannot resolve '"
        + domain
        + "': "
        + reason.description()
        + (detail.isEmpty() ? "" : " (" + detail + ")")
        + "; tried: "
        + lookups.summary();
  }
}
