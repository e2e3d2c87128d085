package org.passerelle.gateway.sip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link RawMessage} against JAIN-SIP on generated MESSAGE requests, some then mutated a character
 * at a time: every request {@code RawMessage} reads, JAIN-SIP reads too ({@link RequestParser}, as
 * the listener parses everything else), to the same method, hosts, URIs, Call-ID, media type,
 * charset, subject, language and body. What {@code RawMessage} does not read goes to JAIN-SIP as
 * before, so its behaviour is unchanged by construction; both outcomes must occur often enough for
 * the comparison to mean something.
 */
class RawMessageFuzzTest {

  @Property(edgeCases = EdgeCasesMode.NONE)
  void everyRequestReadFromItsBytesIsReadTheSameByJainSip(
      @ForAll("requests") Request generated, @ForAll("mutations") List<Mutation> mutations) {
    byte[] bytes = generated.bytes(mutations);
    Optional<RawMessage> raw = RawMessage.read(bytes);
    Statistics.label("read without JAIN-SIP").collect(raw.isPresent());
    Statistics.label("read without JAIN-SIP")
        .coverage(
            coverage -> {
              coverage.check(true).percentage(p -> p >= 15);
              coverage.check(false).percentage(p -> p >= 15);
            });
    if (raw.isEmpty()) {

      return;
    }
    ParsedRequest jainSip;
    try {
      jainSip = new ParsedRequest(RequestParser.parse(bytes));
    } catch (ParseException | RuntimeException e) {
      throw new AssertionError(
          "read without JAIN-SIP, refused by JAIN-SIP (" + e + "):\n" + new String(bytes, UTF_8),
          e);
    }
    String request = new String(bytes, UTF_8);
    RawMessage message = raw.get();
    assertThat(message.method()).as(request).isEqualTo(jainSip.method());
    assertThat(message.sipHost()).as(request).isEqualTo(jainSip.sipHost());
    assertThat(message.fromHost()).as(request).isEqualTo(jainSip.fromHost());
    assertThat(message.fromUri()).as(request).isEqualTo(jainSip.fromUri());
    assertThat(message.callId()).as(request).isEqualTo(jainSip.callId());
    assertThat(message.bodyLength()).as(request).isEqualTo(jainSip.bodyLength());
    ReceivedRequest.MessageFields ours = message.messageFields();
    ReceivedRequest.MessageFields theirs = jainSip.messageFields();
    assertThat(ours.requestUri()).as(request).isEqualTo(theirs.requestUri());
    assertThat(ours.from()).as(request).isEqualTo(theirs.from());
    assertThat(ours.to()).as(request).isEqualTo(theirs.to());
    assertThat(ours.callId()).as(request).isEqualTo(theirs.callId());
    assertThat(ours.mediaType()).as(request).isEqualTo(theirs.mediaType());
    assertThat(ours.charset()).as(request).isEqualTo(theirs.charset());
    assertThat(ours.body()).as(request).isEqualTo(theirs.body());
    assertThat(ours.subject()).as(request).isEqualTo(theirs.subject());
    assertThat(ours.contentLanguage()).as(request).isEqualTo(theirs.contentLanguage());
  }

  /** A request's head lines (Content-Length is added once mutated) and its body. */
  record Request(List<String> lines, String body) {
    byte[] bytes(List<Mutation> mutations) {
      StringBuilder head = new StringBuilder(String.join("\r\n", lines));
      for (Mutation mutation : mutations) {
        mutation.apply(head);
      }
      byte[] bodyBytes = body.getBytes(UTF_8);
      String text = head + "\r\nContent-Length: " + bodyBytes.length + "\r\n\r\n" + body;
      return text.getBytes(UTF_8);
    }
  }

  /** Inserts, replaces or deletes one character of the head, past the method. */
  record Mutation(int kind, double where, char c) {
    void apply(StringBuilder head) {
      int at = 8 + (int) (where * Math.max(0, head.length() - 8));
      switch (kind) {
        case 0 -> head.insert(Math.min(at, head.length()), c);
        case 1 -> {
          if (at < head.length()) {
            head.setCharAt(at, c);
          }
        }
        default -> {
          if (at < head.length()) {
            head.deleteCharAt(at);
          }
        }
      }
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Mutation> one =
        Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.of(
                    ' ', '\t', ';', ':', ',', '<', '>', '"', '@', '=', '%', '/', '\\', '?', '[',
                    ']', 'a', 'Z', '0', '9', '.', '-', '~', '\r', '\n', 'é', '\u0000', '\uFFFD',
                    '&', '+', '$', '\''))
            .as(Mutation::new);
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.just(List.<Mutation>of())),
        Tuple.of(2, one.list().ofMinSize(1).ofMaxSize(3)));
  }

  @Provide
  Arbitrary<Request> requests() {
    Arbitrary<List<String>> addressing =
        Combinators.combine(uris(), addresses(), addresses(), callIds())
            .as(
                (uri, from, to, callId) ->
                    List.of(
                        "MESSAGE " + uri + " SIP/2.0",
                        from.replace("%NAME%", "From").replace("%COMPACT%", "f"),
                        to.replace("%NAME%", "To").replace("%COMPACT%", "t"),
                        "Call-ID: " + callId));
    Arbitrary<List<String>> rest =
        Combinators.combine(
                mostly(
                    Arbitraries.of("1 MESSAGE", "2147483647 MESSAGE", "1  MESSAGE"),
                    "1 INVITE",
                    "x MESSAGE",
                    "2147483648 MESSAGE",
                    "1 MESSAGE x"),
                mostly(Arbitraries.of("70", "0", "255", "070"), "256", "x", ""),
                vias(),
                contentTypes(),
                optionalHeaders())
            .as(
                (cseq, maxForwards, via, contentType, extras) -> {
                  List<String> lines = new ArrayList<>();
                  lines.add(via);
                  lines.add("CSeq: " + cseq);
                  if (!maxForwards.isEmpty()) {
                    lines.add("Max-Forwards: " + maxForwards);
                  }
                  if (!contentType.isEmpty()) {
                    lines.add(contentType);
                  }
                  lines.addAll(extras);
                  return lines;
                });
    return Combinators.combine(addressing, rest, bodies())
        .as(
            (first, second, body) -> {
              List<String> lines = new ArrayList<>(first);
              lines.addAll(1, second);
              return new Request(lines, body);
            });
  }

  private static Arbitrary<String> uris() {
    Arbitrary<String> scheme = mostly(Arbitraries.of("sip:", "sips:"), "SIP:", "tel:");
    Arbitrary<String> user =
        mostly(
            Arbitraries.of(
                "", "alice@", "bob.smith@", "%61lice@", "a+b=c$d,e&f@", "Al!ce~'*()@", "+33123@"),
            "al%ice@",
            "a;b@",
            "al ice@",
            "@");
    Arbitrary<String> host =
        mostly(
            Arbitraries.of("example.com", "Sip.Example.TEST", "127.0.0.1", "a-b.c", "x", "h1.x2"),
            "10.0.0.256",
            "01.2.3.4",
            "-a.b",
            "[::1]",
            "example.com.",
            "ex_ample.com",
            "1.2.3",
            "");
    Arbitrary<String> port =
        mostly(Arbitraries.of("", ":5060", ":1", ":65535"), ":05060", ":0", ":65536", ":5x", ":");
    Arbitrary<String> parameters =
        mostly(
            Arbitraries.of(
                "",
                ";transport=tcp",
                ";Transport=TCP",
                ";lr",
                ";gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
                ";maddr=10.0.0.1;ttl=5",
                ";a=%20",
                ";a=[b]"),
            ";=x",
            ";a=",
            "?subject=hi",
            ";a b",
            ";a=%2");
    return Combinators.combine(scheme, user, host, port, parameters)
        .as((s, u, h, p, params) -> s + u + h + p + params);
  }

  private static Arbitrary<String> addresses() {
    Arbitrary<String> name = Arbitraries.of("%NAME%:", "%NAME%:", "%COMPACT%:", "%NAME% :");
    Arbitrary<String> display =
        mostly(
            Arbitraries.of("", "Alice ", "\"Alice Smith\" ", "\"Zoë\" ", "Alice  Smith", "\"\""),
            "\"A \\\"q\\\" B\" ",
            "A<b ",
            "\"unclosed ",
            "A,B ");
    Arbitrary<String> parameters =
        mostly(
            Arbitraries.of("", ";tag=1234", ";tag=a.b-c", ";tag=\"q\"", ";x=y;z"),
            " ; tag = x",
            ";tag",
            ";tag=a;tag=b",
            ";tag=<x>",
            ";tag=");
    return Combinators.combine(name, display, uris(), Arbitraries.of(true, true, false), parameters)
        .as((n, d, uri, angle, params) -> n + " " + (angle ? d + "<" + uri + ">" : uri) + params);
  }

  private static Arbitrary<String> callIds() {
    return mostly(
        Arbitraries.oneOf(
            Arbitraries.strings()
                .withChars("abcXYZ0129-.!%*_+`'~():/[]?{}")
                .ofMinLength(1)
                .ofMaxLength(20),
            Arbitraries.of("a@b", "3c5d@10.0.0.1")),
        "a@",
        "@b",
        "a@b@c",
        "a b",
        "a\"b",
        "a<b>",
        "x\\y",
        "ñ",
        "");
  }

  private static Arbitrary<String> vias() {
    Arbitrary<String> one =
        mostly(
            Arbitraries.of(
                "SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1",
                "SIP/2.0/TLS sip.example.test;branch=z9hG4bK.x-y;rport",
                "SIP/2.0/UDP 10.0.0.1;received=10.0.0.2;rport=5062;branch=z9hG4bKa",
                "SIP/2.0/tcp host.example",
                "SIP/2.0/TCP  host.example"),
            "SIP/2.0/TCP host.example ;branch=z9hG4bK1",
            "SIP / 2.0 / TCP host.example",
            "SIP/2.0/TCP [::1]:5060;branch=z9hG4bK1",
            "SIP/2.0/TCP host.example:0",
            "SIP/2.0/TCP host.example;branch=\"x\"",
            "SIP/2.0/TCP host.example;branch=",
            "SIP/2.0/TCP host.example;branch",
            "SIP/2.0/TCP host.example;received;branch=z9hG4bK1",
            "garbage");
    return Combinators.combine(
            Arbitraries.of("Via: ", "v: ", "VIA:"), one, one, Arbitraries.of(0, 0, 1, 2))
        .as(
            (name, a, b, shape) ->
                switch (shape) {
                  case 0 -> name + a;
                  case 1 -> name + a + ", " + b;
                  default -> name + a + "\r\nVia: " + b;
                });
  }

  private static Arbitrary<String> contentTypes() {
    return mostly(
        Arbitraries.of(
            "Content-Type: text/plain",
            "Content-Type: text/plain;charset=UTF-8",
            "c: Text/Plain; Charset=\"utf-8\"",
            "Content-Type: text/plain; charset=ISO-8859-1; format=flowed",
            "Content-Type: message/cpim",
            ""),
        "Content-Type: text/plain;charset=",
        "Content-Type: text",
        "Content-Type: text/plain;charset=\"a;b\"",
        "Content-Type: text/plain;charset=utf-8;charset=ascii",
        "Content-Type: text / plain",
        "Content-Type: text/plain;;");
  }

  private static Arbitrary<List<String>> optionalHeaders() {
    Arbitrary<String> subject =
        mostly(
            Arbitraries.of("", "Subject: Hello, world", "s:   padded  ", "Subject: Grüße"),
            "Subject:",
            "Subject: a\u0001b",
            "Subject: one\r\nSubject: two");
    Arbitrary<String> language =
        mostly(
            Arbitraries.of(
                "",
                "Content-Language: en-GB",
                "Content-Language: en-GB, fr",
                "Content-Language: x-klingon-123",
                "Content-Language: EN-gb",
                "Content-Language: zh-Hant-TW, en",
                "Content-Language: iw-IL",
                "Content-Language: JI, in"),
            "Content-Language: en_GB",
            "Content-Language: x-klingon-123456789",
            "Content-Language: ");
    Arbitrary<List<String>> others =
        mostly(
                Arbitraries.of(
                    "Contact: <sip:alice@10.0.0.1:5060;transport=tcp>",
                    "Record-Route: <sip:10.0.0.1;lr>",
                    "User-Agent: kamailio (5.6)",
                    "Contact: garbage <<",
                    "X-Anything: \"quoted\" ; odd",
                    "Expires: x"),
                "Call-ID: second",
                " folded",
                "Max-Forwards: 1",
                "No colon")
            .list()
            .ofMaxSize(2);
    return Combinators.combine(subject, language, others)
        .as(
            (s, l, o) -> {
              List<String> lines = new ArrayList<>(o);
              if (!s.isEmpty()) {
                lines.add(s);
              }
              if (!l.isEmpty()) {
                lines.add(0, l);
              }
              return lines;
            });
  }

  private static Arbitrary<String> bodies() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "hi", "Grüße 👋", "line\r\n\r\nafter a blank line"),
        Arbitraries.strings().ofMaxLength(40));
  }

  /** Mostly {@code usual}; now and then one of {@code odd}. */
  private static Arbitrary<String> mostly(Arbitrary<String> usual, String... odd) {
    // Uniform dice: jqwik's integers lean towards their bounds.
    return Arbitraries.randomValue(random -> random.nextInt(30))
        .flatMap(dice -> dice == 0 ? Arbitraries.of(odd) : usual);
  }
}
