package org.passerelle.gateway.im;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.dom4j.Attribute;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.passerelle.model.Jids;
import org.passerelle.model.XmlCharacters;

/**
 * Fuzzes the RFC 7572 message mapping in both directions with what peers may send: any addresses,
 * types, languages, threads, subjects and bodies. Each direction gives a result (or, XMPP to SIP,
 * nothing to carry) or a {@link TranslationException} with a condition and a SIP status — never
 * another exception — and what it gives respects the gateway's limits; a stanza it builds is XML
 * 1.0 that any XMPP server can read.
 */
class MessageMapperFuzzTest {
  private static final int MAX_BODY = 2_000;
  private static final Set<String> LOCAL = Set.of("sip.test");
  private final MessageMapper mapper = new MessageMapper(LOCAL, MAX_BODY);

  @Property
  void anyStanzaGivesAMessageNothingOrATranslationException(@ForAll("messages") Element message) {
    SipIm sip;
    try {
      sip = mapper.toSip(message);
    } catch (TranslationException documented) {
      assertDocumented(documented);
      return;
    }
    if (sip == null) {
      return;
    }
    assertThat(sip.body().getBytes(UTF_8).length).isLessThanOrEqualTo(MAX_BODY);
    assertThat(sip.requestUri()).startsWith("sip:");
    assertThat(sip.from()).startsWith("sip:");
    if (sip.callId() != null) {
      assertThat(sip.callId()).matches("[A-Za-z0-9\\-.!%*_+`'~()<>:\\\\\"/\\[\\]?{}]{1,128}");
    }
  }

  @Property
  void anySipMessageGivesAStanzaOrATranslationException(
      @ForAll("sipMessages") SipIm sip, @ForAll("types") String type) {
    Element message;
    try {
      message = mapper.toXmpp(sip, type);
    } catch (TranslationException documented) {
      assertDocumented(documented);
      return;
    }
    assertThat(Jids.domainOf(message.attributeValue("from"))).isEqualTo("sip.test");
    assertThat(Jids.domainOf(message.attributeValue("to"))).isNotEqualTo("sip.test");
    assertThat(message.elementText(QName.get("body", "jabber:server")))
        .isEqualTo(XmlCharacters.replaceIllegal(sip.body()));
    assertXml10(message);
  }

  private static void assertDocumented(TranslationException e) {
    assertThat(e.condition()).isNotNull();
    assertThat(e.sipStatus()).isBetween(400, 699);
    assertThat(e.getMessage()).isNotBlank();
  }

  /** XML 1.0 §2.2: only these characters may appear; a stream with another one is refused. */
  private static void assertXml10(Element element) {
    assertXml10(element.getName());
    for (Attribute attribute : element.attributes()) {
      assertXml10(attribute.getValue());
    }
    assertXml10(element.getText());
    for (Element child : element.elements()) {
      assertXml10(child);
    }
  }

  private static void assertXml10(String text) {
    text.codePoints()
        .forEach(
            c ->
                assertThat(XmlCharacters.isLegal(c))
                    .as("U+%04X is not an XML 1.0 character, in %s", c, text)
                    .isTrue());
  }

  // --- generators ---

  @Provide
  Arbitrary<Element> messages() {
    return Combinators.combine(
            jids(), jids(), types(), languages(), bodies().list().ofMaxSize(3), optionalText())
        .as(MessageMapperFuzzTest::message);
  }

  @Provide
  Arbitrary<SipIm> sipMessages() {
    return Combinators.combine(
            uris(), uris(), uris(), optionalText(), optionalText(), languages(), bodies())
        .as(SipIm::new);
  }

  @Provide
  Arbitrary<String> types() {
    return Arbitraries.of("chat", "normal", "groupchat", "headline", "error", "", "CHAT");
  }

  private static Element message(
      String from, String to, String type, String lang, List<String> bodies, String thread) {
    Namespace server = Namespace.get("jabber:server");
    Element message = DocumentHelper.createElement(QName.get("message", server));
    if (from != null) {
      message.addAttribute("from", from);
    }
    if (to != null) {
      message.addAttribute("to", to);
    }
    message.addAttribute("type", type);
    if (lang != null) {
      message.addAttribute(QName.get("lang", Namespace.XML_NAMESPACE), lang);
    }
    for (int i = 0; i < bodies.size(); i++) {
      Element body = message.addElement(QName.get("body", server)).addText(bodies.get(i));
      if (i > 0) {
        body.addAttribute(QName.get("lang", Namespace.XML_NAMESPACE), "l" + i);
      }
    }
    if (thread != null) {
      message.addElement(QName.get("thread", server)).addText(thread);
      message.addElement(QName.get("subject", server)).addText(thread);
    }
    return message;
  }

  private static Arbitrary<String> jids() {
    Arbitrary<String> built =
        Combinators.combine(
                text(12),
                Arbitraries.of("@", "", "@@"),
                Arbitraries.of("sip.test", "xmpp.test", "SIP.test", "b\u00fccher.test", "", "a..b"),
                Arbitraries.of("", "/", "/res", "/r/s"))
            .as((local, at, domain, resource) -> local + at + domain + resource);
    return Arbitraries.oneOf(built, text(40)).injectNull(0.05);
  }

  private static Arbitrary<String> uris() {
    Arbitrary<String> built =
        Combinators.combine(
                Arbitraries.of("sip:", "sips:", "tel:", "SIP:", ""),
                text(12),
                Arbitraries.of("@", "", ":pw@"),
                Arbitraries.of("sip.test", "xmpp.test", "remote.test", "127.0.0.1", "[::1]", ""),
                Arbitraries.of("", ";gr", ";gr=urn:uuid:1", ";gr=phone", ";transport=tcp", "?x=y"))
            .as((scheme, user, at, host, params) -> scheme + user + at + host + params);
    Arbitrary<String> plain =
        Combinators.combine(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8),
                Arbitraries.of("sip.test", "xmpp.test", "remote.test"))
            .as((user, host) -> "sip:" + user + "@" + host);
    // Mostly plausible addresses, so that the mapping gets past them to the rest.
    return Arbitraries.frequencyOf(Tuple.of(6, plain), Tuple.of(2, built), Tuple.of(1, text(40)));
  }

  private static Arbitrary<String> languages() {
    return Arbitraries.oneOf(
            Arbitraries.of("en", "fr-CH", "", " ", "x-klingon", "de\u0000"), text(10))
        .injectNull(0.3);
  }

  private static Arbitrary<String> optionalText() {
    return text(60).injectNull(0.3);
  }

  private static Arbitrary<String> bodies() {
    return Arbitraries.oneOf(
        text(200),
        Arbitraries.strings().all().ofMaxLength(50),
        Arbitraries.strings().withChars("é中🌹 ").ofMinLength(MAX_BODY / 4).ofMaxLength(MAX_BODY));
  }

  private static Arbitrary<String> text(int max) {
    return Arbitraries.strings()
        .withChars("aZ09 @/%\\;=:.<>&'\"-_~!*+(){}[]?#\u00e9\u4e2d\u03a9\t\r\n\u0001\u000b\ufffe")
        .ofMaxLength(max);
  }
}
