package org.passerelle.benchmarks.micro;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.passerelle.gateway.im.SipIm;
import org.passerelle.gateway.presence.PidfDocument;
import org.passerelle.gateway.presence.Show;

/**
 * Each benchmark, set up and called twice as JMH would, measures the path it names and not an error
 * path: a translation that failed, a bounce, a decoder that stopped. The build runs these checks,
 * never the benchmarks.
 */
class BenchmarkResultsTest {

  @Test
  void theSampleIsTheStanzaOfPerformanceMd() {
    assertThat(Samples.BODY).hasSize(60);
    assertThat(Samples.utf8(Samples.MESSAGE)).hasSizeBetween(340, 360);
  }

  @Test
  void streamDecodeYieldsTheMessageEachTime() {
    StreamDecodeBenchmark benchmark = new StreamDecodeBenchmark();
    benchmark.setUp();
    for (int i = 0; i < 2; i++) {
      Element message = benchmark.decode();
      assertThat(message.getName()).isEqualTo("message");
      assertThat(message.elementText("body")).isEqualTo(Samples.BODY);
    }
    benchmark.tearDown();
  }

  @Test
  void streamEncodeWritesTheWholeStanza() {
    StreamEncodeBenchmark benchmark = new StreamEncodeBenchmark();
    benchmark.setUp();
    assertThat(benchmark.encode()).isGreaterThan(Samples.MESSAGE.length());
    assertThat(benchmark.encode()).isGreaterThan(Samples.MESSAGE.length());
    benchmark.tearDown();
  }

  @Test
  void streamEncodeOldAndNewPathsWriteTheSameNumberOfBytes() {
    StreamEncodeBenchmark benchmark = new StreamEncodeBenchmark();
    benchmark.setUp();
    int old = benchmark.asXmlThenUtf8();
    assertThat(old).isGreaterThan(Samples.MESSAGE.length());
    assertThat(benchmark.stanzaWriter()).isEqualTo(old);
    assertThat(benchmark.encode()).isEqualTo(old);
    benchmark.tearDown();
  }

  @Test
  void linkEncodeOldAndNewPathsWriteTheSameNumberOfBytes() {
    LinkEncodeBenchmark benchmark = new LinkEncodeBenchmark();
    benchmark.setUp();
    int old = benchmark.rewriteThenEncode();
    assertThat(old).isGreaterThan(Samples.MESSAGE.length());
    assertThat(benchmark.linkEncoder()).isEqualTo(old);
    assertThat(benchmark.rewriteThenEncode()).isEqualTo(old);
    benchmark.tearDown();
  }

  @Test
  void messageToSipMapsAndEncodesWithoutBouncing() throws Exception {
    MessageToSipBenchmark benchmark = new MessageToSipBenchmark();
    benchmark.setUp();
    SipIm im = benchmark.translate();
    assertThat(im.requestUri()).isEqualTo("sip:romeo@montague.example");
    assertThat(im.from()).isEqualTo("sip:juliet@capulet.example;gr=balcony");
    assertThat(benchmark.request().toString()).startsWith("MESSAGE sip:romeo@montague.example");
    for (int i = 0; i < 2; i++) {
      String datagram = new String(benchmark.datagram(), StandardCharsets.UTF_8);
      assertThat(datagram)
          .startsWith("MESSAGE sip:romeo@montague.example SIP/2.0\r\n")
          .contains("Call-ID: 0e3141cd80894871a68e6fe6b1ec56fa\r\n")
          .endsWith("\r\n\r\n" + Samples.BODY);
    }
  }

  @Test
  void messageToXmppYieldsTheStanzaAnswered202() throws Exception {
    MessageToXmppBenchmark benchmark = new MessageToXmppBenchmark();
    benchmark.setUp();
    assertThat(benchmark.translate().attributeValue("to")).isEqualTo("juliet@capulet.example");
    for (int i = 0; i < 2; i++) {
      Element stanza = benchmark.stanza();
      assertThat(stanza.attributeValue("from")).isEqualTo("romeo@montague.example");
      assertThat(stanza.elementText("body")).hasSize(60);
    }
  }

  @Test
  void addressMappingGoesBothWays() {
    AddressMappingBenchmark benchmark = new AddressMappingBenchmark();
    assertThat(benchmark.jidToSipUri()).isEqualTo("sip:juliet@capulet.example;gr=balcony");
    assertThat(benchmark.sipUriToJid()).isEqualTo("romeo@montague.example");
  }

  @Test
  void pidfIsWrittenAndRead() throws Exception {
    PidfBenchmark benchmark = new PidfBenchmark();
    benchmark.setUp();
    assertThat(new String(benchmark.write(), StandardCharsets.UTF_8))
        .contains("<basic>open</basic>")
        .contains("<note xml:lang=\"en\">Out for a walk in the orchard</note>");
    PidfDocument read = benchmark.read();
    assertThat(read.tuples()).hasSize(1);
    assertThat(read.mostAvailable().isAvailable()).isTrue();
    assertThat(read.mostAvailable().show()).isNotEqualTo(Show.NONE);
  }

  @Test
  void baselinesReadTheSameSamples() throws Exception {
    LibraryBaselineBenchmark benchmark = new LibraryBaselineBenchmark();
    benchmark.setUp();
    int events = benchmark.aaltoEventsOnly();
    assertThat(events).isGreaterThan(10);
    assertThat(benchmark.aaltoEventsOnly()).isEqualTo(events);
    assertThat(benchmark.dom4jAsXml()).contains(Samples.BODY);
    assertThat(benchmark.jainSipParseRequest().getContent()).isNotNull();
    assertThat(benchmark.jainSipEncodeRequest()).hasSizeGreaterThan(400);
  }
}
