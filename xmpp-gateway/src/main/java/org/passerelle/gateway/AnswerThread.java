package org.passerelle.gateway;

import java.time.Duration;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.passerelle.gateway.sip.SipResponder;
import org.passerelle.gateway.threads.BoundedThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the answers to SIP MESSAGEs on a thread of its own. A MESSAGE is answered 202 when the
 * proxy takes its stanza, which the link learns on its event loop; JAIN-SIP writes a response to
 * its TCP socket with a blocking write, and a SIP server that stops reading would then stop the
 * loop, and with it every link and every MESSAGE the gateway sends (decision 16).
 *
 * <p>Answers to MESSAGEs that came to the gateway's own listener (decision 17) are written without
 * blocking, and are sent by their caller without the hand-off.
 *
 * <p>At most {@link #QUEUE} answers wait; beyond that, and once closed, the caller sends its own.
 */
final class AnswerThread implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AnswerThread.class);

  /**
   * Each waiting answer is for a MESSAGE whose stanza the link held ({@code link.pending-limit},
   * 10,000 by default, twice that with replies): the queue is not what bounds them.
   */
  static final int QUEUE = 20_000;

  private final ThreadPoolExecutor executor = BoundedThread.named("sip-answers", QUEUE);

  AnswerThread() {
    // Never dropped: a full queue, or a closed thread, leaves the answer to its caller.
    executor.setRejectedExecutionHandler((answer, pool) -> answer.run());
  }

  /** {@code responder}, answering on this thread if answering it may block. */
  SipResponder offThread(SipResponder responder) {
    if (!responder.blocks()) {
      return responder;
    }
    return new SipResponder() {
      @Override
      public void respond(int statusCode, String reasonPhrase) {
        executor.execute(logged(() -> responder.respond(statusCode, reasonPhrase)));
      }

      @Override
      public void unavailable(String reasonPhrase, Duration retryAfter) {
        executor.execute(logged(() -> responder.unavailable(reasonPhrase, retryAfter)));
      }
    };
  }

  private static Runnable logged(Runnable answer) {
    return () -> {
      try {
        answer.run();
      } catch (RuntimeException e) {
        LOG.warn("cannot answer a SIP request", e);
      }
    };
  }

  /** Sends what waits, then stops; an answer given after this is sent by its caller. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
