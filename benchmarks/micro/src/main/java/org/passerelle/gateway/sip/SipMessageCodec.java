package org.passerelle.gateway.sip;

import gov.nist.javax.sip.Utils;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/**
 * The SIP endpoint's message code without its stack and sockets, for the benchmarks: it lives in
 * this package (in the benchmarks module) because {@link MessageRequests} and {@link
 * InboundRequests} are package-private, as they should stay.
 */
public final class SipMessageCodec {
  /** The port {@link RequestSender} writes into Via once UDP is chosen. */
  private static final int UDP_PORT = 5060;

  /** The port {@link RequestSender} writes into Via once TCP is chosen. */
  private static final int STREAM_PORT = 5060;

  private final MessageRequests requests = new MessageRequests(InetAddress.getLoopbackAddress());

  /** What the stack's UDP channel parses a datagram with (the default StringMsgParserFactory). */
  private final StringMsgParser parser = new StringMsgParser();

  /**
   * The request {@link SipEndpoint#sendMessage} builds and {@link RequestSender} completes with the
   * transport, as the bytes JAIN-SIP writes to the socket: with the Via branch the stack gives a
   * new client transaction.
   */
  public byte[] encode(OutgoingMessage message) throws ParseException {
    Request request = request(message);
    MessageRequests.setVia(request, SipTransport.UDP, UDP_PORT);
    ((ViaHeader) request.getHeader(ViaHeader.NAME))
        .setBranch(Utils.getInstance().generateBranchId());
    return ((SIPMessage) request).encodeAsBytes(SipTransport.UDP.token());
  }

  /** The request {@link SipEndpoint#sendMessage} builds for UDP, before a transport is chosen. */
  public Request request(OutgoingMessage message) throws ParseException {
    return draft(message).request();
  }

  /**
   * The bytes {@link RequestSender} gives the gateway's own TCP stream for {@code message}: written
   * by {@link MessageWriter} when its addresses came parsed (decision 25), else by JAIN-SIP.
   */
  public byte[] encodeForStream(OutgoingMessage message) throws ParseException {
    return draft(message).bytes(SipTransport.TCP, STREAM_PORT, BranchIds.next());
  }

  private MessageDraft draft(OutgoingMessage message) throws ParseException {
    return requests.draft(message, message.body().getBytes(StandardCharsets.UTF_8));
  }

  /** A datagram parsed as the stack parses it. */
  public Request parse(byte[] datagram) throws ParseException {
    return (Request) parser.parseSIPMessage(datagram, true, false, null);
  }

  /**
   * A MESSAGE from bytes to what the application's handler is given, as JAIN-SIP's UDP transport
   * delivers it: the parse, then the reads of {@code InboundRequests.onMessage} (which needs a live
   * provider and server transaction).
   */
  public IncomingMessage receive(byte[] datagram, InetSocketAddress source)
      throws ParseException, CharacterCodingException {
    return incoming(new ParsedRequest(parse(datagram)), source, SipTransport.UDP);
  }

  /**
   * The same MESSAGE as the gateway's own TCP listener reads it, from its bytes (decision 21).
   *
   * @throws IllegalArgumentException if it is outside what {@link RawMessage} reads
   */
  public IncomingMessage receiveOnStream(byte[] request, InetSocketAddress source)
      throws CharacterCodingException {
    RawMessage message =
        RawMessage.read(request)
            .orElseThrow(() -> new IllegalArgumentException("not read without JAIN-SIP"));
    return incoming(message, source, SipTransport.TCP);
  }

  private static IncomingMessage incoming(
      ReceivedRequest request, InetSocketAddress source, SipTransport transport)
      throws CharacterCodingException {
    ReceivedRequest.MessageFields fields = request.messageFields();
    String body = InboundRequests.decode(fields.body(), fields.charset().orElse(null));
    return IncomingMessage.of(fields, body, source, transport);
  }
}
