package org.passerelle.gateway.presence;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.passerelle.model.XmlCharacters;

/**
 * Fuzzes {@link PidfReader} with what a SIP presence server or a hostile NOTIFY may carry: any
 * bytes, and the golden documents of {@link PidfSamples} mutated with restricted XML, broken
 * encodings and truncations. It reads a document or throws a {@link PidfException} (its documented
 * failure) — never another exception, never taking long — and what it reads can go into a stanza.
 */
class PidfReaderFuzzTest {
  private static final PidfReader READER = new PidfReader(ShowMapping.defaults());

  private static final List<String> SAMPLES =
      List.of(
          PidfSamples.JULIET_AWAY,
          PidfSamples.JULIET_THREE_RESOURCES,
          PidfSamples.PHONE_RPID_ONLY,
          PidfSamples.KAMAILIO_MERGED,
          PidfSamples.RFC3863_STYLE);

  private static final List<String> HOSTILE =
      List.of(
          "<!DOCTYPE presence [<!ENTITY x 'y'>]>",
          "<!ENTITY lol '&lol;&lol;'>",
          "&lol;",
          "&#0;",
          "&#x1;",
          "&#xFFFE;",
          "<!-- c -->",
          "<?pi?>",
          "<xmlns:x/>",
          "<![CDATA[x]]>",
          "<note xml:lang='en'>",
          "</note>",
          "<contact priority='2.5'>",
          "<contact priority='NaN'>",
          " mustUnderstand='true'",
          "<x xmlns='urn:x' xmlns:pidf='urn:ietf:params:xml:ns:pidf' pidf:mustUnderstand='1'/>",
          "<?xml version='1.0' encoding='UTF-16'?>",
          "<?xml version='1.0' encoding='ISO-8859-1'?>",
          "\u0000",
          "\uFEFF");

  private static final ExecutorService RUNNER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "pidf-fuzz");
            t.setDaemon(true);
            return t;
          });

  @AfterContainer
  static void stopRunner() {
    RUNNER.shutdownNow();
  }

  @Property
  void anyBytesGiveADocumentOrAPidfException(@ForAll("bodies") byte[] body) throws Exception {
    PidfDocument document = RUNNER.submit(() -> read(body)).get(10, TimeUnit.SECONDS);

    if (document != null) {
      for (PresenceState state : document.tuples()) {
        if (state.status() != null) {
          state.status().codePoints().forEach(c -> assertThat(XmlCharacters.isLegal(c)).isTrue());
        }
      }
      assertThat(document.mostAvailable()).isNotNull();
    }
  }

  /** The document, or {@code null} for a documented refusal; anything else fails the property. */
  private static PidfDocument read(byte[] body) {
    try {
      return READER.read(body);
    } catch (PidfException documented) {
      assertThat(documented.reason()).isNotNull();
      return null;
    }
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    Arbitrary<Mutation> mutation =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 64),
                Arbitraries.of(HOSTILE))
            .as(Mutation::new);
    Arbitrary<byte[]> mutated =
        Combinators.combine(Arbitraries.of(SAMPLES), mutation.list().ofMinSize(1).ofMaxSize(4))
            .as(
                (sample, mutations) -> {
                  byte[] bytes = sample.getBytes(UTF_8);
                  for (Mutation m : mutations) {
                    bytes = m.apply(bytes);
                  }
                  return bytes;
                });
    return Arbitraries.oneOf(
        mutated,
        mutated,
        Arbitraries.bytes().array(byte[].class).ofMaxSize(500),
        Arbitraries.of(SAMPLES).map(s -> s.getBytes(UTF_8)));
  }

  /** Insert a hostile piece, delete or flip a byte, or cut the document short. */
  private record Mutation(int kind, double where, int length, String piece) {
    byte[] apply(byte[] in) {
      int at = (int) (where * in.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + piece.length());
      switch (kind) {
        case 0 -> {
          out.write(in, 0, at);
          out.writeBytes(piece.getBytes(UTF_8));
          out.write(in, at, in.length - at);
        }
        case 1 -> {
          int end = Math.min(in.length, at + 1 + length);
          out.write(in, 0, at);
          out.write(in, end, in.length - end);
        }
        case 2 -> {
          byte[] copy = in.clone();
          if (copy.length > 0) {
            copy[Math.min(at, copy.length - 1)] ^= (byte) (length | 0x80);
          }
          return copy;
        }
        default -> out.write(in, 0, at);
      }
      return out.toByteArray();
    }
  }
}
