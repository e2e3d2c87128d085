package org.passerelle.gateway.sip;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Checks header values against strict subsets of RFC 3261 §25.1, for {@link RawMessage}. A value
 * outside a subset is left to JAIN-SIP, which may still accept it.
 */
final class HeaderSyntax {

  private HeaderSyntax() {}

  static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  /** Without leading and trailing SP and HTAB. */
  static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return start == 0 && end == s.length() ? s : s.substring(start, end);
  }

  static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isSpace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" /
   * "~").
   */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTokenChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isTokenChar(char c) {
    return SipUriSyntax.isAlphanumeric(c) || "-.!%*_+`'~".indexOf(c) >= 0;
  }

  /** 1 to {@code max} decimal digits. */
  static boolean isDigits(String s, int max) {
    if (s.isEmpty() || s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** RFC 3261 §20.8: word [ "@" word ], of the word characters without quotes and brackets. */
  static boolean isCallId(String s) {
    int at = s.indexOf('@');
    if (s.isEmpty() || at == 0 || at == s.length() - 1 || (at > 0 && s.indexOf('@', at + 1) >= 0)) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '@' && !isTokenChar(c) && "():/[]?{}".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 3261 §20.42: via-parm *(COMMA via-parm), each {@code SIP/2.0/transport}, white space,
   * sent-by (host and optional port), then {@code ;name=value} parameters without white space
   * ({@code ;rport} alone without a value).
   */
  static boolean isVia(String value) {
    for (String via : value.split(",", -1)) {
      if (!isViaValue(trim(via))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isViaValue(String via) {
    if (!via.startsWith("SIP/2.0/")) {
      return false;
    }
    int space = indexOfSpace(via);
    if (space < 0 || !isToken(via.substring("SIP/2.0/".length(), space))) {
      return false;
    }
    String rest = trim(via.substring(space));
    int semi = rest.indexOf(';');
    String sentBy = semi < 0 ? rest : rest.substring(0, semi);
    int colon = sentBy.indexOf(':');
    String host = colon < 0 ? sentBy : sentBy.substring(0, colon);
    if (!SipUriSyntax.isHost(host)
        || (colon >= 0 && !SipUriSyntax.isPort(sentBy.substring(colon + 1)))) {
      return false;
    }
    if (semi < 0) {
      return true;
    }
    for (String parameter : rest.substring(semi + 1).split(";", -1)) {
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      // Only rport goes without a value (RFC 3581 §3); JAIN-SIP refuses a bare branch.
      boolean valid =
          equals < 0
              ? name.equalsIgnoreCase("rport")
              : isToken(name) && isToken(parameter.substring(equals + 1));
      if (!valid) {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 3261 §25.1: display-name = *(token LWS) / quoted-string; here without escapes, control
   * characters or U+FFFD in the quoted form.
   */
  static boolean isDisplayName(String s) {
    if (s.isEmpty()) {
      return true;
    }
    if (s.charAt(0) == '"') {
      return s.length() >= 2
          && s.charAt(s.length() - 1) == '"'
          && isQuotedText(s, 1, s.length() - 1);
    }
    for (String word : s.split("[ \t]+", -1)) {
      if (!isToken(word)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isQuotedText(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f || c == '\uFFFD') {
        return false;
      }
    }
    return true;
  }

  /** RFC 5646 in the shape RFC 3261 §20.13 gives it: 1*8ALPHA *("-" 1*8alphanum). */
  static boolean isLanguageTag(String s) {
    String[] parts = s.split("-", -1);
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 8) {
        return false;
      }
      for (int j = 0; j < part.length(); j++) {
        char c = part.charAt(j);
        boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!(letter || (i > 0 && c >= '0' && c <= '9'))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A language tag as JAIN-SIP holds and writes it ({@code ContentLanguage} keeps a {@link Locale}
   * of the first subtag and the rest): the first subtag in lower case, with the codes {@link
   * Locale} renames renamed ({@code iw} is {@code he}), the rest in upper case. So {@code EN-gb} is
   * {@code en-GB} and {@code zh-Hant-TW} is {@code zh-HANT-TW}.
   *
   * @param tag a tag {@link #isLanguageTag} accepts
   */
  static String languageAsJainSipWrites(String tag) {
    int dash = tag.indexOf('-');
    String first = dash < 0 ? tag : tag.substring(0, dash);
    // Locale's own rule for the primary language (old and new ISO 639 codes).
    String language = new Locale(first).getLanguage();
    return dash < 0 ? language : language + tag.substring(dash).toUpperCase(Locale.ROOT);
  }

  /** Parameters by lower-case name, values unquoted; from {@link #parameters}. */
  record Parameters(Map<String, String> byName) {
    /** The value of a parameter, without its quotes; {@code null} when absent. */
    String unquoted(String name) {
      return byName.get(name);
    }
  }

  /**
   * RFC 3261 §25.1: *( SEMI name [ EQUAL value ] ), value a token or a quoted string without
   * escapes, white space allowed around the semicolons; {@code null} when {@code text} is not that,
   * or names a parameter twice.
   *
   * @param valueRequired whether each parameter must have a value (media-type parameters)
   */
  static Parameters parameters(String text, boolean valueRequired) {
    Map<String, String> byName = new HashMap<>(4);
    String rest = trim(text);
    if (rest.isEmpty() || rest.charAt(0) != ';') {
      return null;
    }
    for (String parameter : rest.substring(1).split(";", -1)) {
      String trimmed = trim(parameter);
      int equals = trimmed.indexOf('=');
      if (equals < 0 && valueRequired) {
        return null;
      }
      String name = equals < 0 ? trimmed : trimmed.substring(0, equals);
      String value = equals < 0 ? "" : trimmed.substring(equals + 1);
      if (!isToken(name)) {
        return null;
      }
      if (value.length() >= 2 && value.charAt(0) == '"') {
        if (value.charAt(value.length() - 1) != '"'
            || !isQuotedText(value, 1, value.length() - 1)) {
          return null;
        }
        value = value.substring(1, value.length() - 1);
      } else if (equals >= 0 && !isToken(value)) {
        return null;
      }
      if (byName.put(name.toLowerCase(Locale.ROOT), value) != null) {
        return null;
      }
    }
    return new Parameters(byName);
  }
}
