package org.passerelle.benchmarks.micro;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.dom4j.Element;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.XmlStreamDecoder;

/**
 * The wire samples every benchmark works on: one one-to-one chat message between Juliet (an XMPP
 * user at capulet.example) and Romeo (a SIP user at montague.example, the gateway's domain), as it
 * crosses each boundary. The stanza is 352 bytes with a 60-character body, the message that
 * shared/reference/performance.md measured the libraries with.
 */
public final class Samples {
  /** The organisation's domain: SIP users live there. */
  public static final String LOCAL_DOMAIN = "montague.example";

  public static final Set<String> LOCAL_DOMAINS = Set.of(LOCAL_DOMAIN);

  /** examples/gateway.yml {@code im.max-body-bytes}. */
  public static final int MAX_BODY_BYTES = 16 * 1024;

  /** examples/gateway.yml {@code im.conversations}. */
  public static final int CONVERSATIONS = 100_000;

  public static final String BODY = "Meet me by the orchard wall at nine tonight, and bring rope.";

  /** An S2S stream header from capulet.example; decoding starts after it (steady state). */
  public static final String STREAM_HEADER =
      "<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
          + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
          + " from='capulet.example' to='montague.example' version='1.0'>";

  /** Juliet's message as it arrives on the S2S stream: a chat state and a receipt request. */
  public static final String MESSAGE =
      "<message from='juliet@capulet.example/balcony' to='romeo@montague.example' type='chat'"
          + " id='5b3f0d2e-8c41-4f7a-9e62-1d0a7c9b4e35'><body>"
          + BODY
          + "</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
          + "<request xmlns='urn:xmpp:receipts'/>"
          + "<thread>0e3141cd80894871a68e6fe6b1ec56fa</thread></message>";

  /**
   * Romeo's reply as the gateway receives it from the SIP server (Kamailio added the first Via):
   * out of dialog (RFC 3428), text/plain, the same 60-character body.
   */
  public static final String SIP_MESSAGE =
      "MESSAGE sip:juliet@capulet.example SIP/2.0\r\n"
          + "Via: SIP/2.0/UDP 192.0.2.20:5060;branch=z9hG4bK5d1a.7f3c2b91e0a4d6f8c3b2a1e0f9d8c7b6.0\r\n"
          + "Via: SIP/2.0/UDP 192.0.2.101:5060;received=192.0.2.101;rport=5060"
          + ";branch=z9hG4bK-524287-1---3b8f2c4d9e1a7f60\r\n"
          + "Max-Forwards: 69\r\n"
          + "From: \"Romeo\" <sip:romeo@montague.example>;tag=8f3a2c1d\r\n"
          + "To: <sip:juliet@capulet.example>\r\n"
          + "Call-ID: 0e3141cd80894871a68e6fe6b1ec56fa\r\n"
          + "CSeq: 2 MESSAGE\r\n"
          + "User-Agent: Linphone/5.2.0\r\n"
          + "Content-Type: text/plain;charset=UTF-8\r\n"
          + "Content-Length: 60\r\n"
          + "\r\n"
          + "I will be there before the moon is up, my love; wait for me.";

  /** A SIP phone's presence as Kamailio's presence server hands it out: indented, with RPID. */
  public static final String PIDF =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <presence xmlns="urn:ietf:params:xml:ns:pidf"\
       xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"\
       xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:romeo@montague.example">
        <tuple id="t5c1a9e">
          <status>
            <basic>open</basic>
          </status>
          <contact priority="0.8">sip:romeo@192.0.2.101:5060</contact>
          <note xml:lang="en">On the phone</note>
        </tuple>
        <dm:person id="p9f2b">
          <rpid:activities>
            <rpid:on-the-phone/>
          </rpid:activities>
          <dm:note>On the phone</dm:note>
        </dm:person>
      </presence>
      """;

  private Samples() {}

  public static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** {@link #MESSAGE} as the stream decoder builds it: a dom4j element in jabber:server. */
  public static Element decodedMessage() {
    EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(StreamLimits.DEFAULTS));
    channel.writeInbound(Unpooled.wrappedBuffer(utf8(STREAM_HEADER + MESSAGE)));
    channel.readInbound(); // the stream header
    Object message = channel.readInbound();
    channel.finishAndReleaseAll();
    if (!(message instanceof Element element)) {
      throw new IllegalStateException("the sample did not decode to an element: " + message);
    }
    return element;
  }
}
