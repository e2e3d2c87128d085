package org.passerelle.benchmarks.micro;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.ByteBuffer;
import java.text.ParseException;
import java.util.concurrent.TimeUnit;
import javax.xml.stream.XMLStreamException;
import org.dom4j.Element;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The libraries alone on the same samples, the rows of shared/reference/performance.md: run beside
 * the project's benchmarks, they show how noisy the machine is and what share of each path is the
 * library's own cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LibraryBaselineBenchmark {
  private AsyncXMLStreamReader<AsyncByteBufferFeeder> aalto;
  private byte[] stanza;
  private Element element;
  private StringMsgParser sipParser;
  private byte[] sipDatagram;
  private SIPMessage sipMessage;

  @Setup
  public void setUp() throws XMLStreamException, ParseException {
    aalto = new InputFactoryImpl().createAsyncForByteBuffer();
    aalto.getInputFeeder().feedInput(ByteBuffer.wrap(Samples.utf8(Samples.STREAM_HEADER)));
    while (aalto.next() != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
      // the XML declaration and the stream's start tag
    }
    stanza = Samples.utf8(Samples.MESSAGE);
    element = Samples.decodedMessage();
    sipParser = new StringMsgParser();
    sipDatagram = Samples.utf8(Samples.SIP_MESSAGE);
    sipMessage = sipParser.parseSIPMessage(sipDatagram, true, false, null);
  }

  /** Aalto's async parser over one stanza of an open stream: events only, no text read. */
  @Benchmark
  public int aaltoEventsOnly() throws XMLStreamException {
    aalto.getInputFeeder().feedInput(ByteBuffer.wrap(stanza));
    int events = 0;
    while (aalto.next() != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
      events++;
    }
    return events;
  }

  /** dom4j's own serialisation of the decoded stanza. */
  @Benchmark
  public String dom4jAsXml() {
    return element.asXML();
  }

  /** JAIN-SIP's parser over the MESSAGE datagram. */
  @Benchmark
  public SIPMessage jainSipParseRequest() throws ParseException {
    return sipParser.parseSIPMessage(sipDatagram, true, false, null);
  }

  /** JAIN-SIP's encoding of the parsed MESSAGE. */
  @Benchmark
  public byte[] jainSipEncodeRequest() {
    return sipMessage.encodeAsBytes("UDP");
  }
}
