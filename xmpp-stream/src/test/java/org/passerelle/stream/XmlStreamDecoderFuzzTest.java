package org.passerelle.stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.dom4j.Attribute;
import org.dom4j.Element;

/**
 * Fuzzes {@link XmlStreamDecoder} with arbitrary bytes and with mutated XMPP streams, cut into
 * reads at arbitrary points. Whatever comes in, the decoder reports at most one fault and only as a
 * {@link StreamException} (which the stream handlers turn into a stream error, RFC 6120 §4.9),
 * never delivers an element beyond the limits, delivers nothing after a fault, and finishes in
 * time. A well-formed stream gives the same elements however it is cut.
 *
 * <p>A few hundred tries per property in the normal build; {@code -Pfuzz} runs many more (see
 * docs/running.md).
 */
class XmlStreamDecoderFuzzTest {
  /** Small limits, so that random input reaches them often. */
  private static final StreamLimits LIMITS = new StreamLimits(10_000, 8);

  private static final String HEADER =
      "<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
          + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
          + " to='passerelle.test' from='p.test' version='1.0' xml:lang='en'>";

  /** Well-formed top-level elements of the kinds peers send. */
  private static final List<String> STANZAS =
      List.of(
          "<message from='juliet@p.test/balcony' to='romeo@passerelle.test' type='chat' id='m1'>"
              + "<body xml:lang='fr'>Où es-tu ? 🌹 &amp; &lt;3 &#x1F339; &#233;</body>"
              + "<thread>t-1</thread></message>",
          "<presence from='juliet@p.test/b' to='romeo@passerelle.test'><show>away</show>"
              + "<status>out</status><c xmlns='http://jabber.org/protocol/caps' hash='sha-1'"
              + " node='n' ver='v'/></presence>",
          "<iq type='get' id='p1' from='p.test' to='passerelle.test'><ping xmlns='urn:xmpp:ping'/>"
              + "</iq>",
          "<db:result from='p.test' to='passerelle.test'>0123abcd</db:result>",
          "<db:verify from='p.test' to='passerelle.test' id='s1'>0123abcd</db:verify>",
          "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
          "<stream:features><dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>"
              + "</stream:features>",
          "<message to='a@b'><body><![CDATA[<not markup> & ]]></body></message>",
          "<a:x xmlns:a='urn:a'><a:y a:z='1' xml:lang='de'>text</a:y></a:x>",
          " \n\t ",
          "</stream:stream>");

  /** What attackers send: restricted XML, broken encodings, limits, namespace tricks. */
  private static final List<String> HOSTILE =
      List.of(
          "<!DOCTYPE x [<!ENTITY a 'b'>]>",
          "<!ENTITY lol '&lol;&lol;'>",
          "&lol9;",
          "&xxe;",
          "<!ENTITY xxe SYSTEM 'file:///etc/passwd'>",
          "<!-- comment -->",
          "<?pi data?>",
          "<?xml version='1.0' encoding='UTF-16'?>",
          "<![CDATA[",
          "]]>",
          "<a><b><c><d><e><f><g><h><i><j>",
          "</j></i></h></g></f></e></d></c></b></a>",
          "<x:y>",
          "<xmlns:x>",
          "xmlns:x=''",
          " a='1' a='2'",
          "<message",
          "='",
          "\u0000",
          "&#0;",
          "&#xD800;",
          "\uFEFF",
          "</stream:stream>",
          "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>");

  private static final byte[][] BAD_BYTES = {
    {(byte) 0xC3, 0x28},
    {(byte) 0xE2, (byte) 0x82},
    {(byte) 0xF0, (byte) 0x9F, (byte) 0x8C},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xC0, (byte) 0x80},
    {(byte) 0xFF, (byte) 0xFE},
    {(byte) 0x80}
  };

  private static final ExecutorService RUNNER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "decoder-fuzz");
            t.setDaemon(true);
            return t;
          });

  @AfterContainer
  static void stopRunner() {
    RUNNER.shutdownNow();
  }

  @Property
  void arbitraryBytesGiveAtMostOneStreamErrorAndNothingElse(
      @ForAll("anyBytes") byte[] input, @ForAll("cuts") List<Integer> cuts) throws Exception {
    Outcome outcome = decode(input, cuts);

    outcome.assertSound();
  }

  @Property
  void mutatedStreamsGiveAtMostOneStreamErrorAndNothingElse(
      @ForAll("mutatedStreams") byte[] input, @ForAll("cuts") List<Integer> cuts) throws Exception {
    Outcome outcome = decode(input, cuts);

    outcome.assertSound();
  }

  @Property
  void wellFormedStreamsGiveTheSameElementsHoweverTheyAreCut(
      @ForAll("wellFormedStreams") String stream, @ForAll("cuts") List<Integer> cuts)
      throws Exception {
    byte[] bytes = stream.getBytes(UTF_8);

    Outcome whole = decode(bytes, List.of());
    Outcome cut = decode(bytes, cuts);

    whole.assertSound();
    cut.assertSound();
    assertThat(whole.failures).isEmpty();
    assertThat(cut.rendered()).isEqualTo(whole.rendered());
  }

  // --- generators ---

  @Provide
  Arbitrary<byte[]> anyBytes() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000),
        // Printable markup characters make random input look like XML more often.
        Arbitraries.strings()
            .withChars("<>/='\"&;!?[]-: abcxmlnsDOCTYPE\n")
            .ofMaxLength(2_000)
            .map(s -> (HEADER + s).getBytes(UTF_8)));
  }

  @Provide
  Arbitrary<String> wellFormedStreams() {
    return Arbitraries.of(STANZAS)
        .list()
        .ofMaxSize(20)
        .map(parts -> HEADER + String.join("", parts.stream().filter(p -> !isEnd(p)).toList()));
  }

  @Provide
  Arbitrary<byte[]> mutatedStreams() {
    Arbitrary<Mutation> mutation =
        Combinators.combine(
                Arbitraries.of(Kind.values()),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 10_000),
                Arbitraries.of(HOSTILE),
                Arbitraries.integers().between(0, BAD_BYTES.length - 1))
            .as(Mutation::new);
    return Combinators.combine(wellFormedStreams(), mutation.list().ofMinSize(1).ofMaxSize(6))
        .as(
            (stream, mutations) -> {
              byte[] bytes = stream.getBytes(UTF_8);
              for (Mutation m : mutations) {
                bytes = m.apply(bytes);
              }
              return bytes;
            });
  }

  /** Sizes of the reads the input is cut into; whatever is left goes in the last one. */
  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(1, 64).list().ofMaxSize(40),
        // One byte at a time for the first hundred bytes.
        Arbitraries.just(java.util.Collections.nCopies(100, 1)));
  }

  private enum Kind {
    FLIP,
    INSERT_HOSTILE,
    INSERT_BAD_BYTES,
    DELETE,
    DUPLICATE,
    TRUNCATE,
    REPEAT_HOSTILE
  }

  private record Mutation(Kind kind, double where, int length, String hostile, int badBytes) {
    byte[] apply(byte[] in) {
      int at = (int) (where * in.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + 64);
      switch (kind) {
        case FLIP -> {
          byte[] copy = in.clone();
          if (copy.length > 0) {
            copy[Math.min(at, copy.length - 1)] ^= (byte) (length | 1);
          }
          return copy;
        }
        case INSERT_HOSTILE -> {
          out.write(in, 0, at);
          out.writeBytes(hostile.getBytes(UTF_8));
          out.write(in, at, in.length - at);
        }
        case INSERT_BAD_BYTES -> {
          out.write(in, 0, at);
          out.writeBytes(BAD_BYTES[badBytes]);
          out.write(in, at, in.length - at);
        }
        case DELETE -> {
          int end = Math.min(in.length, at + 1 + length % 64);
          out.write(in, 0, at);
          out.write(in, end, in.length - end);
        }
        case DUPLICATE -> {
          int end = Math.min(in.length, at + 1 + length % 256);
          out.write(in, 0, end);
          out.write(in, at, in.length - at);
        }
        case TRUNCATE -> out.write(in, 0, at);
        case REPEAT_HOSTILE -> {
          out.write(in, 0, at);
          out.writeBytes(hostile.repeat(1 + length % 2_000).getBytes(UTF_8));
          out.write(in, at, in.length - at);
        }
      }
      return out.toByteArray();
    }
  }

  private static boolean isEnd(String part) {
    return part.startsWith("</stream:stream");
  }

  // --- running the decoder ---

  /** Feeds the input in reads of the given sizes, on another thread so that a hang fails. */
  private static Outcome decode(byte[] input, List<Integer> cuts) throws Exception {
    Future<Outcome> run = RUNNER.submit(() -> decodeNow(input, cuts));
    return run.get(10, TimeUnit.SECONDS);
  }

  private static Outcome decodeNow(byte[] input, List<Integer> cuts) {
    Outcome outcome = new Outcome();
    EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(LIMITS), outcome);
    int offset = 0;
    for (int size : cuts) {
      if (offset >= input.length) {
        break;
      }
      int n = Math.min(size, input.length - offset);
      channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, offset, offset + n)));
      offset += n;
    }
    if (offset < input.length) {
      channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, offset, input.length)));
    }
    channel.finishAndReleaseAll();
    return outcome;
  }

  /** Everything the decoder passed on, in order. */
  private static final class Outcome extends ChannelInboundHandlerAdapter {
    final List<Object> messages = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();
    int messagesAtFirstFailure = -1;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      messages.add(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failures.isEmpty()) {
        messagesAtFirstFailure = messages.size();
      }
      failures.add(cause);
    }

    void assertSound() {
      assertThat(failures).as("faults reported").hasSizeLessThanOrEqualTo(1);
      // Any input is the peer's fault: internal-server-error would mean the decoder broke.
      failures.forEach(
          f ->
              assertThat(f)
                  .isInstanceOfSatisfying(
                      StreamException.class,
                      e ->
                          assertThat(e.condition())
                              .isNotEqualTo(StreamErrorCondition.INTERNAL_SERVER_ERROR)));
      if (!failures.isEmpty()) {
        assertThat(messages).as("nothing after the fault").hasSize(messagesAtFirstFailure);
      }
      for (Object message : messages) {
        if (message instanceof Element element) {
          assertThat(depth(element)).isLessThanOrEqualTo(LIMITS.maxDepth());
          assertThat(characters(element)).isLessThanOrEqualTo(LIMITS.maxStanzaBytes());
        } else {
          assertThat(message).isInstanceOfAny(StreamHeader.class, StreamEnd.class);
        }
      }
    }

    List<String> rendered() {
      return messages.stream()
          .map(m -> m instanceof Element e ? e.asXML() : String.valueOf(m))
          .toList();
    }
  }

  private static int depth(Element element) {
    int deepest = 0;
    for (Element child : element.elements()) {
      deepest = Math.max(deepest, depth(child));
    }
    return 1 + deepest;
  }

  /**
   * A lower bound of the element's size on the wire: each character of a name, attribute value or
   * text took at least one byte.
   */
  private static long characters(Element element) {
    long count = element.getQualifiedName().length() + element.getText().length();
    for (Attribute attribute : element.attributes()) {
      count += attribute.getQualifiedName().length() + attribute.getValue().length();
    }
    for (Element child : element.elements()) {
      count += characters(child);
    }
    return count;
  }
}
