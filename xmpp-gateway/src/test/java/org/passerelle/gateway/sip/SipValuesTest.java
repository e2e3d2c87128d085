package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks our own SIP value types make on construction. */
class SipValuesTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void callIdFollowsTheRfc3261Grammar_section25_1() {
    assertThat(OutgoingMessage.isValidCallId("a84b4c76e66710@pc33.atlanta.com")).isTrue();
    assertThat(OutgoingMessage.isValidCallId("thread-7_x.y!%*+`'~()<>:\\\"/[]?{}")).isTrue();
    assertThat(OutgoingMessage.isValidCallId("has space")).isFalse();
    assertThat(OutgoingMessage.isValidCallId("two@at@signs")).isFalse();
    assertThat(OutgoingMessage.isValidCallId("")).isFalse();
    assertThat(OutgoingMessage.isValidCallId("ünïcode")).isFalse();
    assertThatThrownBy(() -> builder().callId("not valid").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Call-ID");
  }

  @Test
  void outgoingMessageAcceptsOnlySipAndSipsUris() {
    assertThat(OutgoingMessage.builder("SIPS:bob@example.com", "sip:a@b", "x").build().to())
        .isEqualTo("SIPS:bob@example.com");
    assertThatThrownBy(() -> OutgoingMessage.builder("im:bob@example.com", "sip:a@b", "x").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestUri");
    assertThatThrownBy(() -> OutgoingMessage.builder("sip:b@c", "tel:+123", "x").build())
        .hasMessageContaining("from");
  }

  @Test
  void subjectMustBeOneLineAndLanguageATag_rfc3261section20() {
    assertThatThrownBy(() -> builder().subject("two\r\nlines").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(builder().contentLanguage("en-GB").build().contentLanguage()).contains("en-GB");
    assertThat(builder().contentLanguage("i-klingon").build().contentLanguage()).isPresent();
    assertThatThrownBy(() -> builder().contentLanguage("en_GB").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void messagesLeaveTheirContentOutOfToString() {
    OutgoingMessage out = builder().subject("private subject").build();
    IncomingMessage in =
        new IncomingMessage(
            "sip:b@c",
            "sip:a@b",
            "sip:b@c",
            "id",
            "text/plain",
            "secret body",
            Optional.of("private subject"),
            Optional.empty(),
            new InetSocketAddress(LOOPBACK, 5060),
            SipTransport.UDP);

    assertThat(out.toString()).doesNotContain("secret body").doesNotContain("private subject");
    assertThat(in.toString()).doesNotContain("secret body").doesNotContain("private subject");
  }

  @Test
  void serverAddressReadsHostPortAndTransport() {
    assertThat(SipServerAddress.parse("sip.example.com:5060;transport=tcp"))
        .isEqualTo(
            new SipServerAddress(
                "sip.example.com", OptionalInt.of(5060), Optional.of(SipTransport.TCP)));
    assertThat(SipServerAddress.parse("sip:Proxy.Example.com;transport=TLS;lr"))
        .isEqualTo(
            new SipServerAddress(
                "proxy.example.com", OptionalInt.empty(), Optional.of(SipTransport.TLS)));
    assertThat(SipServerAddress.parse("[2001:db8::1]:5062").host()).isEqualTo("2001:db8::1");
    assertThat(SipServerAddress.parse("[2001:db8::1]:5062").toString())
        .isEqualTo("[2001:db8::1]:5062");
    assertThatThrownBy(() -> SipServerAddress.parse("host:99999"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SipServerAddress.parse("host;transport=sctp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sctp");
    assertThatThrownBy(() -> SipServerAddress.parse("user@host"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settingsNeedATransportADomainAndASpecificAddress() throws Exception {
    assertThatThrownBy(() -> SipSettings.builder(LOOPBACK).domains("a.example").build())
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> SipSettings.builder(LOOPBACK).udp(5060).build())
        .hasMessageContaining("domains");
    assertThatThrownBy(() -> SipSettings.builder(InetAddress.getByName("0.0.0.0")))
        .hasMessageContaining("specific address");
    assertThatThrownBy(() -> SipSettings.builder(LOOPBACK).udp(0)).hasMessageContaining("port");
    assertThatThrownBy(() -> SipSettings.builder(LOOPBACK).domains("not a domain"))
        .hasMessageContaining("not a domain");
  }

  @Test
  void settingsBoundTheirTimersAndLimits() {
    SipSettings.Builder b = SipSettings.builder(LOOPBACK).udp(5060).domains("a.example");
    assertThatThrownBy(() -> b.t1(Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.t1(Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.dnsTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxBodyBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxBodyBytes(SipSettings.MAX_MAX_BODY_BYTES + 1))
        .isInstanceOf(IllegalArgumentException.class);

    SipSettings defaults = b.build();
    assertThat(defaults.t1()).isEqualTo(Duration.ofMillis(500));
    assertThat(defaults.transactionTimeout()).isEqualTo(Duration.ofSeconds(32));
    assertThat(defaults.maxBodyBytes()).isEqualTo(SipSettings.DEFAULT_MAX_BODY_BYTES);
    assertThat(defaults.logUserContent()).isFalse();
  }

  @Test
  void domainsMatchCaseInsensitivelyAndStarMatchesAll() {
    SipSettings some = SipSettings.builder(LOOPBACK).udp(5060).domains("Gw.Example").build();
    SipSettings any = SipSettings.builder(LOOPBACK).udp(5060).domains("*").build();

    assertThat(some.servesDomain("gw.EXAMPLE")).isTrue();
    assertThat(some.servesDomain("other.example")).isFalse();
    assertThat(any.servesDomain("other.example")).isTrue();
  }

  @Test
  void tcpAndTlsCannotSharePort(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("x.pem"), "x");
    SipTlsSettings tls = SipTlsSettings.pem(file, file, file);

    assertThatThrownBy(
            () ->
                SipSettings.builder(LOOPBACK).tcp(5060).tls(5060, tls).domains("a.example").build())
        .hasMessageContaining("cannot share");
  }

  @Test
  void tlsSettingsNeedReadableFilesAndHidePasswords(@TempDir Path dir) throws Exception {
    Path store = Files.writeString(dir.resolve("key.p12"), "x");

    assertThat(SipTlsSettings.pkcs12(store, "hunter2", store, "hunter3").toString())
        .doesNotContain("hunter2")
        .doesNotContain("hunter3");
    assertThatThrownBy(() -> SipTlsSettings.pem(dir.resolve("missing.pem"), store, store))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.pem");
  }

  @Test
  void handlersTakeBareMediaTypes() {
    MessageHandler ignore = (m, r) -> r.respond(202, "");

    assertThat(
            SipHandlers.message(Set.of("Text/Plain", "message/cpim"), ignore).messageMediaTypes())
        .containsExactlyInAnyOrder("text/plain", "message/cpim");
    assertThatThrownBy(() -> SipHandlers.message(Set.of("text/plain;charset=UTF-8"), ignore))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SipHandlers.message(Set.of(), ignore))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void finalResponsesOnly() {
    assertThatThrownBy(
            () -> new SipResponseInfo(180, "Ringing", "id", java.util.List.of(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            new SipResponseInfo(202, "Accepted", "id", java.util.List.of(), Optional.empty())
                .isSuccess())
        .isTrue();
  }

  private static OutgoingMessage.Builder builder() {
    return OutgoingMessage.builder("sip:bob@example.com", "sip:alice@example.org", "secret body");
  }
}
