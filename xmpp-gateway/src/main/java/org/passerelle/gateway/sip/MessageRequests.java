package org.passerelle.gateway.sip;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.ContentLanguage;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Builds the MESSAGE requests and the responses the endpoint sends, with the JAIN-SIP factories
 * (created directly, not through the global {@code SipFactory}).
 */
final class MessageRequests {

  /** RFC 3261 §8.1.1.6. */
  static final int MAX_FORWARDS = 70;

  /** RFC 3261 §8.1.1.5: a CSeq number must stay below 2^31. */
  private static final long CSEQ_LIMIT = 1L << 31;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private final AddressFactory addresses = new AddressFactoryImpl();
  private final HeaderFactory headers = new HeaderFactoryImpl();
  private final MessageFactory messages = new MessageFactoryImpl();
  private final String viaHost;
  private final AtomicLong cseq = new AtomicLong();

  MessageRequests(InetAddress bindAddress) {
    this.viaHost = bindAddress.getHostAddress();
  }

  HeaderFactory headers() {
    return headers;
  }

  AddressFactory addresses() {
    return addresses;
  }

  MessageFactory messages() {
    return messages;
  }

  /** Our address as the Via of each request names it. */
  String viaHost() {
    return viaHost;
  }

  /**
   * An out-of-dialog MESSAGE (RFC 3428 §4) with a fresh CSeq and From tag, and a fresh Call-ID
   * unless the message has one.
   *
   * @param body the body, already encoded as UTF-8
   * @throws ParseException if an address given as text is not a valid SIP URI
   */
  MessageDraft draft(OutgoingMessage m, byte[] body) throws ParseException {
    return new MessageDraft(
        this, m, body, m.callId().orElseGet(MessageRequests::newCallId), nextCseq(), newTag());
  }

  /**
   * JAIN-SIP's request for {@code draft}: no Contact; Via for UDP on port 1 until {@link #setVia}
   * names the transport chosen.
   *
   * @throws ParseException if an address is not a valid SIP URI
   */
  Request request(MessageDraft draft) throws ParseException {
    OutgoingMessage m = draft.message();
    URI requestUri;
    Address from;
    Address to;
    if (m.uris().isPresent()) {
      OutgoingMessage.Uris uris = m.uris().get();
      requestUri = sipUri(uris.requestUri());
      from = addresses.createAddress(sipUri(uris.from()));
      to = addresses.createAddress(sipUri(uris.to()));
    } else {
      requestUri = addresses.createURI(m.requestUri());
      if (!requestUri.isSipURI()) {
        throw new ParseException("not a SIP URI: " + m.requestUri(), 0);
      }
      from = addresses.createAddress(m.from());
      to = addresses.createAddress(m.to());
    }
    try {
      ContentTypeHeader contentType = headers.createContentTypeHeader("text", "plain");
      contentType.setParameter("charset", "UTF-8");
      List<ViaHeader> via = new ArrayList<>(1);
      via.add(headers.createViaHeader(viaHost, 1, SipTransport.UDP.token(), null));
      Request request =
          messages.createRequest(
              requestUri,
              Request.MESSAGE,
              headers.createCallIdHeader(draft.callId()),
              headers.createCSeqHeader(draft.cseq(), Request.MESSAGE),
              headers.createFromHeader(from, draft.tag()),
              headers.createToHeader(to, null),
              via,
              headers.createMaxForwardsHeader(MAX_FORWARDS),
              contentType,
              draft.body());
      if (m.subject().isPresent()) {
        request.addHeader(headers.createSubjectHeader(m.subject().get()));
      }
      if (m.contentLanguage().isPresent()) {
        // The API's Locale-based setter would write "en_GB"; NIST's class keeps the tag as is.
        request.addHeader(new ContentLanguage(m.contentLanguage().get()));
      }
      return request;
    } catch (InvalidArgumentException e) {
      throw new IllegalStateException("constant header value refused", e);
    }
  }

  /**
   * Room in {@link #sizeBound} for what a MESSAGE holds besides the values it is given: the request
   * line's method and version, the header names, separators and line ends, the Via (host, port,
   * parameters), CSeq, Max-Forwards, Content-Type, Content-Length and the From tag. About 330 bytes
   * are written today; the rest is slack against a JAIN-SIP version that writes more (e.g. angle
   * brackets or a display name), checked by a test against the encoded request.
   */
  static final int MESSAGE_FIXED_BYTES = 512;

  /**
   * An upper bound of the size of the MESSAGE request for {@code m}, as {@link
   * RequestSender#transportSize} needs it, computed from the values without encoding anything.
   *
   * @param bodyBytes the body's length in UTF-8
   */
  int sizeBound(OutgoingMessage m, int bodyBytes) {
    long bytes =
        MESSAGE_FIXED_BYTES
            + (long) bodyBytes
            + utf8Bound(m.requestUri())
            + utf8Bound(m.from())
            + utf8Bound(m.to())
            + viaHost.length()
            + m.callId().map(MessageRequests::utf8Bound).orElse(CALL_ID_CHARS)
            + m.subject().map(MessageRequests::utf8Bound).orElse(0)
            + m.contentLanguage().map(String::length).orElse(0);
    return (int) Math.min(bytes, Integer.MAX_VALUE);
  }

  /** What {@link #newCallId} writes: 16 bytes in hex. */
  private static final int CALL_ID_CHARS = 32;

  /** The length of {@code s} in UTF-8 (an unpaired surrogate counted as three bytes). */
  private static int utf8Bound(String s) {
    int bytes = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        bytes += c < 0x800 ? 1 : 2; // a surrogate pair: 2 + 2 = 4 bytes
      }
    }
    return bytes;
  }

  /**
   * JAIN-SIP's URI for one already parsed, built from its parts: the same URI as JAIN-SIP parsing
   * its text would give (a test compares the two), without the parse. Not through {@code
   * AddressFactory.createSipURI(user, host)}, which writes {@code sip:user@host} and parses that.
   */
  static SipURI sipUri(org.passerelle.model.address.SipUri uri) throws ParseException {
    gov.nist.javax.sip.address.SipUri out = new gov.nist.javax.sip.address.SipUri();
    out.setScheme(uri.scheme().text());
    Optional<String> user = uri.writtenUser();
    if (user.isPresent()) {
      out.setUser(user.get());
    }
    out.setHost(uri.host());
    if (uri.port().isPresent()) {
      out.setPort(uri.port().getAsInt());
    }
    for (Map.Entry<String, String> parameter : uri.writtenParameters().entrySet()) {
      String value = parameter.getValue();
      // A parameter without a value (";lr") is one with a null value for JAIN-SIP.
      out.setParameter(parameter.getKey(), value.isEmpty() ? null : value);
    }
    return out;
  }

  /**
   * Names the transport and our port for it in the request's Via (RFC 3261 §18.1.1), with a new
   * branch.
   */
  static void setVia(Request request, SipTransport transport, int port) throws ParseException {
    // Each attempt is a new transaction, with a branch of its own.
    setVia(request, transport, port, BranchIds.next());
  }

  /** As {@link #setVia(Request, SipTransport, int)}, with the branch given. */
  static void setVia(Request request, SipTransport transport, int port, String branch)
      throws ParseException {
    ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
    via.setTransport(transport.token());
    via.setBranch(branch);
    try {
      via.setPort(port);
    } catch (InvalidArgumentException e) {
      throw new IllegalArgumentException("bad port " + port, e);
    }
  }

  /** Where a Request-URI points: its host, port and transport parameter (RFC 3263 §4). */
  static SipServerAddress serverOf(SipURI uri) {
    String maddr = uri.getMAddrParam();
    return new SipServerAddress(
        maddr != null ? maddr : unbracketed(uri.getHost()),
        uri.getPort() > 0 ? OptionalInt.of(uri.getPort()) : OptionalInt.empty(),
        Optional.ofNullable(uri.getTransportParam()).map(SipTransport::fromToken));
  }

  /**
   * As {@link #serverOf(SipURI)} for a URI already parsed, without JAIN-SIP's model.
   *
   * @throws IllegalArgumentException if it names a transport the gateway does not have
   */
  static SipServerAddress serverOf(org.passerelle.model.address.SipUri uri) {
    return new SipServerAddress(
        uri.parameter("maddr")
            .filter(maddr -> !maddr.isEmpty())
            .orElseGet(() -> unbracketed(uri.host())),
        uri.port(),
        uri.parameter("transport").map(SipTransport::fromToken));
  }

  /** An IPv6 reference's address without its brackets, as {@link SipServerAddress} holds it. */
  private static String unbracketed(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** A final response with a To tag (RFC 3261 §8.2.6.2), no Contact and no body. */
  Response response(Request request, int status, String reasonPhrase) throws ParseException {
    Response response = messages.createResponse(status, request);
    if (!reasonPhrase.isEmpty()) {
      response.setReasonPhrase(reasonPhrase);
    }
    ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
    if (to.getTag() == null) {
      to.setTag(newTag());
    }
    return response;
  }

  /** RFC 3261 §19.3: at least 32 random bits. */
  static String newTag() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return HEX.formatHex(bytes);
  }

  /** RFC 3261 §8.1.1.4 recommends cryptographically random Call-IDs. */
  static String newCallId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HEX.formatHex(bytes);
  }

  /**
   * Outside a dialog the number is arbitrary (RFC 3261 §8.1.1.5); increasing helps reading traces.
   */
  private long nextCseq() {
    return cseq.updateAndGet(n -> n + 1 >= CSEQ_LIMIT ? 1 : n + 1);
  }
}
