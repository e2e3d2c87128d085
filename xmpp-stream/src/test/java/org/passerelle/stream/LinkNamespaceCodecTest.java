package org.passerelle.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.model.Namespaces;
import org.passerelle.stream.component.ComponentHandshake;

/**
 * The component link's codec ({@link NamespaceMapping#LINK}) translates the content namespace at
 * the boundary: {@code jabber:component:accept} on the wire (XEP-0114 §3), {@code jabber:server} in
 * the elements both processes keep. The wire samples are the bytes the link carried when each
 * process rewrote the stanza's tree before writing it; they must not change, or a real XEP-0114
 * peer (Prosody's component port) would see another protocol.
 */
class LinkNamespaceCodecTest {
  /** What a server sends on an S2S stream: stanzas in {@code jabber:server}, the model's. */
  private static final String S2S_HEADER =
      "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
          + " xmlns:db='jabber:server:dialback' to='sip.test' from='capulet.example'"
          + " version='1.0'>";

  /** What the proxy answers a gateway with (XEP-0114 §3). */
  private static final String LINK_HEADER =
      "<stream:stream xmlns='jabber:component:accept'"
          + " xmlns:stream='http://etherx.jabber.org/streams' from='sip.test' id='s1'>";

  /** A message with a correlation id, a chat state, a receipt request and a thread. */
  private static final String MESSAGE_WIRE =
      "<message xmlns=\"jabber:component:accept\" xmlns:pl=\"urn:x-passerelle:link\""
          + " from=\"bob@sip.test\" to=\"alice@xmpp.test\" type=\"chat\" id=\"m1\""
          + " pl:cid=\"4f1c\"><body>Meet me by the orchard wall at nine.</body>"
          + "<active xmlns=\"http://jabber.org/protocol/chatstates\"/>"
          + "<request xmlns=\"urn:xmpp:receipts\"/><thread>0e3141cd</thread></message>";

  private static final String PRESENCE_WIRE =
      "<presence xmlns=\"jabber:component:accept\" from=\"juliet@capulet.example/balcony\""
          + " to=\"romeo@sip.test\"><show>away</show><status xml:lang=\"en\">In the garden"
          + "</status><priority>5</priority><x xmlns=\"vcard-temp:x:update\"><photo>01b87fcd"
          + "</photo></x></presence>";

  private static final String IQ_WIRE =
      "<iq xmlns=\"jabber:component:accept\" type=\"result\" id=\"r1\" from=\"sip.test\""
          + " to=\"juliet@capulet.example/balcony\"><query xmlns=\"jabber:iq:version\">"
          + "<name>Passerelle</name></query></iq>";

  /** A bounce (RFC 6120 §8.3): the stanza's own children, then the error in two namespaces. */
  private static final String ERROR_WIRE =
      "<message xmlns=\"jabber:component:accept\" type=\"error\" from=\"romeo@sip.test\""
          + " to=\"juliet@capulet.example/balcony\" id=\"m2\"><body>hi</body>"
          + "<error type=\"cancel\"><service-unavailable"
          + " xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/><text"
          + " xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\" xml:lang=\"en\">No SIP route &amp;"
          + " no luck</text></error></message>";

  /** Payloads in other content namespaces, and an element in none, keep theirs. */
  private static final String NESTED_WIRE =
      "<message xmlns=\"jabber:component:accept\" to=\"bob@sip.test\">"
          + "<forwarded xmlns=\"urn:xmpp:forward:0\"><message xmlns=\"jabber:client\""
          + " to=\"x@y\"><body>inner</body></message></forwarded>"
          + "<x xmlns=\"urn:x\"><y xmlns=\"\"/></x></message>";

  @ParameterizedTest
  @ValueSource(strings = {MESSAGE_WIRE, PRESENCE_WIRE, IQ_WIRE, ERROR_WIRE, NESTED_WIRE})
  void stanzaFromAnS2sStreamIsWrittenOnTheLinkInTheComponentNamespace_xep0114_3(String wire) {
    // The same stanza as an S2S peer sends it: the wire's namespace swapped for the model's.
    Element model =
        decode(
            S2S_HEADER,
            wire.replace(Namespaces.COMPONENT_ACCEPT, "jabber:server"),
            NamespaceMapping.NONE);

    assertThat(linkEncoded(model)).isEqualTo(wire);
  }

  @ParameterizedTest
  @ValueSource(strings = {MESSAGE_WIRE, PRESENCE_WIRE, IQ_WIRE, ERROR_WIRE, NESTED_WIRE})
  void stanzaReadFromTheLinkIsWrittenBackToItByteForByte(String wire) {
    Element model = decode(LINK_HEADER, wire, NamespaceMapping.LINK);

    assertThat(linkEncoded(model)).isEqualTo(wire);
  }

  @Test
  void linkDecoderPutsTheStanzaAndItsChildrenInJabberServer() {
    Element error = decode(LINK_HEADER, ERROR_WIRE, NamespaceMapping.LINK);

    assertThat(error.getQName()).isEqualTo(QName.get("message", Namespaces.SERVER));
    assertThat(error.element("body").getNamespaceURI()).isEqualTo(Namespaces.SERVER);
    Element condition = error.element("error").elements().get(0);
    assertThat(error.element("error").getNamespaceURI()).isEqualTo(Namespaces.SERVER);
    assertThat(condition.getNamespaceURI()).isEqualTo(Namespaces.STANZA_ERRORS);
  }

  @Test
  void linkDecoderLeavesOtherNamespacesAlone() {
    Element message = decode(LINK_HEADER, NESTED_WIRE, NamespaceMapping.LINK);

    Element forwarded = message.element("forwarded");
    assertThat(forwarded.getNamespaceURI()).isEqualTo("urn:xmpp:forward:0");
    Element inner = forwarded.elements().get(0);
    assertThat(inner.getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
    assertThat(inner.elements().get(0).getNamespaceURI()).isEqualTo(Namespaces.CLIENT);
    assertThat(message.element("x").elements().get(0).getNamespaceURI()).isEmpty();
  }

  @Test
  void linkDecoderMapsPrefixedElementsTheirDeclarationsAndAttributes() {
    Element message =
        decode(
            LINK_HEADER,
            "<c:message xmlns:c='jabber:component:accept' c:x='1' to='bob@sip.test'>"
                + "<c:body>hi</c:body><body>also</body></c:message>",
            NamespaceMapping.LINK);

    assertThat(message.getNamespacePrefix()).isEqualTo("c");
    assertThat(message.getNamespaceURI()).isEqualTo(Namespaces.SERVER);
    assertThat(message.getNamespaceForPrefix("c").getURI()).isEqualTo(Namespaces.SERVER);
    assertThat(message.attributeValue(QName.get("x", "c", Namespaces.SERVER))).isEqualTo("1");
    assertThat(message.elements())
        .extracting(Element::getNamespaceURI)
        .containsExactly(Namespaces.SERVER, Namespaces.SERVER);
  }

  @Test
  void prefixedFormIsWrittenBackWithItsPrefix() {
    String wire =
        "<c:message xmlns:c=\"jabber:component:accept\" to=\"bob@sip.test\">"
            + "<c:body>hi</c:body></c:message>";

    Element model = decode(LINK_HEADER, wire, NamespaceMapping.LINK);

    assertThat(linkEncoded(model)).isEqualTo(wire);
  }

  @Test
  void linkDecoderKeepsTheHeadersContentNamespace() {
    List<Object> read =
        DecodedStream.read(LINK_HEADER + "<message to='a@b'/>", NamespaceMapping.LINK);

    assertThat(((StreamHeader) read.get(0)).contentNamespace())
        .isEqualTo(Namespaces.COMPONENT_ACCEPT);
    assertThat(((Element) read.get(1)).getNamespaceURI()).isEqualTo(Namespaces.SERVER);
  }

  @Test
  void decoderWithoutMappingKeepsTheComponentNamespace() {
    Element message =
        decode(LINK_HEADER, "<message to='a@b'><body/></message>", NamespaceMapping.NONE);

    assertThat(message.getNamespaceURI()).isEqualTo(Namespaces.COMPONENT_ACCEPT);
    assertThat(message.element("body").getNamespaceURI()).isEqualTo(Namespaces.COMPONENT_ACCEPT);
  }

  @Test
  void encoderWithoutMappingWritesJabberServer() {
    Element model =
        decode(S2S_HEADER, "<message to='a@b'><body>x</body></message>", NamespaceMapping.NONE);
    EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamEncoder());

    channel.writeOutbound(model);

    assertThat(read(channel))
        .isEqualTo("<message xmlns=\"jabber:server\" to=\"a@b\"><body>x</body></message>");
  }

  @Test
  void linkEncoderWritesStreamHeadersAsGiven() {
    EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamEncoder(NamespaceMapping.LINK));
    StreamHeader header =
        new StreamHeader(Namespaces.COMPONENT_ACCEPT, "sip.test", null, null, null, null, false);

    channel.writeOutbound(header);

    assertThat(read(channel)).isEqualTo(header.toXml());
  }

  @Test
  void handshakeIsWrittenAndReadInTheComponentNamespace_xep0114_3() {
    Element handshake = DocumentHelper.createElement(ComponentHandshake.ELEMENT).addText("a1b2");

    assertThat(linkEncoded(handshake))
        .isEqualTo("<handshake xmlns=\"jabber:component:accept\">a1b2</handshake>");
    assertThat(decode(LINK_HEADER, "<handshake/>", NamespaceMapping.LINK).getQName())
        .isEqualTo(ComponentHandshake.ELEMENT);
  }

  @Test
  void stanzaWrittenThroughTheFallbackIsMappedToo() {
    // A comment sends the writer to dom4j's (RFC 6120 §11.1 keeps comments off the wire, but a
    // stanza built in our code may hold one).
    Element message = DocumentHelper.createElement(QName.get("message", Namespaces.SERVER));
    message.addElement(QName.get("body", Namespaces.SERVER)).addText("hi").addComment("c");
    message.addElement(QName.get("x", "s", Namespaces.SERVER));

    assertThat(linkEncoded(message))
        .isEqualTo(
            "<message xmlns=\"jabber:component:accept\"><body>hi<!--c--></body>"
                + "<s:x xmlns:s=\"jabber:component:accept\"/></message>");
  }

  @Test
  void writingForTheLinkLeavesTheStanzaInJabberServer() {
    Element model =
        decode(S2S_HEADER, "<message to='a@b'><body>x</body></message>", NamespaceMapping.NONE);

    linkEncoded(model);

    assertThat(model.getNamespaceURI()).isEqualTo(Namespaces.SERVER);
    assertThat(model.element("body").getNamespaceURI()).isEqualTo(Namespaces.SERVER);
  }

  private static String linkEncoded(Element element) {
    EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamEncoder(NamespaceMapping.LINK));
    channel.writeOutbound(element);
    return read(channel);
  }

  private static String read(EmbeddedChannel channel) {
    StringBuilder written = new StringBuilder();
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      written.append(buf.toString(UTF_8));
      buf.release();
    }
    channel.finishAndReleaseAll();
    return written.toString();
  }

  private static Element decode(String header, String stanza, NamespaceMapping namespaces) {
    List<Object> read = DecodedStream.read(header + stanza, namespaces);
    assertThat(read).hasSize(2);
    return (Element) read.get(1);
  }
}
