package org.passerelle.gateway.sip;

import gov.nist.javax.sip.header.ContentLanguage;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.SubjectHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

/** A request JAIN-SIP has parsed, as {@link InboundRequests} reads it. */
record ParsedRequest(Request request) implements ReceivedRequest {

  private static final byte[] NO_BODY = new byte[0];

  ParsedRequest {
    Objects.requireNonNull(request, "request");
  }

  @Override
  public String method() {
    return request.getMethod();
  }

  @Override
  public Optional<String> sipHost() {
    return request.getRequestURI() instanceof SipURI sip
        ? Optional.of(sip.getHost().toLowerCase(Locale.ROOT))
        : Optional.empty();
  }

  @Override
  public int bodyLength() {
    byte[] body = request.getRawContent();
    return body == null ? 0 : body.length;
  }

  @Override
  public Optional<String> fromHost() {
    return fromUriObject() instanceof SipURI sip ? Optional.of(sip.getHost()) : Optional.empty();
  }

  @Override
  public String fromUri() {
    URI uri = fromUriObject();
    return uri == null ? "(none)" : uri.toString();
  }

  private URI fromUriObject() {
    FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
    return from == null || from.getAddress() == null ? null : from.getAddress().getURI();
  }

  @Override
  public String callId() {
    return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
  }

  @Override
  public MessageFields messageFields() {
    ContentTypeHeader contentType = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
    SubjectHeader subject = (SubjectHeader) request.getHeader(SubjectHeader.NAME);
    ContentLanguage language = (ContentLanguage) request.getHeader(ContentLanguage.NAME);
    byte[] body = request.getRawContent();
    return new MessageFields(
        request.getRequestURI().toString(),
        ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString(),
        ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI().toString(),
        callId(),
        contentType == null
            ? ""
            : (contentType.getContentType() + "/" + contentType.getContentSubType())
                .toLowerCase(Locale.ROOT),
        Optional.ofNullable(contentType).map(type -> type.getParameter("charset")),
        body == null ? NO_BODY : body,
        Optional.ofNullable(subject).map(SubjectHeader::getSubject),
        Optional.ofNullable(language).map(ContentLanguage::getLanguageTag));
  }

  @Override
  public Request parsed() {
    return request;
  }
}
