package org.passerelle.proxy.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.passerelle.proxy.lifecycle.ProxyPair.A;
import static org.passerelle.proxy.lifecycle.ProxyPair.B;
import static org.passerelle.proxy.lifecycle.ProxyPair.message;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.model.StanzaErrors;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.testpeers.AdminClient;
import org.xmpp.packet.PacketError;

/**
 * A stopping proxy finishes what it holds for remote domains within {@code shutdown.drain}, bounces
 * what it could not send, takes nothing new and closes its streams cleanly (RFC 6120 §4.4). The
 * proxy stopped is {@code a.test}; {@code b.test}, another proxy, is the remote server.
 */
class GracefulShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;

  private ProxyPair pair;

  @BeforeEach
  void create() throws Exception {
    pair = new ProxyPair(dir);
  }

  @AfterEach
  void stop() {
    pair.close();
  }

  @Test
  void stanzasWaitingForAStreamStillBeingSetUpAreDeliveredWhenItIsEstablishedDuringTheDrain()
      throws Exception {
    pair.startWithCertificates(Duration.ofSeconds(20));
    CompletableFuture<List<ConnectTarget>> resolution = pair.gate(B);
    List<String> ids = sendToB(3);
    awaitWaiting(3);

    CompletableFuture<Long> closing = closeAInBackground();
    Thread.sleep(300);
    assertThat(closing).as("the drain waits for the stream").isNotDone();
    resolution.complete(ProxyPair.at(pair.bAddress, B));

    for (String id : ids) {
      Element received = pair.atB.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(received).as("stanza %s at b.test", id).isNotNull();
      assertThat(received.attributeValue("id")).isEqualTo(id);
    }
    long millis = closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(millis).as("ended when drained, long before the 20 s limit").isLessThan(8_000);
    assertThat(pair.atA).as("nothing bounced").isEmpty();
  }

  @Test
  void withDialbackTheRemoteServerStillVerifiesOurKeyDuringTheDrain() throws Exception {
    // XEP-0220 §2.1.2: b.test checks the key of our stream by opening one of its own to us.
    pair.startWithDialback(Duration.ofSeconds(20));
    CompletableFuture<List<ConnectTarget>> resolution = pair.gate(B);
    List<String> ids = sendToB(2);
    awaitWaiting(2);

    CompletableFuture<Long> closing = closeAInBackground();
    Thread.sleep(300);
    resolution.complete(ProxyPair.at(pair.bAddress, B));

    for (String id : ids) {
      Element received = pair.atB.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(received).as("stanza %s at b.test", id).isNotNull();
      assertThat(received.attributeValue("id")).isEqualTo(id);
    }
    closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(pair.atA).as("nothing bounced").isEmpty();
  }

  @Test
  void stanzasStillWaitingWhenTheDrainLimitPassesAreBouncedToTheirSenders() throws Exception {
    pair.startWithCertificates(Duration.ofSeconds(1));
    pair.gate(B); // never resolves
    List<String> ids = sendToB(2);
    awaitWaiting(2);

    long began = System.nanoTime();
    pair.a.close();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

    assertThat(millis).as("the drain limit, then closing").isBetween(900L, 7_000L);
    List<String> bounced = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Element bounce = pair.atA.poll(1, TimeUnit.SECONDS);
      assertThat(bounce).as("bounce %d of %d", i + 1, ids.size()).isNotNull();
      assertThat(bounce.attributeValue("type")).isEqualTo("error");
      assertThat(bounce.attributeValue("from")).isEqualTo("bob@" + B);
      assertThat(StanzaErrors.conditionOf(bounce))
          .isEqualTo(PacketError.Condition.remote_server_timeout);
      assertThat(bounce.asXML()).contains("the proxy stopped");
      bounced.add(bounce.attributeValue("id"));
    }
    assertThat(bounced).containsExactlyElementsOf(ids);
    assertThat(pair.atB).isEmpty();
  }

  @Test
  void aServerConnectingDuringTheDrainIsRefusedWithSystemShutdown() throws Exception {
    // RFC 6120 §4.9.3.20. a.test stays draining while a stanza of its own waits for c.test.
    pair.startWithCertificates(Duration.ofSeconds(20));
    CompletableFuture<List<ConnectTarget>> elsewhere = pair.gate("c.test");
    pair.a.sendFromLocal(message("alice@" + A, "carol@c.test", "keeps a.test draining"));
    awaitWaiting(1);
    CompletableFuture<Long> closing = closeAInBackground();
    Thread.sleep(300);

    Element sent = message("bob@" + B, "alice@" + A, "too late");
    pair.b.sendFromLocal(sent);

    Element bounce = pair.atB.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(bounce).as("b.test answers its sender").isNotNull();
    assertThat(bounce.attributeValue("id")).isEqualTo(sent.attributeValue("id"));
    assertThat(bounce.asXML()).contains("system-shutdown");
    assertThat(pair.atA).as("a.test took nothing").isEmpty();

    elsewhere.completeExceptionally(new UnknownHostException("c.test"));
    closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aStreamARemoteServerOpenedIsClosedCleanlyAtOnceWhenTheDrainBegins() throws Exception {
    pair.startWithCertificates(Duration.ofSeconds(20));
    pair.b.sendFromLocal(message("bob@" + B, "alice@" + A, "before"));
    assertThat(pair.atA.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
    assertThat(pair.b.router().outbound().pairs()).hasSize(1);

    long began = System.nanoTime();
    pair.a.close();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

    // b.test answered our closing tag with its own: no drain limit, no close grace waited out.
    assertThat(millis).isLessThan(3_000);
    awaitTrue(() -> pair.b.router().outbound().pairs().isEmpty(), "b.test's stream ended");
    assertThat(pair.atB).as("b.test bounced nothing").isEmpty();
  }

  @Test
  void whileItDrainsTheProxyIsNotReadyButStillLive() throws Exception {
    // Decision 13: a load balancer sends new streams elsewhere from the moment the drain begins.
    pair.startWithCertificates(Duration.ofSeconds(20));
    AdminClient admin = new AdminClient(pair.a.adminAddress().orElseThrow());
    assertThat(admin.get("/health/ready")).isEqualTo(new AdminClient.Answer(200, "ready\n"));
    CompletableFuture<List<ConnectTarget>> resolution = pair.gate(B);
    List<String> ids = sendToB(1);
    awaitWaiting(1);

    CompletableFuture<Long> closing = closeAInBackground();
    awaitTrue(() -> admin.get("/health/ready").status() == 503, "a.test reports it stops");

    assertThat(admin.get("/health/ready").body())
        .startsWith("not ready:\n")
        .contains("stopping (draining): taking no new server-to-server streams or gateways");
    assertThat(admin.get("/health/live").status()).isEqualTo(200);
    assertThat(closing).as("the drain waits for the stream").isNotDone();
    resolution.complete(ProxyPair.at(pair.bAddress, B));
    Element received = pair.atB.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(received.attributeValue("id")).isEqualTo(ids.get(0));
    closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThatThrownBy(() -> admin.get("/health/live"))
        .as("the endpoint closes with the process")
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void afterCloseTheServerPortRefusesConnections() throws Exception {
    pair.startWithCertificates(Duration.ofSeconds(1));

    pair.a.close();

    assertThatThrownBy(() -> new Socket(pair.aAddress.getAddress(), pair.aAddress.getPort()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void closingTwiceIsHarmless() throws Exception {
    pair.startWithCertificates(Duration.ofSeconds(1));

    pair.a.close();
    pair.a.close();
  }

  private List<String> sendToB(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Element stanza = message("alice@" + A, "bob@" + B, "queued #" + i);
      ids.add(stanza.attributeValue("id"));
      pair.a.sendFromLocal(stanza);
    }
    return ids;
  }

  private void awaitWaiting(int count) {
    awaitTrue(
        () -> pair.a.router().outbound().waitingStanzas() == count,
        count + " stanza(s) waiting for the stream");
  }

  private CompletableFuture<Long> closeAInBackground() {
    return CompletableFuture.supplyAsync(
        () -> {
          long began = System.nanoTime();
          pair.a.close();
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        });
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
