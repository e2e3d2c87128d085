package org.passerelle.gateway.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.passerelle.gateway.lifecycle.Deployment.ORG;
import static org.passerelle.gateway.lifecycle.Deployment.REMOTE;

import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.gateway.it.Awaits;
import org.passerelle.testpeers.AdminClient;
import org.passerelle.testpeers.sip.SipStatus;
import org.passerelle.testpeers.sip.SipTestClient;

/**
 * A stopping gateway finishes what is under way within {@code shutdown.drain} — SIP transactions
 * and stanzas sent to the proxy — takes nothing new, and answers what it could not finish; what the
 * proxy sends it meanwhile is left to the proxy, which delivers it after the restart.
 */
class GatewayShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;

  private Deployment deployment;
  private SipTestClient bob;
  private DatagramSocket silentSipServer;

  @BeforeEach
  void start() throws Exception {
    deployment = new Deployment(dir);
    deployment.startRemote();
    deployment.startProxy();
  }

  @AfterEach
  void stop() {
    if (bob != null) {
      bob.close();
    }
    deployment.close();
    if (silentSipServer != null) {
      silentSipServer.close();
    }
  }

  @Test
  void aSipMessageWaitingForTheLinkWhenTheGatewayStopsGoesOutOnceTheProxyIsBackAndIsAnswered202()
      throws Exception {
    startGatewayAndBob(Duration.ofSeconds(20));
    deployment.proxy.close();
    CompletableFuture<SipStatus> sent = bobSends("sent while the proxy restarts");
    Awaits.until(
        () -> deployment.gateway.sip().requestsUnderWay() == 1,
        WAIT,
        "the MESSAGE waits for the link");

    CompletableFuture<Void> closing = CompletableFuture.runAsync(deployment.gateway::close);
    Thread.sleep(300);
    assertThat(sent).as("still waiting for the link").isNotDone();
    deployment.startProxy();

    assertThat(sent.get(WAIT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(202);
    Element received = deployment.atRemote.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(received.elementText("body")).isEqualTo("sent while the proxy restarts");
    closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aSipRequestArrivingWhileTheGatewayDrainsIsAnswered503() throws Exception {
    startGatewayAndBob(Duration.ofSeconds(20));
    deployment.proxy.close();
    CompletableFuture<SipStatus> first = bobSends("keeps the gateway draining");
    Awaits.until(
        () -> deployment.gateway.sip().requestsUnderWay() == 1,
        WAIT,
        "the MESSAGE waits for the link");
    CompletableFuture<Void> closing = CompletableFuture.runAsync(deployment.gateway::close);
    Thread.sleep(300);

    SipStatus late = bob.sendMessage("sip:alice@" + REMOTE, "too late");

    assertThat(late.code()).isEqualTo(503);
    deployment.startProxy();
    assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS).code()).isEqualTo(202);
    closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void whatTheProxySendsDuringTheDrainIsDeliveredAfterTheRestartAndWhatTheLimitCutIsBounced()
      throws Exception {
    // A SIP server that never answers keeps the first message's transaction open past the limit.
    silentSipServer =
        new DatagramSocket(new InetSocketAddress(InetAddress.getByName(Deployment.UA_ADDRESS), 0));
    deployment.startGateway(
        (InetSocketAddress) silentSipServer.getLocalSocketAddress(), Duration.ofSeconds(3));
    deployment.awaitLinked();
    Element cut = deployment.fromRemote("bob", "answered by nobody");
    Awaits.until(
        () -> deployment.gateway.sip().requestsUnderWay() == 1,
        WAIT,
        "the MESSAGE awaits an answer");

    CompletableFuture<Void> closing = CompletableFuture.runAsync(deployment.gateway::close);
    Thread.sleep(300);
    Element left = deployment.fromRemote("bob", "left to the proxy");
    closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    Element bounce = deployment.atRemote.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(bounce).as("the sender of the cut message is told").isNotNull();
    assertThat(bounce.attributeValue("type")).isEqualTo("error");
    assertThat(bounce.attributeValue("id")).isEqualTo(cut.attributeValue("id"));
    assertThat(deployment.atRemote.poll(300, TimeUnit.MILLISECONDS))
        .as("nothing about the message left to the proxy")
        .isNull();

    bob = bob(); // a SIP side that answers, this time
    deployment.startGateway(bob.localAddress(), Duration.ofSeconds(3));
    bob.awaitBody("left to the proxy", WAIT);
    assertThat(left.attributeValue("to")).isEqualTo("bob@" + ORG);
  }

  @Test
  void whileItDrainsTheGatewayIsNotReadyButStillLive() throws Exception {
    // Decision 13: load balancers and SIP servers' health checks send new work elsewhere from the
    // moment the drain begins. A SIP server that never answers keeps the gateway draining.
    silentSipServer =
        new DatagramSocket(new InetSocketAddress(InetAddress.getByName(Deployment.UA_ADDRESS), 0));
    deployment.startGateway(
        (InetSocketAddress) silentSipServer.getLocalSocketAddress(), Duration.ofSeconds(3));
    deployment.awaitLinked();
    AdminClient admin = new AdminClient(deployment.gateway.adminAddress().orElseThrow());
    assertThat(admin.get("/health/ready")).isEqualTo(new AdminClient.Answer(200, "ready\n"));
    deployment.fromRemote("bob", "answered by nobody");
    Awaits.until(
        () -> deployment.gateway.sip().requestsUnderWay() == 1,
        WAIT,
        "the MESSAGE awaits an answer");

    CompletableFuture<Void> closing = CompletableFuture.runAsync(deployment.gateway::close);
    Awaits.until(
        () -> admin.get("/health/ready").status() == 503, WAIT, "the gateway reports it stops");

    assertThat(admin.get("/health/ready").body())
        .startsWith("not ready:\n")
        .contains("stopping (draining): new SIP requests are answered 503");
    assertThat(admin.get("/health/live").status()).isEqualTo(200);
    assertThat(closing).as("still draining").isNotDone();
    closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThatThrownBy(() -> admin.get("/health/live"))
        .as("the endpoint closes with the process")
        .isInstanceOf(UncheckedIOException.class);
  }

  private void startGatewayAndBob(Duration drain) throws Exception {
    deployment.startGateway(new InetSocketAddress(Deployment.UA_ADDRESS, 5060), drain);
    deployment.awaitLinked();
    bob = bob();
  }

  /** Bob's user agent: its requests go straight to the gateway, as if through the SIP server. */
  private SipTestClient bob() {
    return SipTestClient.builder("bob", ORG, deployment.gatewaySip)
        .bind(Deployment.UA_ADDRESS)
        .responseTimeout(WAIT)
        .build();
  }

  private CompletableFuture<SipStatus> bobSends(String body) {
    return CompletableFuture.supplyAsync(() -> bob.sendMessage("sip:alice@" + REMOTE, body));
  }
}
