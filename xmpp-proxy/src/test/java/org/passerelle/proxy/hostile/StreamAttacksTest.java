package org.passerelle.proxy.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.proxy.hostile.HostileFederation.B;
import static org.passerelle.proxy.hostile.HostileFederation.B_LIMITS;
import static org.passerelle.proxy.hostile.HostileFederation.C;
import static org.passerelle.proxy.hostile.RawS2sPeer.header;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.StanzaCondition;

/**
 * Attacks on the streams themselves: connections that say nothing or trickle, floods of connections
 * from one address, from many, and from one domain, and a flood of stanzas from an authenticated
 * domain. Each offender is told why it is cut off (RFC 6120 §4.9), and a well-behaved peer's
 * messages keep flowing throughout. b.test's limits are {@link HostileFederation#B_LIMITS}: 16
 * connections, 4 per address, 2 streams per domain, 60 stanzas/s; a stanza must arrive within 1.5 s
 * of its first byte and a stream must be set up within 3 s.
 */
class StreamAttacksTest extends UnderAttack {
  private static final Duration TRICKLE = Duration.ofMillis(100);

  @Test
  void silentConnectionIsClosedAtTheEstablishDeadlineAndOtherPeersKeepFlowing() throws Exception {
    // A half-open or silent peer: connects, then never speaks (RFC 6120 §4.6, §4.9.3.4).
    RawS2sPeer silent = federation.attacker("127.0.0.93");

    String answer = silent.expectClosed();

    assertThat(answer).contains("<connection-timeout ").contains("not established within 3000 ms");
    traffic.assertUndisturbed();
  }

  @Test
  void slowlorisHeaderIsCutOffAndOtherPeersKeepFlowing() throws Exception {
    RawS2sPeer slow = federation.attacker("127.0.0.93");

    int sent = slow.trickle(header("slow.test", B).getBytes(UTF_8), TRICKLE);
    String answer = slow.expectClosed();

    assertThat(answer).contains("<policy-violation ").contains("a stanza must arrive within");
    assertThat(sent).isLessThan(header("slow.test", B).length());
    traffic.assertUndisturbed();
  }

  @Test
  void slowlorisStanzaAfterAuthenticationIsCutOffAndOtherPeersKeepFlowing() throws Exception {
    // The establish deadline is over once a peer authenticates; the stanza deadline is not.
    RawS2sPeer slow = federation.attacker("127.0.0.93");
    slow.authenticate(federation.certificate("slow.test"), B);

    String stanza =
        "<message from='s@slow.test' to='bob@b.test'><body>"
            + "x".repeat(200)
            + "</body></message>";
    int sent = slow.trickle(stanza.getBytes(UTF_8), TRICKLE);
    String answer = slow.expectClosed();

    assertThat(answer).contains("<policy-violation ").contains("a stanza must arrive within");
    assertThat(sent).isLessThan(stanza.length());
    traffic.assertUndisturbed();
  }

  @Test
  void connectionFloodFromOneAddressIsRefusedAndOtherPeersKeepFlowing() throws Exception {
    List<RawS2sPeer> admitted = new ArrayList<>();
    for (int i = 0; i < B_LIMITS.connectionsPerAddress(); i++) {
      RawS2sPeer peer = federation.attacker("127.0.0.94");
      peer.send(header("flood.test", B));
      peer.expect("</stream:features>");
      admitted.add(peer);
    }

    RawS2sPeer oneTooMany = federation.attacker("127.0.0.94");
    String answer = oneTooMany.expectClosed();

    assertThat(answer)
        .contains("<policy-violation ")
        .contains("too many connections from 127.0.0.94 (limit 4)");
    assertThat(admitted).hasSize(4);
    traffic.assertUndisturbed();
  }

  @Test
  void connectionFloodFromManyAddressesStopsAtTheTotalAndEstablishedPeersKeepFlowing()
      throws Exception {
    // Past the total, new connections are refused whoever makes them; streams already up go on.
    int room = B_LIMITS.connections() - federation.b.inboundConnections();
    int admitted = 0;
    int refused = 0;
    for (String source : List.of("127.0.0.94", "127.0.0.95", "127.0.0.96", "127.0.0.98")) {
      for (int i = 0; i < B_LIMITS.connectionsPerAddress(); i++) {
        RawS2sPeer peer = federation.attacker(source);
        peer.trySend(header("flood.test", B));
        String answer = peer.expectAny("</stream:features>", "</stream:error>");
        if (answer.contains("<stream:error")) {
          assertThat(answer)
              .contains("<resource-constraint ")
              .contains("accepts no more connections (limit 16)");
          peer.expectClosed();
          refused++;
        } else {
          admitted++;
        }
      }
    }

    assertThat(admitted).isEqualTo(room);
    assertThat(refused).isEqualTo(16 - room);
    assertThat(federation.streamErrorsSentByB())
        .anyMatch(e -> e.startsWith("resource-constraint the server accepts no more connections"));
    traffic.assertUndisturbed();
  }

  @Test
  void tooManyStreamsFromOneDomainAreRefusedAndOtherPeersKeepFlowing() throws Exception {
    for (int i = 0; i < B_LIMITS.connectionsPerDomain(); i++) {
      federation.attacker("127.0.0.95").authenticate(federation.certificate("many.test"), B);
    }

    RawS2sPeer third = federation.attacker("127.0.0.95");
    third.openSecuredStream("many.test", B, federation.certificate("many.test"));
    third.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>");
    third.expect("<success");
    third.send(header("many.test", B));
    String answer = third.expectClosed();

    assertThat(answer)
        .contains("<policy-violation ")
        .contains("too many streams from many.test (limit 2)");
    traffic.assertUndisturbed();
  }

  @Test
  void stanzaFloodFromOneDomainIsRefusedThenCutAndOtherPeersKeepFlowing() throws Exception {
    // c.test, a real proxy, sends far more than 60 stanzas/s to b.test.
    int flood = 600;
    for (int i = 0; i < flood; i++) {
      federation.c.sendFromLocal(
          HostileFederation.message("mallory@c.test", "bob@b.test", "f" + i));
    }
    awaitStreamErrorFromB("policy-violation c.test keeps sending more than 60 stanzas per second");
    await("c.test's users hear of refused stanzas", () -> !refusals().isEmpty());

    List<Element> refusals = refusals();
    assertThat(refusals.get(0).attributeValue("from")).isEqualTo("bob@b.test");
    assertThat(StanzaErrors.definedConditionOf(refusals.get(0)))
        .isEqualTo(StanzaCondition.POLICY_VIOLATION);
    long accepted =
        federation.deliveredTo(B).stream()
            .filter(e -> e.attributeValue("id").startsWith("f"))
            .count();
    assertThat(accepted).isLessThan(flood);
    traffic.assertUndisturbed();
    federation.c.router().outbound().closeAll();
  }

  private void awaitStreamErrorFromB(String error) throws InterruptedException {
    await(
        "b.test ends the stream: " + error,
        () -> federation.streamErrorsSentByB().stream().anyMatch(e -> e.startsWith(error)));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + RawS2sPeer.WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** The policy-violation errors c.test's users got back from b.test. */
  private List<Element> refusals() {
    return federation.deliveredTo(C).stream()
        .filter(e -> "error".equals(e.attributeValue("type")))
        .filter(e -> StanzaErrors.definedConditionOf(e) == StanzaCondition.POLICY_VIOLATION)
        .toList();
  }
}
