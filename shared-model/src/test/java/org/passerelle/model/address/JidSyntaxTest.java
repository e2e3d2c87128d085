package org.passerelle.model.address;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.model.address.AddressException.Reason;

class JidSyntaxTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "example.com",
        "example.com.",
        "alice@example.com",
        "alice@example.com/phone",
        "d\\27artagnan@example.com/Büro 1",
        "a/b@c", // RFC 7622 §3.1: the resourcepart starts at the first '/', so "b@c" is one
        "fü@münchen.example",
        "alice@xn--mnchen-3ya.example",
        "alice@192.0.2.1",
        "alice@[2001:db8::1]/r",
        "%@example.com",
        "\\2plus\\2is\\4@example.com",
      })
  void validJidsPass(String jid) {
    assertThatCode(() -> JidSyntax.check(jid)).doesNotThrowAnyException();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          ``                     | JID is empty (RFC 7622 §3.1)
          @example.com           | localpart is empty (RFC 7622 §3.3)
          alice@                 | domainpart is empty (RFC 7622 §3.2)
          alice@/r               | domainpart is empty (RFC 7622 §3.2)
          alice@example.com/     | resourcepart is empty (RFC 7622 §3.4)
          o'malley@example.com   | localpart has ''' (U+0027), which RFC 7622 §3.3.1 forbids (XEP-0106 escapes it as \\27)
          m&m@example.com        | localpart has '&' (U+0026), which RFC 7622 §3.3.1 forbids (XEP-0106 escapes it as \\26)
          a"b@example.com        | localpart has '"' (U+0022), which RFC 7622 §3.3.1 forbids (XEP-0106 escapes it as \\22)
          a:b@example.com        | localpart has ':' (U+003A), which RFC 7622 §3.3.1 forbids (XEP-0106 escapes it as \\3a)
          a<b@example.com        | localpart has '<' (U+003C), which RFC 7622 §3.3.1 forbids (XEP-0106 escapes it as \\3c)
          a>b@example.com        | localpart has '>' (U+003E), which RFC 7622 §3.3.1 forbids (XEP-0106 escapes it as \\3e)
          a b@example.com        | localpart has a space, which RFC 7622 §3.3 forbids (XEP-0106 escapes it as \\20)
          a@b@example.com        | domainpart has '@' (U+0040); labels hold only letters, digits and '-' (RFC 1035 §2.3.1)
          alice@exa mple.com     | domainpart has U+0020; labels hold only letters, digits and '-' (RFC 1035 §2.3.1)
          alice@example..com     | domainpart has an empty label (RFC 1035 §2.3.1)
          alice@256.1.1.1        | domainpart is not a valid IPv4 address (RFC 3986 §3.2.2)
          alice@[::1             | domainpart is not a valid bracketed IPv6 address (RFC 3986 §3.2.2)
          """)
  void malformedJidsNameTheRuleTheyBreak(String jid, String message) {
    assertThatThrownBy(() -> JidSyntax.check(jid))
        .isInstanceOfSatisfying(
            AddressException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.reason())
                    .isEqualTo(Reason.MALFORMED_JID))
        .hasMessage(message);
  }

  // PRECIS IdentifierClass (RFC 8264 §4.2): no spaces but U+0020, which XEP-0106 escapes.
  @Test
  void otherSpacesAndControlsAreRefusedInTheLocalpart() {
    assertThatThrownBy(() -> JidSyntax.check("a\u00A0b@example.com"))
        .hasMessage(
            "localpart has the space U+00A0, which RFC 7622 §3.3 forbids (PRECIS IdentifierClass,"
                + " RFC 8264 §4.2)");
    assertThatThrownBy(() -> JidSyntax.check("a\u0007b@example.com"))
        .hasMessage(
            "localpart has the control character U+0007, which PRECIS forbids in every part of a"
                + " JID (RFC 8264 §4)");
  }

  // PRECIS OpaqueString (RFC 7622 §3.4): spaces are fine in a resourcepart, controls are not.
  @Test
  void resourcepartAllowsSpacesButNotControls() {
    assertThatCode(() -> JidSyntax.check("a@example.com/ my phone ")).doesNotThrowAnyException();
    assertThatThrownBy(() -> JidSyntax.check("a@example.com/line\nbreak"))
        .hasMessage(
            "resourcepart has the control character U+000A, which PRECIS forbids in every part of"
                + " a JID (RFC 8264 §4)");
  }

  @Test
  void unpairedSurrogatesAreRefused() {
    assertThatThrownBy(() -> JidSyntax.check("a\uDC00@example.com"))
        .hasMessage("localpart is not valid UTF-16: unpaired surrogate");
    assertThatThrownBy(() -> JidSyntax.check("a@example.com/\uD800"))
        .hasMessage("resourcepart is not valid UTF-16: unpaired surrogate");
  }

  // RFC 7622 §3.3 and §3.4: at most 1023 octets of UTF-8, not characters.
  @Test
  void partsAreLimitedTo1023Octets() {
    assertThatCode(() -> JidSyntax.check("a".repeat(1023) + "@example.com"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> JidSyntax.check("a".repeat(1024) + "@example.com"))
        .hasMessage("localpart is 1024 octets, more than 1023 (RFC 7622 §3.3)");
    assertThatCode(() -> JidSyntax.check("ü".repeat(511) + "@example.com"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> JidSyntax.check("ü".repeat(512) + "@example.com"))
        .hasMessage("localpart is 1024 octets, more than 1023 (RFC 7622 §3.3)");
    assertThatThrownBy(() -> JidSyntax.check("\uD834\uDD1E".repeat(256) + "@example.com"))
        .hasMessage("localpart is 1024 octets, more than 1023 (RFC 7622 §3.3)");
    assertThatThrownBy(() -> JidSyntax.check("a@example.com/" + "中".repeat(342)))
        .hasMessage("resourcepart is 1026 octets, more than 1023 (RFC 7622 §3.4)");
  }

  @Test
  void overlongInternationalizedDomainIsRefused() {
    assertThatThrownBy(() -> JidSyntax.check("a@" + "ü".repeat(508) + ".example"))
        .hasMessage("domainpart is 1024 octets, more than 1023 (RFC 7622 §3.2)");
    assertThatThrownBy(() -> JidSyntax.check("a@" + "ü".repeat(70) + ".example"))
        .hasMessage("domainpart is not a valid internationalized domain name (RFC 7622 §3.2)");
  }
}
