package org.passerelle.gateway.im;

/** Answers one received SIP request, exactly once. */
@FunctionalInterface
public interface SipResponder {
  void respond(int status, String reason);
}
