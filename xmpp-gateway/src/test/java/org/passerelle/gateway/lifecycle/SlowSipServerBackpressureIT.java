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
 * A SIP server that stops answering while messages keep coming from XMPP, through a real proxy and
 * gateway: once {@code im.sip-in-flight} messages wait for SIP the gateway stops reading the link,
 * so at most that many plus the proxy's {@code link.window} ever reach the SIP side; the proxy
 * answers the rest {@code resource-constraint}; when the SIP server answers again, everything held
 * is delivered — each message delivered or answered exactly once.
 */
class SlowSipServerBackpressureIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int SIP_IN_FLIGHT = 20;
  private static final int LINK_WINDOW = 20;

  /** Below the proxy's inbound burst (limits.stanza-burst, 1000), so none is refused for rate. */
  private static final int FLOOD = 200;

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
  void aSipServerThatFallsBehindHoldsTheLinkNotTheGatewaysHeap() throws Exception {
    deployment = new Deployment(dir);
    deployment.linkWindow = LINK_WINDOW;
    deployment.sipInFlight = SIP_IN_FLIGHT;
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
    bob.holdMessageAnswers();

    Map<String, String> flood = new HashMap<>();
    for (int i = 0; i < FLOOD; i++) {
      String body = "flood " + i;
      flood.put(deployment.fromRemote("bob", body).attributeValue("id"), body);
    }
    Outcome whileHeld = collect(flood, Duration.ofSeconds(3));
    assertThat(whileHeld.delivered.size())
        .as("messages that reached the SIP side while it did not answer")
        .isGreaterThanOrEqualTo(SIP_IN_FLIGHT)
        .isLessThanOrEqualTo(SIP_IN_FLIGHT + LINK_WINDOW);
    assertThat(whileHeld.bounced)
        .as("the proxy refused what its window could not hold")
        .isNotEmpty();
    assertThat(whileHeld.conditions).containsOnly(StanzaCondition.RESOURCE_CONSTRAINT);

    assertThat(bob.releaseMessageAnswers()).isEqualTo(whileHeld.delivered.size());
    Outcome all = collect(flood, WAIT, whileHeld);
    assertThat(all.delivered.size() + all.bounced.size())
        .as("every message delivered or answered, never both")
        .isEqualTo(FLOOD);
    assertThat(all.delivered).as("nothing delivered twice").containsAll(whileHeld.delivered);
    assertThat(all.conditions).containsOnly(StanzaCondition.RESOURCE_CONSTRAINT);

    String after = "after the SIP server caught up";
    deployment.fromRemote("bob", after);
    bob.awaitBody(after, WAIT);
    assertThat(deployment.atRemote).as("no error for a message after it").isEmpty();
  }

  /** What became of each message: bodies that reached Bob, ids answered with an error. */
  private record Outcome(
      Set<String> delivered, Set<String> bounced, Set<StanzaCondition> conditions) {}

  private Outcome collect(Map<String, String> sent, Duration quiet) throws InterruptedException {
    return collect(sent, quiet, new Outcome(new HashSet<>(), new HashSet<>(), new HashSet<>()));
  }

  /**
   * Adds to {@code so far} until every message has an outcome, or nothing new happened for {@code
   * quiet} after something did (the first message waits for the remote server's stream).
   */
  private Outcome collect(Map<String, String> sent, Duration quiet, Outcome soFar)
      throws InterruptedException {
    Set<String> bodies = new HashSet<>(sent.values());
    Set<String> delivered = new HashSet<>(soFar.delivered);
    Set<String> bounced = new HashSet<>(soFar.bounced);
    Set<StanzaCondition> conditions = new HashSet<>(soFar.conditions);
    long deadline = System.nanoTime() + WAIT.toNanos();
    long lastNews = deadline;
    while (delivered.size() + bounced.size() < sent.size()
        && System.nanoTime() < Math.min(deadline, lastNews + quiet.toNanos())) {
      List<Element> errors = new ArrayList<>();
      deployment.atRemote.drainTo(errors);
      for (Element error : errors) {
        if (sent.containsKey(error.attributeValue("id"))
            && "error".equals(error.attributeValue("type"))) {
          assertThat(bounced.add(error.attributeValue("id"))).as("answered once").isTrue();
          conditions.add(StanzaErrors.definedConditionOf(error));
          lastNews = System.nanoTime();
        }
      }
      ReceivedRequest message;
      try {
        message = bob.awaitMessage(r -> bodies.contains(r.body()), Duration.ofMillis(200));
      } catch (AssertionError nothingYet) {
        continue;
      }
      assertThat(delivered.add(message.body())).as("delivered once").isTrue();
      lastNews = System.nanoTime();
    }
    for (String id : bounced) {
      assertThat(delivered).as("%s both bounced and delivered", id).doesNotContain(sent.get(id));
    }
    return new Outcome(delivered, bounced, conditions);
  }
}
