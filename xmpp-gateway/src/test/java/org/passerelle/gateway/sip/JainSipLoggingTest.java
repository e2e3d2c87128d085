package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * JAIN-SIP logs through SLF4J, quietly at INFO, and message content reaches the logs only when
 * {@link SipSettings#logUserContent()} is on (house style: bodies are never logged otherwise).
 */
class JainSipLoggingTest {

  private static final String BODY = "body-7f3a9c: a private message";
  private static final String SUBJECT = "subject-51d2e0";

  /** Everything JAIN-SIP logs (our StackLogger uses this one name) and everything we log. */
  private final List<Logger> watched =
      List.of(
          (Logger) LoggerFactory.getLogger("gov.nist"),
          (Logger) LoggerFactory.getLogger("org.passerelle"));

  private final ListAppender<ILoggingEvent> events = new ListAppender<>();

  @BeforeEach
  void capture() {
    events.start();
    for (Logger logger : watched) {
      logger.addAppender(events);
      logger.setAdditive(false); // kept out of the console
    }
  }

  @AfterEach
  void restore() {
    for (Logger logger : watched) {
      logger.detachAppender(events);
      logger.setAdditive(true);
      logger.setLevel(null);
    }
  }

  private void setLevel(Level level) {
    watched.forEach(logger -> logger.setLevel(level));
  }

  private void roundTrip(boolean logUserContent) throws Exception {
    try (SipEndpoint remote =
            start(
                logUserContent,
                SipHandlers.message(SipHandlers.TEXT_PLAIN, (m, r) -> r.respond(202, "")));
        SipEndpoint gateway = start(logUserContent, SipHandlers.none())) {
      for (String params : List.of("", ";transport=tcp")) {
        SipResponseInfo response =
            gateway
                .sendMessage(
                    OutgoingMessage.builder(
                            "sip:bob@127.0.0.1:"
                                + remote.localAddress(SipTransport.UDP).getPort()
                                + params,
                            "sip:alice@gw.example",
                            BODY)
                        .subject(SUBJECT)
                        .build())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(202);
      }
    }
  }

  private static SipEndpoint start(boolean logUserContent, SipHandlers handlers)
      throws IOException {
    int port = FreePorts.udpAndTcp();
    return SipEndpoint.start(
        SipSettings.builder(FreePorts.LOOPBACK)
            .udp(port)
            .tcp(port)
            .domains("*")
            .logUserContent(logUserContent)
            .build(),
        handlers);
  }

  @Test
  void jainSipIsSilentAtInfoDuringARoundTrip() throws Exception {
    setLevel(Level.INFO);

    roundTrip(false);

    assertThat(events.list).noneMatch(e -> e.getLoggerName().startsWith("gov.nist"));
  }

  @Test
  void noContentReachesTheLogsAtDebugWithoutTheSwitch() throws Exception {
    setLevel(Level.TRACE);

    roundTrip(false);

    assertThat(events.list).isNotEmpty();
    assertThat(events.list).noneMatch(JainSipLoggingTest::mentionsContent);
  }

  @Test
  void jainSipDebugOutputFlowsThroughSlf4jWithTheSwitch() throws Exception {
    setLevel(Level.DEBUG);

    roundTrip(true);

    assertThat(events.list)
        .anyMatch(
            e -> e.getLoggerName().equals("gov.nist.javax.sip") && e.getLevel() == Level.DEBUG);
    assertThat(events.list).anyMatch(JainSipLoggingTest::mentionsContent);
  }

  @Test
  void noPresenceDocumentReachesTheLogsAtTraceWithoutTheSwitch() throws Exception {
    setLevel(Level.TRACE);
    InetAddress host = InetAddress.getByName("127.0.0.69");
    String pidf = "<presence><note>" + BODY + "</note></presence>";
    BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
    SubscriptionHandler accepting =
        new SubscriptionHandler() {
          @Override
          public void onSubscribe(IncomingSubscription s, SubscriptionResponder r) {
            r.accept(s.expires(), OutgoingNotification.active(SubscribeRequest.PIDF, pidf));
          }

          @Override
          public void onEnded(SubscriptionId id, SubscriptionEnd end) {}
        };
    NotificationListener keeping =
        new NotificationListener() {
          @Override
          public void onNotification(Notification n) {
            received.add(n);
          }

          @Override
          public void onEnded(SubscriptionId id, SubscriptionEnd end) {}
        };
    try (SipEndpoint notifier =
        SipEndpoint.start(
            SipSettings.builder(host).udp(FreePorts.udpAndTcp(host)).domains("xmpp.test").build(),
            SipHandlers.builder().subscriptions(accepting).build())) {
      int notifierPort = notifier.localAddress(SipTransport.UDP).getPort();
      try (SipEndpoint subscriber =
          SipEndpoint.start(
              SipSettings.builder(host)
                  .udp(FreePorts.udpAndTcp(host))
                  .domains("gw.example")
                  .outboundProxy(SipServerAddress.parse("127.0.0.69:" + notifierPort))
                  .build(),
              SipHandlers.builder().notifications(keeping).build())) {
        subscriber
            .subscriptions()
            .subscribe(SubscribeRequest.presence("sip:juliet@xmpp.test", "sip:romeo@gw.example"))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        Notification n = received.poll(10, TimeUnit.SECONDS);
        assertThat(n).isNotNull();
        assertThat(n.body()).isEqualTo(pidf);
      }
    }

    assertThat(events.list).isNotEmpty();
    assertThat(events.list).noneMatch(JainSipLoggingTest::mentionsContent);
  }

  private static boolean mentionsContent(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append(' ').append(t.getMessage());
    }
    return text.indexOf(BODY) >= 0 || text.indexOf(SUBJECT) >= 0;
  }
}
