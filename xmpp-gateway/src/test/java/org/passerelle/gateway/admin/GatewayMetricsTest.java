package org.passerelle.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.passerelle.gateway.im.ImEvents;
import org.passerelle.gateway.im.LinkSender;
import org.passerelle.gateway.link.LinkListener;
import org.passerelle.gateway.sip.SipSendException;
import org.passerelle.gateway.sip.SipTransactionEvents.Role;
import org.passerelle.gateway.subscriptions.PresenceBridge.SubscriptionCounts;
import org.passerelle.observability.ProcessInfo;
import org.passerelle.observability.ProcessMetrics;

/** What each event does to the gateway's meters, read as Prometheus reads them. */
class GatewayMetricsTest {
  private final ProcessMetrics process =
      ProcessMetrics.create(new ProcessInfo("gateway", "test", Instant.EPOCH));
  private final GatewayMetrics metrics = new GatewayMetrics(process.registry());

  @AfterEach
  void close() {
    process.close();
  }

  private static Element stanza(String name) {
    return DocumentHelper.createElement(QName.get(name, "jabber:server"));
  }

  @Test
  void stanzasAreCountedByDirectionAndKindAndStillPassThrough() {
    List<Element> sent = new ArrayList<>();
    List<Element> received = new ArrayList<>();
    LinkSender link =
        metrics.countingSent(
            stanza -> {
              sent.add(stanza);
              return CompletableFuture.completedFuture(null);
            });
    LinkListener listener = metrics.countingReceived(received::add);

    link.send(stanza("message"));
    link.send(stanza("presence"));
    link.send(stanza("presence"));
    listener.onStanza(stanza("iq"));

    String text = process.scrape();
    assertThat(text)
        .contains("passerelle_gateway_stanzas_total{direction=\"to_xmpp\",kind=\"message\"} 1.0")
        .contains("passerelle_gateway_stanzas_total{direction=\"to_xmpp\",kind=\"presence\"} 2.0")
        .contains("passerelle_gateway_stanzas_total{direction=\"from_xmpp\",kind=\"iq\"} 1.0")
        .contains("passerelle_gateway_stanzas_total{direction=\"from_xmpp\",kind=\"message\"} 0.0");
    assertThat(sent).hasSize(3);
    assertThat(received).hasSize(1);
  }

  @Test
  void sipTransactionsAreCountedByRoleMethodAndStatusClass() {
    metrics.answered(Role.CLIENT, "MESSAGE", 200);
    metrics.answered(Role.CLIENT, "MESSAGE", 404);
    metrics.answered(Role.SERVER, "MESSAGE", 202);
    metrics.answered(Role.SERVER, "SUBSCRIBE", 489);
    metrics.answered(Role.SERVER, "INFO", 405);
    metrics.failed("NOTIFY", SipSendException.Reason.TIMEOUT);
    metrics.failed("MESSAGE", SipSendException.Reason.TRANSPORT);

    String text = process.scrape();
    String name = "passerelle_gateway_sip_transactions_total";
    assertThat(text)
        .contains(name + "{method=\"message\",role=\"client\",status=\"2xx\"} 1.0")
        .contains(name + "{method=\"message\",role=\"client\",status=\"4xx\"} 1.0")
        .contains(name + "{method=\"message\",role=\"server\",status=\"2xx\"} 1.0")
        .contains(name + "{method=\"subscribe\",role=\"server\",status=\"4xx\"} 1.0")
        .contains(name + "{method=\"other\",role=\"server\",status=\"4xx\"} 1.0")
        .contains(name + "{method=\"notify\",role=\"client\",status=\"timeout\"} 1.0")
        .contains(name + "{method=\"message\",role=\"client\",status=\"failed\"} 1.0")
        .doesNotContain("role=\"server\",status=\"timeout\"");
  }

  @Test
  void translationTimesGoIntoFixedBucketsByDirectionAndOutcome() {
    metrics.translated(ImEvents.Direction.XMPP_TO_SIP, true, TimeUnit.MILLISECONDS.toNanos(3));
    metrics.translated(ImEvents.Direction.SIP_TO_XMPP, false, TimeUnit.SECONDS.toNanos(20));

    String text = process.scrape();
    String name = "passerelle_gateway_translation_seconds";
    assertThat(text)
        .contains(name + "_bucket{direction=\"xmpp_to_sip\",outcome=\"delivered\",le=\"0.001\"} 0")
        .contains(name + "_bucket{direction=\"xmpp_to_sip\",outcome=\"delivered\",le=\"0.005\"} 1")
        .contains(name + "_count{direction=\"xmpp_to_sip\",outcome=\"delivered\"} 1")
        .contains(name + "_bucket{direction=\"sip_to_xmpp\",outcome=\"failed\",le=\"10.0\"} 0")
        .contains(name + "_bucket{direction=\"sip_to_xmpp\",outcome=\"failed\",le=\"32.0\"} 1")
        .contains(name + "_count{direction=\"sip_to_xmpp\",outcome=\"delivered\"} 0");
  }

  @Test
  void presenceSubscriptionGaugesShowTheLastCount() {
    metrics.subscriptions(new SubscriptionCounts(3, 1, 2, 0));

    String text = process.scrape();
    String name = "passerelle_gateway_presence_subscriptions";
    assertThat(text)
        .contains(name + "{direction=\"xmpp_watches_sip\",state=\"granted\"} 3.0")
        .contains(name + "{direction=\"xmpp_watches_sip\",state=\"pending\"} 1.0")
        .contains(name + "{direction=\"sip_watches_xmpp\",state=\"granted\"} 2.0")
        .contains(name + "{direction=\"sip_watches_xmpp\",state=\"pending\"} 0.0");
  }

  @Test
  void linkAndQueueGaugesReadTheirValueWhenScraped() {
    boolean[] up = {false};
    int[] queued = {0};
    metrics.linkGauge("sip.test", () -> up[0]);
    metrics.gauge(GatewayMetrics.STORE_QUEUED, "test", () -> queued[0]);
    System.gc();

    assertThat(process.scrape())
        .contains("passerelle_gateway_link_up{domain=\"sip.test\"} 0.0")
        .contains("passerelle_gateway_store_queued 0.0");
    up[0] = true;
    queued[0] = 7;
    assertThat(process.scrape())
        .contains("passerelle_gateway_link_up{domain=\"sip.test\"} 1.0")
        .contains("passerelle_gateway_store_queued 7.0");
  }
}
