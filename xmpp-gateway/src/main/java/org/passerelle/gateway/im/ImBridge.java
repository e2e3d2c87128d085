package org.passerelle.gateway.im;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.dom4j.Element;
import org.passerelle.gateway.sip.SipResponder;
import org.passerelle.model.Correlation;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.BounceLog;
import org.passerelle.model.errors.SipReasonPhrases;
import org.passerelle.model.errors.SipToXmppErrors;
import org.passerelle.model.errors.StanzaCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two message flows of RFC 7572, with their failures:
 *
 * <ul>
 *   <li>XMPP → SIP: a {@code <message/>} becomes a MESSAGE; a SIP failure comes back to the XMPP
 *       sender as a message error with the condition of RFC 7247 §7.2.
 *   <li>SIP → XMPP: a MESSAGE becomes a {@code <message/>}; it is answered 202 Accepted once the
 *       proxy has taken the stanza (RFC 3428 §7: a relay into a non-SIP domain), or with an error
 *       if it cannot be. An XMPP error that comes back later is told to the SIP sender in a MESSAGE
 *       from the XMPP address, since its transaction is over.
 * </ul>
 *
 * Message bodies are never logged. Every line about a message carries its correlation id ({@link
 * Correlation}): the proxy's for a message from XMPP, a new one for a message from SIP, which then
 * goes with the stanza to the proxy. The line for a message that got through is on the {@link
 * StanzaLog}; failures are logged here.
 */
public final class ImBridge {
  private static final Logger LOG = LoggerFactory.getLogger(ImBridge.class);

  /**
   * When a SIP sender should try again after the link refused a message (full or down): a full link
   * drains in well under a second, and a gateway re-attaches within seconds.
   */
  static final Duration LINK_RETRY_AFTER = Duration.ofSeconds(5);

  private final MessageMapper mapper;
  private final SipMessaging sip;
  private final LinkSender link;
  private final ConversationTypes types;
  private final SentMessages sent;
  private final ImEvents events;

  /** A burst of messages to SIP users who do not exist must not write a line each. */
  private final BounceLog bounceLog = new BounceLog(Clock.systemUTC(), LOG::info);

  public ImBridge(
      MessageMapper mapper,
      SipMessaging sip,
      LinkSender link,
      ConversationTypes types,
      SentMessages sent) {
    this(mapper, sip, link, types, sent, ImEvents.NONE);
  }

  /** Telling {@code events} how long each message took. */
  public ImBridge(
      MessageMapper mapper,
      SipMessaging sip,
      LinkSender link,
      ConversationTypes types,
      SentMessages sent,
      ImEvents events) {
    this.mapper = mapper;
    this.sip = sip;
    this.link = link;
    this.types = types;
    this.sent = sent;
    this.events = events;
  }

  /** A {@code <message/>} from the XMPP side for a local SIP user. */
  public void fromXmpp(Element message) {
    long arrived = System.nanoTime();
    if ("error".equals(message.attributeValue("type"))) {
      deliveryFailed(message);
      return;
    }
    SipIm request;
    try {
      request = mapper.toSip(message);
    } catch (TranslationException e) {
      bounce(message, e.condition(), e.getMessage());
      return;
    }
    String from = message.attributeValue("from");
    String to = message.attributeValue("to");
    if (request == null) {
      if (LOG.isDebugEnabled()) {
        LOG.debug(
            "message id={} cid={} {}→{} has no body; nothing to translate",
            message.attributeValue("id"),
            Correlation.forLog(message),
            from,
            to);
      }
      return;
    }
    types.sawFromXmpp(from, to, message.attributeValue("type", "normal"));
    sip.send(request)
        .whenComplete(
            (outcome, failure) -> {
              events.translated(
                  ImEvents.Direction.XMPP_TO_SIP,
                  failure == null && outcome.isSuccess(),
                  System.nanoTime() - arrived);
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException ? failure.getCause() : failure;
                boolean timeout = cause instanceof TimeoutException;
                bounce(
                    message,
                    timeout
                        ? StanzaCondition.REMOTE_SERVER_TIMEOUT
                        : StanzaCondition.INTERNAL_SERVER_ERROR,
                    timeout
                        ? "no answer from the SIP side"
                        : "SIP request failed: " + cause.getMessage());
              } else if (outcome.isSuccess()) {
                StanzaLog.deliveredToSip(message, outcome.status());
              } else {
                StanzaCondition condition =
                    SipToXmppErrors.condition(outcome.status())
                        .orElse(StanzaCondition.UNDEFINED_CONDITION);
                bounce(message, condition, outcome.status() + " " + outcome.reason());
              }
            });
  }

  /** A SIP MESSAGE from a local user for an XMPP contact. */
  public void fromSip(SipIm request, SipResponder responder) {
    long arrived = System.nanoTime();
    Element message;
    try {
      message = mapper.toXmpp(request, "normal");
    } catch (TranslationException e) {
      LOG.info(
          "SIP MESSAGE Call-ID {} cid={} {}→{} refused {}: {}",
          request.callId(),
          Correlation.newId(),
          request.from(),
          request.requestUri(),
          e.sipStatus(),
          e.getMessage());
      responder.respond(
          e.sipStatus(), SipReasonPhrases.fromXmppText(e.getMessage(), e.sipStatus()));
      return;
    }
    String id = message.attributeValue("id");
    String cid = Correlation.assign(message);
    String from = message.attributeValue("from");
    String to = message.attributeValue("to");
    message.addAttribute("type", types.typeFor(from, to));
    sent.remember(id, request.from(), to, cid);
    link.send(message)
        .whenComplete(
            (ok, failure) -> {
              events.translated(
                  ImEvents.Direction.SIP_TO_XMPP, failure == null, System.nanoTime() - arrived);
              if (failure == null) {
                StanzaLog.handedToXmpp(id, cid, from, to, request.callId());
                responder.respond(202, "Accepted");
              } else {
                sent.take(id);
                LOG.info(
                    "message id={} cid={} {}→{} (SIP Call-ID {}) not handed to XMPP, answered 503:"
                        + " {}",
                    id,
                    cid,
                    from,
                    to,
                    request.callId(),
                    failure.getMessage());
                responder.unavailable("XMPP link unavailable", LINK_RETRY_AFTER);
              }
            });
  }

  private void deliveryFailed(Element error) {
    String errorFrom = error.attributeValue("from");
    SentMessages.Sent original = sent.take(error.attributeValue("id"), errorFrom);
    StanzaCondition condition = StanzaErrors.definedConditionOf(error);
    String conditionName = condition == null ? "unknown error" : condition.elementName();
    if (original == null) {
      LOG.info(
          "error {} cid={} from {} for an unknown message id={}; nothing to tell",
          conditionName,
          Correlation.forLog(error),
          error.attributeValue("from"),
          error.attributeValue("id"));
      return;
    }
    LOG.info(
        "message id={} cid={} to {} failed with {} (error cid={}); telling {}",
        error.attributeValue("id"),
        original.correlationId(),
        original.xmppRecipient(),
        conditionName,
        Correlation.forLog(error),
        original.sipSender());
    String notice =
        "Your message to "
            + original.xmppRecipient()
            + " was not delivered ("
            + conditionName
            + ").";
    // From the contact's address, so the notice lands in the same conversation.
    SipIm noticeRequest =
        new SipIm(
            original.sipSender(),
            org.passerelle.model.address.AddressMapper.toSipUri(original.xmppRecipient())
                .toString(),
            original.sipSender(),
            null,
            null,
            "en",
            notice);
    sip.send(noticeRequest)
        .whenComplete(
            (outcome, failure) -> {
              if (failure != null || !outcome.isSuccess()) {
                LOG.info(
                    "could not tell {} of the failed message cid={}",
                    original.sipSender(),
                    original.correlationId());
              }
            });
  }

  private void bounce(Element message, StanzaCondition condition, String reason) {
    Element reply = StanzaErrors.bounce(message, condition, reason);
    if (bounceLog.lineFor(condition) && LOG.isInfoEnabled()) {
      LOG.info(
          "message id={} cid={} {}→{} bounced with {}: {}",
          message.attributeValue("id"),
          Correlation.forLog(message),
          message.attributeValue("from"),
          message.attributeValue("to"),
          condition.elementName(),
          reason);
    }
    if (reply != null) {
      link.send(reply)
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  LOG.warn(
                      "bounce for id={} cid={} could not be sent: {}",
                      message.attributeValue("id"),
                      Correlation.forLog(message),
                      failure.getMessage());
                }
              });
    }
  }
}
