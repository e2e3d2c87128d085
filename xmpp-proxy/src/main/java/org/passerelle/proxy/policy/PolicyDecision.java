package org.passerelle.proxy.policy;

import java.util.Objects;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.stream.StreamErrorCondition;

/**
 * What the policy says about a remote domain, or about one stanza, and why.
 *
 * @param domain the remote domain asked about
 * @param reason why it is allowed or refused; a refusal's reason also says how to answer it
 * @param partner the settings that apply when allowed; {@code null} when refused
 * @param text a sentence for the log (and, unless the reason keeps it private, for the error)
 */
public record PolicyDecision(String domain, Reason reason, PartnerPolicy partner, String text) {

  /** Why a domain or stanza is allowed or refused, with the errors that answer a refusal. */
  public enum Reason {
    /** A listed partner (federation.partners). */
    PARTNER(null, null, false),
    /** Not listed, but discovered federation is on (federation.discovered). */
    DISCOVERED(null, null, false),
    /**
     * On the block-list, which wins over everything. RFC 6120 §8.3.3.10 gives "sending to entities
     * at a blacklisted domain" as the example of not-allowed.
     */
    BLOCKED(StreamErrorCondition.POLICY_VIOLATION, StanzaCondition.NOT_ALLOWED, false),
    /** Not a partner, and discovered federation is off. */
    NOT_A_PARTNER(StreamErrorCondition.POLICY_VIOLATION, StanzaCondition.NOT_ALLOWED, false),
    /** A new discovered domain beyond federation.discovered.new-domains-per-minute. */
    DISCOVERY_RATE(
        StreamErrorCondition.POLICY_VIOLATION, StanzaCondition.RESOURCE_CONSTRAINT, false),
    /** The partner has max-connections streams already. */
    CONNECTION_LIMIT(
        StreamErrorCondition.POLICY_VIOLATION, StanzaCondition.RESOURCE_CONSTRAINT, false),
    /** A discovered domain sends faster than federation.discovered.stanzas-per-second. */
    STANZA_RATE(StreamErrorCondition.POLICY_VIOLATION, StanzaCondition.RESOURCE_CONSTRAINT, false),
    /**
     * The tier rule: an unverified domain's user writes to a local user who has not written to
     * them. Answered like a privacy list would (RFC 6121 §8.5.2: service-unavailable, no text), so
     * the answer does not tell whether the local user exists or whom they know.
     */
    NOT_A_CONTACT(StreamErrorCondition.POLICY_VIOLATION, StanzaCondition.SERVICE_UNAVAILABLE, true);

    private final StreamErrorCondition streamError;
    private final StanzaCondition stanzaError;
    private final boolean privateText;

    Reason(StreamErrorCondition streamError, StanzaCondition stanzaError, boolean privateText) {
      this.streamError = streamError;
      this.stanzaError = stanzaError;
      this.privateText = privateText;
    }

    public boolean allows() {
      return stanzaError == null;
    }

    /** The stream error that ends a refused stream (RFC 6120 §4.9.3). */
    public StreamErrorCondition streamError() {
      return streamError;
    }

    /** The stanza error that answers a refused stanza (RFC 6120 §8.3.3). */
    public StanzaCondition stanzaError() {
      return stanzaError;
    }
  }

  public PolicyDecision {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(text, "text");
    if (reason.allows() != (partner != null)) {
      throw new IllegalArgumentException("an allowed decision needs settings, a refusal none");
    }
  }

  static PolicyDecision allow(String domain, Reason reason, PartnerPolicy partner) {
    return new PolicyDecision(domain, reason, partner, domain + " is " + describe(reason));
  }

  static PolicyDecision refuse(String domain, Reason reason, String text) {
    return new PolicyDecision(domain, reason, null, text);
  }

  public boolean allowed() {
    return reason.allows();
  }

  /** The text to put in the error sent to the peer, or {@code null} when it must not be told. */
  public String publicText() {
    return reason.privateText ? null : text;
  }

  /**
   * The key connections are counted under: the partner's name, or the domain itself when it was
   * discovered.
   */
  public String connectionKey() {
    String name = partner == null ? null : partner.name();
    return name != null ? name : domain;
  }

  private static String describe(Reason reason) {
    return reason == Reason.PARTNER ? "a federation partner" : "a discovered domain";
  }

  @Override
  public String toString() {
    return reason + ": " + text;
  }
}
