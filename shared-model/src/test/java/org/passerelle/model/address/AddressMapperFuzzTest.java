package org.passerelle.model.address;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the RFC 7247 §6 address mapping with what peers may send: any text, and texts built from
 * the pieces of SIP URIs and JIDs. Whatever comes in, {@link AddressMapper} gives a result or an
 * {@link AddressException} (its documented failure) — never another exception — and what it gives
 * can be mapped again.
 */
class AddressMapperFuzzTest {

  @Property
  void anyTextMapsToAJidOrAnAddressException(@ForAll("addressLike") String text) {
    String jid;
    try {
      jid = AddressMapper.toJid(text);
    } catch (AddressException documented) {
      assertThat(documented.reason()).isNotNull();
      return;
    }
    // What the mapping writes, it can map back: RFC 7247 §6.5 of the result does not fail.
    SipUri back = AddressMapper.toSipUri(jid);
    assertThat(AddressMapper.toJid(back)).isEqualTo(jid);
  }

  @Property
  void anyTextMapsToASipUriOrAnAddressException(@ForAll("addressLike") String text) {
    SipUri uri;
    try {
      uri = AddressMapper.toSipUri(text);
    } catch (AddressException documented) {
      assertThat(documented.reason()).isEqualTo(AddressException.Reason.MALFORMED_JID);
      return;
    }
    assertThat(uri.toString()).startsWith("sip:");
    try {
      AddressMapper.toJid(uri);
    } catch (AddressException documented) {
      assertThat(documented.reason()).isNotNull();
    }
  }

  @Property
  void sipsUrisAreNeverTranslated(@ForAll("sipsUris") String uri) {
    // RFC 7247 §8
    try {
      AddressMapper.toJid(uri);
    } catch (AddressException expected) {
      return;
    }
    throw new AssertionError("a SIPS URI was translated: " + uri);
  }

  @Provide
  Arbitrary<String> addressLike() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(80),
        Arbitraries.strings().all().ofMaxLength(40),
        sipUris(),
        jids());
  }

  @Provide
  Arbitrary<String> sipUris() {
    return uris(Arbitraries.of("sip:", "sip:", "SIP:", "sips:", "tel:", "im:", ""));
  }

  @Provide
  Arbitrary<String> sipsUris() {
    return uris(Arbitraries.of("sips:", "SIPS:", "SiPs:"));
  }

  private static Arbitrary<String> uris(Arbitrary<String> schemes) {
    return Combinators.combine(
            schemes,
            part(),
            Arbitraries.of("@", "@", ":secret@", ""),
            host(),
            Arbitraries.of("", ":5060", ":0", ":99999", ":x"),
            Arbitraries.of("", ";gr", ";gr=", ";gr=phone", ";transport=tcp", ";gr=a%20b", "?h=v"))
        .as((scheme, user, at, host, port, params) -> scheme + user + at + host + port + params);
  }

  @Provide
  Arbitrary<String> jids() {
    return Combinators.combine(
            part(), Arbitraries.of("@", "", "@@"), host(), Arbitraries.of("", "/", "/res", "/a/b"))
        .as((local, at, domain, resource) -> local + at + domain + resource);
  }

  private static Arbitrary<String> part() {
    return Arbitraries.strings()
        .withChars("aZ09 .-_~!$&'()*+,;=:%\\@/<>\"[]{}|^`#?\u00e9\u4e2d\u03a9\u00df\u0000\t")
        .withCharRange('\ud83c', '\ud83c')
        .withCharRange('\udf39', '\udf39')
        .ofMaxLength(30);
  }

  private static Arbitrary<String> host() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "example.com",
            "EXAMPLE.com",
            "b\u00fccher.example",
            "xn--bcher-kva.example",
            "127.0.0.1",
            "[::1]",
            "::1",
            "-bad.example",
            "a..b",
            "",
            "x".repeat(64) + ".example",
            "example.com."),
        Arbitraries.strings().withChars("abc.-[]:0123456789").ofMaxLength(20));
  }
}
