package org.passerelle.gateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.gateway.lifecycle.Deployment.ORG;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.testpeers.sip.ReceivedRequest;
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
    deployment.sipQueue = 10;
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
    Outcome overload = collect(flood);

    assertThat(overload.delivered.size() + overload.bounced.size())
        .as("every message of the flood delivered or answered, never both")
        .isEqualTo(FLOOD);
    assertThat(overload.bounced).as("the flood was more than the queues hold").isNotEmpty();
    // Refused for room, or (a UDP burst to Bob's user agent loses datagrams) no SIP answer in time.
    assertThat(overload.conditions)
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

  /** What became of each message: bodies that reached Bob, ids answered with an error. */
  private record Outcome(
      Set<String> delivered, Set<String> bounced, Set<StanzaCondition> conditions) {}

  private Outcome collect(Map<String, String> sent) throws InterruptedException {
    Set<String> bodies = new HashSet<>(sent.values());
    Set<String> delivered = new HashSet<>();
    Set<String> bounced = new HashSet<>();
    Set<StanzaCondition> conditions = new HashSet<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (delivered.size() + bounced.size() < sent.size() && System.nanoTime() < deadline) {
      List<Element> errors = new ArrayList<>();
      deployment.atRemote.drainTo(errors);
      for (Element error : errors) {
        if (sent.containsKey(error.attributeValue("id"))
            && "error".equals(error.attributeValue("type"))) {
          assertThat(bounced.add(error.attributeValue("id"))).as("answered once").isTrue();
          conditions.add(StanzaErrors.definedConditionOf(error));
        }
      }
      ReceivedRequest message;
      try {
        message = bob.awaitMessage(r -> bodies.contains(r.body()), Duration.ofMillis(200));
      } catch (AssertionError nothingYet) {
        continue;
      }
      assertThat(delivered.add(message.body())).as("delivered once").isTrue();
    }
    for (String id : bounced) {
      assertThat(delivered).as("%s both bounced and delivered", id).doesNotContain(sent.get(id));
    }
    return new Outcome(delivered, bounced, conditions);
  }
}
