package org.passerelle.gateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.gateway.lifecycle.Deployment.ORG;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.gateway.it.Awaits;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.StanzaCondition;
import org.passerelle.testpeers.sip.SipTestClient;

/**
 * A stopping proxy and the stanzas it holds for its gateways (the link hold queue, decision 4): a
 * gateway coming back during the drain takes them; when none comes before the limit, their senders
 * are answered {@code service-unavailable}; a gateway with nothing to take is refused.
 */
class ProxyShutdownWithGatewaysTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;

  private Deployment deployment;
  private SipTestClient bob;

  @BeforeEach
  void start() throws Exception {
    deployment = new Deployment(dir);
    deployment.startRemote();
  }

  @AfterEach
  void stop() {
    if (bob != null) {
      bob.close();
    }
    deployment.close();
  }

  @Test
  void stanzasHeldForAGatewayAreDeliveredWhenItAttachesDuringTheProxysDrain() throws Exception {
    deployment.startProxy(Duration.ofSeconds(20));
    List<String> bodies = sendThreeWhileNoGatewayIsAttached();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(deployment.proxy::close);
    Thread.sleep(300);
    assertThat(closing).as("the drain waits for a gateway").isNotDone();
    bob = bob();
    deployment.startGateway(bob.localAddress(), Duration.ofSeconds(3));

    for (String body : bodies) {
      bob.awaitBody(body, WAIT);
    }
    closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(deployment.atRemote.poll(300, TimeUnit.MILLISECONDS)).as("no bounce").isNull();
  }

  @Test
  void stanzasStillHeldWhenTheProxysDrainLimitPassesAreAnsweredServiceUnavailable()
      throws Exception {
    deployment.startProxy(Duration.ofSeconds(1));
    List<Element> sent = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      sent.add(deployment.fromRemote("bob", "nobody to take it #" + i));
    }
    Awaits.until(() -> heldAtProxy() == 2, WAIT, "two stanzas held");

    deployment.proxy.close();

    for (Element original : sent) {
      Element bounce = deployment.atRemote.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(bounce).as("answer for %s", original.attributeValue("id")).isNotNull();
      assertThat(bounce.attributeValue("id")).isEqualTo(original.attributeValue("id"));
      assertThat(StanzaErrors.definedConditionOf(bounce))
          .isEqualTo(StanzaCondition.SERVICE_UNAVAILABLE);
    }
  }

  @Test
  void aGatewayWithNothingHeldForItCannotAttachWhileTheProxyDrains() throws Exception {
    deployment.startProxy(Duration.ofSeconds(20));
    // The proxy stays draining while a stanza of ours waits for slow.test to resolve.
    deployment.proxy.sendFromLocal(toSlow());
    CompletableFuture<Void> closing = CompletableFuture.runAsync(deployment.proxy::close);
    Thread.sleep(300);

    deployment.startGateway(
        new InetSocketAddress(Deployment.UA_ADDRESS, 5060), Duration.ofSeconds(1));
    Thread.sleep(1_500);

    assertThat(deployment.gateway.isLinked()).as("refused with <system-shutdown/>").isFalse();
    deployment.slowResolution().completeExceptionally(new UnknownHostException(Deployment.SLOW));
    closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private List<String> sendThreeWhileNoGatewayIsAttached() {
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String body = "held for the gateway #" + i;
      bodies.add(body);
      deployment.fromRemote("bob", body);
    }
    Awaits.until(() -> heldAtProxy() == 3, WAIT, "three stanzas held");
    return bodies;
  }

  private int heldAtProxy() {
    return deployment.proxy.gatewayLinks().map(links -> links.heldStanzas()).orElse(0);
  }

  private SipTestClient bob() {
    return SipTestClient.builder("bob", ORG, deployment.gatewaySip)
        .bind(Deployment.UA_ADDRESS)
        .responseTimeout(WAIT)
        .build();
  }

  private static Element toSlow() {
    Element message = DocumentHelper.createElement(QName.get("message", "jabber:server"));
    message.addAttribute("from", "bob@" + ORG);
    message.addAttribute("to", "carol@" + Deployment.SLOW);
    message.addAttribute("id", "to-slow");
    message.addElement(QName.get("body", "jabber:server")).addText("keeps the proxy draining");
    return message;
  }
}
