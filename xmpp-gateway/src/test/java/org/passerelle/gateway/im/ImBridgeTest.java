package org.passerelle.gateway.im;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.dom4j.Element;
import org.dom4j.io.SAXReader;
import org.junit.jupiter.api.Test;
import org.passerelle.gateway.sip.SipResponder;
import org.passerelle.model.StanzaErrors;
import org.passerelle.model.errors.BounceLog;
import org.passerelle.model.errors.StanzaCondition;
import org.slf4j.LoggerFactory;

/** The message flows and how each failure reaches its sender (RFC 7572, RFC 7247 §7). */
class ImBridgeTest {
  private final List<SipIm> sipSent = new ArrayList<>();
  private CompletableFuture<SipMessaging.SipOutcome> sipAnswer = new CompletableFuture<>();
  private final List<Element> linkSent = new ArrayList<>();
  private CompletableFuture<Void> linkAnswer = CompletableFuture.completedFuture(null);
  private final List<String> responses = new ArrayList<>();

  private final ImBridge bridge =
      new ImBridge(
          new MessageMapper(Set.of("sip.test"), 16 * 1024),
          message -> {
            sipSent.add(message);
            return sipAnswer;
          },
          stanza -> {
            linkSent.add(stanza);
            return linkAnswer;
          },
          new ConversationTypes(100),
          new SentMessages(100, Duration.ofMinutes(5), Clock.systemUTC()));

  @Test
  void sipErrorComesBackToTheXmppSenderWithTheMappedCondition() throws Exception {
    // RFC 7247 §7.2: 404 → item-not-found
    bridge.fromXmpp(chat("juliet@xmpp.test/b", "nobody@sip.test", "m1"));
    sipAnswer.complete(new SipMessaging.SipOutcome(404, "Not Found"));

    Element error = linkSent.get(0);
    assertThat(error.attributeValue("type")).isEqualTo("error");
    assertThat(error.attributeValue("id")).isEqualTo("m1");
    assertThat(error.attributeValue("to")).isEqualTo("juliet@xmpp.test/b");
    assertThat(StanzaErrors.definedConditionOf(error)).isEqualTo(StanzaCondition.ITEM_NOT_FOUND);
  }

  /** Every message gets its error; the log gets a line for the first of a burst, then a sum. */
  @Test
  void burstOfSipFailuresIsAnsweredInFullAndLoggedInBrief() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(ImBridge.class);
    logs.start();
    logger.addAppender(logs);
    try {
      for (int i = 0; i < 500; i++) {
        bridge.fromXmpp(chat("juliet@xmpp.test/b", "nobody@sip.test", "burst-" + i));
      }
      sipAnswer.complete(new SipMessaging.SipOutcome(404, "Not Found"));
    } finally {
      logger.detachAppender(logs);
    }

    assertThat(linkSent).hasSize(500);
    assertThat(linkSent)
        .allSatisfy(
            error ->
                assertThat(StanzaErrors.definedConditionOf(error))
                    .isEqualTo(StanzaCondition.ITEM_NOT_FOUND));
    long lines =
        logs.list.stream().filter(e -> e.getFormattedMessage().contains(" bounced with ")).count();
    // One second's allowance, or two if the burst straddled a second.
    assertThat(lines).isBetween((long) BounceLog.LINES_PER_SECOND, 2L * BounceLog.LINES_PER_SECOND);
  }

  @Test
  void noSipAnswerIsRemoteServerTimeout() throws Exception {
    bridge.fromXmpp(chat("juliet@xmpp.test", "romeo@sip.test", "m2"));
    sipAnswer.completeExceptionally(new TimeoutException("Timer F"));

    assertThat(StanzaErrors.definedConditionOf(linkSent.get(0)))
        .isEqualTo(StanzaCondition.REMOTE_SERVER_TIMEOUT);
  }

  @Test
  void successfulSipDeliveryProducesNoStanza() throws Exception {
    bridge.fromXmpp(chat("juliet@xmpp.test", "romeo@sip.test", "m3"));
    sipAnswer.complete(new SipMessaging.SipOutcome(200, "OK"));

    assertThat(sipSent).hasSize(1);
    assertThat(linkSent).isEmpty();
  }

  @Test
  void sipMessageIsAnswered202OnceTheProxyTookIt() {
    // RFC 3428 §7: a relay into a non-SIP domain answers 202.
    CompletableFuture<Void> ack = new CompletableFuture<>();
    linkAnswer = ack;
    bridge.fromSip(sip("sip:romeo@sip.test", "sip:juliet@xmpp.test"), responder);
    assertThat(responses).isEmpty();

    ack.complete(null);

    assertThat(responses).containsExactly("202 Accepted");
    assertThat(linkSent.get(0).attributeValue("to")).isEqualTo("juliet@xmpp.test");
  }

  @Test
  void sipMessageIsAnswered503WhenTheLinkCannotTakeIt() {
    linkAnswer = CompletableFuture.failedFuture(new IllegalStateException("down"));
    bridge.fromSip(sip("sip:romeo@sip.test", "sip:juliet@xmpp.test"), responder);

    assertThat(responses).containsExactly("503 XMPP link unavailable (Retry-After 5 s)");
  }

  @Test
  void untranslatableSipMessageIsRefusedWithItsStatus() {
    bridge.fromSip(sip("sip:mallory@evil.test", "sip:juliet@xmpp.test"), responder);

    assertThat(responses).hasSize(1).first().asString().startsWith("403 ");
    assertThat(linkSent).isEmpty();
  }

  @Test
  void laterXmppErrorIsToldToTheSipSender() throws Exception {
    bridge.fromSip(sip("sip:romeo@sip.test", "sip:juliet@xmpp.test"), responder);
    Element sentStanza = linkSent.get(0);
    Element error = StanzaErrors.bounce(sentStanza, StanzaCondition.SERVICE_UNAVAILABLE, "offline");

    bridge.fromXmpp(error);

    assertThat(sipSent).hasSize(1);
    SipIm notice = sipSent.get(0);
    assertThat(notice.requestUri()).isEqualTo("sip:romeo@sip.test");
    assertThat(notice.from()).isEqualTo("sip:juliet@xmpp.test");
    assertThat(notice.body()).contains("juliet@xmpp.test").contains("service-unavailable");
  }

  @Test
  void xmppErrorFromAnotherDomainIsNotTakenForTheMessage() throws Exception {
    bridge.fromSip(sip("sip:romeo@sip.test", "sip:juliet@xmpp.test"), responder);
    Element sentStanza = linkSent.get(0);
    Element forged = StanzaErrors.bounce(sentStanza, StanzaCondition.SERVICE_UNAVAILABLE, "no");
    forged.addAttribute("from", "mallory@elsewhere.test");

    bridge.fromXmpp(forged);

    assertThat(sipSent)
        .as("stanza ids are not secret: nothing told on a stranger's word")
        .isEmpty();
    bridge.fromXmpp(StanzaErrors.bounce(sentStanza, StanzaCondition.SERVICE_UNAVAILABLE, "gone"));
    assertThat(sipSent).as("the recipient's own error still finds the message").hasSize(1);
  }

  @Test
  void stanzaIdsFromSipAreUnique() {
    bridge.fromSip(sip("sip:romeo@sip.test", "sip:juliet@xmpp.test"), responder);
    bridge.fromSip(sip("sip:romeo@sip.test", "sip:juliet@xmpp.test"), responder);

    assertThat(linkSent.get(0).attributeValue("id"))
        .isNotBlank()
        .isNotEqualTo(linkSent.get(1).attributeValue("id"));
  }

  @Test
  void repliesFromSipUseChatWhenTheContactChats() throws Exception {
    bridge.fromXmpp(chat("juliet@xmpp.test/b", "romeo@sip.test", "m4"));
    bridge.fromSip(sip("sip:romeo@sip.test", "sip:juliet@xmpp.test"), responder);

    assertThat(linkSent.get(0).attributeValue("type")).isEqualTo("chat");
  }

  private final SipResponder responder =
      new SipResponder() {
        @Override
        public void respond(int status, String reason) {
          responses.add(status + " " + reason);
        }

        @Override
        public void unavailable(String reason, Duration retryAfter) {
          responses.add("503 " + reason + " (Retry-After " + retryAfter.toSeconds() + " s)");
        }
      };

  private static SipIm sip(String from, String to) {
    return new SipIm(to, from, to, "call-1", null, null, "hello from SIP");
  }

  private static Element chat(String from, String to, String id) throws Exception {
    return new SAXReader()
        .read(
            new StringReader(
                "<message xmlns='jabber:server' type='chat' from='"
                    + from
                    + "' to='"
                    + to
                    + "' id='"
                    + id
                    + "'><body>hi</body></message>"))
        .getRootElement();
  }
}
