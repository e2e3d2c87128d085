package org.passerelle.model.errors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SipReasonPhrasesTest {

  // RFC 3261 §21, a sample across the classes, written as the RFC writes them.
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "100, Trying",
    "200, OK",
    "302, Moved Temporarily",
    "404, Not Found",
    "408, Request Timeout",
    "414, Request-URI Too Long",
    "481, Call/Transaction Does Not Exist",
    "504, Server Time-out",
    "604, Does Not Exist Anywhere",
  })
  void defaultPhrasesAreTheRegisteredOnes(int status, String phrase) {
    assertThat(SipReasonPhrases.defaultPhrase(status)).contains(phrase);
  }

  @Test
  void everyCodeOfBothTablesHasAPhrase() {
    for (XmppToSipErrors.Row row : XmppToSipErrors.TABLE) {
      assertThat(SipReasonPhrases.defaultPhrase(row.fullJid())).isPresent();
      assertThat(SipReasonPhrases.defaultPhrase(row.bareJid())).isPresent();
    }
    assertThat(SipReasonPhrases.defaultPhrase(XmppToSipErrors.GONE_WITH_NEW_ADDRESS)).isPresent();
    assertThat(SipReasonPhrases.defaultPhrase(XmppToSipErrors.DOMAIN_UNRESOLVABLE)).isPresent();
    for (SipToXmppErrors.Row row : SipToXmppErrors.TABLE) {
      assertThat(SipReasonPhrases.defaultPhrase(row.status())).isPresent();
    }
  }

  @Test
  void unlistedCodesHaveNoPhrase() {
    assertThat(SipReasonPhrases.defaultPhrase(499)).isEmpty();
  }

  @Test
  void xmppTextBecomesThePhrase() {
    assertThat(SipReasonPhrases.fromXmppText("User is away, try later", 480))
        .isEqualTo("User is away, try later");
    assertThat(SipReasonPhrases.fromXmppText("Grüße aus Köln", 480)).isEqualTo("Grüße aus Köln");
  }

  // RFC 3261 §25.1: a reason phrase ends at CRLF, so no line break may get into it.
  @Test
  void lineBreaksAndControlsBecomeSingleSpaces() {
    assertThat(SipReasonPhrases.fromXmppText("  line one\r\n\tline\u0000two  ", 400))
        .isEqualTo("line one line two");
  }

  // RFC 3261 §25.1 Reason-Phrase: reserved, unreserved, escaped, UTF-8, space and tab only.
  @Test
  void asciiOutsideTheGrammarIsPercentEncoded() {
    assertThat(SipReasonPhrases.fromXmppText("say \"hi\" <now> 100% {ok}", 400))
        .isEqualTo("say %22hi%22 %3Cnow%3E 100%25 %7Bok%7D");
  }

  @Test
  void longTextIsCutBetweenCharacters() {
    String clef = "\uD834\uDD1E";
    String phrase = SipReasonPhrases.fromXmppText("a".repeat(127) + clef + "b", 400);

    assertThat(phrase).isEqualTo("a".repeat(127));
    assertThat(SipReasonPhrases.fromXmppText("x".repeat(500), 400))
        .hasSize(SipReasonPhrases.MAX_PHRASE_LENGTH);
    assertThat(SipReasonPhrases.fromXmppText("a".repeat(126) + "%", 400))
        .isEqualTo("a".repeat(126));
  }

  @Test
  void withoutUsableTextTheDefaultPhraseIsUsed() {
    assertThat(SipReasonPhrases.fromXmppText(null, 404)).isEqualTo("Not Found");
    assertThat(SipReasonPhrases.fromXmppText(" \r\n ", 603)).isEqualTo("Decline");
    assertThat(SipReasonPhrases.fromXmppText("\uD800", 403)).isEqualTo("Forbidden");
    assertThat(SipReasonPhrases.fromXmppText("", 499)).isEqualTo("Unknown");
  }
}
