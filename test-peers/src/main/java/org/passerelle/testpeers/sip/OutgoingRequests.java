package org.passerelle.testpeers.sip;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sip.InvalidArgumentException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.passerelle.testpeers.SipTransport;

/**
 * Builds the requests a {@link SipTestClient} starts (RFC 3261 §8.1.1): From its address of record,
 * a pre-loaded Route to the outbound proxy (§8.1.2), and a Via for the transport chosen.
 */
final class OutgoingRequests {

  /**
   * RFC 3261 §18.1.1: a request within 200 bytes of the path MTU, or over 1300 bytes if that is
   * unknown, goes over a congestion-controlled transport.
   */
  static final int UDP_SIZE_LIMIT = 1300;

  private static final int MAX_FORWARDS = 70;

  private final SipFactories factories;
  private final String user;
  private final String domain;
  private final InetSocketAddress local;
  private final InetSocketAddress proxy;
  private final SipTransport preferred;

  OutgoingRequests(
      SipFactories factories,
      String user,
      String domain,
      InetSocketAddress local,
      InetSocketAddress proxy,
      SipTransport preferred) {
    this.factories = factories;
    this.user = user;
    this.domain = domain;
    this.local = local;
    this.proxy = proxy;
    this.preferred = preferred;
  }

  /** {@code sip:user@domain}. */
  String aor() {
    return "sip:" + user + "@" + domain;
  }

  /** Where requests for us reach us; the transport parameter only if we prefer TCP. */
  String contactUri() {
    return contactUri(user, local, preferred);
  }

  /** Where requests for {@code user} listening on {@code local} reach it. */
  static String contactUri(String user, InetSocketAddress local, SipTransport preferred) {
    return "sip:"
        + user
        + "@"
        + local.getAddress().getHostAddress()
        + ":"
        + local.getPort()
        + (preferred == SipTransport.TCP ? ";transport=tcp" : "");
  }

  /** REGISTER (§10.2) of our contact; {@code expires} 0 removes it. */
  Request register(String callId, long cseq, int expires) throws ParseException {
    Request request =
        build(
            Request.REGISTER,
            factories.addresses().createSipURI(null, domain),
            aor(),
            callId,
            cseq);
    request.addHeader(contact());
    request.addHeader(expires(expires));
    return withTransport(request);
  }

  /** MESSAGE (RFC 3428 §4) with a text/plain body in UTF-8. */
  Request message(String toUri, String body, Map<String, String> extraHeaders)
      throws ParseException {
    Request request = build(Request.MESSAGE, uri(toUri), toUri, newCallId(), 1);
    for (Map.Entry<String, String> header : extraHeaders.entrySet()) {
      request.addHeader(factories.headers().createHeader(header.getKey(), header.getValue()));
    }
    ContentTypeHeader contentType = factories.headers().createContentTypeHeader("text", "plain");
    contentType.setParameter("charset", "UTF-8");
    request.setContent(body.getBytes(StandardCharsets.UTF_8), contentType);
    return withTransport(request);
  }

  /**
   * PUBLISH (RFC 3903 §4) of a PIDF document for our own address of record; with {@code entityTag}
   * it modifies (or, at {@code expires} 0, removes) that publication.
   */
  Request publish(String pidf, int expires, Optional<String> entityTag) throws ParseException {
    Request request = build(Request.PUBLISH, uri(aor()), aor(), newCallId(), 1);
    request.addHeader(factories.headers().createEventHeader("presence"));
    request.addHeader(expires(expires));
    if (entityTag.isPresent()) {
      request.addHeader(factories.headers().createSIPIfMatchHeader(entityTag.get()));
    }
    if (!pidf.isEmpty()) {
      request.setContent(
          pidf.getBytes(StandardCharsets.UTF_8),
          factories.headers().createContentTypeHeader("application", "pidf+xml"));
    }
    return withTransport(request);
  }

  /** SUBSCRIBE (RFC 6665 §4.1.2, RFC 3856) to the presence of {@code presentityUri}. */
  Request subscribe(String presentityUri, int expires) throws ParseException {
    Request request = build(Request.SUBSCRIBE, uri(presentityUri), presentityUri, newCallId(), 1);
    addSubscriptionHeaders(request, expires);
    return withTransport(request);
  }

  /** Completes a SUBSCRIBE that a dialog built (a refresh or, at 0, an unsubscribe). */
  void addSubscriptionHeaders(Request request, int expires) throws ParseException {
    request.setHeader(factories.headers().createEventHeader("presence"));
    request.setHeader(factories.headers().createAcceptHeader("application", "pidf+xml"));
    request.setHeader(contact());
    request.setHeader(expires(expires));
  }

  /** A fresh Call-ID (§8.1.1.4): random, at our address. */
  String newCallId() {
    return UUID.randomUUID() + "@" + local.getAddress().getHostAddress();
  }

  private Request build(String method, URI requestUri, String toUri, String callId, long cseq)
      throws ParseException {
    try {
      FromHeader from = factories.headers().createFromHeader(address(aor()), newTag());
      return factories
          .messages()
          .createRequest(
              requestUri,
              method,
              factories.headers().createCallIdHeader(callId),
              factories.headers().createCSeqHeader(cseq, method),
              from,
              factories.headers().createToHeader(address(toUri), null),
              List.of(via(preferred)),
              factories.headers().createMaxForwardsHeader(MAX_FORWARDS));
    } catch (InvalidArgumentException e) {
      throw new IllegalArgumentException("bad CSeq " + cseq, e);
    }
  }

  /**
   * Sets the Via and the Route for the preferred transport, or for TCP if the request is too large
   * for UDP.
   */
  private Request withTransport(Request request) throws ParseException {
    SipTransport transport = preferred;
    request.setHeader(route(transport));
    if (transport == SipTransport.UDP
        && request.toString().getBytes(StandardCharsets.UTF_8).length > UDP_SIZE_LIMIT) {
      transport = SipTransport.TCP;
      request.setHeader(route(transport));
      request.setHeader(via(transport));
    }
    return request;
  }

  private ViaHeader via(SipTransport transport) throws ParseException {
    try {
      // No branch: JAIN-SIP sets a fresh one for each client transaction.
      ViaHeader via =
          factories
              .headers()
              .createViaHeader(
                  local.getAddress().getHostAddress(), local.getPort(), transport.token(), null);
      via.setRPort();
      return via;
    } catch (InvalidArgumentException e) {
      throw new IllegalStateException("bad local port " + local, e);
    }
  }

  /** {@code <sip:proxy:port;transport=...;lr>}: the outbound proxy as a loose router. */
  private RouteHeader route(SipTransport transport) throws ParseException {
    SipURI uri = factories.addresses().createSipURI(null, proxy.getAddress().getHostAddress());
    uri.setPort(proxy.getPort());
    uri.setTransportParam(transport.token());
    uri.setLrParam();
    return factories.headers().createRouteHeader(factories.addresses().createAddress(uri));
  }

  private ContactHeader contact() throws ParseException {
    return factories.headers().createContactHeader(address(contactUri()));
  }

  private ExpiresHeader expires(int seconds) {
    try {
      return factories.headers().createExpiresHeader(seconds);
    } catch (InvalidArgumentException e) {
      throw new IllegalArgumentException("bad expiry " + seconds, e);
    }
  }

  private URI uri(String uri) throws ParseException {
    return factories.addresses().createURI(uri);
  }

  private Address address(String uri) throws ParseException {
    return factories.addresses().createAddress(uri(uri));
  }

  private static String newTag() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
