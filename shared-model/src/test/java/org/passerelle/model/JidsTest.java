package org.passerelle.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cheap reads of JID parts (RFC 7622 §3.1). */
class JidsTest {

  @ParameterizedTest
  @CsvSource({
    "juliet@example.com/balcony, balcony",
    "juliet@example.com/a/b@c, a/b@c",
    "example.com/service, service",
    "juliet@example.com, ",
    "juliet@example.com/, ",
    ", "
  })
  void resourceIsEverythingAfterTheFirstSlash(String jid, String resource) {
    assertThat(Jids.resourceOf(jid)).isEqualTo(resource);
  }

  @ParameterizedTest
  @CsvSource({
    "juliet@Example.COM/balcony, example.com",
    "example.com., example.com",
    "a@b@example.com/x@y, example.com",
    "'', "
  })
  void domainIsLowerCasedWithoutTrailingDot(String jid, String domain) {
    assertThat(Jids.domainOf(jid)).isEqualTo(domain);
  }

  @ParameterizedTest
  @CsvSource({
    "Juliet@Example.COM/balcony, Juliet@example.com",
    "juliet@example.com., juliet@example.com",
    "example.com/service, example.com",
    "juliet@example.com/a@b/c, juliet@example.com",
    "'', "
  })
  void bareJidDropsTheResourceAndLowerCasesTheDomainOnly(String jid, String bare) {
    assertThat(Jids.bareOf(jid)).isEqualTo(bare);
  }
}
