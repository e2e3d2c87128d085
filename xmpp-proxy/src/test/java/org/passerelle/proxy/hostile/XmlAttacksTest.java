package org.passerelle.proxy.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.proxy.hostile.HostileFederation.B;
import static org.passerelle.proxy.hostile.RawS2sPeer.header;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * XML that attacks the parser, sent to a running proxy by a remote "server" before it has even
 * negotiated TLS: each is refused with the stream error RFC 6120 names for it, after a stream
 * header of the proxy's own (§4.9.1.2), and the connection is closed — while a well-behaved peer's
 * messages keep flowing both ways. The parser itself is tested, and fuzzed, in xmpp-stream.
 */
class XmlAttacksTest extends UnderAttack {
  private static final String ATTACKER = "127.0.0.97";
  private static final String HEADER = header("evil.test", B);

  @Test
  void billionLaughsIsRefusedAndOtherPeersKeepFlowing() throws Exception {
    // RFC 6120 §11.1: no DTD, so no entity can be declared, let alone expanded.
    StringBuilder laughs =
        new StringBuilder("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol0 'lol'>");
    for (int i = 1; i < 10; i++) {
      laughs
          .append("<!ENTITY lol")
          .append(i)
          .append(" '")
          .append(("&lol" + (i - 1) + ";").repeat(10))
          .append("'>");
    }
    laughs
        .append("]>")
        .append(HEADER.substring(21))
        .append("<message><body>&lol9;</body></message>");

    assertRefused(laughs.toString().getBytes(UTF_8), "restricted-xml");
  }

  @Test
  void externalEntityIsRefusedAndOtherPeersKeepFlowing() throws Exception {
    String xxe =
        "<?xml version='1.0'?><!DOCTYPE stream:stream [<!ENTITY xxe SYSTEM"
            + " 'file:///etc/passwd'>]>"
            + HEADER.substring(21)
            + "<message to='bob@b.test'><body>&xxe;</body></message>";

    String answer = assertRefused(xxe.getBytes(UTF_8), "restricted-xml");

    assertThat(answer).doesNotContain("root:");
  }

  @Test
  void documentTypeDeclarationIsRefusedAndOtherPeersKeepFlowing() throws Exception {
    assertRefused(
        ("<?xml version='1.0'?><!DOCTYPE stream:stream>" + HEADER.substring(21)).getBytes(UTF_8),
        "restricted-xml");
  }

  @Test
  void undeclaredEntityReferenceIsRefusedAndOtherPeersKeepFlowing() throws Exception {
    assertRefused(
        (HEADER + "<message to='bob@b.test'><body>&lol9;</body></message>").getBytes(UTF_8),
        "restricted-xml");
  }

  @Test
  void oversizedStanzaIsRefusedAndOtherPeersKeepFlowing() throws Exception {
    // RFC 6120 §13.12: policy-violation; b.test allows 16 KiB.
    String big = "<message to='bob@b.test'><body>" + "x".repeat(20_000) + "</body></message>";

    String answer = assertRefused((HEADER + big).getBytes(UTF_8), "policy-violation");

    assertThat(answer).contains("exceeds the limit of 16384");
  }

  @Test
  void oversizedStartTagIsRefusedAndOtherPeersKeepFlowing() throws Exception {
    String endless = "<message to='" + "x".repeat(20_000);

    assertRefused((HEADER + endless).getBytes(UTF_8), "policy-violation");
  }

  @Test
  void deepNestingIsRefusedAndOtherPeersKeepFlowing() throws Exception {
    assertRefused((HEADER + "<a>".repeat(50)).getBytes(UTF_8), "policy-violation");
  }

  @Test
  void invalidUtf8IsRefusedAndOtherPeersKeepFlowing() throws Exception {
    // RFC 6120 §11.6: UTF-8 only; an invalid sequence is not well-formed XML.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes((HEADER + "<message to='bob@b.test'><body>").getBytes(UTF_8));
    bytes.writeBytes(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF});
    bytes.writeBytes("</body></message>".getBytes(UTF_8));

    assertRefused(bytes.toByteArray(), "not-well-formed");
  }

  @Test
  void controlCharacterIsRefusedAndOtherPeersKeepFlowing() throws Exception {
    assertRefused(
        (HEADER + "<message to='bob@b.test'><body>a\u0001b</body></message>").getBytes(UTF_8),
        "not-well-formed");
  }

  @Test
  void commentIsRefusedAndOtherPeersKeepFlowing() throws Exception {
    // RFC 6120 §11.1
    assertRefused((HEADER + "<!-- just a comment -->").getBytes(UTF_8), "restricted-xml");
  }

  @Test
  void processingInstructionIsRefusedAndOtherPeersKeepFlowing() throws Exception {
    // RFC 6120 §11.1
    assertRefused(
        (HEADER + "<message><?xml-stylesheet href='evil'?></message>").getBytes(UTF_8),
        "restricted-xml");
  }

  /**
   * Sends the attack, checks the answer (our header, then the stream error, then the end of the
   * stream and of the connection) and that the well-behaved traffic went on meanwhile.
   */
  private String assertRefused(byte[] attack, String condition) throws Exception {
    RawS2sPeer attacker = federation.attacker(ATTACKER);

    attacker.send(attack);
    String answer = attacker.expectClosed();

    assertThat(answer).contains("<stream:stream").contains("<" + condition + " ");
    assertThat(answer.indexOf("<stream:stream")).isLessThan(answer.indexOf("<stream:error"));
    assertThat(answer).endsWith("</stream:stream>");
    assertThat(federation.streamErrorsSentByB()).anyMatch(e -> e.startsWith(condition));
    traffic.assertUndisturbed();
    return answer;
  }
}
