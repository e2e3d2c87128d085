package org.passerelle.proxy.policy;

/**
 * The federation policy's refusals, for observers (metrics). Called on event loops: an
 * implementation must be quick and must not block.
 */
public interface PolicyEvents {
  PolicyEvents NONE = reason -> {};

  /**
   * A stream, a dialback request, an outbound session or a stanza was refused for {@code reason}.
   */
  void refused(PolicyDecision.Reason reason);
}
