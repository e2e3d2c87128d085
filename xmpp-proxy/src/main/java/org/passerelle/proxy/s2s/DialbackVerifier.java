package org.passerelle.proxy.s2s;

import java.util.concurrent.CompletableFuture;

/**
 * Asks the authoritative server of a sending domain whether a dialback key is valid (XEP-0220
 * §2.1.2), over our own outbound stream to that domain.
 */
@FunctionalInterface
public interface DialbackVerifier {
  /**
   * @param pair {@code local}: the receiving (our) domain; {@code remote}: the sending domain
   * @param streamId the id of the inbound stream the key arrived on
   * @param key the key the sender presented
   */
  CompletableFuture<DialbackVerdict> verify(DomainPair pair, String streamId, String key);
}
