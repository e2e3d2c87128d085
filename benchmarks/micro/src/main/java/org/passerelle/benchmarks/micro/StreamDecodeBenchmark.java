package org.passerelle.benchmarks.micro;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.passerelle.stream.StreamHeader;
import org.passerelle.stream.StreamLimits;
import org.passerelle.stream.XmlStreamDecoder;

/**
 * {@link XmlStreamDecoder}: the bytes of one stanza into a dom4j element, on a stream whose header
 * has already been read, one read per stanza (as a socket read delivers a small stanza).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StreamDecodeBenchmark {
  private final Sinks.Inbound sink = new Sinks.Inbound();
  private EmbeddedChannel channel;
  private byte[] stanza;

  @Setup
  public void setUp() {
    channel = new EmbeddedChannel(new XmlStreamDecoder(StreamLimits.DEFAULTS), sink);
    channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(Samples.utf8(Samples.STREAM_HEADER)));
    if (!(sink.take() instanceof StreamHeader)) {
      throw new IllegalStateException("the stream header did not decode");
    }
    stanza = Samples.utf8(Samples.MESSAGE);
  }

  @TearDown
  public void tearDown() {
    channel.finishAndReleaseAll();
  }

  /** Straight into the pipeline: no EmbeddedChannel queue or task run is measured. */
  @Benchmark
  public Element decode() {
    channel.pipeline().fireChannelRead(Unpooled.wrappedBuffer(stanza));
    return (Element) sink.take();
  }
}
