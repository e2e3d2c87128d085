package org.passerelle.model.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.passerelle.model.address.AddressException.Reason;

class AddressMapperTest {

  // RFC 7247 §6.4, the three examples verbatim.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          sip:f%C3%BC@sip.example     | fü@sip.example
          sip:o'malley@sip.example    | o\\27malley@sip.example
          sip:foo@sip.example;gr=bar  | foo@sip.example/bar
          """)
  void rfc7247Section64Examples(String uri, String jid) {
    assertThat(AddressMapper.toJid(uri)).isEqualTo(jid);
  }

  // RFC 7247 §6.5, the three examples verbatim (the RFC elides the second domain).
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          m\\26m@xmpp.example       | sip:m&m@xmpp.example
          tschüss@xmpp.example      | sip:tsch%C3%BCss@xmpp.example
          baz@xmpp.example/qux      | sip:baz@xmpp.example;gr=qux
          """)
  void rfc7247Section65Examples(String jid, String uri) {
    assertThat(AddressMapper.toSipUri(jid)).hasToString(uri);
  }

  // RFC 7247 §6.2 general rule and XEP-0106 §4.2: after decoding, every character a localpart
  // cannot hold is escaped, not only the & ' / of §6.4 step 5.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = " -> ",
      quoteCharacter = '"',
      textBlock =
          """
          sip:a%22b%3Ac%3Cd%3Ee%40f%20g@x.example  -> a\\22b\\3ac\\3cd\\3ee\\40f\\20g@x.example
          sip:at&t/guy@x.example                   -> at\\26t\\2fguy@x.example
          sip:c%5C27@x.example                     -> c\\5c27@x.example
          sip:c%5C5c@x.example                     -> c\\5c5c@x.example
          sip:c%5Cnet@x.example                    -> c\\net@x.example
          sip:%23%25%5B%5D%5E%60%7B%7C%7D@x.example -> #%[]^`{|}@x.example
          sip:a;b?c=d@x.example                    -> a;b?c=d@x.example
          """)
  void decodedUserIsEscapedAsXep0106Says(String uri, String jid) {
    assertThat(AddressMapper.toJid(uri)).isEqualTo(jid);
  }

  // RFC 7247 §6.5: # % [ \ ] ^ ` { | } and non-ASCII are percent-encoded; so is what
  // XEP-0106 unescaping brings back and RFC 3261 §25.1 does not allow in a user part.
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = " -> ",
      quoteCharacter = '"',
      textBlock =
          """
          a#b%c[d\\e]f^g`h{i|j}k@x.example           -> sip:a%23b%25c%5Bd%5Ce%5Df%5Eg%60h%7Bi%7Cj%7Dk@x.example
          a\\22b\\3ac\\3cd\\3ee\\40f\\20g@x.example  -> sip:a%22b%3Ac%3Cd%3Ee%40f%20g@x.example
          d\\27artagnan@x.example                    -> sip:d'artagnan@x.example
          \\2f.fanboy@x.example                      -> sip:/.fanboy@x.example
          c\\5c27@x.example                          -> sip:c%5C27@x.example
          élève@x.example                            -> sip:%C3%A9l%C3%A8ve@x.example
          \\2plus\\2is\\4@x.example                  -> sip:%5C2plus%5C2is%5C4@x.example
          a\\2Fb@x.example                           -> sip:a%5C2Fb@x.example
          """)
  void unescapedLocalpartIsPercentEncodedForTheUserPart(String jid, String uri) {
    assertThat(AddressMapper.toSipUri(jid)).hasToString(uri);
  }

  // XEP-0106 §5.3, the SIP example: its URI writes a bare "%zy", which RFC 3261 does not allow,
  // so the decoded address is the starting point here.
  @Test
  void xep0106SipExample() {
    SipUri uri =
        SipUri.builder(SipUri.Scheme.SIP, "example.com")
            .user("here's_a_wild_&_/cr%zy/_address")
            .build();

    String jid = AddressMapper.toJid(uri);

    assertThat(jid).isEqualTo("here\\27s_a_wild_\\26_\\2fcr%zy\\2f_address@example.com");
    assertThat(AddressMapper.toSipUri(jid))
        .isEqualTo(uri)
        .hasToString("sip:here's_a_wild_&_/cr%25zy/_address@example.com");
  }

  // RFC 7247 §6.3: the resource and the gr value name the same device.
  @Test
  void resourceBecomesGrAndBack() {
    SipUri uri = AddressMapper.toSipUri("bob@x.example/Büro 1;a=b@c/d");

    assertThat(uri.gruu()).contains("Büro 1;a=b@c/d");
    assertThat(uri).hasToString("sip:bob@x.example;gr=B%C3%BCro%201%3Ba%3Db%40c/d");
    assertThat(AddressMapper.toJid(uri)).isEqualTo("bob@x.example/Büro 1;a=b@c/d");
  }

  @Test
  void domainOnlyJidsAndUserlessUrisMapToEachOther() {
    assertThat(AddressMapper.toSipUri("sip.example")).hasToString("sip:sip.example");
    assertThat(AddressMapper.toSipUri("sip.example/r")).hasToString("sip:sip.example;gr=r");
    assertThat(AddressMapper.toJid("sip:sip.example")).isEqualTo("sip.example");
    assertThat(AddressMapper.toJid("sip:sip.example;gr=r")).isEqualTo("sip.example/r");
  }

  // RFC 3261 §19.1.1: port and the other parameters locate a server; they name nobody.
  @Test
  void portAndRoutingParametersAreNotCarriedIntoTheJid() {
    assertThat(AddressMapper.toJid("sip:alice@sip.example:5060;transport=tcp;lr;gr=phone"))
        .isEqualTo("alice@sip.example/phone");
  }

  // RFC 7622 §3.2.1 wants U-labels in JIDs; RFC 3261 §25.1 only allows ASCII host names.
  @Test
  void internationalizedDomainsAreULabelsInJidsAndALabelsInUris() {
    assertThat(AddressMapper.toJid("sip:alice@xn--mnchen-3ya.example"))
        .isEqualTo("alice@münchen.example");
    assertThat(AddressMapper.toSipUri("alice@münchen.example"))
        .hasToString("sip:alice@xn--mnchen-3ya.example");
    assertThat(AddressMapper.toSipUri("alice@MÜNCHEN.Example."))
        .hasToString("sip:alice@xn--mnchen-3ya.example");
    assertThat(AddressMapper.toSipUri("alice@xn--mnchen-3ya.example"))
        .hasToString("sip:alice@xn--mnchen-3ya.example");
  }

  @Test
  void domainsAreLowerCasedAndIpLiteralsKept() {
    assertThat(AddressMapper.toSipUri("Alice@Example.COM")).hasToString("sip:Alice@example.com");
    assertThat(AddressMapper.toSipUri("alice@[2001:DB8::1]"))
        .hasToString("sip:alice@[2001:db8::1]");
    assertThat(AddressMapper.toJid("sip:alice@192.0.2.1:5060")).isEqualTo("alice@192.0.2.1");
  }

  // RFC 7247 §6.5: sip or sips is local policy.
  @Test
  void xmppToSipSchemeIsChosenByTheCaller() {
    assertThat(AddressMapper.toSipUri("alice@x.example", SipUri.Scheme.SIPS))
        .hasToString("sips:alice@x.example");
  }

  // RFC 7247 §8: the S2X gateway MUST NOT translate a SIPS URI to XMPP.
  @Test
  void sipsUrisAreNeverTranslatedToXmpp() {
    assertThatThrownBy(() -> AddressMapper.toJid("sips:alice@example.com"))
        .isInstanceOfSatisfying(
            AddressException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SIPS_NOT_TRANSLATED))
        .hasMessage("a SIPS URI is never translated to XMPP (RFC 7247 §8)");
  }

  // RFC 7247 §6.3: only public GRUUs are mapped.
  @Test
  void temporaryGruusAreNotMapped() {
    assertThatThrownBy(() -> AddressMapper.toJid("sip:tgruu.7hs==jd7vnzga5w7@example.com;gr"))
        .isInstanceOfSatisfying(
            AddressException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TEMPORARY_GRUU))
        .hasMessage("a temporary GRUU (gr without a value) has no XMPP equivalent (RFC 7247 §6.3)");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          sip:%20bob@x.example      | SIP user part starts or ends with a space, which XEP-0106 §3.2 does not escape
          sip:bob%20@x.example      | SIP user part starts or ends with a space, which XEP-0106 §3.2 does not escape
          sip:a%07b@x.example       | localpart has the control character U+0007, which PRECIS forbids in every part of a JID (RFC 8264 §4)
          sip:a%C2%A0b@x.example    | localpart has the space U+00A0, which RFC 7622 §3.3 forbids (PRECIS IdentifierClass, RFC 8264 §4.2)
          sip:a@x.example;gr=a%0Ab  | resourcepart has the control character U+000A, which PRECIS forbids in every part of a JID (RFC 8264 §4)
          sip:a@xn--zz.example      | SIP URI host has an A-label that does not decode (RFC 5890)
          """)
  void sipAddressesWithoutAJidAreRefused(String uri, String message) {
    assertThatThrownBy(() -> AddressMapper.toJid(uri))
        .isInstanceOfSatisfying(
            AddressException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NO_JID_EQUIVALENT))
        .hasMessage(message);
  }

  // RFC 7622 §3.3: the 1023-octet limit holds for the escaped localpart, which can be three
  // times longer than the SIP user part.
  @Test
  void localpartLimitAppliesAfterEscaping() {
    assertThat(AddressMapper.toJid("sip:" + "a".repeat(1023) + "@x.example")).hasSize(1023 + 10);
    assertThatThrownBy(() -> AddressMapper.toJid("sip:" + "a".repeat(1024) + "@x.example"))
        .hasMessage("localpart is 1024 octets, more than 1023 (RFC 7622 §3.3)");
    assertThatThrownBy(() -> AddressMapper.toJid("sip:" + "'".repeat(342) + "@x.example"))
        .hasMessage("localpart is 1026 octets, more than 1023 (RFC 7622 §3.3)");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          ``                   | JID is empty (RFC 7622 §3.1)
          o'malley@x.example   | localpart has ''' (U+0027), which RFC 7622 §3.3.1 forbids (XEP-0106 escapes it as \\27)
          a b@x.example        | localpart has a space, which RFC 7622 §3.3 forbids (XEP-0106 escapes it as \\20)
          @x.example           | localpart is empty (RFC 7622 §3.3)
          alice@               | domainpart is empty (RFC 7622 §3.2)
          alice@x.example/     | resourcepart is empty (RFC 7622 §3.4)
          alice@x_y.example    | domainpart has '_' (U+005F); labels hold only letters, digits and '-' (RFC 1035 §2.3.1)
          """)
  void malformedJidsAreRefusedWithTheRule(String jid, String message) {
    assertThatThrownBy(() -> AddressMapper.toSipUri(jid))
        .isInstanceOfSatisfying(
            AddressException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JID))
        .hasMessage(message);
  }

  static Stream<Arguments> generatedSipAddresses() {
    Random random = new Random(7247L);
    String[] hosts = {"sip.example", "xn--mnchen-3ya.example", "192.0.2.1", "[2001:db8::1]"};
    return Corpus.users(500, 6_4L)
        .map(
            user -> {
              SipUri.Builder builder =
                  SipUri.builder(SipUri.Scheme.SIP, hosts[random.nextInt(hosts.length)]).user(user);
              String resource = Corpus.resource(random);
              if (resource != null) {
                builder.gruu(resource);
              }
              return Arguments.of(builder.build());
            });
  }

  // RFC 7247 §6.2: the mapping is reversible for every address it accepts.
  @ParameterizedTest
  @MethodSource("generatedSipAddresses")
  void sipToXmppToSipGivesTheSameUri(SipUri uri) {
    String jid = AddressMapper.toJid(uri);

    JidSyntax.check(jid);
    SipUri back = AddressMapper.toSipUri(jid);
    assertThat(back).isEqualTo(uri).hasToString(uri.toString());
    assertThat(SipUri.parse(uri.toString())).isEqualTo(uri);
  }

  static Stream<String> generatedJids() {
    Random random = new Random(6_5L);
    String[] domains = {"xmpp.example", "münchen.example", "192.0.2.1", "[2001:db8::1]"};
    return Corpus.users(500, 6_5L)
        .map(
            user -> {
              String resource = Corpus.resource(random);
              return JidEscaping.escapeLocalpart(user)
                  + "@"
                  + domains[random.nextInt(domains.length)]
                  + (resource == null ? "" : "/" + resource);
            });
  }

  @ParameterizedTest
  @MethodSource("generatedJids")
  void xmppToSipToXmppGivesTheSameJid(String jid) {
    JidSyntax.check(jid);
    SipUri uri = AddressMapper.toSipUri(jid);

    assertThat(AddressMapper.toJid(SipUri.parse(uri.toString()))).isEqualTo(jid);
  }
}
