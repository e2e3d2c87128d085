package org.passerelle.gateway.sip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.model.address.AddressMapper;
import org.passerelle.model.address.SipUri;

/**
 * {@link MessageWriter} against JAIN-SIP (decision 25): for a MESSAGE whose addresses came parsed,
 * the bytes written are the bytes JAIN-SIP encodes for the request built from the same draft, on
 * generated messages (escaped and non-ASCII addresses, GRUUs, IPv6, subjects, language tags,
 * bodies) and each transport; and its next hop is the one JAIN-SIP's URI gives.
 */
class MessageWriterTest {

  @Property(tries = 2000)
  void writesTheBytesJainSipEncodes(
      @ForAll("messages") OutgoingMessage message,
      @ForAll("viaHosts") String viaHost,
      @ForAll SipTransport transport,
      @ForAll @IntRange(min = 1, max = 65535) int port)
      throws Exception {
    MessageDraft draft = draft(message, viaHost);
    String branch = BranchIds.next();

    byte[] written = draft.bytes(transport, port, branch);

    Request request = draft.request();
    MessageRequests.setVia(request, transport, port, branch);
    byte[] encoded = ((SIPMessage) request).encodeAsBytes(transport.token());
    assertThat(new String(written, UTF_8)).isEqualTo(new String(encoded, UTF_8));
    assertThat(written).isEqualTo(encoded);
  }

  /** RFC 3261 §18.1.1 compares the request's size as it stands with the UDP limit. */
  @Property(tries = 300)
  void sizeIsJainSipsBeforeTheTransportIsChosen(
      @ForAll("messages") OutgoingMessage message, @ForAll("viaHosts") String viaHost)
      throws Exception {
    MessageDraft draft = draft(message, viaHost);

    int size = draft.size();

    int encoded = ((SIPMessage) draft.request()).encodeAsBytes(SipTransport.UDP.token()).length;
    assertThat(size).isEqualTo(encoded);
  }

  @Test
  void writesTheMessageRfc3428Shows() throws Exception {
    SipUri to = SipUri.parse("sip:bob@sip.example");
    OutgoingMessage message =
        OutgoingMessage.builder(to, AddressMapper.toSipUri("alice@xmpp.example/balcony"), "hi ü")
            .callId("thread-1@xmpp.example")
            .subject("Dinner")
            .contentLanguage("en-gb")
            .build();
    MessageDraft draft =
        new MessageDraft(requests("10.0.0.5"), message, body(message), "c", 7, "t");

    String written = new String(draft.bytes(SipTransport.TLS, 5061, "z9hG4bK1"), UTF_8);

    assertThat(written)
        .isEqualTo(
            "MESSAGE sip:bob@sip.example SIP/2.0\r\n"
                + "Call-ID: c\r\n"
                + "CSeq: 7 MESSAGE\r\n"
                + "From: <sip:alice@xmpp.example;gr=balcony>;tag=t\r\n"
                + "To: <sip:bob@sip.example>\r\n"
                + "Via: SIP/2.0/TLS 10.0.0.5:5061;branch=z9hG4bK1\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\n"
                + "Subject: Dinner\r\n"
                + "Content-Language: en-GB\r\n"
                + "Content-Length: 5\r\n"
                + "\r\n"
                + "hi ü");
  }

  @Test
  void messageWithAddressesAsTextIsLeftToJainSip() throws Exception {
    OutgoingMessage text =
        OutgoingMessage.builder("sip:bob@sip.example", "sip:alice@x.example", "hi").build();
    MessageDraft draft = draft(text, "127.0.0.1");

    assertThatThrownBy(() -> MessageWriter.write(draft, SipTransport.TCP, 5060, "z9hG4bK1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new String(draft.bytes(SipTransport.TCP, 5060, "z9hG4bK1"), UTF_8))
        .startsWith("MESSAGE sip:bob@sip.example SIP/2.0\r\n")
        .contains("\r\nFrom: <sip:alice@x.example>;tag=")
        .contains("\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1\r\n");
  }

  /** RFC 3263 §4: host (or maddr), port and transport parameter of the Request-URI. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "sip:bob@sip.example",
        "sip:bob@SIP.Example:5070",
        "sips:bob@sip.example;transport=tcp",
        "sip:bob@[2001:db8::1]:5061;transport=TLS",
        "sip:bob@sip.example;maddr=10.0.0.9;transport=udp",
        "sip:10.0.0.1;lr",
        "sip:bob@sip.example;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
      })
  void serverIsTheOneJainSipsUriNames_rfc3263section4(String uri) throws Exception {
    SipURI jainSip = (SipURI) new gov.nist.javax.sip.address.AddressFactoryImpl().createURI(uri);

    assertThat(MessageRequests.serverOf(SipUri.parse(uri)))
        .isEqualTo(MessageRequests.serverOf(jainSip));
  }

  @Test
  void unsupportedTransportIsRefusedBeforeAnythingIsSent() {
    SipUri uri = SipUri.parse("sip:bob@sip.example;transport=sctp");

    assertThatThrownBy(() -> MessageRequests.serverOf(uri))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sctp");
  }

  private static MessageDraft draft(OutgoingMessage message, String viaHost) throws Exception {
    return requests(viaHost).draft(message, body(message));
  }

  private static MessageRequests requests(String viaHost) throws UnknownHostException {
    return new MessageRequests(InetAddress.getByName(viaHost));
  }

  private static byte[] body(OutgoingMessage message) {
    return message.body().getBytes(UTF_8);
  }

  @Provide
  Arbitrary<String> viaHosts() {
    return Arbitraries.of("127.0.0.1", "10.20.30.40", "::1", "2001:db8::7");
  }

  @Provide
  Arbitrary<OutgoingMessage> messages() {
    Arbitrary<SipUri> uris = Arbitraries.oneOf(jidUris(), Arbitraries.of(URIS).map(SipUri::parse));
    Arbitrary<Optional<String>> callIds =
        Arbitraries.oneOf(
            Arbitraries.just(Optional.empty()),
            Arbitraries.strings()
                .withChars("abcXYZ019-.!%*_+`'~()<>:\\\"/[]?{}")
                .ofMinLength(1)
                .ofMaxLength(40)
                .map(Optional::of),
            Arbitraries.just(Optional.of("thread-42@xmpp.example")));
    Arbitrary<Optional<String>> subjects =
        Arbitraries.oneOf(
            Arbitraries.just(Optional.empty()),
            text(60).filter(s -> !s.isBlank()).map(Optional::of),
            Arbitraries.of(" padded ", "Grüße 👋", "\"quoted\" <angled>;semi").map(Optional::of));
    Arbitrary<Optional<String>> languages =
        Arbitraries.oneOf(
            Arbitraries.just(Optional.empty()),
            Arbitraries.of(
                    "en", "EN-gb", "de-CH-1996", "zh-Hant-TW", "x-klingon", "iw", "ji-IL", "in")
                .map(Optional::of));
    return Combinators.combine(
            uris,
            uris,
            Arbitraries.integers().between(0, 2),
            callIds,
            subjects,
            languages,
            text(1500))
        .as(
            (requestUri, from, toChoice, callId, subject, language, body) -> {
              SipUri to =
                  switch (toChoice) {
                    case 0 -> requestUri;
                    case 1 -> requestUri.addressOfRecord();
                    default -> from;
                  };
              OutgoingMessage.Builder builder =
                  OutgoingMessage.builder(requestUri, from, body).to(to);
              callId.ifPresent(builder::callId);
              subject.ifPresent(builder::subject);
              language.ifPresent(builder::contentLanguage);
              return builder.build();
            });
  }

  private static final List<String> URIS =
      List.of(
          "sip:bob@sip.example",
          "sips:m%26m@[2001:db8::1]:5061;transport=tcp",
          "sip:10.0.0.1:5070;lr;maddr=10.0.0.2",
          "sip:a;b=c@xn--bcher-kva.example;gr=dev%20ice",
          "sip:x@[::1]",
          "sip:+33123456789@gw.example;user=phone",
          "sip:bob@sip.example;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");

  /** Addresses mapped from JIDs (RFC 7247): escapes, non-ASCII local parts, GRUUs for resources. */
  private static Arbitrary<SipUri> jidUris() {
    Arbitrary<String> locals =
        Arbitraries.strings()
            .withChars("abcxyz09.-_~!$'()*+,;=?&#%[]^`{|}üé世\\ ")
            .ofMinLength(1)
            .ofMaxLength(20)
            .map(String::strip)
            .filter(s -> !s.isEmpty() && !s.startsWith("\\"));
    Arbitrary<String> domains = Arbitraries.of("xmpp.example", "bücher.example", "10.1.2.3");
    Arbitrary<Optional<String>> resources =
        Arbitraries.oneOf(
            Arbitraries.just(Optional.empty()),
            text(20).map(String::strip).filter(s -> !s.isEmpty()).map(Optional::of));
    return Combinators.combine(locals, domains, resources)
        .as(
            (local, domain, resource) ->
                local + "@" + domain + resource.map(r -> "/" + r).orElse(""))
        .map(
            jid -> {
              try {
                return Optional.of(AddressMapper.toSipUri(jid));
              } catch (RuntimeException notAJid) {
                return Optional.<SipUri>empty();
              }
            })
        .filter(Optional::isPresent)
        .map(Optional::get);
  }

  /** One-line text: ASCII, accents, CJK, emoji (surrogate pairs), quotes and brackets. */
  private static Arbitrary<String> text(int maxLength) {
    return Arbitraries.of(
            "a", "b", "Z", "0", " ", "\"", "<", ">", ";", ":", ",", "\\", "/", "@", "é", "世", "👋",
            "🎉")
        .list()
        .ofMaxSize(maxLength)
        .map(characters -> String.join("", characters));
  }
}
