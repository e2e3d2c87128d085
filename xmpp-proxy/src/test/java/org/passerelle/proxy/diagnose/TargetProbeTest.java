package org.passerelle.proxy.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.policy.SaslExternal;
import org.passerelle.proxy.s2s.AuthMethod;
import org.passerelle.proxy.s2s.OutboundStep;
import org.passerelle.stream.StreamErrorCondition;
import org.passerelle.stream.StreamHeader;
import org.passerelle.stream.pki.PeerCertificateVerifier;
import org.passerelle.stream.pki.TrustAnchors;
import org.passerelle.testpeers.TestCa;

/**
 * How the steps of one outbound stream read as checks, and which check a failure is charged to: the
 * one the stream was waiting for (RFC 6120 §4.3 order). Steps are fed as the stream handler reports
 * them.
 */
class TargetProbeTest {
  private static final String LOCAL = "sip.example.test";
  private static final String REMOTE = "xmpp.example.net";
  private static final ConnectTarget TARGET =
      new ConnectTarget(new InetSocketAddress("127.0.0.134", 5269), "xmpp.example.net", false);
  private static final OutboundStep CONNECTED =
      new OutboundStep.Connected(new InetSocketAddress("127.0.0.130", 40000));
  private static final OutboundStep HEADER =
      new OutboundStep.HeaderReceived(
          new StreamHeader("jabber:server", LOCAL, REMOTE, "s1", "1.0", "en", true));

  @TempDir static Path pki;
  private static TrustAnchors anchors;

  @BeforeAll
  static void anchors() {
    anchors = TrustAnchors.of(List.of(TestCa.create(pki).certificate()));
  }

  private static TargetProbe probe(PartnerPolicy partner) {
    return new TargetProbe(
        LOCAL,
        REMOTE,
        TARGET,
        partner,
        new PeerCertificateVerifier(anchors),
        new CertificateFacts(Clock.systemUTC(), Duration.ofDays(30)));
  }

  private static OutboundStep features(boolean secured, boolean startTls, String... mechanisms) {
    return new OutboundStep.FeaturesReceived(secured, startTls, false, List.of(mechanisms), true);
  }

  private static Check only(TargetProbe probe, Status status) {
    List<Check> matching = probe.checks().stream().filter(c -> c.status() == status).toList();
    assertThat(matching).hasSize(1);
    return matching.get(0);
  }

  @Test
  void aRefusedConnectionEndsTheTargetAtConnect() {
    TargetProbe probe = probe(PartnerPolicy.builder().build());

    boolean done =
        probe.accept(
            new OutboundStep.ConnectFailed(
                new ConnectException("Connection refused: /127.0.0.134:5269")));

    assertThat(done).isTrue();
    Check failure = only(probe, Status.FAIL);
    assertThat(failure.name()).isEqualTo("connect");
    assertThat(failure.text())
        .startsWith("cannot connect to 127.0.0.134:5269: Connection refused (");
  }

  @Test
  void noStartTlsWhereTlsIsRequiredFailsAtStarttlsNotAtTheCloseThatFollows() {
    // RFC 7590 §3.1: no downgrade to plaintext; the handler gives up and the connection closes.
    TargetProbe probe = probe(PartnerPolicy.builder().tlsRequired(true).build());

    probe.accept(CONNECTED);
    probe.accept(HEADER);
    probe.accept(features(false, false));
    probe.accept(new OutboundStep.Failed("TLS is required for xmpp.example.net but ..."));
    boolean done = probe.accept(new OutboundStep.Closed(false));

    assertThat(done).isTrue();
    Check failure = only(probe, Status.FAIL);
    assertThat(failure.name()).isEqualTo("starttls");
    assertThat(failure.text()).startsWith("not offered, and TLS is required for " + REMOTE);
    assertThat((List<?>) failure.facts().get("then")).hasSize(2);
  }

  @Test
  void noStartTlsWhereTlsIsOptionalIsOnlyAWarning() {
    TargetProbe probe =
        probe(
            PartnerPolicy.builder().tlsRequired(false).saslExternal(SaslExternal.OPTIONAL).build());

    probe.accept(CONNECTED);
    probe.accept(HEADER);
    probe.accept(features(false, false));

    assertThat(probe.checks())
        .extracting(Check::name, Check::status)
        .contains(tuple("starttls", Status.WARN), tuple("sasl-external", Status.WARN));
  }

  @Test
  void aStreamErrorIsChargedToTheStepAwaited() {
    TargetProbe probe = probe(PartnerPolicy.builder().build());

    probe.accept(CONNECTED);
    probe.accept(HEADER);
    probe.accept(
        new OutboundStep.StreamError(StreamErrorCondition.POLICY_VIOLATION, "we do not federate"));

    Check failure = only(probe, Status.FAIL);
    assertThat(failure.name()).isEqualTo("starttls");
    assertThat(failure.text())
        .isEqualTo(REMOTE + " ended the stream with <policy-violation/>: we do not federate");
  }

  @Test
  void silenceIsATimeoutOfTheStepAwaited() {
    TargetProbe probe = probe(PartnerPolicy.builder().build());

    probe.accept(CONNECTED);
    probe.accept(HEADER);
    probe.accept(features(false, true));
    probe.timedOut(Duration.ofSeconds(10));

    Check failure = only(probe, Status.FAIL);
    assertThat(failure.name()).isEqualTo("tls");
    assertThat(failure.text()).isEqualTo("no answer within 10 s while waiting for tls");
  }

  @Test
  void externalNotOfferedAfterTlsSaysWhyAndDialbackDecides() {
    TargetProbe probe = probe(PartnerPolicy.builder().build());

    probe.accept(CONNECTED);
    probe.accept(HEADER);
    probe.accept(features(true, false));
    probe.accept(new OutboundStep.DialbackAnswered("valid", ""));
    boolean done = probe.accept(new OutboundStep.Established(AuthMethod.DIALBACK));

    assertThat(done).isTrue();
    assertThat(probe.established()).contains(AuthMethod.DIALBACK);
    Check sasl = only(probe, Status.WARN);
    assertThat(sasl.name()).isEqualTo("sasl-external");
    assertThat(sasl.text()).contains("does not accept our certificate as proof of " + LOCAL);
  }

  @Test
  void aRefusedCertificateFallsBackToDialbackWhenAllowed() {
    TargetProbe probe = probe(PartnerPolicy.builder().dialback(true).build());

    probe.accept(CONNECTED);
    probe.accept(HEADER);
    probe.accept(features(true, false, "EXTERNAL"));
    probe.accept(new OutboundStep.SaslAnswered(false, "not-authorized"));

    Check sasl = only(probe, Status.WARN);
    assertThat(sasl.text()).isEqualTo("offered, but our certificate was refused (not-authorized)");
    assertThat(probe.established()).isEqualTo(Optional.empty());
  }
}
