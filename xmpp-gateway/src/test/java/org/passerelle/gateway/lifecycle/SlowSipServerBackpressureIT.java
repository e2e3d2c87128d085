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
import org.passerelle.gateway.it.Awaits;
import org.passerelle.model.errors.StanzaCondition;
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
    MessageOutcomes whileHeld =
        MessageOutcomes.none().collect(deployment, bob, flood, Duration.ofSeconds(3));
    assertThat(whileHeld.delivered().size())
        .as("messages that reached the SIP side while it did not answer")
        .isGreaterThanOrEqualTo(SIP_IN_FLIGHT)
        .isLessThanOrEqualTo(SIP_IN_FLIGHT + LINK_WINDOW);
    assertThat(whileHeld.bounced())
        .as("the proxy refused what its window could not hold")
        .isNotEmpty();
    assertThat(whileHeld.conditions()).containsOnly(StanzaCondition.RESOURCE_CONSTRAINT);

    assertThat(bob.releaseMessageAnswers()).isEqualTo(whileHeld.delivered().size());
    MessageOutcomes all = whileHeld.collect(deployment, bob, flood, WAIT);
    assertThat(all.delivered().size() + all.bounced().size())
        .as("every message delivered or answered, never both")
        .isEqualTo(FLOOD);
    assertThat(all.delivered()).as("nothing delivered twice").containsAll(whileHeld.delivered());
    assertThat(all.conditions()).containsOnly(StanzaCondition.RESOURCE_CONSTRAINT);

    // The proxy's window empties as the gateway's acknowledgements come back (paced, every few
    // milliseconds), which may be just after the last outcome: a message sent before would still
    // find the window full and be refused, rightly.
    Awaits.until(
        () -> deployment.proxy.gatewayLinks().orElseThrow().unacknowledged() == 0,
        WAIT,
        "the proxy's window to the gateway emptied");
    String after = "after the SIP server caught up";
    deployment.fromRemote("bob", after);
    bob.awaitBody(after, WAIT);
    assertThat(deployment.atRemote).as("no error for a message after it").isEmpty();
  }
}
