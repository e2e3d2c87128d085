package org.passerelle.model.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.passerelle.model.address.AddressException.Reason;

class SipUriTest {

  @Test
  void addressOfRecordHasSchemeUserAndHost() {
    SipUri uri = SipUri.parse("sip:alice@example.com");

    assertThat(uri.scheme()).isEqualTo(SipUri.Scheme.SIP);
    assertThat(uri.user()).contains("alice");
    assertThat(uri.host()).isEqualTo("example.com");
    assertThat(uri.port()).isEmpty();
    assertThat(uri.parameters()).isEmpty();
    assertThat(uri).hasToString("sip:alice@example.com");
  }

  @Test
  void writtenParametersAreWhatToStringWrites() {
    SipUri uri = SipUri.parse("sip:alice@example.com;GR=dev%20ice;lr;maddr=10.0.0.1");

    assertThat(uri.writtenParameters())
        .containsExactly(
            Map.entry("gr", "dev%20ice"), Map.entry("lr", ""), Map.entry("maddr", "10.0.0.1"));
    assertThat(uri).hasToString("sip:alice@example.com;gr=dev%20ice;lr;maddr=10.0.0.1");
  }

  @Test
  void writtenUserIsWhatToStringWritesNotWhatWasParsed() {
    SipUri uri = SipUri.parse("sip:m%26m%41@example.com");

    assertThat(uri.rawUser()).contains("m%26m%41");
    assertThat(uri.writtenUser()).contains("m&mA");
    assertThat(uri).hasToString("sip:m&mA@example.com");
    assertThat(SipUri.parse("sip:example.com").writtenUser()).isEmpty();
  }

  @Test
  void sipsSchemeIsRecognized() {
    assertThat(SipUri.parse("sips:alice@example.com").scheme()).isEqualTo(SipUri.Scheme.SIPS);
  }

  // RFC 3261 §19.1.4: scheme and host compare case-insensitively, the user part does not.
  @Test
  void schemeAndHostAreLowerCasedButNotTheUser() {
    assertThat(SipUri.parse("SIP:Alice@Example.COM")).hasToString("sip:Alice@example.com");
  }

  @Test
  void userIsPercentDecodedAsUtf8() {
    SipUri uri = SipUri.parse("sip:f%c3%bc@sip.example");

    assertThat(uri.user()).contains("fü");
    assertThat(uri.rawUser()).contains("f%c3%bc");
    assertThat(uri).hasToString("sip:f%C3%BC@sip.example");
  }

  // RFC 3261 §25.1 user = unreserved / escaped / user-unreserved: only the rest is escaped.
  @Test
  void canonicalFormEscapesOnlyWhatTheUserPartCannotCarry() {
    assertThat(SipUri.parse("sip:m%26m%2F%3b%3F%3D%2B%24%2C@x.example"))
        .hasToString("sip:m&m/;?=+$,@x.example");
    assertThat(SipUri.parse("sip:a-b_c.d!e~f*g'h(i)j@x.example"))
        .hasToString("sip:a-b_c.d!e~f*g'h(i)j@x.example");
    assertThat(SipUri.parse("sip:%23%25%5B%5C%5D%5E%60%7B%7C%7D%22%3A%3C%3E%40%20@x.example"))
        .hasToString("sip:%23%25%5B%5C%5D%5E%60%7B%7C%7D%22%3A%3C%3E%40%20@x.example");
  }

  @Test
  void userPartMayHoldSemicolonAndQuestionMark() {
    SipUri uri = SipUri.parse("sip:a;b?c@example.com;lr");

    assertThat(uri.user()).contains("a;b?c");
    assertThat(uri.parameters()).containsExactly(Map.entry("lr", ""));
  }

  @Test
  void differentlyEscapedUsersAndParameterOrderAreEqual() {
    SipUri a = SipUri.parse("sip:m%26m@example.com;transport=tcp;lr");
    SipUri b = SipUri.parse("sip:m&m@EXAMPLE.com;lr;transport=tcp");

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(SipUri.parse("sips:m&m@example.com;lr;transport=tcp"));
  }

  @Test
  void portAndParametersAreKeptInOrder() {
    SipUri uri = SipUri.parse("sip:alice@example.com:5060;Transport=tcp;lr;maddr=192.0.2.9");

    assertThat(uri.port()).hasValue(5060);
    assertThat(uri.parameters())
        .containsExactly(
            Map.entry("transport", "tcp"), Map.entry("lr", ""), Map.entry("maddr", "192.0.2.9"));
    assertThat(uri.parameter("TRANSPORT")).contains("tcp");
    assertThat(uri).hasToString("sip:alice@example.com:5060;transport=tcp;lr;maddr=192.0.2.9");
  }

  // RFC 5627 §3.1.1: a public GRUU is the AOR with gr=<instance>.
  @Test
  void publicGruuCarriesTheDevice() {
    SipUri uri =
        SipUri.parse("sip:alice@example.com;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");

    assertThat(uri.gruu()).contains("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
    assertThat(uri)
        .hasToString("sip:alice@example.com;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
  }

  // RFC 5627 §3.1.2: a temporary GRUU has gr without a value.
  @Test
  void temporaryGruuHasAnEmptyGrAndNoDevice() {
    SipUri uri = SipUri.parse("sip:tgruu.7hs==jd7vnzga5w7fajsc7-ajd6fabz0f8g5@example.com;gr");

    assertThat(uri.gruu()).isEmpty();
    assertThat(uri.parameter("gr")).contains("");
    assertThat(uri).hasToString("sip:tgruu.7hs==jd7vnzga5w7fajsc7-ajd6fabz0f8g5@example.com;gr");
  }

  @Test
  void grValueIsDecodedAndReEncoded() {
    SipUri uri = SipUri.parse("sip:bob@example.com;gr=B%c3%bcro%201");

    assertThat(uri.gruu()).contains("Büro 1");
    assertThat(uri).hasToString("sip:bob@example.com;gr=B%C3%BCro%201");
  }

  @Test
  void withGruuNamesOneDeviceOfTheAddressOfRecord() {
    SipUri aor = SipUri.parse("sip:bob@example.com:5070;transport=tcp");

    SipUri gruu = aor.withGruu("Büro 1");

    assertThat(gruu).hasToString("sip:bob@example.com;gr=B%C3%BCro%201");
    assertThat(gruu.gruu()).contains("Büro 1");
    assertThat(gruu.addressOfRecord()).isEqualTo(aor.addressOfRecord());
    assertThatIllegalArgumentException().isThrownBy(() -> aor.withGruu(""));
  }

  @Test
  void userPartIsOptional() {
    SipUri uri = SipUri.parse("sip:example.com;gr=x");

    assertThat(uri.user()).isEmpty();
    assertThat(uri.rawUser()).isEmpty();
    assertThat(uri).hasToString("sip:example.com;gr=x");
  }

  @Test
  void ipAddressesAreHosts() {
    assertThat(SipUri.parse("sip:alice@192.0.2.1:5070").host()).isEqualTo("192.0.2.1");
    assertThat(SipUri.parse("sip:alice@[2001:DB8::1]:5061;transport=tls"))
        .hasToString("sip:alice@[2001:db8::1]:5061;transport=tls");
    assertThat(SipUri.parse("sip:[::ffff:192.0.2.1]").host()).isEqualTo("[::ffff:192.0.2.1]");
    assertThat(SipUri.parse("sip:a@[1:2:3:4:5:6:7:8]").host()).isEqualTo("[1:2:3:4:5:6:7:8]");
    assertThat(SipUri.parse("sip:a@[::]").host()).isEqualTo("[::]");
  }

  @Test
  void trailingDotOfTheHostIsDropped() {
    assertThat(SipUri.parse("sip:alice@example.com.")).hasToString("sip:alice@example.com");
  }

  @Test
  void addressOfRecordDropsPortAndParameters() {
    SipUri uri = SipUri.parse("sip:alice@example.com:5060;transport=udp;gr=phone");

    assertThat(uri.addressOfRecord()).hasToString("sip:alice@example.com");
  }

  @Test
  void builderEscapesTheUserAndConvertsTheHostToALabels() {
    SipUri uri =
        SipUri.builder(SipUri.Scheme.SIP, "München.example")
            .user("o'malley & sons")
            .port(5062)
            .parameter("transport", "tcp")
            .gruu("Büro")
            .build();

    assertThat(uri)
        .hasToString(
            "sip:o'malley%20&%20sons@xn--mnchen-3ya.example:5062;transport=tcp;gr=B%C3%BCro");
    assertThat(uri.rawUser()).contains("o'malley%20&%20sons");
    assertThat(SipUri.parse(uri.toString())).isEqualTo(uri);
  }

  @Test
  void builderRefusesBadArguments() {
    SipUri.Builder builder = SipUri.builder(SipUri.Scheme.SIP, "example.com");

    assertThatIllegalArgumentException().isThrownBy(() -> builder.user(""));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.user("a\uD800"));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.port(0));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.port(65536));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.parameter("", "x"));
    assertThatIllegalArgumentException().isThrownBy(() -> builder.gruu(""));
    assertThatThrownBy(() -> SipUri.builder(SipUri.Scheme.SIP, "exa mple.com"))
        .isInstanceOf(AddressException.class);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          ""                                    | MALFORMED_URI   | no scheme before ':'
          alice@example.com                     | MALFORMED_URI   | no scheme before ':'
          tel:+15551234                         | UNSUPPORTED_URI | URI scheme is not sip or sips
          sipx:alice@example.com                | UNSUPPORTED_URI | URI scheme is not sip or sips
          sip:alice:secret@example.com          | UNSUPPORTED_URI | password in its user part
          sip:alice@example.com?subject=hi      | UNSUPPORTED_URI | has headers ('?')
          sip:@example.com                      | MALFORMED_URI   | user part is empty
          sip:a@b@example.com                   | MALFORMED_URI   | more than one '@'
          sip:al ice@example.com                | MALFORMED_URI   | user part has U+0020 at index 6, which must be percent-encoded
          sip:a<b@example.com                   | MALFORMED_URI   | user part has '<' (U+003C) at index 5
          sip:fü@example.com                    | MALFORMED_URI   | user part has U+00FC at index 5
          sip:a%2@example.com                   | MALFORMED_URI   | '%' at index 5 not followed by two hex digits
          sip:a%zz@example.com                  | MALFORMED_URI   | '%' at index 5 not followed by two hex digits
          sip:%C3%28@example.com                | UNSUPPORTED_URI | does not decode as UTF-8
          sip:%ED%A0%80@example.com             | UNSUPPORTED_URI | does not decode as UTF-8
          sip:alice@                            | MALFORMED_URI   | SIP URI has no host
          sip:alice@exa_mple.com                | MALFORMED_URI   | has '_' (U+005F); labels hold only letters, digits and '-'
          sip:alice@-example.com                | MALFORMED_URI   | label that starts or ends with '-'
          sip:alice@example..com                | MALFORMED_URI   | has an empty label
          sip:alice@example.123                 | MALFORMED_URI   | top label '123' must start with a letter
          sip:alice@münchen.example             | MALFORMED_URI   | must be written as A-labels
          sip:alice@example.com>                | MALFORMED_URI   | has '>' (U+003E)
          sip:alice@example.com:0               | MALFORMED_URI   | port 0 is not between 1 and 65535
          sip:alice@example.com:65536           | MALFORMED_URI   | port 65536 is not between 1 and 65535
          sip:alice@example.com:                | MALFORMED_URI   | port must be 1 to 5 digits
          sip:alice@example.com:5060x           | MALFORMED_URI   | 'x' (U+0078) at index 26 where a port, ';' or the end was expected
          sip:alice@[2001:db8::1                | MALFORMED_URI   | '[' without ']'
          sip:alice@[2001:db8:::1]              | MALFORMED_URI   | not a valid bracketed IPv6 address
          sip:alice@[1:2:3:4:5:6:7:8:9]         | MALFORMED_URI   | not a valid bracketed IPv6 address
          sip:alice@[fe80::1%25eth0]            | MALFORMED_URI   | not a valid bracketed IPv6 address
          sip:alice@256.0.0.1                   | MALFORMED_URI   | not a valid IPv4 address
          sip:alice@1.2.3                       | MALFORMED_URI   | not a valid IPv4 address
          sip:alice@example.com;;lr             | MALFORMED_URI   | empty parameter
          sip:alice@example.com;                | MALFORMED_URI   | empty parameter
          sip:alice@example.com;=x              | MALFORMED_URI   | parameter without a name
          sip:alice@example.com;gr=             | MALFORMED_URI   | parameter 'gr' has '=' but no value
          sip:alice@example.com;gr=a;GR=b       | MALFORMED_URI   | parameter 'gr' appears twice
          sip:alice@example.com;gr=a b          | MALFORMED_URI   | parameter 'gr' has U+0020
          """)
  void malformedOrUnsupportedUrisAreRefusedWithTheRule(String text, Reason reason, String message) {
    assertThatThrownBy(() -> SipUri.parse(text))
        .isInstanceOfSatisfying(
            AddressException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }

  // RFC 1035 §2.3.4: labels up to 63 characters, names up to 253.
  @Test
  void overlongLabelsAndHostsAreRefused() {
    String label63 = "a".repeat(63);
    assertThat(SipUri.parse("sip:a@" + label63 + ".example").host()).startsWith(label63);
    assertThatThrownBy(() -> SipUri.parse("sip:a@" + label63 + "b.example"))
        .hasMessageContaining("label longer than 63 characters");
    String host253 = String.join(".", label63, label63, label63, "a".repeat(61));
    assertThat(SipUri.parse("sip:a@" + host253).host()).hasSize(253);
    assertThatThrownBy(() -> SipUri.parse("sip:a@" + host253 + "a"))
        .hasMessageContaining("longer than 253 characters");
  }

  @Test
  void parsingTheCanonicalFormGivesTheSameUri() {
    for (String text :
        new String[] {
          "sip:alice@example.com",
          "sips:%C3%A9l%C3%A8ve@xn--mnchen-3ya.example:5061;transport=tls",
          "sip:%20a%5Cb%22@example.com;gr=urn:uuid:1;lr",
          "sip:[2001:db8::1]",
        }) {
      SipUri uri = SipUri.parse(text);
      assertThat(uri).hasToString(text);
      assertThat(SipUri.parse(uri.toString())).isEqualTo(uri);
    }
  }
}
