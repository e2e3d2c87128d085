package org.passerelle.proxy.s2s;

import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLSession;
import org.dom4j.Element;
import org.passerelle.model.Correlation;
import org.passerelle.model.Namespaces;
import org.passerelle.model.StanzaKind;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.stream.StreamErrorCondition;
import org.passerelle.stream.StreamException;
import org.passerelle.stream.StreamHeader;
import org.passerelle.stream.XmlStreamDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection we open to a remote server: we are the initiating entity (RFC 6120 §4.3). Uses
 * STARTTLS (or XEP-0368 direct TLS), then SASL EXTERNAL when offered, else server dialback as the
 * originating server (XEP-0220 §2.1). Also carries our dialback verification requests to that
 * server, as receiving server for its inbound streams. Reports progress to its {@link
 * OutboundSession}.
 *
 * <p>Follows the remote domain's federation settings: a receiver that does not offer STARTTLS where
 * TLS is required is left (no downgrade to plaintext); where certificates are required, the
 * receiver's certificate must prove its domain (RFC 6120 §13.7.2.1, RFC 6125); SASL EXTERNAL and
 * dialback are used only where allowed.
 */
final class OutboundStreamHandler extends S2sStreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(OutboundStreamHandler.class);

  private final OutboundSession session;
  private final DomainPair pair;
  private final ConnectTarget target;
  private final PartnerPolicy partner;

  private OutboundState state = OutboundState.CONNECTING;
  private boolean headerSent;
  private boolean secured;
  private boolean saslDone;
  private boolean peerSupportsDialback;
  private boolean readyForVerify;
  private String streamId;

  OutboundStreamHandler(
      S2sContext context, XmlStreamDecoder decoder, OutboundSession session, ConnectTarget target) {
    super(context, decoder);
    this.session = session;
    this.pair = session.pair();
    this.target = target;
    this.partner = session.partner();
  }

  @Override
  protected Logger log() {
    return LOG;
  }

  @Override
  protected S2sStream.Direction direction() {
    return S2sStream.Direction.OUTBOUND;
  }

  @Override
  protected String label() {
    return "s2s-out[" + pair + " " + target.address() + "]";
  }

  @Override
  protected boolean isEstablished() {
    return state == OutboundState.ESTABLISHED;
  }

  @Override
  protected boolean keepalive() {
    return partner.keepalive();
  }

  @Override
  protected boolean headerSent() {
    return headerSent;
  }

  @Override
  protected void sendHeaderForError() {
    sendHeader();
  }

  @Override
  public void channelActive(io.netty.channel.ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    step(new OutboundStep.Connected(ctx.channel().localAddress()));
    stream.domains(pair.local(), pair.remote());
    if (!target.directTls()) {
      sendHeader();
    }
    // With direct TLS the header follows the handshake (XEP-0368 §3).
  }

  private void sendHeader() {
    ctx.writeAndFlush(
        new StreamHeader(
            Namespaces.SERVER,
            pair.remote(),
            pair.local(),
            null,
            StreamHeader.VERSION_1_0,
            "en",
            true));
    headerSent = true;
    if (state != OutboundState.AWAITING_HEADER) {
      state = state.to(OutboundState.AWAITING_HEADER);
    }
  }

  @Override
  protected void onHeader(StreamHeader header) throws StreamException {
    if (!Namespaces.SERVER.equals(header.contentNamespace())) {
      throw new StreamException(
          StreamErrorCondition.INVALID_NAMESPACE, "the receiver did not answer with jabber:server");
    }
    step(new OutboundStep.HeaderReceived(header));
    streamId = header.id();
    peerSupportsDialback = header.dialback();
    if (!header.isVersion1()) {
      // No features will come from a pre-1.0 server: dialback straight away.
      if (partner.tlsRequired()) {
        fail(
            "TLS is required for "
                + pair.remote()
                + " but the receiver does not support STARTTLS (version "
                + header.version()
                + ")",
            true);
        return;
      }
      readyForVerify();
      startDialback();
      return;
    }
    state = state.to(OutboundState.AWAITING_FEATURES);
  }

  @Override
  protected void onElement(Element element) throws StreamException {
    switch (state) {
      case AWAITING_FEATURES -> {
        if (S2sElements.isFeatures(element)) {
          onFeatures(element);
          return;
        }
      }
      case STARTTLS_REQUESTED -> {
        if (S2sElements.is(element, Namespaces.TLS, "proceed")) {
          onProceed();
          return;
        }
        if (S2sElements.is(element, Namespaces.TLS, "failure")) {
          fail("the receiver refused STARTTLS", true);
          return;
        }
      }
      case SASL_REQUESTED -> {
        if (S2sElements.is(element, Namespaces.SASL, "success")) {
          saslDone = true;
          step(new OutboundStep.SaslAnswered(true, ""));
          decoder.restart();
          LOG.info("{} authenticated by SASL EXTERNAL", label());
          sendHeader();
          return;
        }
        if (S2sElements.is(element, Namespaces.SASL, "failure")) {
          onSaslFailure(element);
          return;
        }
      }
      default -> {
        // Dialback answers may arrive in any later state.
      }
    }
    if (S2sElements.isDialbackResult(element)) {
      onDialbackResult(element);
    } else if (S2sElements.isDialbackVerify(element)) {
      onDialbackVerifyAnswer(element);
    } else {
      throw new StreamException(
          StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "{"
              + element.getNamespaceURI()
              + "}"
              + element.getName()
              + " is not expected on a stream we initiated ("
              + state
              + ")");
    }
  }

  @Override
  protected void onPeerStreamError(StreamErrorCondition condition, String text) {
    step(new OutboundStep.StreamError(condition, text));
    if (state != OutboundState.ESTABLISHED) {
      session.refusedByReceiver(this, condition, text);
    }
  }

  private void onFeatures(Element features) {
    step(OutboundStep.FeaturesReceived.of(features, secured));
    if (saslDone) {
      // Features after the post-SASL restart: negotiation is complete (§4.3.5).
      established(AuthMethod.SASL_EXTERNAL);
      return;
    }
    if (!secured && S2sElements.offersStartTls(features)) {
      state = state.to(OutboundState.STARTTLS_REQUESTED);
      ctx.writeAndFlush(S2sElements.startTls());
      return;
    }
    if (!secured && partner.tlsRequired()) {
      // No downgrade to plaintext where TLS is required: a STARTTLS feature stripped on the way
      // looks just like a receiver without TLS (RFC 7590 §3.1).
      fail(
          "TLS is required for " + pair.remote() + " but the receiver does not offer STARTTLS",
          true);
      return;
    }
    peerSupportsDialback |= S2sElements.offersDialback(features);
    readyForVerify();
    if (S2sElements.offersExternal(features) && partner.saslExternalAllowed()) {
      state = state.to(OutboundState.SASL_REQUESTED);
      ctx.writeAndFlush(S2sElements.authExternal());
      return;
    }
    if (session.isVerifyOnly() && !session.hasStanzas()) {
      // Nothing to authenticate for yet: the stream only carries db:verify requests.
      return;
    }
    startDialback();
  }

  private void onSaslFailure(Element failure) {
    String condition =
        failure.elements().isEmpty() ? "no condition" : failure.elements().get(0).getName();
    step(new OutboundStep.SaslAnswered(false, condition));
    LOG.info("{} SASL EXTERNAL refused ({}), trying dialback", label(), condition);
    startDialback();
  }

  private void startDialback() {
    if (!partner.dialback() || !peerSupportsDialback) {
      fail(
          "no authentication method in common (SASL EXTERNAL "
              + (partner.saslExternalAllowed() ? "not offered or refused" : "off by policy")
              + ", dialback "
              + (partner.dialback() ? "not offered by the receiver" : "not allowed by policy")
              + ")",
          false);
      return;
    }
    if (streamId == null) {
      fail("the receiver sent no stream id, dialback is impossible", false);
      return;
    }
    String key = context.dialbackKeys().key(pair.remote(), pair.local(), streamId);
    context.ledger().recordSent(pair.local(), pair.remote(), streamId);
    state = state.to(OutboundState.DIALBACK_REQUESTED);
    ctx.writeAndFlush(S2sElements.dialbackResult(pair.local(), pair.remote(), key));
  }

  /** The session has stanzas now: authenticate a stream that only carried verifications. */
  void authenticateIfIdle() {
    if (state == OutboundState.AWAITING_FEATURES && readyForVerify) {
      startDialback();
    }
  }

  private void onProceed() {
    SslHandler ssl =
        context.clientTls().newHandler(ctx.alloc(), pair.remote(), target.address().getPort());
    ctx.pipeline().addFirst(S2sPipeline.TLS, ssl);
    decoder.restart();
    state = state.to(OutboundState.TLS_HANDSHAKE);
  }

  @Override
  protected void onTlsEstablished() {
    secured = true;
    List<X509Certificate> chain = peerCertificates();
    CertificateChecker.Result check =
        chain.isEmpty()
            ? CertificateChecker.Result.NO_CERTIFICATE
            : context.certificates().check(chain, pair.remote());
    SSLSession tls = sslHandler().engine().getSession();
    step(new OutboundStep.TlsEstablished(tls.getProtocol(), tls.getCipherSuite(), chain, check));
    LOG.debug(
        "{} TLS established; certificate {} {}",
        label(),
        check.valid() ? "valid for" : "not valid for",
        pair.remote() + (check.valid() ? "" : ": " + check.reason()));
    if (!check.valid() && partner.certificateRequired()) {
      // RFC 6120 §13.7.2: the initiator checks the receiver against the 'to' it sent.
      String reason =
          pair.remote()
              + " must prove its domain with a certificate (sasl-external: required): "
              + check.reason();
      LOG.info("{} failed: {}", label(), reason);
      step(new OutboundStep.Failed(reason));
      session.streamFailed(this, reason, true);
      ctx.close();
      return;
    }
    sendHeader();
  }

  private void onDialbackResult(Element result) {
    String from = result.attributeValue("from");
    String to = result.attributeValue("to");
    if (state != OutboundState.DIALBACK_REQUESTED
        || !pair.remote().equalsIgnoreCase(from)
        || !pair.local().equalsIgnoreCase(to)) {
      // XEP-0220 §3.1: an answer we did not ask for is ignored.
      LOG.debug("{} ignoring unsolicited db:result {}", label(), result.asXML());
      return;
    }
    context.ledger().forget(pair.local(), pair.remote(), streamId);
    String type = result.attributeValue("type");
    step(new OutboundStep.DialbackAnswered(String.valueOf(type), errorCondition(result)));
    if ("valid".equals(type)) {
      LOG.info("{} authenticated by dialback", label());
      established(AuthMethod.DIALBACK);
    } else if ("invalid".equals(type)) {
      session.authenticationRefused("the receiver found our dialback key invalid");
      closeStream();
    } else {
      session.authenticationRefused("dialback error: " + result.asXML());
      closeStream();
    }
  }

  private void onDialbackVerifyAnswer(Element verify) {
    String type = verify.attributeValue("type");
    if (type == null) {
      LOG.debug("{} ignoring db:verify request on an outbound stream", label());
      return;
    }
    session.verifyAnswered(
        verify.attributeValue("id"),
        verify.attributeValue("from"),
        verify.attributeValue("to"),
        "valid".equals(type));
  }

  private void readyForVerify() {
    if (!readyForVerify) {
      readyForVerify = true;
      session.readyForVerify(this);
    }
  }

  /** Sends a dialback verification request (XEP-0220 §2.1.2) on this stream. */
  void sendVerify(String id, String key) {
    ctx.writeAndFlush(S2sElements.dialbackVerify(pair.local(), pair.remote(), id, key));
  }

  /**
   * Writes a stanza to the remote server. Its correlation id is ours alone: it is taken off here,
   * the one place every stanza passes before it leaves over S2S.
   */
  void write(Element stanza) {
    String correlationId = Correlation.strip(stanza);
    StanzaKind kind = StanzaKind.of(stanza, Namespaces.SERVER);
    if (kind != null) {
      context.events().stanzaSent(kind);
    }
    StanzaLog.sentToRemote(stanza, correlationId, pair);
    ctx.write(stanza);
  }

  void flush() {
    ctx.flush();
  }

  void close() {
    if (ctx.channel().isActive()) {
      closeStream();
    }
  }

  private void established(AuthMethod method) {
    state = state.to(OutboundState.ESTABLISHED);
    cancelEstablishTimer();
    step(new OutboundStep.Established(method));
    stream.established(pair.remote(), method);
    context.events().outboundAuthenticated(pair, method);
    session.streamEstablished(this);
  }

  private void fail(String reason, boolean tryNextTarget) {
    LOG.info("{} failed: {}", label(), reason);
    step(new OutboundStep.Failed(reason));
    session.streamFailed(this, reason, tryNextTarget);
    closeStream();
  }

  @Override
  protected void onTlsFailed(Throwable cause) {
    step(new OutboundStep.TlsFailed(cause));
  }

  @Override
  protected void onConnectionFailed(String reason) {
    if (state != OutboundState.ESTABLISHED) {
      step(new OutboundStep.Failed(reason));
    }
  }

  private void step(OutboundStep step) {
    context.events().outbound(pair, target, step);
  }

  /** The condition of a dialback error (XEP-0220 §2.4), empty if none. */
  private static String errorCondition(Element result) {
    Element error = result.element("error");
    return error == null || error.elements().isEmpty() ? "" : error.elements().get(0).getName();
  }

  @Override
  protected void onClosed() {
    if (streamId != null) {
      context.ledger().forget(pair.local(), pair.remote(), streamId);
    }
    boolean wasEstablished = state == OutboundState.ESTABLISHED;
    if (state != OutboundState.CLOSED) {
      state = state.to(OutboundState.CLOSED);
    }
    step(new OutboundStep.Closed(wasEstablished));
    session.streamClosed(this, wasEstablished);
  }
}
