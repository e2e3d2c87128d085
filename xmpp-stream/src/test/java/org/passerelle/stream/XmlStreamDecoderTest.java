package org.passerelle.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;

class XmlStreamDecoderTest {
  private static final String HEADER =
      "<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
          + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
          + " to='passerelle.test' from='p.test' version='1.0' xml:lang='en'>";
  private static final String MESSAGE =
      "<message from='juliet@p.test/balcony' to='romeo@passerelle.test' type='chat' id='m1'>"
          + "<body xml:lang='fr'>Où es-tu ? 🌹 &amp; &lt;3</body>"
          + "<x xmlns='urn:example:x'><item a='1'/></x></message>";

  private final Collector collector = new Collector();
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new XmlStreamDecoder(new StreamLimits(10_000, 8)), collector);

  @Test
  void readsStreamHeaderAttributesAndDialbackPrefix() {
    feed(HEADER);

    StreamHeader header = (StreamHeader) collector.messages.get(0);
    assertThat(header.contentNamespace()).isEqualTo("jabber:server");
    assertThat(header.to()).isEqualTo("passerelle.test");
    assertThat(header.from()).isEqualTo("p.test");
    assertThat(header.id()).isNull();
    assertThat(header.lang()).isEqualTo("en");
    assertThat(header.isVersion1()).isTrue();
    assertThat(header.dialback()).isTrue();
  }

  @Test
  void buildsTopLevelElementWithNamespacesAttributesAndText() {
    feed(HEADER + MESSAGE);

    Element message = (Element) collector.messages.get(1);
    assertThat(message.getNamespaceURI()).isEqualTo("jabber:server");
    assertThat(message.attributeValue("to")).isEqualTo("romeo@passerelle.test");
    Element body = message.element("body");
    assertThat(body.getText()).isEqualTo("Où es-tu ? 🌹 & <3");
    assertThat(body.attributeValue(org.dom4j.QName.get("lang", org.dom4j.Namespace.XML_NAMESPACE)))
        .isEqualTo("fr");
    assertThat(message.element("x").getNamespaceURI()).isEqualTo("urn:example:x");
    assertThat(message.element("x").element("item").attributeValue("a")).isEqualTo("1");
  }

  @Test
  void sameResultWhenBytesArriveOneAtATime() {
    byte[] bytes = (HEADER + MESSAGE + "</stream:stream>").getBytes(UTF_8);
    for (byte b : bytes) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }

    assertThat(collector.failure).isNull();
    assertThat(collector.messages).hasSize(3);
    assertThat(((Element) collector.messages.get(1)).element("body").getText())
        .isEqualTo("Où es-tu ? 🌹 & <3");
    assertThat(collector.messages.get(2)).isEqualTo(StreamEnd.INSTANCE);
  }

  @Test
  void dialbackElementKeepsItsPrefixedNamespace() {
    feed(HEADER + "<db:result from='p.test' to='passerelle.test'>abc</db:result>");

    Element result = (Element) collector.messages.get(1);
    assertThat(result.getNamespaceURI()).isEqualTo("jabber:server:dialback");
    assertThat(result.getName()).isEqualTo("result");
    assertThat(result.getText()).isEqualTo("abc");
  }

  @Test
  void whitespaceKeepalivesBetweenStanzasAreIgnored() {
    // RFC 6120 §4.6.1
    feed(HEADER + " \n " + MESSAGE + "   " + MESSAGE);

    assertThat(collector.failure).isNull();
    assertThat(collector.messages).hasSize(3);
  }

  @Test
  void textBetweenTopLevelElementsIsBadFormat() {
    feed(HEADER + "hello" + MESSAGE);

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.BAD_FORMAT);
  }

  @Test
  void restartStartsANewDocumentAndDropsTheRestOfTheInput() {
    // RFC 6120 §5.4.3.3: after <proceed/> both sides start over with a new stream header.
    EmbeddedChannel restarting = new EmbeddedChannel();
    XmlStreamDecoder decoder = new XmlStreamDecoder(StreamLimits.DEFAULTS);
    List<Object> seen = new ArrayList<>();
    restarting
        .pipeline()
        .addLast(decoder)
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if (msg instanceof Element e && e.getName().equals("starttls")) {
                  decoder.restart();
                }
              }
            });

    restarting.writeInbound(
        Unpooled.copiedBuffer(
            HEADER + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><garbage", UTF_8));
    restarting.writeInbound(Unpooled.copiedBuffer(HEADER + MESSAGE, UTF_8));

    assertThat(seen).hasSize(4);
    assertThat(seen.get(2)).isInstanceOf(StreamHeader.class);
    assertThat(((Element) seen.get(3)).getName()).isEqualTo("message");
  }

  @Test
  void documentTypeDeclarationIsRestrictedXml() {
    // RFC 6120 §11.1
    feed("<?xml version='1.0'?><!DOCTYPE stream:stream [<!ENTITY x 'y'>]>" + HEADER.substring(21));

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
    assertThat(collector.messages).isEmpty();
  }

  @Test
  void billionLaughsNeverExpands() {
    StringBuilder doc =
        new StringBuilder("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>");
    for (int i = 1; i < 10; i++) {
      doc.append("<!ENTITY lol").append(i).append(" '");
      doc.append(("&lol" + (i - 1) + ";").repeat(10)).append("'>");
    }
    doc.append("]>").append(HEADER.substring(21)).append("<message><body>&lol9;</body></message>");

    feed(doc.toString());

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
  }

  @Test
  void undeclaredEntityReferenceIsRefused() {
    feed(HEADER + "<message><body>&xxe;</body></message>");

    assertThat(collector.condition())
        .isIn(StreamErrorCondition.RESTRICTED_XML, StreamErrorCondition.NOT_WELL_FORMED);
    assertThat(collector.messages).hasSize(1);
  }

  @Test
  void commentIsRestrictedXml() {
    feed(HEADER + "<!-- hi -->" + MESSAGE);

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
  }

  @Test
  void processingInstructionIsRestrictedXml() {
    feed(HEADER + "<message><?evil x?></message>");

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML);
  }

  @Test
  void malformedXmlIsNotWellFormed() {
    feed(HEADER + "<message><body></message>");

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }

  @Test
  void elementWithTheReservedXmlnsPrefixIsNotWellFormed() {
    // Namespaces in XML §3; Aalto refuses it with an unchecked exception of its own.
    feed(HEADER + "<xmlns:message/>");

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }

  @Test
  void elementWithAPrefixAndNoLocalNameIsNotWellFormed() {
    // Found by XmlStreamDecoderFuzzTest (seed 5044876030362926935): "<a:" then a space.
    feed(HEADER + "<a:x xmlns:a='urn:a'><a: to='p.test'/></a:x>");

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }

  @Test
  void invalidUtf8IsNotWellFormed() {
    channel.writeInbound(Unpooled.copiedBuffer(HEADER + "<message><body>", UTF_8));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xC3, (byte) 0x28}));
    channel.writeInbound(Unpooled.copiedBuffer("</body></message>", UTF_8));

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
  }

  @Test
  void encodingOtherThanUtf8IsUnsupported() {
    // RFC 6120 §11.6
    feed("<?xml version='1.0' encoding='ISO-8859-1'?>" + HEADER.substring(21));

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.UNSUPPORTED_ENCODING);
  }

  @Test
  void wrongRootElementIsInvalidNamespace() {
    feed("<?xml version='1.0'?><stream xmlns='jabber:server'>");

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.INVALID_NAMESPACE);
  }

  @Test
  void stanzaAboveTheSizeLimitIsPolicyViolationWhenComplete() {
    // RFC 6120 §13.12
    feed(HEADER + "<message><body>" + "a".repeat(10_000) + "</body></message>");

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    assertThat(collector.messages).hasSize(1);
  }

  @Test
  void stanzaAboveTheSizeLimitIsRefusedBeforeItEnds() {
    feed(HEADER + "<message><body>");
    for (int i = 0; i < 20; i++) {
      feed("a".repeat(1000));
    }

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
  }

  @Test
  void stanzaJustUnderTheLimitIsDelivered() {
    String prefix = "<message><body>";
    String suffix = "</body></message>";
    feed(HEADER + prefix + "a".repeat(10_000 - prefix.length() - suffix.length()) + suffix);

    assertThat(collector.failure).isNull();
    assertThat(collector.messages).hasSize(2);
  }

  @Test
  void manySmallStanzasInOneReadAreNotMistakenForOneLargeOne() {
    feed(HEADER + MESSAGE.repeat(200));

    assertThat(collector.failure).isNull();
    assertThat(collector.messages).hasSize(201);
  }

  @Test
  void nestingDeeperThanTheLimitIsPolicyViolation() {
    feed(HEADER + "<a><b><c><d><e><f><g><h><i></i></h></g></f></e></d></c></b></a>");

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
  }

  @Test
  void nestingAtTheLimitIsAccepted() {
    feed(HEADER + "<a><b><c><d><e><f><g><h></h></g></f></e></d></c></b></a>");

    assertThat(collector.failure).isNull();
  }

  @Test
  void oversizedStreamHeaderIsPolicyViolation() {
    feed("<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' a='");
    for (int i = 0; i < 11; i++) {
      feed("x".repeat(1000));
    }

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
  }

  @Test
  void startTagAboveTheSizeLimitIsRefusedBeforeItEnds() {
    // The start tag of a stanza counts too: Aalto would otherwise buffer it without bound.
    feed(HEADER + MESSAGE + "<message to='");
    for (int i = 0; i < 11; i++) {
      feed("x".repeat(1000));
    }

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    assertThat(collector.messages).hasSize(2);
  }

  @Test
  void whitespaceBetweenStanzasDoesNotAddUpToALargeStanza() {
    feed(HEADER);
    for (int i = 0; i < 30; i++) {
      feed(" ".repeat(900) + MESSAGE);
    }

    assertThat(collector.failure).isNull();
    assertThat(collector.messages).hasSize(31);
  }

  @Test
  void controlCharacterInTextIsNotWellFormed() {
    // XML 1.0 §2.2; found by XmlStreamDecoderFuzzTest: Aalto reports it from getText(), unchecked.
    feed(HEADER + "<message><body>ab\u0014cd</body></message>");

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED);
    assertThat(collector.failures).isEqualTo(1);
  }

  @Test
  void stanzaTrickledPastTheStanzaTimeoutIsPolicyViolation() {
    // Slowloris: one byte now and then keeps the stream busy, but the stanza must still end.
    feed(HEADER + "<message><bo");
    channel.advanceTimeBy(20, TimeUnit.SECONDS);
    feed("dy>hi");
    channel.advanceTimeBy(11, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    assertThat(collector.failure).hasMessageContaining("30000 ms");
  }

  @Test
  void startTagTrickledPastTheStanzaTimeoutIsPolicyViolation() {
    feed(HEADER + "<mess");
    channel.advanceTimeBy(31, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
  }

  @Test
  void eachStanzaHasItsOwnStanzaTimeout() {
    feed(HEADER + "<message><body>");
    channel.advanceTimeBy(25, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    feed("hi</body></message><message><body>");
    channel.advanceTimeBy(25, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();

    assertThat(collector.failure).isNull();
    assertThat(collector.messages).hasSize(2);

    channel.advanceTimeBy(6, TimeUnit.SECONDS);
    channel.runScheduledPendingTasks();
    assertThat(collector.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
  }

  @Test
  void whitespaceKeepaliveStartsNoStanzaTimeout() {
    // RFC 6120 §4.6.1: a keepalive is a single space; the stream may then stay quiet for long.
    feed(HEADER + MESSAGE + " ");
    channel.advanceTimeBy(1, TimeUnit.HOURS);
    channel.runScheduledPendingTasks();
    feed(MESSAGE);

    assertThat(collector.failure).isNull();
    assertThat(collector.messages).hasSize(3);
  }

  @Test
  void inputAfterAFaultIsDiscarded() {
    feed(HEADER + "<!-- x -->");
    feed(MESSAGE);

    assertThat(collector.messages).hasSize(1);
    assertThat(collector.failures).isEqualTo(1);
  }

  @Test
  void streamEndIsReported() {
    feed(HEADER + "</stream:stream>");

    assertThat(collector.messages).containsExactly(collector.messages.get(0), StreamEnd.INSTANCE);
  }

  private void feed(String xml) {
    channel.writeInbound(Unpooled.copiedBuffer(xml, UTF_8));
  }

  private static final class Collector extends ChannelInboundHandlerAdapter {
    final List<Object> messages = new ArrayList<>();
    StreamException failure;
    int failures;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      messages.add(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failure = (StreamException) cause;
      failures++;
    }

    StreamErrorCondition condition() {
      assertThat(failure).as("a stream error was raised").isNotNull();
      return failure.condition();
    }
  }
}
