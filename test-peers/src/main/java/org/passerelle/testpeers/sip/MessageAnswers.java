package org.passerelle.testpeers.sip;

import java.util.ArrayList;
import java.util.List;
import javax.sip.message.Response;

/**
 * How a {@link SipTestClient} answers the MESSAGEs it receives: with which status, and whether now
 * or only once the test releases them — a SIP server that falls behind.
 */
final class MessageAnswers {
  private volatile int status = Response.OK;
  private final List<Runnable> held = new ArrayList<>();
  private boolean holding;

  int status() {
    return status;
  }

  void status(int statusCode) {
    if (statusCode < 200 || statusCode > 699) {
      throw new IllegalArgumentException("not a final status code: " + statusCode);
    }
    status = statusCode;
  }

  /** Runs {@code answer} now, or keeps it for {@link #release} while holding. */
  void answer(Runnable answer) {
    synchronized (held) {
      if (holding) {
        held.add(answer);
        return;
      }
    }
    answer.run();
  }

  boolean holding() {
    synchronized (held) {
      return holding;
    }
  }

  void hold() {
    synchronized (held) {
      holding = true;
    }
  }

  /** Stops holding and sends every answer held, in the order the requests came. */
  int release() {
    List<Runnable> answers;
    synchronized (held) {
      holding = false;
      answers = List.copyOf(held);
      held.clear();
    }
    answers.forEach(Runnable::run);
    return answers.size();
  }
}
