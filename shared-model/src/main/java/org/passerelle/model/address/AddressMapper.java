package org.passerelle.model.address;

import java.util.Map;
import java.util.Objects;
import org.passerelle.model.address.AddressException.Reason;

/**
 * The address mapping of RFC 7247 §6 between SIP URIs and JIDs, both directions, for every
 * translated message: no Tinder {@code JID} is built, and parts that need no change are passed
 * through without copying.
 *
 * <p>Only user, host and {@code gr} name someone; the port and the other URI parameters say how to
 * reach them (RFC 3261 §19.1.1) and are not carried into the JID. With that, for every address the
 * mapping accepts, {@code toSipUri(toJid(uri))} is {@code uri.addressOfRecord()} plus its {@code
 * gr}, and {@code toJid(toSipUri(jid))} is {@code jid} when the JID is in the form this mapping
 * writes (lower-case U-label domain, XEP-0106 escapes as in {@link JidEscaping}).
 *
 * <p>Neither direction applies PRECIS (RFC 7247 §6.4 and §6.5 make it optional): case is kept in
 * the local part, as SIP user parts are case-sensitive (RFC 3261 §19.1.4).
 */
public final class AddressMapper {
  private AddressMapper() {}

  /**
   * The JID of a SIP address (RFC 7247 §6.4): scheme dropped, user percent-decoded as UTF-8 and
   * escaped as XEP-0106 says, host with U-labels, and the {@code gr} of a public GRUU as the
   * resourcepart (RFC 7247 §6.3).
   *
   * @throws AddressException with reason {@link Reason#SIPS_NOT_TRANSLATED} for a SIPS URI (RFC
   *     7247 §8), {@link Reason#TEMPORARY_GRUU} for {@code ;gr} without a value, {@link
   *     Reason#NO_JID_EQUIVALENT} if a part of the result would break a JID rule
   */
  public static String toJid(SipUri uri) {
    if (uri.scheme() == SipUri.Scheme.SIPS) {
      throw new AddressException(
          Reason.SIPS_NOT_TRANSLATED, "a SIPS URI is never translated to XMPP (RFC 7247 §8)");
    }
    String resource = uri.grOrNull();
    if (resource != null) {
      if (resource.isEmpty()) {
        throw new AddressException(
            Reason.TEMPORARY_GRUU,
            "a temporary GRUU (gr without a value) has no XMPP equivalent (RFC 7247 §6.3)");
      }
      JidSyntax.checkResourcepart(resource, 0, resource.length(), Reason.NO_JID_EQUIVALENT);
    }
    String localpart = null;
    String user = uri.userOrNull();
    if (user != null) {
      if (user.charAt(0) == ' ' || user.charAt(user.length() - 1) == ' ') {
        throw new AddressException(
            Reason.NO_JID_EQUIVALENT,
            "SIP user part starts or ends with a space, which XEP-0106 §3.2 does not escape");
      }
      localpart = JidEscaping.escapeLocalpart(user);
      JidSyntax.checkLocalpart(localpart, 0, localpart.length(), Reason.NO_JID_EQUIVALENT);
    }
    String domain = Domains.sipHostToJidDomain(uri.host());
    if (localpart == null && resource == null) {
      return domain;
    }
    int length =
        domain.length()
            + (localpart == null ? 0 : localpart.length() + 1)
            + (resource == null ? 0 : resource.length() + 1);
    StringBuilder jid = new StringBuilder(length);
    if (localpart != null) {
      jid.append(localpart).append('@');
    }
    jid.append(domain);
    if (resource != null) {
      jid.append('/').append(resource);
    }
    return jid.toString();
  }

  /**
   * {@link #toJid(SipUri)} of {@link SipUri#parse(String)}.
   *
   * @throws AddressException as both do
   */
  public static String toJid(String sipUri) {
    return toJid(SipUri.parse(sipUri));
  }

  /**
   * The {@code sip:} URI of a JID (RFC 7247 §6.5). See {@link #toSipUri(String, SipUri.Scheme)}.
   */
  public static SipUri toSipUri(String jid) {
    return toSipUri(jid, SipUri.Scheme.SIP);
  }

  /**
   * The SIP URI of a JID (RFC 7247 §6.5): localpart unescaped (XEP-0106, defined sequences only),
   * domain as lower-case A-labels, resourcepart as the {@code gr} parameter. The user part and
   * {@code gr} are held decoded and percent-encoded when written, non-ASCII as UTF-8 bytes.
   *
   * <p>The JID comes from an XMPP server, which has accepted it, so escapes XEP-0106 would not
   * write ({@code \20} at either end, {@code \5c} before a non-sequence) are still undone, and such
   * JIDs do not come back byte for byte from {@link #toJid(SipUri)}.
   *
   * @param scheme {@code sip} or {@code sips}, a local policy choice (RFC 7247 §6.5)
   * @throws AddressException with reason {@link Reason#MALFORMED_JID} and the rule that failed
   */
  public static SipUri toSipUri(String jid, SipUri.Scheme scheme) {
    Objects.requireNonNull(scheme, "scheme");
    if (jid == null || jid.isEmpty()) {
      throw new AddressException(Reason.MALFORMED_JID, "JID is empty (RFC 7622 §3.1)");
    }
    // RFC 7622 §3.1: the resourcepart starts at the first '/', the localpart ends at the first '@'
    // before it.
    int slash = jid.indexOf('/');
    int bareEnd = slash < 0 ? jid.length() : slash;
    int at = jid.indexOf('@');
    if (at >= bareEnd) {
      at = -1;
    }
    String user = null;
    if (at >= 0) {
      JidSyntax.checkLocalpart(jid, 0, at, Reason.MALFORMED_JID);
      user = JidEscaping.unescapeLocalpart(jid.substring(0, at));
    }
    String host = Domains.jidDomainToAscii(jid, at + 1, bareEnd, Reason.MALFORMED_JID);
    Map<String, String> parameters = Map.of();
    if (slash >= 0) {
      JidSyntax.checkResourcepart(jid, slash + 1, jid.length(), Reason.MALFORMED_JID);
      parameters = Map.of(SipUri.GR, jid.substring(slash + 1));
    }
    return new SipUri(scheme, user, null, host, SipUri.NO_PORT, parameters);
  }
}
