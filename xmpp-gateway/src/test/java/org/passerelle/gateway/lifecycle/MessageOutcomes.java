package org.passerelle.gateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dom4j.Element;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.testpeers.sip.ReceivedRequest;
import org.passerelle.testpeers.sip.SipTestClient;

/**
 * What became of messages sent from the remote XMPP server to a SIP user: bodies that reached the
 * user's agent, ids answered with an error and their conditions. Collecting asserts that none is
 * delivered twice, answered twice, or both.
 */
record MessageOutcomes(
    Set<String> delivered, Set<String> bounced, Set<StanzaCondition> conditions) {
  private static final Duration WAIT = Duration.ofSeconds(60);

  static MessageOutcomes none() {
    return new MessageOutcomes(new HashSet<>(), new HashSet<>(), new HashSet<>());
  }

  /**
   * Adds to these outcomes until every message of {@code sent} (id → body) has one, or nothing new
   * happened for {@code quiet} after something did (the first message waits for the remote server's
   * stream), or a minute passed.
   */
  MessageOutcomes collect(
      Deployment deployment, SipTestClient user, Map<String, String> sent, Duration quiet)
      throws InterruptedException {
    Set<String> bodies = new HashSet<>(sent.values());
    Set<String> nowDelivered = new HashSet<>(delivered);
    Set<String> nowBounced = new HashSet<>(bounced);
    Set<StanzaCondition> nowConditions = new HashSet<>(conditions);
    long deadline = System.nanoTime() + WAIT.toNanos();
    long lastNews = deadline;
    while (nowDelivered.size() + nowBounced.size() < sent.size()
        && System.nanoTime() < Math.min(deadline, lastNews + quiet.toNanos())) {
      List<Element> errors = new ArrayList<>();
      deployment.atRemote.drainTo(errors);
      for (Element error : errors) {
        if (sent.containsKey(error.attributeValue("id"))
            && "error".equals(error.attributeValue("type"))) {
          assertThat(nowBounced.add(error.attributeValue("id"))).as("answered once").isTrue();
          nowConditions.add(StanzaErrors.definedConditionOf(error));
          lastNews = System.nanoTime();
        }
      }
      ReceivedRequest message;
      try {
        message = user.awaitMessage(r -> bodies.contains(r.body()), Duration.ofMillis(200));
      } catch (AssertionError nothingYet) {
        continue;
      }
      assertThat(nowDelivered.add(message.body())).as("delivered once").isTrue();
      lastNews = System.nanoTime();
    }
    for (String id : nowBounced) {
      assertThat(nowDelivered).as("%s both bounced and delivered", id).doesNotContain(sent.get(id));
    }
    return new MessageOutcomes(nowDelivered, nowBounced, nowConditions);
  }
}
