package org.passerelle.gateway.link;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backpressure from the SIP side to the links: counts the messages from XMPP that wait for SIP (for
 * a sender, or for their final response) and stops reading from every link once {@code limit} of
 * them wait, until half of them are done.
 *
 * <p>A link that is not read is not acknowledged, so the proxy's {@code link.window} fills and the
 * proxy answers what it cannot hold with {@code resource-constraint} (decision 4). Without this, a
 * SIP server that answers more slowly than messages arrive makes the gateway keep ever more
 * transactions in flight, and their garbage-collection cost slows everything down further. The
 * bound is soft by one read of the link: what was already read is still handled.
 */
public final class ReadGate {
  private static final Logger LOG = LoggerFactory.getLogger(ReadGate.class);

  /** What a gate controls: a link that can stop and resume reading. */
  public interface Reader {
    void reading(boolean reading);
  }

  private final int limit;
  private final int resumeAt;
  private final AtomicInteger waiting = new AtomicInteger();
  private final List<Reader> readers = new CopyOnWriteArrayList<>();
  private volatile boolean open = true;
  private long pauses;

  public ReadGate(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    this.limit = limit;
    this.resumeAt = limit / 2;
  }

  /** {@code reader} follows the gate from now on, starting with its current state. */
  public void add(Reader reader) {
    readers.add(reader);
    reader.reading(open);
  }

  /** A message starts to wait for SIP. */
  public void enter() {
    if (waiting.incrementAndGet() >= limit && open) {
      synchronized (this) {
        if (open && waiting.get() >= limit) {
          open = false;
          pauses++;
          LOG.info("{} messages wait for SIP (im.sip-in-flight): links paused", limit);
          readers.forEach(r -> r.reading(false));
        }
      }
    }
  }

  /** A message that waited for SIP is done, whatever its outcome. */
  public void exit() {
    if (waiting.decrementAndGet() <= resumeAt && !open) {
      synchronized (this) {
        if (!open && waiting.get() <= resumeAt) {
          open = true;
          LOG.info("{} messages wait for SIP: links read again", waiting.get());
          readers.forEach(r -> r.reading(true));
        }
      }
    }
  }

  /** Messages from XMPP waiting for SIP now. */
  public int waiting() {
    return waiting.get();
  }

  public boolean isOpen() {
    return open;
  }

  /** How many times the gate closed since the start. */
  public synchronized long pauses() {
    return pauses;
  }
}
