package org.passerelle.gateway.sip;

/**
 * Receives MESSAGE requests (RFC 3428). Called on a JAIN-SIP thread, or on an event loop for a
 * MESSAGE over TCP or TLS (decision 17): never block; hand long work to another executor and answer
 * through the responder when done. If the handler throws, the request is answered 500.
 */
@FunctionalInterface
public interface MessageHandler {

  void onMessage(IncomingMessage message, SipResponder responder);
}
