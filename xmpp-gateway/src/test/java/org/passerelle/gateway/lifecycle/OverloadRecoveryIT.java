package org.passerelle.gateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.gateway.lifecycle.Deployment.ORG;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.testpeers.sip.SipTestClient;

/**
 * A flood from a remote XMPP server to a SIP user, far more than the gateway takes at once, through
 * a real proxy and gateway with their queues set small: every message is either delivered or
 * answered with {@code resource-constraint} (RFC 6120 §8.3.3.18, decision 9: every refusal an
 * answer), and once the flood is over the path drains and messages flow again, none lost.
 */
class OverloadRecoveryIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Below the proxy's inbound burst (limits.stanza-burst, 1000), so none is refused for rate. */
  private static final int FLOOD = 600;

  private static final int AFTER = 20;

  @TempDir Path dir;

  private Deployment deployment;
  private SipTestClient bob;

  @AfterEach
  void stop() {
    if (bob != null) {
      bob.close();
    }
    if (deployment != null) {
      deployment.close();
    }
  }

  @Test
  void afterAFloodTheLinkDrainsAndMessagesFlowAgain() throws Exception {
    deployment = new Deployment(dir);
    deployment.linkWindow = 10;
    deployment.startRemote();
    deployment.startProxy();
    bob =
        SipTestClient.builder("bob", ORG, deployment.gatewaySip)
            .bind(Deployment.UA_ADDRESS)
            .responseTimeout(WAIT)
            .build();
    // Bob's user agent stands in for the SIP server: the gateway sends it every MESSAGE.
    deployment.startGateway(bob.localAddress(), WAIT);
    deployment.awaitLinked();

    Map<String, String> flood = new HashMap<>();
    for (int i = 0; i < FLOOD; i++) {
      String body = "flood " + i;
      flood.put(deployment.fromRemote("bob", body).attributeValue("id"), body);
    }
    MessageOutcomes overload = MessageOutcomes.none().collect(deployment, bob, flood, WAIT);

    assertThat(overload.delivered().size() + overload.bounced().size())
        .as("every message of the flood delivered or answered, never both")
        .isEqualTo(FLOOD);
    assertThat(overload.bounced()).as("the flood was more than the queues hold").isNotEmpty();
    // Refused for room, or (a UDP burst to Bob's user agent loses datagrams) no SIP answer in time.
    assertThat(overload.conditions())
        .contains(StanzaCondition.RESOURCE_CONSTRAINT)
        .isSubsetOf(StanzaCondition.RESOURCE_CONSTRAINT, StanzaCondition.REMOTE_SERVER_TIMEOUT);

    Map<String, String> later = new HashMap<>();
    for (int i = 0; i < AFTER; i++) {
      String body = "after the flood " + i;
      later.put(deployment.fromRemote("bob", body).attributeValue("id"), body);
      // One at a time, as a person types: each one waits for nothing but itself.
      bob.awaitBody(body, WAIT);
    }
    assertThat(deployment.atRemote).as("no error for a message after the flood").isEmpty();
  }
}
