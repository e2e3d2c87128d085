package org.passerelle.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.model.Namespaces;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Message;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/**
 * {@link StanzaWriter} writes the bytes the encoder wrote before it, {@code
 * ByteBufUtil.writeUtf8(out, element.asXML())}, for every kind of element our processes write:
 * decoded from a peer's bytes, built by Tinder, built by hand. What it writes for the link is
 * {@code LinkNamespaceCodecTest}'s and {@code StanzaWriterFuzzTest}'s.
 */
class StanzaWriterTest {
  private static final String HEADER =
      "<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
          + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
          + " to='montague.example' from='capulet.example' version='1.0'>";

  @ParameterizedTest
  @ValueSource(
      strings = {
        // message: body, thread, chat state and receipt request in their own namespaces
        "<message from='juliet@capulet.example/balcony' to='romeo@montague.example' type='chat'"
            + " id='m1'><body>Meet me by the orchard wall at nine.</body>"
            + "<active xmlns='http://jabber.org/protocol/chatstates'/>"
            + "<request xmlns='urn:xmpp:receipts'/><thread>0e3141cd</thread></message>",
        // presence: show, status, priority, vCard avatar hash
        "<presence from='juliet@capulet.example/balcony' to='romeo@montague.example'>"
            + "<show>away</show><status>In the garden</status><priority>5</priority>"
            + "<x xmlns='vcard-temp:x:update'><photo>01b87fcd030b72895ff8e88db57ec525450f000d"
            + "</photo></x></presence>",
        // iq: nested payload
        "<iq type='result' id='r1' to='juliet@capulet.example/balcony'>"
            + "<query xmlns='jabber:iq:roster' ver='v2'><item jid='romeo@montague.example'"
            + " name='Romeo' subscription='both'><group>Friends</group></item></query></iq>",
        // error stanza
        "<message type='error' from='romeo@montague.example' to='juliet@capulet.example/b'"
            + " id='m2'><error type='cancel'><item-not-found"
            + " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text"
            + " xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>No such user</text>"
            + "</error></message>",
        // prefixes: declared on the stream (db:) and on the element, prefixed attributes
        "<db:result from='capulet.example' to='montague.example'>0123abcd</db:result>",
        "<foo:x xmlns:foo='urn:foo' xmlns:bar='urn:bar' foo:a='1' bar:b='2'>"
            + "<foo:y foo:c='3'/><bar:z/><w xmlns='urn:w' xmlns:foo='urn:other' foo:d='4'/></foo:x>",
        // escaping in text and attributes, whitespace and quotes
        "<message to='a&amp;b@x.test' id='&quot;q&quot; &apos;a&apos; &lt;&gt;&#9;t&#10;n&#13;r'>"
            + "<body xml:lang='fr'>a &amp; b &lt; c &gt; d \"e\" 'f'\ttab\nline\r\n</body></message>",
        // non-ASCII: accents, CJK, emoji (4-byte UTF-8) in text, attributes and names
        "<message to='jos\u00e9@caf\u00e9.example'><body>Gr\u00fc\u00dfe \u4f60\u597d"
            + " \ud83c\udf39\ud83d\ude00</body><n\u00e9 xmlns='urn:\u00e9' v='\ud83c\udf39'/>"
            + "</message>",
        // CDATA
        "<message><body><![CDATA[<not markup> & ]]>after</body></message>",
        // a child in no namespace under the stanza's default namespace
        "<iq type='set'><x xmlns='urn:x'><y xmlns=''/></x></iq>",
      })
  void decodedStanzaIsWrittenAsAsXmlWritesIt(String stanza) {
    Element element = decode(stanza);

    assertWritesAsAsXml(element);
  }

  @Test
  void tinderMessageIsWrittenAsAsXmlWritesIt() {
    Message message = new Message();
    message.setTo("juliet@capulet.example/balcony");
    message.setFrom("romeo@montague.example");
    message.setType(Message.Type.chat);
    message.setID("5b3f0d2e");
    message.setBody("I will be there before the moon is up \u2014 wait for me \ud83c\udf19 & <3");
    message.setThread("0e3141cd80894871a68e6fe6b1ec56fa");
    message.addChildElement("active", "http://jabber.org/protocol/chatstates");
    message.addChildElement("request", "urn:xmpp:receipts");

    assertWritesAsAsXml(message.getElement());
  }

  @Test
  void tinderPresenceIsWrittenAsAsXmlWritesIt() {
    Presence presence = new Presence();
    presence.setTo("juliet@capulet.example");
    presence.setFrom("romeo@montague.example/phone");
    presence.setShow(Presence.Show.dnd);
    presence.setStatus("On the phone");
    presence.setPriority(5);
    presence
        .addChildElement("x", "vcard-temp:x:update")
        .addElement("photo")
        .setText("01b87fcd030b72895ff8e88db57ec525450f000d");

    assertWritesAsAsXml(presence.getElement());
  }

  @Test
  void tinderIqAndErrorAreWrittenAsAsXmlWritesThem() {
    IQ iq = new IQ(IQ.Type.get, "v1");
    iq.setTo("montague.example");
    iq.setChildElement("query", "jabber:iq:version").addElement("name").setText("Passerelle");
    assertWritesAsAsXml(iq.getElement());

    Message bounce = new Message();
    bounce.setTo("juliet@capulet.example/balcony");
    bounce.setType(Message.Type.error);
    bounce.setError(
        new PacketError(
            PacketError.Condition.item_not_found, PacketError.Type.cancel, "No such user", "en"));
    assertWritesAsAsXml(bounce.getElement());
  }

  @Test
  void elementInNoNamespaceUnderADefaultNamespaceDeclaresTheEmptyOne() {
    Element iq = DocumentHelper.createElement(QName.get("iq", Namespaces.SERVER));
    iq.add(DocumentHelper.createElement("query"));

    assertThat(written(iq)).isEqualTo("<iq xmlns=\"jabber:server\"><query xmlns=\"\"/></iq>");
    assertWritesAsAsXml(iq);
  }

  @Test
  void additionalNamespaceNodeIsDeclaredAndMakesTheElementNonEmpty() {
    Element x = DocumentHelper.createElement("x");
    x.add(Namespace.get("foo", "urn:foo"));
    Element y = DocumentHelper.createElement("y");
    y.add(Namespace.get("foo", "urn:foo"));
    y.add(Namespace.get("bar", "urn:bar"));
    x.add(y);

    assertThat(written(x)).isEqualTo("<x xmlns:foo=\"urn:foo\"><y xmlns:bar=\"urn:bar\"></y></x>");
    assertWritesAsAsXml(x);
  }

  @Test
  void attributeNamespacesAreDeclaredOnceAndXmlNeverIs() {
    Element x = DocumentHelper.createElement(QName.get("x", "p", "urn:p"));
    x.addAttribute(QName.get("a", "q", "urn:q"), "1");
    x.addAttribute(QName.get("b", "q", "urn:q"), "2");
    x.addAttribute(QName.get("lang", Namespace.XML_NAMESPACE), "en");
    x.addAttribute(QName.get("c", "p", "urn:other"), "3");
    x.addElement(QName.get("y", "q", "urn:q")).addAttribute(QName.get("d", "q", "urn:q"), "4");

    assertThat(written(x))
        .isEqualTo(
            "<p:x xmlns:p=\"urn:p\" xmlns:q=\"urn:q\" q:a=\"1\" q:b=\"2\" xml:lang=\"en\""
                + " xmlns:p=\"urn:other\" p:c=\"3\"><q:y q:d=\"4\"/></p:x>");
    assertWritesAsAsXml(x);
  }

  @Test
  void namespaceDeclarationsMadeAsAttributesAreKeptOrDroppedAsDom4jDoes() {
    Element x = DocumentHelper.createElement(QName.get("x", "p", "urn:p"));
    x.addAttribute("xmlns:p", "urn:ignored");
    x.addAttribute("xmlns:r", "urn:r");
    x.addAttribute("xmlns", "urn:dropped");

    assertThat(written(x)).isEqualTo("<p:x xmlns:p=\"urn:p\" xmlns:r=\"urn:r\"/>");
    assertWritesAsAsXml(x);
  }

  @Test
  void controlCharactersAndWhitespaceAreWrittenAsDom4jWritesThem() {
    Element x = DocumentHelper.createElement("x");
    x.addAttribute("a", "t\tn\nr\r\u0001\"'<>&");
    x.addText("t\tn\nr\r\u0001\u001f\"'<>&");

    assertThat(written(x))
        .isEqualTo(
            "<x a=\"t\tn\nr\r&#1;&quot;'&lt;&gt;&amp;\">t\tn\nr\r&#1;&#31;\"'&lt;&gt;&amp;</x>");
    assertWritesAsAsXml(x);
  }

  @Test
  void emptyTextAndEmptyElementAreWrittenAsDom4jWritesThem() {
    Element x = DocumentHelper.createElement("x");
    x.addElement("empty");
    x.addElement("blank").addText("");

    assertThat(written(x)).isEqualTo("<x><empty/><blank></blank></x>");
    assertWritesAsAsXml(x);
  }

  @Test
  void commentsAndProcessingInstructionsGoThroughAsXml() {
    Element x = DocumentHelper.createElement(QName.get("x", "urn:x"));
    x.addElement("y").addText("before ").addComment(" c ").addProcessingInstruction("pi", "d");
    x.addEntity("amp", "&");

    assertWritesAsAsXml(x);
    assertThat(written(x)).contains("<!-- c -->", "<?pi d?>");
  }

  @Test
  void unpairedSurrogateGoesThroughAsXml() {
    Element x = DocumentHelper.createElement("x");
    x.addElement("y").addText("ok \ud83c\udf39");
    x.addElement("z").addText("lone \ud83c\u00e9 and \udf39");

    assertWritesAsAsXml(x);
  }

  @Test
  void fallbackDropsWhatItHadWrittenAndKeepsWhatWasThereBefore() {
    Element x = DocumentHelper.createElement("x");
    x.addElement("y").addText("a long enough text to be written before the comment");
    x.addElement("z").addComment("c");
    ByteBuf out = Unpooled.buffer(4);
    out.writeBytes("<a/>".getBytes(UTF_8));

    StanzaWriter.write(x, out);

    assertThat(out.toString(UTF_8)).isEqualTo("<a/>" + x.asXML());
    out.release();
  }

  @Test
  void writesAfterWhatTheBufferHoldsAndGrowsIt() {
    Element element =
        decode("<message><body>" + "\u00e9\ud83c\udf39&amp;".repeat(200) + "</body></message>");
    ByteBuf out = Unpooled.buffer(8);
    out.writeByte(' ');

    StanzaWriter.write(element, out);

    assertThat(ByteBufUtil.getBytes(out)).isEqualTo((" " + element.asXML()).getBytes(UTF_8));
    out.release();
  }

  @Test
  void encoderWritesPacketsAndElementsThroughTheWriter() {
    Element element =
        decode("<message to='a@b.test'><body>\u00e9 &amp; \ud83c\udf39</body></message>");
    Message packet = new Message(element.createCopy());
    EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamEncoder());

    channel.writeOutbound(element, packet);

    for (int i = 0; i < 2; i++) {
      ByteBuf buf = channel.readOutbound();
      assertThat(buf.toString(UTF_8)).isEqualTo(element.asXML());
      buf.release();
    }
    channel.finishAndReleaseAll();
  }

  static void assertWritesAsAsXml(Element element) {
    ByteBuf expected = Unpooled.buffer();
    ByteBufUtil.writeUtf8(expected, element.asXML());
    ByteBuf actual = Unpooled.buffer();
    StanzaWriter.write(element, actual);
    try {
      assertThat(ByteBufUtil.getBytes(actual))
          .as("%s", element.asXML())
          .isEqualTo(ByteBufUtil.getBytes(expected));
    } finally {
      expected.release();
      actual.release();
    }
  }

  private static String written(Element element) {
    ByteBuf out = Unpooled.buffer();
    StanzaWriter.write(element, out);
    String written = out.toString(UTF_8);
    out.release();
    return written;
  }

  private static Element decode(String stanza) {
    List<Object> out = DecodedStream.read(HEADER + stanza);
    assertThat(out).hasSize(2);
    return (Element) out.get(1);
  }
}
