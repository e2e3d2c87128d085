package org.passerelle.proxy.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.proxy.hostile.HostileFederation.A;
import static org.passerelle.proxy.hostile.HostileFederation.B;
import static org.passerelle.proxy.hostile.RawS2sPeer.header;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.passerelle.proxy.dialback.DialbackKeys;

/**
 * Attempts to speak for a domain one does not hold: a forged {@code from}, dialback with a wrong
 * key, a replayed or unsolicited dialback verification, a certificate for another domain. The
 * target is always a.test, a real peer of b.test, and a.test's own messages keep flowing both ways
 * while its name is abused.
 */
class IdentityAttacksTest extends UnderAttack {
  private static final String ATTACKER = "127.0.0.98";

  @Test
  void forgedFromDomainIsInvalidFromAndOtherPeersKeepFlowing() throws Exception {
    // RFC 6120 §4.9.3.9 and §8.1.1.2: authenticated as mallory.test, writing as a.test.
    RawS2sPeer mallory = federation.attacker(ATTACKER);
    mallory.authenticate(federation.certificate("mallory.test"), B);

    mallory.send(
        "<message from='boss@a.test' to='bob@b.test'><body>wire the money</body></message>");
    String answer = mallory.expectClosed();

    assertThat(answer)
        .contains("<invalid-from ")
        .contains("a.test is not authenticated on this stream");
    assertThat(federation.deliveredTo(B))
        .noneMatch(e -> "boss@a.test".equals(e.attributeValue("from")));
    traffic.assertUndisturbed();
  }

  @Test
  void dialbackWithAWrongKeyIsInvalidAndOtherPeersKeepFlowing() throws Exception {
    // XEP-0220 §2.2: b.test asks a.test, the authoritative server, which never sent this key.
    RawS2sPeer mallory = federation.attacker(ATTACKER);
    mallory.openSecuredStream(A, B, null);

    mallory.send("<db:result from='a.test' to='b.test'>0123456789abcdef</db:result>");
    String verdict = mallory.expect("/>");
    mallory.send("<message from='boss@a.test' to='bob@b.test'><body>trust me</body></message>");
    String end = mallory.expectClosed();

    assertThat(verdict).contains("type=\"invalid\"");
    assertThat(verdict + end).contains("</stream:stream>");
    assertThat(federation.deliveredTo(B))
        .noneMatch(e -> "boss@a.test".equals(e.attributeValue("from")));
    traffic.assertUndisturbed();
  }

  @Test
  void replayedDialbackVerifyIsAnsweredInvalidAndOtherPeersKeepFlowing() throws Exception {
    // XEP-0220 §3.1: a key with the right HMAC (made here from b.test's secret, as if captured) is
    // confirmed only if b.test sent it on that stream and has not had it answered yet.
    String streamId = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    String key =
        new DialbackKeys(HostileFederation.B_DIALBACK_SECRET).key("evil.test", B, streamId);
    RawS2sPeer mallory = federation.attacker(ATTACKER);
    mallory.send(header("evil.test", B));
    mallory.expect("</stream:features>");

    mallory.send(
        "<db:verify from='evil.test' to='b.test' id='" + streamId + "'>" + key + "</db:verify>");
    String answer = mallory.expect("/>");

    assertThat(answer).contains("<db:verify").contains("type=\"invalid\"");
    traffic.assertUndisturbed();
  }

  @Test
  void unsolicitedDialbackVerdictsAreRefusedAndOtherPeersKeepFlowing() throws Exception {
    // XEP-0220 §3.1 (the 2012 spoofing attacks): a "valid" nobody asked for proves nothing,
    // whether it poses as the authoritative server's answer (db:verify) or the receiver's
    // (db:result).
    for (String verdict :
        List.of(
            "<db:verify from='a.test' to='b.test' id='0f1e2d3c' type='valid'/>",
            "<db:result from='a.test' to='b.test' type='valid'/>")) {
      RawS2sPeer mallory = federation.attacker(ATTACKER);
      mallory.openSecuredStream(A, B, null);

      mallory.send(verdict);
      mallory.send("<message from='boss@a.test' to='bob@b.test'><body>trust me</body></message>");
      String answer = mallory.expectClosed();

      assertThat(answer).as(verdict).contains("<unsupported-stanza-type ");
    }
    assertThat(federation.deliveredTo(B))
        .noneMatch(e -> "boss@a.test".equals(e.attributeValue("from")));
    traffic.assertUndisturbed();
  }

  @Test
  void certificateForAnotherDomainDoesNotAuthenticateAndOtherPeersKeepFlowing() throws Exception {
    // XEP-0178 §3, RFC 6125: a valid certificate for mallory.test says nothing about a.test.
    RawS2sPeer mallory = federation.attacker(ATTACKER);
    mallory.openSecuredStream(A, B, federation.certificate("mallory.test"));
    String features = mallory.text();

    mallory.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>");
    String refusal = mallory.expect("</failure>");
    mallory.send("<message from='boss@a.test' to='bob@b.test'><body>trust me</body></message>");
    String answer = mallory.expectClosed();

    assertThat(features).doesNotContain("EXTERNAL");
    assertThat(refusal).contains("<not-authorized/>");
    assertThat(answer).contains("<not-authorized ");
    assertThat(federation.deliveredTo(B))
        .noneMatch(e -> "boss@a.test".equals(e.attributeValue("from")));
    traffic.assertUndisturbed();
  }
}
