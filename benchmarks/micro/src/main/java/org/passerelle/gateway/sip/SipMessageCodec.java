package org.passerelle.gateway.sip;

import gov.nist.javax.sip.Utils;
import gov.nist.javax.sip.header.ContentLanguage;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Locale;
import java.util.Optional;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.SubjectHeader;
import javax.sip.header.ToHeader;
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

  /** The request {@link SipEndpoint#sendMessage} builds, before a transport is chosen. */
  public Request request(OutgoingMessage message) throws ParseException {
    return requests.message(message, message.body().getBytes(StandardCharsets.UTF_8));
  }

  /** A datagram parsed as the stack parses it. */
  public Request parse(byte[] datagram) throws ParseException {
    return (Request) parser.parseSIPMessage(datagram, true, false, null);
  }

  /**
   * A MESSAGE from bytes to what the application's handler is given: the parse, then the reads of
   * {@code InboundRequests.onMessage} (which needs a live provider and server transaction).
   */
  public IncomingMessage receive(byte[] datagram, InetSocketAddress source)
      throws ParseException, CharacterCodingException {
    Request request = parse(datagram);
    ContentTypeHeader contentType = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
    String mediaType =
        (contentType.getContentType() + "/" + contentType.getContentSubType())
            .toLowerCase(Locale.ROOT);
    byte[] raw = request.getRawContent();
    String body =
        InboundRequests.decode(
            raw == null ? new byte[0] : raw, contentType.getParameter("charset"));
    SubjectHeader subject = (SubjectHeader) request.getHeader(SubjectHeader.NAME);
    ContentLanguage language = (ContentLanguage) request.getHeader(ContentLanguage.NAME);
    return new IncomingMessage(
        request.getRequestURI().toString(),
        ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString(),
        ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString(),
        ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId(),
        mediaType,
        body,
        Optional.ofNullable(subject).map(SubjectHeader::getSubject),
        Optional.ofNullable(language).map(ContentLanguage::getLanguageTag),
        source,
        SipTransport.UDP);
  }
}
