package org.passerelle.proxy.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.passerelle.proxy.s2s.DomainPair;

/**
 * What a diagnosis concludes: the verdict names the first failure (policy and DNS before any
 * target; one working target is enough), and a dialback answer is read with what the callback
 * listener saw (XEP-0220 §2.2.2, §3.1).
 */
class VerdictsTest {
  private static final String LOCAL = "sip.example.test";
  private static final String REMOTE = "xmpp.example.net";

  @Test
  void dialbackErrorRemoteServerNotFoundSaysTheRemoteCannotReachUs() {
    Check answer =
        new Check(
            "dialback",
            Status.FAIL,
            "error <remote-server-not-found/>",
            Map.of("type", "error", "condition", "remote-server-not-found"));

    Check read =
        Verdicts.dialback(answer, REMOTE, LOCAL, FederationDiagnosis.Callback.LISTENING, List.of());

    assertThat(read.status()).isEqualTo(Status.FAIL);
    assertThat(read.text())
        .contains(REMOTE + " could not connect back to " + LOCAL)
        .contains("_xmpp-server._tcp." + LOCAL);
  }

  @Test
  void dialbackInvalidIsInconclusiveWhenDiagnoseCouldNotTakeTheCall() {
    // XEP-0220 §3.1: the running proxy confirms only keys it sent itself.
    Check answer = new Check("dialback", Status.FAIL, "invalid", Map.of("type", "invalid"));

    Check unavailable =
        Verdicts.dialback(
            answer, REMOTE, LOCAL, FederationDiagnosis.Callback.UNAVAILABLE, List.of());
    Check listeningButNotAsked =
        Verdicts.dialback(answer, REMOTE, LOCAL, FederationDiagnosis.Callback.LISTENING, List.of());

    assertThat(unavailable.status()).isEqualTo(Status.WARN);
    assertThat(unavailable.text()).startsWith("inconclusive: invalid");
    assertThat(listeningButNotAsked.status()).isEqualTo(Status.FAIL);
    assertThat(listeningButNotAsked.text())
        .contains("did not ask us to verify our key, so it asked another server for " + LOCAL);
  }

  @Test
  void theVerdictNamesThePolicyBeforeAnythingElse() {
    Section policy =
        new Section("policy", List.of(Check.of("policy", Status.FAIL, "x is blocked")));

    Diagnosis.Verdict verdict =
        Verdicts.of(new DomainPair(LOCAL, "x"), List.of(new Section("local", List.of()), policy));

    assertThat(verdict)
        .isEqualTo(new Diagnosis.Verdict(Status.FAIL, "policy", "policy: x is blocked"));
  }

  @Test
  void oneWorkingTargetIsEnoughButAFailingOneIsAWarning() {
    Section broken =
        new Section(
            "target 1: 192.0.2.1:5269 (a, STARTTLS)",
            List.of(Check.of("connect", Status.FAIL, "refused")));
    Section working =
        new Section(
            "target 2: 192.0.2.2:5269 (b, STARTTLS)",
            List.of(Check.of("established", Status.OK, "authenticated by dialback (XEP-0220)")));

    Diagnosis.Verdict verdict =
        Verdicts.of(new DomainPair(LOCAL, REMOTE), List.of(broken, working));

    assertThat(verdict.status()).isEqualTo(Status.WARN);
    assertThat(verdict.step()).isEqualTo("connect");
    assertThat(verdict.text())
        .isEqualTo(
            LOCAL
                + " federates with "
                + REMOTE
                + ", authenticated by dialback (XEP-0220) on target 2 (192.0.2.2:5269); but"
                + " target 1 (192.0.2.1:5269), connect: refused");
  }
}
