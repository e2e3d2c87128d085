package org.passerelle.proxy.it;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.passerelle.proxy.s2s.AuthMethod;
import org.passerelle.proxy.s2s.DomainPair;
import org.passerelle.proxy.s2s.S2sEvents;

/** Remembers how each stream authenticated, so tests can assert the mechanism really used. */
final class AuthRecorder implements S2sEvents {
  private final Map<DomainPair, AuthMethod> inbound = new ConcurrentHashMap<>();
  private final Map<DomainPair, AuthMethod> outbound = new ConcurrentHashMap<>();

  @Override
  public void inboundAuthenticated(DomainPair pair, AuthMethod method) {
    inbound.put(pair, method);
  }

  @Override
  public void outboundAuthenticated(DomainPair pair, AuthMethod method) {
    outbound.put(pair, method);
  }

  AuthMethod awaitInbound(DomainPair pair, Duration timeout) throws InterruptedException {
    return await(inbound, pair, timeout, "inbound");
  }

  AuthMethod awaitOutbound(DomainPair pair, Duration timeout) throws InterruptedException {
    return await(outbound, pair, timeout, "outbound");
  }

  private static AuthMethod await(
      Map<DomainPair, AuthMethod> map, DomainPair pair, Duration timeout, String direction)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      AuthMethod method = map.get(pair);
      if (method != null) {
        return method;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + direction + " stream authenticated for " + pair);
  }
}
