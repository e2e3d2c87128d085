package org.passerelle.gateway.im;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.dom4j.Element;
import org.passerelle.gateway.sip.SipResponder;
import org.passerelle.model.StanzaErrors;
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
 * Message bodies are never logged.
 */
public final class ImBridge {
  private static final Logger LOG = LoggerFactory.getLogger(ImBridge.class);

  private final MessageMapper mapper;
  private final SipMessaging sip;
  private final LinkSender link;
  private final ConversationTypes types;
  private final SentMessages sent;

  public ImBridge(
      MessageMapper mapper,
      SipMessaging sip,
      LinkSender link,
      ConversationTypes types,
      SentMessages sent) {
    this.mapper = mapper;
    this.sip = sip;
    this.link = link;
    this.types = types;
    this.sent = sent;
  }

  /** A {@code <message/>} from the XMPP side for a local SIP user. */
  public void fromXmpp(Element message) {
    String id = message.attributeValue("id");
    String from = message.attributeValue("from");
    String to = message.attributeValue("to");
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
    if (request == null) {
      LOG.debug("message id={} {}→{} has no body; nothing to translate", id, from, to);
      return;
    }
    types.sawFromXmpp(from, to, message.attributeValue("type", "normal"));
    sip.send(request)
        .whenComplete(
            (outcome, failure) -> {
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
                LOG.info(
                    "message id={} {}→{} delivered to SIP ({})", id, from, to, outcome.status());
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
    Element message;
    try {
      message = mapper.toXmpp(request, "normal");
    } catch (TranslationException e) {
      LOG.info(
          "SIP MESSAGE {}→{} refused {}: {}",
          request.from(),
          request.requestUri(),
          e.sipStatus(),
          e.getMessage());
      responder.respond(
          e.sipStatus(), SipReasonPhrases.fromXmppText(e.getMessage(), e.sipStatus()));
      return;
    }
    String id = message.attributeValue("id");
    String from = message.attributeValue("from");
    String to = message.attributeValue("to");
    message.addAttribute("type", types.typeFor(from, to));
    sent.remember(id, request.from(), to);
    link.send(message)
        .whenComplete(
            (ok, failure) -> {
              if (failure == null) {
                LOG.info("message id={} {}→{} handed to XMPP (202)", id, from, to);
                responder.respond(202, "Accepted");
              } else {
                sent.take(id);
                LOG.info(
                    "message id={} {}→{} not handed to XMPP: {}",
                    id,
                    from,
                    to,
                    failure.getMessage());
                responder.respond(503, "XMPP link unavailable");
              }
            });
  }

  private void deliveryFailed(Element error) {
    SentMessages.Sent original = sent.take(error.attributeValue("id"));
    StanzaCondition condition = StanzaErrors.definedConditionOf(error);
    String conditionName = condition == null ? "unknown error" : condition.elementName();
    if (original == null) {
      LOG.info(
          "error {} from {} for an unknown message id={}; nothing to tell",
          conditionName,
          error.attributeValue("from"),
          error.attributeValue("id"));
      return;
    }
    LOG.info(
        "message id={} to {} failed with {}; telling {}",
        error.attributeValue("id"),
        original.xmppRecipient(),
        conditionName,
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
                LOG.info("could not tell {} of the failed message", original.sipSender());
              }
            });
  }

  private void bounce(Element message, StanzaCondition condition, String reason) {
    Element reply = StanzaErrors.bounce(message, condition, reason);
    LOG.info(
        "message id={} {}→{} bounced with {}: {}",
        message.attributeValue("id"),
        message.attributeValue("from"),
        message.attributeValue("to"),
        condition.elementName(),
        reason);
    if (reply != null) {
      link.send(reply)
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  LOG.warn(
                      "bounce for id={} could not be sent: {}",
                      message.attributeValue("id"),
                      failure.getMessage());
                }
              });
    }
  }
}
