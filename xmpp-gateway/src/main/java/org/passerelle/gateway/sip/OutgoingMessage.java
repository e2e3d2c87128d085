package org.passerelle.gateway.sip;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.passerelle.model.address.SipUri;

/**
 * A MESSAGE request to send outside a dialog (RFC 3428), with a {@code text/plain;charset=UTF-8}
 * body. Shapes are checked here; URIs are fully parsed when the message is sent. Build with {@link
 * #builder(String, String, String)}.
 *
 * @param requestUri where the message goes, a {@code sip:} or {@code sips:} URI
 * @param from the sender's address (RFC 7572 §4: the bare JID's SIP URI, with {@code ;gr=} for a
 *     resource)
 * @param to the recipient's address, usually the Request-URI
 * @param callId the Call-ID to use (RFC 7572 maps XMPP {@code <thread/>} to it); a fresh one if
 *     empty
 * @param subject the Subject header, if any
 * @param contentLanguage the Content-Language, a language tag such as {@code en-GB} (from {@code
 *     xml:lang}, RFC 7572 §8), if any
 * @param body the text
 * @param uris the three addresses as parsed values, when the caller had them (see {@link
 *     #builder(SipUri, SipUri, String)}): the request is then built from their parts, without
 *     parsing the text again
 */
public record OutgoingMessage(
    String requestUri,
    String from,
    String to,
    Optional<String> callId,
    Optional<String> subject,
    Optional<String> contentLanguage,
    String body,
    Optional<Uris> uris) {

  /** The addresses of an {@link OutgoingMessage}, parsed; each one's text is its string twin. */
  public record Uris(SipUri requestUri, SipUri from, SipUri to) {
    public Uris {
      Objects.requireNonNull(requestUri, "requestUri");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /** RFC 3261 §25.1: {@code callid = word [ "@" word ]}. */
  private static final Pattern CALL_ID;

  /** RFC 3261 §20.13 refers to RFC 3066: {@code 1*8ALPHA *("-" 1*8(ALPHA / DIGIT))}. */
  private static final Pattern LANGUAGE_TAG =
      Pattern.compile("[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*");

  static {
    String word = "[A-Za-z0-9\\-.!%*_+`'~()<>:\\\\\"/\\[\\]?{}]+";
    CALL_ID = Pattern.compile(word + "(?:@" + word + ")?");
  }

  public OutgoingMessage {
    requireSipUri(requestUri, "requestUri");
    requireSipUri(from, "from");
    requireSipUri(to, "to");
    Objects.requireNonNull(callId, "callId");
    callId.ifPresent(
        id -> {
          if (!isValidCallId(id)) {
            throw new IllegalArgumentException("not a valid Call-ID (RFC 3261 §25.1): " + id);
          }
        });
    Objects.requireNonNull(subject, "subject");
    subject.ifPresent(
        s -> {
          if (s.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new IllegalArgumentException("subject must be one line");
          }
        });
    Objects.requireNonNull(contentLanguage, "contentLanguage");
    contentLanguage.ifPresent(
        tag -> {
          if (!LANGUAGE_TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("not a language tag: " + tag);
          }
        });
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(uris, "uris");
    uris.ifPresent(
        u -> {
          if (!u.requestUri().toString().equals(requestUri)
              || !u.from().toString().equals(from)
              || !u.to().toString().equals(to)) {
            throw new IllegalArgumentException("parsed addresses differ from the text");
          }
        });
  }

  /**
   * Starts a message whose To is its Request-URI.
   *
   * @param requestUri the recipient's {@code sip:} or {@code sips:} URI
   * @param from the sender's URI
   * @param body the text
   */
  public static Builder builder(String requestUri, String from, String body) {
    return new Builder(requestUri, from, body);
  }

  /**
   * Starts a message from addresses already parsed, e.g. mapped from JIDs (RFC 7247): the endpoint
   * builds the request from their parts instead of parsing their text. Its To is its Request-URI
   * unless {@link Builder#to(SipUri)} says otherwise.
   */
  public static Builder builder(SipUri requestUri, SipUri from, String body) {
    Builder builder = new Builder(requestUri.toString(), from.toString(), body);
    builder.requestUriParsed = requestUri;
    builder.fromParsed = from;
    builder.toParsed = requestUri;
    return builder;
  }

  /**
   * Whether a string can be used as a Call-ID as it is. Translators must map other XMPP thread
   * identifiers to a valid form first.
   */
  public static boolean isValidCallId(String value) {
    return value != null && CALL_ID.matcher(value).matches();
  }

  /** Leaves the body out: it is user content. */
  @Override
  public String toString() {
    return "OutgoingMessage[to "
        + requestUri
        + " from "
        + from
        + callId.map(id -> ", Call-ID " + id).orElse("")
        + ", "
        + body.length()
        + " chars]";
  }

  private static void requireSipUri(String uri, String name) {
    Objects.requireNonNull(uri, name);
    String lower = uri.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("sip:") && !lower.startsWith("sips:")) {
      throw new IllegalArgumentException(name + " must be a sip: or sips: URI: " + uri);
    }
  }

  /** Collects the optional parts of an {@link OutgoingMessage}. */
  public static final class Builder {
    private final String requestUri;
    private final String from;
    private final String body;
    private String to;
    private String callId;
    private String subject;
    private String contentLanguage;
    private SipUri requestUriParsed;
    private SipUri fromParsed;
    private SipUri toParsed;

    private Builder(String requestUri, String from, String body) {
      this.requestUri = requestUri;
      this.from = from;
      this.body = body;
      this.to = requestUri;
    }

    /** The To address as text: the request is then built from the text of all three. */
    public Builder to(String value) {
      this.to = value;
      this.toParsed = null;
      return this;
    }

    /** The To address, parsed. */
    public Builder to(SipUri value) {
      this.to = value.toString();
      this.toParsed = value;
      return this;
    }

    public Builder callId(String value) {
      this.callId = value;
      return this;
    }

    public Builder subject(String value) {
      this.subject = value;
      return this;
    }

    public Builder contentLanguage(String value) {
      this.contentLanguage = value;
      return this;
    }

    public OutgoingMessage build() {
      return new OutgoingMessage(
          requestUri,
          from,
          to,
          Optional.ofNullable(callId),
          Optional.ofNullable(subject),
          Optional.ofNullable(contentLanguage),
          body,
          requestUriParsed != null && fromParsed != null && toParsed != null
              ? Optional.of(new Uris(requestUriParsed, fromParsed, toParsed))
              : Optional.empty());
    }
  }
}
