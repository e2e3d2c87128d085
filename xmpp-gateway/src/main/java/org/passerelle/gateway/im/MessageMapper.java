package org.passerelle.gateway.im;

import java.util.Set;
import java.util.regex.Pattern;
import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.passerelle.model.Jids;
import org.passerelle.model.LocalizedChildren;
import org.passerelle.model.Namespaces;
import org.passerelle.model.XmlCharacters;
import org.passerelle.model.address.AddressException;
import org.passerelle.model.address.AddressMapper;
import org.passerelle.model.address.SipUri;
import org.passerelle.model.errors.StanzaCondition;

/**
 * Maps single messages between XMPP and SIP, RFC 7572 §4 (Table 1) and §5 (Table 2): body to body,
 * {@code <subject/>} to Subject, {@code <thread/>} to Call-ID, {@code xml:lang} to
 * Content-Language, addresses per RFC 7247 §6. Stateless and thread-safe.
 */
public final class MessageMapper {
  private static final DocumentFactory DOM = DocumentFactory.getInstance();
  private static final Namespace SERVER = Namespace.get(Namespaces.SERVER);
  private static final QName MESSAGE = QName.get("message", SERVER);
  private static final QName BODY = QName.get("body", SERVER);
  private static final QName SUBJECT = QName.get("subject", SERVER);
  private static final QName THREAD = QName.get("thread", SERVER);
  private static final QName LANG = QName.get("lang", Namespace.XML_NAMESPACE);

  /** The shape of a language tag (RFC 5646 §2.1), all xml:lang needs (XML 1.0 §2.12). */
  private static final Pattern LANGUAGE_TAG =
      Pattern.compile("[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*");

  /** Call-ID is a SIP "word" (RFC 3261 §25.1); a thread outside it is not carried over. */
  private static final String CALL_ID_PUNCTUATION = "-.!%*_+`'~()<>:\\\"/[]?{}";

  private final Set<String> localDomains;
  private final int maxBodyBytes;

  /**
   * @param localDomains the organisation's domains (SIP users live there)
   * @param maxBodyBytes largest body, in UTF-8 bytes, carried either way
   */
  public MessageMapper(Set<String> localDomains, int maxBodyBytes) {
    this.localDomains = Set.copyOf(localDomains);
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive");
    }
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * An XMPP {@code <message/>} from a remote contact to a local SIP user, as a SIP MESSAGE (RFC
   * 7572 §4). Types {@code chat} and {@code normal} (or none) are translated.
   *
   * @return the MESSAGE, or {@code null} when the stanza has nothing to carry (no body: e.g. a chat
   *     state notification)
   */
  public SipIm toSip(Element message) throws TranslationException {
    String type = message.attributeValue("type", "normal");
    if (!type.equals("normal") && !type.equals("chat")) {
      throw new TranslationException(
          StanzaCondition.FEATURE_NOT_IMPLEMENTED,
          501,
          "messages of type '"
              + type
              + "' are not translated to SIP (RFC 7572 covers chat and normal)");
    }
    Element body = LocalizedChildren.pick(message, BODY);
    if (body == null) {
      return null;
    }
    String text = body.getText();
    checkSize(text);
    String from = message.attributeValue("from");
    String to = message.attributeValue("to");
    String toDomain = Jids.domainOf(to);
    if (toDomain == null) {
      // Set.of refuses to look up null, so ask first (found by MessageMapperFuzzTest).
      throw new TranslationException(StanzaCondition.JID_MALFORMED, 400, "no recipient address");
    }
    if (!localDomains.contains(toDomain)) {
      throw new TranslationException(
          StanzaCondition.ITEM_NOT_FOUND, 404, to + " is not in this organisation's domains");
    }
    SipUri sender = sipUri(from, "sender");
    SipUri recipient = sipUri(to, "recipient");
    String lang = body.attributeValue(LANG);
    if (lang == null) {
      lang = message.attributeValue(LANG);
    }
    SipUri recipientAor = recipient.addressOfRecord();
    return new SipIm(
        recipient.toString(),
        sender.toString(),
        recipientAor.toString(),
        callId(message.elementText(THREAD)),
        message.elementText(SUBJECT),
        lang,
        text,
        new SipIm.Uris(recipient, sender, recipientAor));
  }

  /**
   * A SIP MESSAGE from a local SIP user to a remote XMPP address, as a {@code <message/>} (RFC 7572
   * §5), in {@code jabber:server}. Characters XML 1.0 cannot carry (control characters other than
   * tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD in the body and subject, as {@code PidfWriter}
   * does the other way (and in the thread, from the Call-ID): one such character would otherwise
   * end the stream that carries the stanza, for everyone on it. A Content-Language that is not a
   * language tag is left out.
   *
   * @param type the XMPP type to use: RFC 7572 §5 asks for none or {@code normal}; {@code chat}
   *     when the contact chats (see {@link ConversationTypes})
   */
  public Element toXmpp(SipIm sip, String type) throws TranslationException {
    checkSize(sip.body());
    String to;
    String from;
    try {
      to = AddressMapper.toJid(sip.requestUri());
      from = AddressMapper.toJid(sip.from());
    } catch (AddressException e) {
      throw fromAddressProblem(e);
    }
    if (localDomains.contains(Jids.domainOf(to))) {
      throw new TranslationException(
          StanzaCondition.ITEM_NOT_FOUND, 404, to + " is a local address, not an XMPP contact");
    }
    if (!localDomains.contains(Jids.domainOf(from))) {
      // RFC 8048 §8.1: a gateway serves its own domain only, it is no open relay.
      throw new TranslationException(
          StanzaCondition.FORBIDDEN, 403, "the sender " + from + " is not of this organisation");
    }
    Element message = DOM.createElement(MESSAGE);
    message.addAttribute("from", from);
    message.addAttribute("to", to);
    message.addAttribute("type", type);
    message.addAttribute("id", StanzaIds.next());
    String lang = sip.contentLanguage() == null ? "" : sip.contentLanguage().trim();
    if (LANGUAGE_TAG.matcher(lang).matches()) {
      message.addAttribute(LANG, lang);
    }
    if (sip.subject() != null && !sip.subject().isEmpty()) {
      message.addElement(SUBJECT).addText(XmlCharacters.replaceIllegal(sip.subject()));
    }
    message.addElement(BODY).addText(XmlCharacters.replaceIllegal(sip.body()));
    if (sip.callId() != null && !sip.callId().isEmpty()) {
      message.addElement(THREAD).addText(XmlCharacters.replaceIllegal(sip.callId()));
    }
    return message;
  }

  private void checkSize(String text) throws TranslationException {
    int bytes = utf8Length(text);
    if (bytes > maxBodyBytes) {
      throw new TranslationException(
          StanzaCondition.POLICY_VIOLATION,
          413,
          "message body of " + bytes + " bytes exceeds the gateway's limit of " + maxBodyBytes);
    }
  }

  private static SipUri sipUri(String jid, String role) throws TranslationException {
    if (jid == null) {
      throw new TranslationException(StanzaCondition.JID_MALFORMED, 400, "no " + role + " address");
    }
    try {
      return AddressMapper.toSipUri(jid);
    } catch (AddressException e) {
      throw new TranslationException(
          StanzaCondition.JID_MALFORMED, 400, role + " " + jid + ": " + e.getMessage());
    }
  }

  private static TranslationException fromAddressProblem(AddressException e) {
    return switch (e.reason()) {
      case SIPS_NOT_TRANSLATED ->
          // RFC 7247 §8: a SIPS request must never leave for XMPP.
          new TranslationException(StanzaCondition.NOT_ACCEPTABLE, 416, e.getMessage());
      case UNSUPPORTED_URI ->
          new TranslationException(StanzaCondition.BAD_REQUEST, 416, e.getMessage());
      default -> new TranslationException(StanzaCondition.JID_MALFORMED, 400, e.getMessage());
    };
  }

  private static String callId(String thread) {
    if (thread == null || thread.isEmpty() || thread.length() > 128) {
      return null;
    }
    for (int i = 0; i < thread.length(); i++) {
      char c = thread.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && CALL_ID_PUNCTUATION.indexOf(c) < 0) {
        return null;
      }
    }
    return thread;
  }

  private static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
