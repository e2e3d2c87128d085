package org.passerelle.proxy.diagnose;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.s2s.DomainPair;
import org.passerelle.proxy.s2s.OutboundStep;
import org.passerelle.proxy.s2s.S2sEvents;

/**
 * Hands the steps of the streams diagnose opens over to the thread that reads them, and remembers
 * the dialback verifications its callback listener answered. Called on event loops: only queues.
 */
final class StepRecorder implements S2sEvents {
  private final BlockingQueue<OutboundStep> steps = new LinkedBlockingQueue<>();
  private final List<Boolean> verifications = new CopyOnWriteArrayList<>();
  private final DomainPair pair;

  StepRecorder(DomainPair pair) {
    this.pair = pair;
  }

  @Override
  public void outbound(DomainPair streamPair, ConnectTarget target, OutboundStep step) {
    if (pair.equals(streamPair)) {
      steps.add(step);
    }
  }

  @Override
  public void dialbackVerified(DomainPair verifiedPair, boolean valid) {
    if (pair.equals(verifiedPair)) {
      verifications.add(valid);
    }
  }

  /** The next step, or {@code null} if none came within {@code timeout}. */
  OutboundStep next(Duration timeout) throws InterruptedException {
    return steps.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Our answers to the remote's verifications of our keys, in order. */
  List<Boolean> verifications() {
    return List.copyOf(verifications);
  }
}
