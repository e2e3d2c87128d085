package org.passerelle.gateway.im;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.Set;
import org.dom4j.Element;
import org.dom4j.io.SAXReader;
import org.junit.jupiter.api.Test;
import org.passerelle.model.errors.StanzaCondition;

/** RFC 7572 §4 and §5 mapping tables, row by row, plus the gateway's own limits. */
class MessageMapperTest {
  private final MessageMapper mapper = new MessageMapper(Set.of("sip.test"), 16 * 1024);

  @Test
  void xmppMessageBecomesSipMessageWithEveryMappedField() throws Exception {
    // RFC 7572 §4 Table 1: body, subject→Subject, thread→Call-ID, from→From (+gr), to→R-URI,
    // xml:lang→Content-Language.
    SipIm sip =
        mapper.toSip(
            stanza(
                "<message xmlns='jabber:server' from='juliet@xmpp.test/balcony'"
                    + " to='romeo@sip.test' type='chat' xml:lang='fr'>"
                    + "<subject>Rendez-vous</subject><body>Où es-tu ? ✓</body>"
                    + "<thread>t-123</thread></message>"));

    assertThat(sip.requestUri()).isEqualTo("sip:romeo@sip.test");
    assertThat(sip.to()).isEqualTo("sip:romeo@sip.test");
    assertThat(sip.from()).isEqualTo("sip:juliet@xmpp.test;gr=balcony");
    assertThat(sip.subject()).isEqualTo("Rendez-vous");
    assertThat(sip.body()).isEqualTo("Où es-tu ? ✓");
    assertThat(sip.callId()).isEqualTo("t-123");
    assertThat(sip.contentLanguage()).isEqualTo("fr");
  }

  @Test
  void bodyOfTheStanzasLanguageIsChosenAmongSeveral() throws Exception {
    SipIm sip =
        mapper.toSip(
            stanza(
                "<message xmlns='jabber:server' from='a@xmpp.test' to='b@sip.test' xml:lang='de'>"
                    + "<body xml:lang='en'>hello</body><body>hallo</body></message>"));

    assertThat(sip.body()).isEqualTo("hallo");
  }

  @Test
  void messageWithoutBodyIsNotTranslated() throws Exception {
    // A chat state notification alone has nothing for a SIP MESSAGE to carry.
    assertThat(
            mapper.toSip(
                stanza(
                    "<message xmlns='jabber:server' from='a@xmpp.test' to='b@sip.test' type='chat'>"
                        + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>")))
        .isNull();
  }

  @Test
  void threadThatIsNotACallIdWordIsNotCarried() throws Exception {
    SipIm sip =
        mapper.toSip(
            stanza(
                "<message xmlns='jabber:server' from='a@xmpp.test' to='b@sip.test'>"
                    + "<body>x</body><thread>has space</thread></message>"));

    assertThat(sip.callId()).isNull();
  }

  @Test
  void groupchatIsFeatureNotImplemented() {
    assertThatThrownBy(
            () ->
                mapper.toSip(
                    stanza(
                        "<message xmlns='jabber:server' from='a@xmpp.test' to='b@sip.test'"
                            + " type='groupchat'><body>x</body></message>")))
        .isInstanceOfSatisfying(
            TranslationException.class,
            e -> assertThat(e.condition()).isEqualTo(StanzaCondition.FEATURE_NOT_IMPLEMENTED));
  }

  @Test
  void bodyAboveTheLimitIsPolicyViolationOrSip413() {
    // RFC 7572 §6: the gateway answers policy-violation for what SIP cannot carry.
    String big = "é".repeat(9000);
    assertThatThrownBy(
            () ->
                mapper.toSip(
                    stanza(
                        "<message xmlns='jabber:server' from='a@xmpp.test' to='b@sip.test'>"
                            + "<body>"
                            + big
                            + "</body></message>")))
        .isInstanceOfSatisfying(
            TranslationException.class,
            e -> {
              assertThat(e.condition()).isEqualTo(StanzaCondition.POLICY_VIOLATION);
              assertThat(e.getMessage()).contains("18000 bytes").contains("16384");
            });
    assertThatThrownBy(
            () ->
                mapper.toXmpp(
                    new SipIm(
                        "sip:a@xmpp.test",
                        "sip:b@sip.test",
                        "sip:a@xmpp.test",
                        null,
                        null,
                        null,
                        big),
                    "normal"))
        .isInstanceOfSatisfying(
            TranslationException.class, e -> assertThat(e.sipStatus()).isEqualTo(413));
  }

  @Test
  void tenKilobyteBodyFitsTheDefaultLimit() throws Exception {
    String body = "0123456789".repeat(1024);
    SipIm sip =
        mapper.toSip(
            stanza(
                "<message xmlns='jabber:server' from='a@xmpp.test' to='b@sip.test'><body>"
                    + body
                    + "</body></message>"));

    assertThat(sip.body()).hasSize(10240);
  }

  @Test
  void sipMessageBecomesXmppMessageWithEveryMappedField() throws Exception {
    // RFC 7572 §5 Table 2: R-URI→to, From→from (gr→resource), Call-ID→thread, Subject→subject,
    // Content-Language→xml:lang.
    Element message =
        mapper.toXmpp(
            new SipIm(
                "sip:juliet@xmpp.test",
                "sip:romeo@sip.test;gr=desk",
                "sip:juliet@xmpp.test",
                "abc@host",
                "Hi",
                "en",
                "Bonjour 🌹"),
            "normal");

    assertThat(message.getNamespaceURI()).isEqualTo("jabber:server");
    assertThat(message.attributeValue("to")).isEqualTo("juliet@xmpp.test");
    assertThat(message.attributeValue("from")).isEqualTo("romeo@sip.test/desk");
    assertThat(message.attributeValue("type")).isEqualTo("normal");
    assertThat(message.attributeValue("id")).isNotBlank();
    assertThat(message.elementText("body")).isEqualTo("Bonjour 🌹");
    assertThat(message.elementText("subject")).isEqualTo("Hi");
    assertThat(message.elementText("thread")).isEqualTo("abc@host");
    assertThat(
            message.attributeValue(org.dom4j.QName.get("lang", org.dom4j.Namespace.XML_NAMESPACE)))
        .isEqualTo("en");
  }

  @Test
  void sipsRequestUriIsNeverTranslated() {
    // RFC 7247 §8
    assertThatThrownBy(
            () ->
                mapper.toXmpp(
                    new SipIm(
                        "sips:juliet@xmpp.test",
                        "sip:romeo@sip.test",
                        "sips:juliet@xmpp.test",
                        null,
                        null,
                        null,
                        "x"),
                    "normal"))
        .isInstanceOfSatisfying(
            TranslationException.class, e -> assertThat(e.sipStatus()).isEqualTo(416));
  }

  @Test
  void senderOutsideTheOrganisationIsForbidden() {
    // RFC 8048 §8.1: no open relay.
    assertThatThrownBy(
            () ->
                mapper.toXmpp(
                    new SipIm(
                        "sip:juliet@xmpp.test",
                        "sip:mallory@evil.test",
                        "sip:juliet@xmpp.test",
                        null,
                        null,
                        null,
                        "x"),
                    "normal"))
        .isInstanceOfSatisfying(
            TranslationException.class, e -> assertThat(e.sipStatus()).isEqualTo(403));
  }

  @Test
  void recipientInALocalDomainIsNotAnXmppContact() {
    assertThatThrownBy(
            () ->
                mapper.toXmpp(
                    new SipIm(
                        "sip:bob@sip.test",
                        "sip:romeo@sip.test",
                        "sip:bob@sip.test",
                        null,
                        null,
                        null,
                        "x"),
                    "normal"))
        .isInstanceOfSatisfying(
            TranslationException.class, e -> assertThat(e.sipStatus()).isEqualTo(404));
  }

  @Test
  void charactersXmlCannotCarryBecomeTheReplacementCharacter() throws Exception {
    // XML 1.0 §2.2: one such character in a stanza would end the link stream for everyone.
    Element message =
        mapper.toXmpp(
            new SipIm(
                "sip:juliet@xmpp.test",
                "sip:romeo@sip.test",
                "sip:juliet@xmpp.test",
                null,
                "bell\u0007",
                "fr\u0007ch",
                "tab\tok, bell\u0007 and \uFFFF not"),
            "chat");

    assertThat(message.elementText("body")).isEqualTo("tab\tok, bell\uFFFD and \uFFFD not");
    assertThat(message.elementText("subject")).isEqualTo("bell\uFFFD");
    assertThat(message.asXML()).doesNotContain("xml:lang");
  }

  @Test
  void conversationTypeFollowsTheXmppContact() {
    ConversationTypes types = new ConversationTypes(10);
    assertThat(types.typeFor("romeo@sip.test", "juliet@xmpp.test")).isEqualTo("normal");

    types.sawFromXmpp("juliet@xmpp.test/balcony", "romeo@sip.test", "chat");

    assertThat(types.typeFor("romeo@sip.test", "juliet@xmpp.test/other")).isEqualTo("chat");
  }

  private static Element stanza(String xml) throws Exception {
    return new SAXReader().read(new StringReader(xml)).getRootElement();
  }
}
