package org.passerelle.proxy.s2s;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.dom4j.Element;
import org.passerelle.model.Jids;
import org.passerelle.model.Namespaces;
import org.passerelle.model.StanzaKind;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.proxy.policy.ConnectionPermit;
import org.passerelle.proxy.policy.FederationGate;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.policy.PolicyDecision;
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
 *
 * <p>The federation policy is asked when the peer names its domain (stream header), when it asks
 * for dialback for a domain, and for every stanza; what it offers and accepts follows the peer's
 * settings (TLS, SASL EXTERNAL, dialback). Until the peer names itself, the defaults apply.
 *
 * <p>Once the proxy drains ({@link InboundStreams}), a request to authenticate is answered with
 * {@code <system-shutdown/>}; dialback verification requests are still answered.
 */
final class InboundStreamHandler extends S2sStreamHandler {
  private static final Logger LOG = LoggerFactory.getLogger(InboundStreamHandler.class);

  private final DialbackVerifier verifier;
  private final StanzaSink sink;
  private final InboundGuards guards;
  private final InboundStreams streams;

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

  /** The policy for the domain the header names, once admitted. */
  private PartnerPolicy peerPolicy;

  /** This stream, counted against the peer's max-connections. */
  private ConnectionPermit permit;

  InboundStreamHandler(
      S2sContext context,
      XmlStreamDecoder decoder,
      DialbackVerifier verifier,
      StanzaSink sink,
      InboundGuards guards,
      InboundStreams streams) {
    super(context, decoder);
    this.verifier = verifier;
    this.sink = sink;
    this.guards = guards;
    this.streams = streams;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    streams.opened(this);
    super.channelActive(ctx);
  }

  /** Ends the stream cleanly (RFC 6120 §4.4) because the proxy stops; callable from any thread. */
  void closeFromProxy() {
    ctx.executor().execute(this::closeStream);
  }

  /** A stopping proxy takes no new sending domain (RFC 6120 §4.9.3.20). */
  private void refuseIfStopping() throws StreamException {
    if (!streams.acceptsAuthentication()) {
      throw new StreamException(
          StreamErrorCondition.SYSTEM_SHUTDOWN, "this server is shutting down");
    }
  }

  @Override
  protected Logger log() {
    return LOG;
  }

  @Override
  protected S2sStream.Direction direction() {
    return S2sStream.Direction.INBOUND;
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
  protected boolean keepalive() {
    return settings().keepalive();
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
    if (from != null && !from.equals(peerDomain)) {
      peerDomain = from;
      admitPeer(from);
    }
    stream.domains(localDomain, peerDomain);
    PartnerPolicy settings = settings();
    if (!header.isVersion1() && (settings.tlsRequired() || !settings.dialback())) {
      throw new StreamException(
          StreamErrorCondition.UNSUPPORTED_VERSION,
          "version 1.0 is required for STARTTLS and SASL, which the policy requires");
    }
    writeHeader(localDomain, settings.dialback());
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
      stream.established(saslDomain, AuthMethod.SASL_EXTERNAL);
      context
          .events()
          .inboundAuthenticated(new DomainPair(localDomain, saslDomain), AuthMethod.SASL_EXTERNAL);
    }
  }

  /**
   * Asks the policy whether the domain the peer names may federate, and counts this stream against
   * its partner's max-connections (once per stream).
   */
  private void admitPeer(String domain) throws StreamException {
    FederationGate gate = context.federation();
    PolicyDecision decision = gate.admit(domain);
    if (decision.allowed() && permit == null) {
      Optional<ConnectionPermit> granted = gate.connect(decision);
      if (granted.isPresent()) {
        permit = granted.get();
      } else {
        decision = gate.overConnectionLimit(decision);
      }
    }
    if (!decision.allowed()) {
      throw new StreamException(decision.reason().streamError(), decision.text());
    }
    peerPolicy = decision.partner();
  }

  /** The peer's settings, or the defaults while it has not named its domain. */
  private PartnerPolicy settings() {
    return peerPolicy != null ? peerPolicy : context.federation().settingsFor(null);
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
    PartnerPolicy settings = settings();
    if (saslDomain != null) {
      // Negotiation is complete (§4.3.5); dialback stays on offer for further domains (§2.6).
      return S2sElements.features(false, false, false, settings.dialback());
    }
    if (!secured) {
      boolean dialback = settings.dialback() && !settings.tlsRequired();
      return S2sElements.features(true, settings.tlsRequired(), false, dialback);
    }
    offeredExternal =
        peerDomain != null && settings.saslExternalAllowed() && certificateProves(peerDomain);
    return S2sElements.features(false, false, offeredExternal, settings.dialback());
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

  private void onAuth(Element auth) throws StreamException {
    refuseIfStopping();
    if (!S2sElements.EXTERNAL.equals(auth.attributeValue("mechanism"))) {
      ctx.writeAndFlush(S2sElements.saslFailure("invalid-mechanism"));
      return;
    }
    String authzid = S2sElements.authorizationIdentity(auth);
    String identity = authzid != null ? authzid.toLowerCase(Locale.ROOT) : peerDomain;
    if (!offeredExternal || identity == null) {
      refuseSasl("not-authorized", "SASL EXTERNAL was not offered to " + identity);
      return;
    }
    if (authzid != null && !identity.equals(peerDomain)) {
      refuseSasl("invalid-authzid", "authzid " + identity + " is not the header's " + peerDomain);
      return;
    }
    if (!certificateProves(identity)) {
      refuseSasl("not-authorized", "the certificate does not prove " + identity);
      return;
    }
    LOG.debug("{} SASL EXTERNAL succeeded for {}", label(), identity);
    saslDomain = identity;
    decoder.restart();
    state = state.to(InboundState.AWAITING_HEADER);
    ctx.writeAndFlush(S2sElements.saslSuccess());
  }

  private void refuseSasl(String condition, String why) {
    LOG.info("{} refused SASL EXTERNAL ({}): {}", label(), condition, why);
    ctx.writeAndFlush(S2sElements.saslFailure(condition));
  }

  // --- Server dialback, receiving role (XEP-0220 §2.2) ---

  private void onDialbackResult(Element result) throws StreamException {
    refuseIfStopping();
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
    PolicyDecision decision = context.federation().admit(sender);
    if (!decision.allowed()) {
      refuseDialback(
          target, sender, decision.reason().stanzaError().elementName(), decision.text());
      return;
    }
    PartnerPolicy partner = decision.partner();
    if (!partner.dialback()) {
      refuseDialback(target, sender, "not-authorized", "dialback is not allowed for " + sender);
      return;
    }
    if (partner.tlsRequired() && !secured) {
      refuseDialback(
          target, sender, "policy-violation", "TLS is required for " + sender + " before dialback");
      return;
    }
    DomainPair pair = new DomainPair(target, sender);
    if (secured && certificateProves(sender)) {
      // XEP-0344 §2.4: a certificate valid for the sender is as strong as SASL EXTERNAL.
      LOG.debug("{} dialback for {} accepted on its certificate", label(), sender);
      dialbackAnswered(pair, DialbackVerdict.VALID, AuthMethod.DIALBACK_CERTIFICATE);
      return;
    }
    if (partner.certificateRequired()) {
      refuseDialback(
          target,
          sender,
          "not-authorized",
          sender + " must prove its domain with a certificate (sasl-external: required)");
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

  /** A dialback error (XEP-0220 §2.5): the stream stays up for other domains. */
  private void refuseDialback(String target, String sender, String condition, String why) {
    LOG.info("{} refused dialback for {} ({}): {}", label(), sender, condition, why);
    ctx.writeAndFlush(S2sElements.dialbackError("result", target, sender, condition));
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
        stream.established(pair.remote(), method);
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
    context.events().dialbackVerified(new DomainPair(originating, receiving), valid);
    ctx.writeAndFlush(S2sElements.dialbackVerifyAnswer(originating, receiving, id, valid));
  }

  // --- stanzas (§8.1.1.2) ---

  private void onStanza(Element stanza) throws StreamException {
    StanzaKind kind = StanzaKind.of(stanza, Namespaces.SERVER);
    if (kind == null) {
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
    // The policy may have been reloaded since the domain authenticated.
    PolicyDecision decision = context.federation().recheck(fromDomain);
    if (!decision.allowed()) {
      throw new StreamException(decision.reason().streamError(), decision.text());
    }
    context.events().stanzaReceived(kind);
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
    if (state != InboundState.OPEN
        && state != InboundState.CLOSED
        && !secured
        && peerPolicy != null
        && peerPolicy.tlsRequired()) {
      LOG.info("{} closed without STARTTLS: TLS is required for {}", label(), peerDomain);
    }
    if (state != InboundState.CLOSED) {
      state = state.to(InboundState.CLOSED);
    }
    if (permit != null) {
      permit.release();
    }
    streams.closed(this);
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
