package org.passerelle.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.testpeers.sip.SipStatus;

/**
 * The link survives a restart of either side mid-conversation: every message sent meanwhile is
 * delivered exactly once after the link returns, or answered to its sender with an error — none
 * vanish, none arrive twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinkRestartConversationIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final int BURST = 5;

  @TempDir static Path dir;

  private Conversation conversation;

  @BeforeAll
  void start() throws Exception {
    // The gateway holds SIP messages up to 6 s for the link: below Kamailio's 8 s transaction
    // timeout, so a held message is answered by the gateway, not timed out by Kamailio.
    conversation = new Conversation(dir, Duration.ofSeconds(6));
  }

  @AfterAll
  void stop() throws Exception {
    if (conversation != null) {
      conversation.close();
    }
  }

  @Test
  @Order(1)
  void xmppMessagesSentWhileTheGatewayRestartsArriveOnceAfterwards() throws Exception {
    assertConversationWorks("before gateway restart");

    conversation.gateway.close();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      String body = "during gateway restart #" + i;
      bodies.add(body);
      conversation.alice.sendChat("bob@" + Conversation.ORG, body);
    }
    Thread.sleep(500);
    conversation.startGateway();
    conversation.awaitLinked();

    for (String body : bodies) {
      conversation.bob.awaitBody(body, TIMEOUT);
    }
    assertNoDuplicateAtBob(bodies);
    assertConversationWorks("after gateway restart");
  }

  @Test
  @Order(2)
  void sipMessagesSentWhileTheProxyRestartsArriveOnceAfterwards() throws Exception {
    conversation.proxy.close();
    List<CompletableFuture<SipStatus>> sends = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      String body = "during proxy restart #" + i;
      bodies.add(body);
      sends.add(
          CompletableFuture.supplyAsync(
              () -> conversation.bob.sendMessage("sip:alice@" + Conversation.XMPP_DOMAIN, body)));
    }
    Thread.sleep(500);
    conversation.startProxy();
    conversation.awaitLinked();

    Map<String, Integer> statuses = new HashMap<>();
    for (int i = 0; i < BURST; i++) {
      statuses.put(bodies.get(i), sends.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).code());
    }
    for (String body : bodies) {
      if (statuses.get(body) == 202) {
        conversation.alice.awaitBody(body, TIMEOUT);
      } else {
        // Not delivered: the sender was told so with an error status.
        assertThat(statuses.get(body)).isGreaterThanOrEqualTo(400);
      }
    }
    assertThat(statuses.values()).as("the held messages went through").contains(202);
    assertNoDuplicateAtAlice(bodies);
    assertConversationWorks("after proxy restart");
  }

  private void assertConversationWorks(String label) {
    String toBob = "to Bob " + label + " " + System.nanoTime();
    conversation.alice.sendChat("bob@" + Conversation.ORG, toBob);
    conversation.bob.awaitBody(toBob, TIMEOUT);
    String toAlice = "to Alice " + label + " " + System.nanoTime();
    assertThat(
            conversation.bob.sendMessage("sip:alice@" + Conversation.XMPP_DOMAIN, toAlice).code())
        .isEqualTo(202);
    conversation.alice.awaitBody(toAlice, TIMEOUT);
  }

  private void assertNoDuplicateAtBob(List<String> bodies) {
    for (String body : bodies) {
      assertThatThrownBy(() -> conversation.bob.awaitBody(body, Duration.ofMillis(300)))
          .as("'%s' arrived twice at Bob", body)
          .isInstanceOf(AssertionError.class);
    }
  }

  private void assertNoDuplicateAtAlice(List<String> bodies) {
    for (String body : bodies) {
      assertThatThrownBy(() -> conversation.alice.awaitBody(body, Duration.ofMillis(300)))
          .as("'%s' arrived twice at Alice", body)
          .isInstanceOf(AssertionError.class);
    }
  }
}
