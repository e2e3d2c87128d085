package org.passerelle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.passerelle.gateway.sip.SipResponder;

class AnswerThreadTest {

  private final AnswerThread answers = new AnswerThread();
  private final BlockingQueue<String> sent = new LinkedBlockingQueue<>();

  @AfterEach
  void close() {
    answers.close();
  }

  /** Records each answer with the thread that sent it. */
  private SipResponder recording(String request) {
    return new SipResponder() {
      @Override
      public void respond(int statusCode, String reasonPhrase) {
        sent.add(request + " " + statusCode + " on " + Thread.currentThread().getName());
      }

      @Override
      public void unavailable(String reasonPhrase, Duration retryAfter) {
        sent.add(request + " 503 on " + Thread.currentThread().getName());
      }
    };
  }

  @Test
  void answersLeaveOnTheAnswerThreadNotTheCallers() throws Exception {
    answers.offThread(recording("a")).respond(202, "Accepted");
    answers.offThread(recording("b")).unavailable("link down", Duration.ofSeconds(5));

    assertThat(sent.poll(5, TimeUnit.SECONDS)).isEqualTo("a 202 on sip-answers");
    assertThat(sent.poll(5, TimeUnit.SECONDS)).isEqualTo("b 503 on sip-answers");
  }

  @Test
  void aBlockedAnswerDoesNotHoldTheCaller() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    SipResponder blocked =
        new SipResponder() {
          @Override
          public void respond(int statusCode, String reasonPhrase) {
            try {
              release.await(); // a SIP server that does not read: the socket write blocks
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            sent.add("blocked " + statusCode);
          }

          @Override
          public void unavailable(String reasonPhrase, Duration retryAfter) {}
        };

    answers.offThread(blocked).respond(202, "Accepted");
    answers.offThread(recording("next")).respond(202, "Accepted");

    assertThat(sent).as("the caller went on while the answer waits").isEmpty();
    release.countDown();
    assertThat(sent.poll(5, TimeUnit.SECONDS)).isEqualTo("blocked 202");
    assertThat(sent.poll(5, TimeUnit.SECONDS)).isEqualTo("next 202 on sip-answers");
  }

  @Test
  void anAnswerThatFailsDoesNotStopTheOthers() throws Exception {
    SipResponder failing =
        new SipResponder() {
          @Override
          public void respond(int statusCode, String reasonPhrase) {
            throw new IllegalStateException("MESSAGE was already answered");
          }

          @Override
          public void unavailable(String reasonPhrase, Duration retryAfter) {}
        };

    answers.offThread(failing).respond(202, "Accepted");
    answers.offThread(recording("after")).respond(202, "Accepted");

    assertThat(sent.poll(5, TimeUnit.SECONDS)).isEqualTo("after 202 on sip-answers");
  }

  @Test
  void onceClosedTheCallerSendsItsOwnAnswerAndNoneIsDropped() throws Exception {
    answers.offThread(recording("before")).respond(202, "Accepted");
    answers.close();

    answers.offThread(recording("after")).respond(202, "Accepted");

    assertThat(sent.poll(5, TimeUnit.SECONDS)).isEqualTo("before 202 on sip-answers");
    assertThat(sent.poll(5, TimeUnit.SECONDS))
        .isEqualTo("after 202 on " + Thread.currentThread().getName());
  }
}
