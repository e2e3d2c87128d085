package org.passerelle.proxy.s2s;

import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.dom4j.Element;
import org.passerelle.model.Jids;
import org.passerelle.model.Namespaces;
import org.passerelle.model.StanzaKind;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.stream.StreamErrorCondition;
import org.passerelle.stream.StreamException;
import org.passerelle.stream.StreamHeader;
import org.passerelle.stream.XmlStreamDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream a remote server opened to us: we are the receiving entity (RFC 6120 §4.3). Offers
 * STARTTLS, then SASL EXTERNAL when the peer's certificate proves its domain (XEP-0178), and server
 * dialback otherwise (XEP-0220), answering dialback verification requests as the authoritative
 * server for our own domains. Stanzas are accepted only from authenticated domains (§8.1.1.2), and
 * only as fast as the {@link InboundGuards} allow each domain; so are the streams per domain.
 */
final class InboundStreamHandler extends S2sStreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(InboundStreamHandler.class);

  private final DialbackVerifier verifier;
  private final StanzaSink sink;
  private final InboundGuards guards;

  private InboundState state = InboundState.AWAITING_HEADER;
  private boolean headerSent;
  private boolean secured;
  private List<X509Certificate> peerChain = List.of();
  private String streamId;
  private String localDomain;
  private String peerDomain;
  private boolean offeredExternal;

  /** Domain authenticated by SASL EXTERNAL: set at {@code <success/>}, used after the restart. */
  private String saslDomain;

  /** Pairs validated by dialback: local is our domain, remote the sender (XEP-0220 §2.6). */
  private final Set<DomainPair> dialbackPairs = new HashSet<>();

  InboundStreamHandler(
      S2sContext context,
      XmlStreamDecoder decoder,
      DialbackVerifier verifier,
      StanzaSink sink,
      InboundGuards guards) {
    super(context, decoder);
    this.verifier = verifier;
    this.sink = sink;
    this.guards = guards;
  }

  @Override
  protected Logger log() {
    return LOG;
  }

  @Override
  protected String label() {
    return "s2s-in[" + peerDomain + "→" + localDomain + " " + ctx.channel().remoteAddress() + "]";
  }

  @Override
  protected boolean isEstablished() {
    return state == InboundState.OPEN;
  }

  @Override
  protected boolean headerSent() {
    return headerSent;
  }

  @Override
  protected void sendHeaderForError() {
    String from = localDomain != null ? localDomain : context.config().defaultDomain();
    writeHeader(from, false);
  }

  // --- stream header (§4.7) ---

  @Override
  protected void onHeader(StreamHeader header) throws StreamException {
    if (!Namespaces.SERVER.equals(header.contentNamespace())) {
      throw new StreamException(
          StreamErrorCondition.INVALID_NAMESPACE,
          "server-to-server streams use jabber:server (RFC 6120 §4.8.3)");
    }
    localDomain = lower(header.to());
    if (localDomain == null) {
      // COMPAT: RFC 3920-era servers may omit 'to' (RFC 6120 §4.7.2).
      localDomain = context.config().defaultDomain();
    } else if (!context.isLocal(localDomain)) {
      throw new StreamException(StreamErrorCondition.HOST_UNKNOWN, localDomain + " is not served");
    }
    String from = lower(header.from());
    if (saslDomain != null && from != null && !from.equals(saslDomain)) {
      throw new StreamException(
          StreamErrorCondition.INVALID_FROM, "authenticated as " + saslDomain + ", not " + from);
    }
    peerDomain = from != null ? from : peerDomain;
    if (!header.isVersion1() && (context.tlsRequired() || !context.dialbackEnabled())) {
      throw new StreamException(
          StreamErrorCondition.UNSUPPORTED_VERSION, "version 1.0 is required for STARTTLS");
    }
    writeHeader(localDomain, context.dialbackEnabled());
    if (!header.isVersion1()) {
      // Pre-1.0 peers get no features and go straight to dialback.
      state = state.to(InboundState.NEGOTIATING);
      return;
    }
    ctx.writeAndFlush(features());
    state = state.to(saslDomain != null ? InboundState.OPEN : InboundState.NEGOTIATING);
    if (state == InboundState.OPEN) {
      if (!guards.connections().claimDomain(ctx.channel(), saslDomain)) {
        throw tooManyStreams(saslDomain);
      }
      cancelEstablishTimer();
      LOG.info("{} authenticated by SASL EXTERNAL", label());
      context
          .events()
          .inboundAuthenticated(new DomainPair(localDomain, saslDomain), AuthMethod.SASL_EXTERNAL);
    }
  }

  private void writeHeader(String from, boolean dialback) {
    streamId = context.streamIds().next();
    ctx.write(
        new StreamHeader(
            Namespaces.SERVER,
            peerDomain,
            from,
            streamId,
            StreamHeader.VERSION_1_0,
            "en",
            dialback));
    headerSent = true;
  }

  private Element features() {
    if (saslDomain != null) {
      // Negotiation is complete (§4.3.5); dialback stays on offer for further domains (§2.6).
      return S2sElements.features(false, false, false, context.dialbackEnabled());
    }
    if (!secured) {
      boolean dialback = context.dialbackEnabled() && !context.tlsRequired();
      return S2sElements.features(true, context.tlsRequired(), false, dialback);
    }
    offeredExternal = peerDomain != null && certificateProves(peerDomain);
    return S2sElements.features(false, false, offeredExternal, context.dialbackEnabled());
  }

  // --- first-level elements ---

  @Override
  protected void onElement(Element element) throws StreamException {
    if (state != InboundState.NEGOTIATING && state != InboundState.OPEN) {
      throw new StreamException(
          StreamErrorCondition.NOT_AUTHORIZED, "unexpected " + element.getName() + " in " + state);
    }
    String namespace = element.getNamespaceURI();
    if (Namespaces.SERVER.equals(namespace)) {
      onStanza(element);
    } else if (S2sElements.isDialbackResult(element) && element.attribute("type") == null) {
      onDialbackResult(element);
    } else if (S2sElements.isDialbackVerify(element) && element.attribute("type") == null) {
      onDialbackVerify(element);
    } else if (S2sElements.is(element, Namespaces.TLS, "starttls")) {
      onStartTls();
    } else if (S2sElements.is(element, Namespaces.SASL, "auth")) {
      onAuth(element);
    } else {
      throw new StreamException(
          StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
          "{" + namespace + "}" + element.getName() + " is not understood here");
    }
  }

  // --- STARTTLS (§5.4) ---

  private void onStartTls() {
    if (secured || state == InboundState.OPEN) {
      // §5.4.2.2: a failure ends the stream.
      ctx.write(S2sElements.tlsFailure());
      closeStream();
      return;
    }
    // The SslHandler goes in before <proceed/> is written; startTls=true lets that one write
    // through in the clear, and every later byte is TLS.
    SslHandler ssl = new SslHandler(context.serverTls().newEngine(ctx.alloc()), true);
    ctx.pipeline().addFirst(S2sPipeline.TLS, ssl);
    decoder.restart();
    state = state.to(InboundState.TLS_HANDSHAKE);
    ctx.writeAndFlush(S2sElements.proceed());
  }

  @Override
  protected void onTlsEstablished() {
    secured = true;
    peerChain = peerCertificates();
    state = state.to(InboundState.AWAITING_HEADER);
    LOG.debug("{} TLS established, {} peer certificate(s)", label(), peerChain.size());
  }

  // --- SASL EXTERNAL (RFC 6120 §6, XEP-0178 §3) ---

  private void onAuth(Element auth) {
    if (!S2sElements.EXTERNAL.equals(auth.attributeValue("mechanism"))) {
      ctx.writeAndFlush(S2sElements.saslFailure("invalid-mechanism"));
      return;
    }
    String authzid = S2sElements.authorizationIdentity(auth);
    String identity = authzid != null ? authzid.toLowerCase(Locale.ROOT) : peerDomain;
    if (!offeredExternal || identity == null) {
      ctx.writeAndFlush(S2sElements.saslFailure("not-authorized"));
      return;
    }
    if (authzid != null && !identity.equals(peerDomain)) {
      ctx.writeAndFlush(S2sElements.saslFailure("invalid-authzid"));
      return;
    }
    if (!certificateProves(identity)) {
      ctx.writeAndFlush(S2sElements.saslFailure("not-authorized"));
      return;
    }
    saslDomain = identity;
    decoder.restart();
    state = state.to(InboundState.AWAITING_HEADER);
    ctx.writeAndFlush(S2sElements.saslSuccess());
  }

  // --- Server dialback, receiving role (XEP-0220 §2.2) ---

  private void onDialbackResult(Element result) throws StreamException {
    String sender = lower(result.attributeValue("from"));
    String target = lower(result.attributeValue("to"));
    if (sender == null || target == null) {
      throw new StreamException(
          StreamErrorCondition.IMPROPER_ADDRESSING, "db:result needs 'from' and 'to'");
    }
    if (!context.isLocal(target)) {
      ctx.writeAndFlush(S2sElements.dialbackError("result", target, sender, "item-not-found"));
      return;
    }
    if (!context.dialbackEnabled()) {
      ctx.writeAndFlush(S2sElements.dialbackError("result", target, sender, "not-acceptable"));
      return;
    }
    if (context.tlsRequired() && !secured) {
      ctx.writeAndFlush(S2sElements.dialbackError("result", target, sender, "policy-violation"));
      return;
    }
    DomainPair pair = new DomainPair(target, sender);
    if (secured && certificateProves(sender)) {
      // XEP-0344 §2.4: a certificate valid for the sender is as strong as SASL EXTERNAL.
      LOG.debug("{} dialback for {} accepted on its certificate", label(), sender);
      dialbackAnswered(pair, DialbackVerdict.VALID, AuthMethod.DIALBACK_CERTIFICATE);
      return;
    }
    String id = streamId;
    verifier
        .verify(pair, id, result.getTextTrim())
        .whenComplete(
            (verdict, failure) ->
                ctx.executor()
                    .execute(
                        () ->
                            dialbackAnswered(
                                pair,
                                failure != null ? DialbackVerdict.UNREACHABLE : verdict,
                                AuthMethod.DIALBACK)));
  }

  private void dialbackAnswered(DomainPair pair, DialbackVerdict verdict, AuthMethod method) {
    if ((state != InboundState.NEGOTIATING && state != InboundState.OPEN)
        || !ctx.channel().isActive()) {
      return;
    }
    switch (verdict) {
      case VALID -> {
        if (!guards.connections().claimDomain(ctx.channel(), pair.remote())) {
          StreamException e = tooManyStreams(pair.remote());
          streamError(e.condition(), e.text());
          return;
        }
        dialbackPairs.add(pair);
        ctx.writeAndFlush(S2sElements.dialbackResultAnswer(pair.local(), pair.remote(), "valid"));
        if (state != InboundState.OPEN) {
          state = state.to(InboundState.OPEN);
          cancelEstablishTimer();
        }
        LOG.info("{} {} authenticated by {}", label(), pair.remote(), method);
        context.events().inboundAuthenticated(pair, method);
      }
      case INVALID -> {
        LOG.info("{} dialback key for {} is invalid", label(), pair.remote());
        ctx.writeAndFlush(S2sElements.dialbackResultAnswer(pair.local(), pair.remote(), "invalid"));
        if (dialbackPairs.isEmpty() && saslDomain == null) {
          closeStream();
        }
      }
      case UNREACHABLE -> {
        LOG.info("{} could not verify {}: authoritative server unreachable", label(), pair);
        // XEP-0220 §2.5: any failure to reach the authoritative server is remote-server-not-found.
        ctx.writeAndFlush(
            S2sElements.dialbackError(
                "result", pair.local(), pair.remote(), "remote-server-not-found"));
      }
    }
  }

  // --- Server dialback, authoritative role (XEP-0220 §2.2.2) ---

  private void onDialbackVerify(Element verify) throws StreamException {
    String receiving = lower(verify.attributeValue("from"));
    String originating = lower(verify.attributeValue("to"));
    String id = verify.attributeValue("id");
    if (receiving == null || originating == null || id == null) {
      throw new StreamException(
          StreamErrorCondition.IMPROPER_ADDRESSING, "db:verify needs 'from', 'to' and 'id'");
    }
    if (!context.isLocal(originating)) {
      Element error = S2sElements.dialbackError("verify", originating, receiving, "item-not-found");
      error.addAttribute("id", id);
      ctx.writeAndFlush(error);
      return;
    }
    boolean valid =
        context.ledger().wasSent(originating, receiving, id)
            && context.dialbackKeys().isValid(verify.getTextTrim(), receiving, originating, id);
    LOG.debug("{} verified key for {}→{}: {}", label(), originating, receiving, valid);
    ctx.writeAndFlush(S2sElements.dialbackVerifyAnswer(originating, receiving, id, valid));
  }

  // --- stanzas (§8.1.1.2) ---

  private void onStanza(Element stanza) throws StreamException {
    if (StanzaKind.of(stanza, Namespaces.SERVER) == null) {
      throw new StreamException(
          StreamErrorCondition.UNSUPPORTED_STANZA_TYPE, stanza.getName() + " is not a stanza");
    }
    if (state != InboundState.OPEN) {
      throw new StreamException(
          StreamErrorCondition.NOT_AUTHORIZED, "stanza before authentication (RFC 6120 §4.3.5)");
    }
    String fromDomain = Jids.domainOf(stanza.attributeValue("from"));
    String toDomain = Jids.domainOf(stanza.attributeValue("to"));
    if (fromDomain == null || toDomain == null) {
      throw new StreamException(
          StreamErrorCondition.IMPROPER_ADDRESSING, "stanzas need 'from' and 'to' (§8.1.1.2)");
    }
    if (!context.isLocal(toDomain)) {
      throw new StreamException(StreamErrorCondition.HOST_UNKNOWN, toDomain + " is not served");
    }
    DomainPair pair = new DomainPair(toDomain, fromDomain);
    if (!fromDomain.equals(saslDomain) && !dialbackPairs.contains(pair)) {
      throw new StreamException(
          StreamErrorCondition.INVALID_FROM,
          fromDomain + " is not authenticated on this stream for " + toDomain);
    }
    switch (guards.stanzas().admit(fromDomain)) {
      case ACCEPT -> sink.accept(stanza, pair);
      case REFUSE ->
          guards
              .bouncer()
              .bounce(
                  stanza,
                  StanzaCondition.POLICY_VIOLATION,
                  fromDomain
                      + " sends more than "
                      + guards.stanzas().limits().stanzaRate()
                      + " stanzas per second");
      case CUT ->
          throw new StreamException(
              StreamErrorCondition.POLICY_VIOLATION,
              fromDomain
                  + " keeps sending more than "
                  + guards.stanzas().limits().stanzaRate()
                  + " stanzas per second");
    }
  }

  private StreamException tooManyStreams(String domain) {
    return new StreamException(
        StreamErrorCondition.POLICY_VIOLATION,
        "too many streams from "
            + domain
            + " (limit "
            + guards.connections().limits().connectionsPerDomain()
            + ")");
  }

  @Override
  protected void onClosed() {
    if (state != InboundState.CLOSED) {
      state = state.to(InboundState.CLOSED);
    }
    LOG.debug("{} closed", label());
  }

  private boolean certificateProves(String domain) {
    if (peerChain.isEmpty()) {
      return false;
    }
    CertificateChecker.Result result = context.certificates().check(peerChain, domain);
    if (!result.valid()) {
      LOG.debug("{} certificate does not prove {}: {}", label(), domain, result.reason());
    }
    return result.valid();
  }

  private static String lower(String value) {
    return value == null || value.isEmpty() ? null : value.toLowerCase(Locale.ROOT);
  }
}
