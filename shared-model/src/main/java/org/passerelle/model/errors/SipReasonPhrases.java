package org.passerelle.model.errors;

import java.util.Map;
import java.util.Optional;

/**
 * SIP reason phrases, which RFC 7247 §7 lets travel as the {@code <text/>} of a stanza error and
 * back. Default phrases are those of RFC 3261 §21 and of the RFCs that registered the later codes
 * of the RFC 7247 §7.2 table.
 */
public final class SipReasonPhrases {
  /**
   * Longest reason phrase we write from XMPP text. RFC 3261 sets no limit; ours keeps a status line
   * short and a peer from putting a whole message in it.
   */
  public static final int MAX_PHRASE_LENGTH = 128;

  private static final Map<Integer, String> DEFAULTS =
      Map.ofEntries(
          // RFC 3261 §21.1, §21.2; 202 from RFC 3265, deprecated by RFC 6665 §8.3.1.
          Map.entry(100, "Trying"),
          Map.entry(180, "Ringing"),
          Map.entry(181, "Call Is Being Forwarded"),
          Map.entry(182, "Queued"),
          Map.entry(183, "Session Progress"),
          Map.entry(200, "OK"),
          Map.entry(202, "Accepted"),
          // RFC 3261 §21.3
          Map.entry(300, "Multiple Choices"),
          Map.entry(301, "Moved Permanently"),
          Map.entry(302, "Moved Temporarily"),
          Map.entry(305, "Use Proxy"),
          Map.entry(380, "Alternative Service"),
          // RFC 3261 §21.4
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(402, "Payment Required"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(405, "Method Not Allowed"),
          Map.entry(406, "Not Acceptable"),
          Map.entry(407, "Proxy Authentication Required"),
          Map.entry(408, "Request Timeout"),
          Map.entry(410, "Gone"),
          Map.entry(413, "Request Entity Too Large"),
          Map.entry(414, "Request-URI Too Long"),
          Map.entry(415, "Unsupported Media Type"),
          Map.entry(416, "Unsupported URI Scheme"),
          Map.entry(420, "Bad Extension"),
          Map.entry(421, "Extension Required"),
          Map.entry(423, "Interval Too Brief"),
          Map.entry(430, "Flow Failed"), // RFC 5626
          Map.entry(439, "First Hop Lacks Outbound Support"), // RFC 5626
          Map.entry(440, "Max-Breadth Exceeded"), // RFC 5393
          Map.entry(480, "Temporarily Unavailable"),
          Map.entry(481, "Call/Transaction Does Not Exist"),
          Map.entry(482, "Loop Detected"),
          Map.entry(483, "Too Many Hops"),
          Map.entry(484, "Address Incomplete"),
          Map.entry(485, "Ambiguous"),
          Map.entry(486, "Busy Here"),
          Map.entry(487, "Request Terminated"),
          Map.entry(488, "Not Acceptable Here"),
          Map.entry(489, "Bad Event"), // RFC 6665
          Map.entry(491, "Request Pending"),
          Map.entry(493, "Undecipherable"),
          // RFC 3261 §21.5
          Map.entry(500, "Server Internal Error"),
          Map.entry(501, "Not Implemented"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(504, "Server Time-out"),
          Map.entry(505, "Version Not Supported"),
          Map.entry(513, "Message Too Large"),
          // RFC 3261 §21.6
          Map.entry(600, "Busy Everywhere"),
          Map.entry(603, "Decline"),
          Map.entry(604, "Does Not Exist Anywhere"),
          Map.entry(606, "Not Acceptable"));

  /** Printable ASCII outside {@code reserved}, {@code unreserved} and space (RFC 3261 §25.1). */
  private static final String NOT_IN_PHRASE = "\"#%<>[\\]^`{|}";

  private static final String HEX = "0123456789ABCDEF";

  private SipReasonPhrases() {}

  /** The registered phrase of a status code; empty for a code not listed here. */
  public static Optional<String> defaultPhrase(int status) {
    return Optional.ofNullable(DEFAULTS.get(status));
  }

  /**
   * A reason phrase for a SIP response from the {@code <text/>} of an XMPP error, within the RFC
   * 3261 §25.1 {@code Reason-Phrase} grammar: line breaks, tabs and other controls become single
   * spaces (a reason phrase ends at CRLF), ASCII characters the grammar leaves out ({@code " # % <
   * > [ \ ] ^ ` { | }}) are percent-encoded, non-ASCII text is kept, and the result is cut at
   * {@link #MAX_PHRASE_LENGTH} characters between two characters. Without usable text, the default
   * phrase of {@code status}, or {@code "Unknown"} for an unlisted code.
   */
  public static String fromXmppText(String text, int status) {
    if (text != null) {
      StringBuilder phrase = new StringBuilder(Math.min(text.length(), MAX_PHRASE_LENGTH));
      boolean space = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c) || Character.isISOControl(c)) {
          space = phrase.length() > 0;
          continue;
        }
        boolean escape = c < 128 && NOT_IN_PHRASE.indexOf(c) >= 0;
        boolean pair =
            Character.isHighSurrogate(c)
                && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
        if (Character.isSurrogate(c) && !pair) {
          continue; // an unpaired surrogate is no character at all
        }
        int needed = (space ? 1 : 0) + (escape ? 3 : pair ? 2 : 1);
        if (phrase.length() + needed > MAX_PHRASE_LENGTH) {
          break;
        }
        if (space) {
          phrase.append(' ');
          space = false;
        }
        if (escape) {
          phrase.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
        } else if (pair) {
          phrase.append(c).append(text.charAt(++i));
        } else {
          phrase.append(c);
        }
      }
      if (phrase.length() > 0) {
        return phrase.toString();
      }
    }
    return defaultPhrase(status).orElse("Unknown");
  }
}
