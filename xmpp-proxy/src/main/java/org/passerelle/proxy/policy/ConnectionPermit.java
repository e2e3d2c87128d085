package org.passerelle.proxy.policy;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One stream counted against its partner's max-connections. Released when the stream ends;
 * releasing twice is harmless.
 */
public final class ConnectionPermit {
  private final ConnectionLimiter owner;
  private final String key;
  private final AtomicBoolean released = new AtomicBoolean();

  ConnectionPermit(ConnectionLimiter owner, String key) {
    this.owner = owner;
    this.key = key;
  }

  /** The partner (or discovered domain) the stream counts against. */
  public String key() {
    return key;
  }

  public void release() {
    if (released.compareAndSet(false, true)) {
      owner.release(key);
    }
  }
}
