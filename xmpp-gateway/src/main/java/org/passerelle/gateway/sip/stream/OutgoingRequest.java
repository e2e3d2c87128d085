package org.passerelle.gateway.sip.stream;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.passerelle.gateway.sip.SipResponseInfo;

/**
 * A request to send on a stream, and what waits for its final response: a non-INVITE client
 * transaction (RFC 3261 §17.1.2) over a reliable transport, so never retransmitted; Timer F ends it
 * at {@code deadlineNanos}.
 *
 * @param target where the request goes
 * @param tls whether over TLS
 * @param branch the branch of the request's Via, which its responses carry back (§17.1.3)
 * @param method the request's method, which the responses' CSeq names
 * @param bytes the whole request, encoded
 * @param deadlineNanos when Timer F fires, on {@link System#nanoTime()}'s scale
 * @param response completed once, with the final response or a {@code SipSendException}
 */
record OutgoingRequest(
    InetSocketAddress target,
    boolean tls,
    String branch,
    String method,
    byte[] bytes,
    long deadlineNanos,
    CompletableFuture<SipResponseInfo> response) {}
