package org.passerelle.benchmarks.micro;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.passerelle.stream.StanzaWriter;
import org.passerelle.stream.XmlStreamEncoder;

/**
 * {@link XmlStreamEncoder}: one stanza (a dom4j element, as the proxy and the gateway write them)
 * into a buffer from the channel's allocator; and the two ways of writing the element alone into a
 * buffer as the encoder gets it ({@code ioBuffer()}, 256 bytes to start with): the old path, {@code
 * asXML()} then a UTF-8 copy, against {@link StanzaWriter}.
 */
@State(Scope.Thread)
// Netty gives pooled-buffer caches to its event-loop threads only; JMH's thread needs one too.
@Fork(jvmArgsAppend = "-Dio.netty.allocator.useCacheForAllThreads=true")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StreamEncodeBenchmark {
  private final Sinks.Outbound sink = new Sinks.Outbound();
  private EmbeddedChannel channel;
  private Element message;

  @Setup
  public void setUp() {
    // Outbound messages run from the tail to the head: the encoder, then the sink.
    channel = new EmbeddedChannel(sink, new XmlStreamEncoder());
    message = Samples.decodedMessage();
  }

  @TearDown
  public void tearDown() {
    channel.finishAndReleaseAll();
  }

  @Benchmark
  public int encode() {
    channel.write(message, channel.voidPromise());
    return sink.take();
  }

  /** What {@code XmlStreamEncoder} did before {@link StanzaWriter}. */
  @Benchmark
  public int asXmlThenUtf8() {
    ByteBuf out = channel.alloc().ioBuffer();
    try {
      ByteBufUtil.writeUtf8(out, message.asXML());
      return out.readableBytes();
    } finally {
      out.release();
    }
  }

  @Benchmark
  public int stanzaWriter() {
    ByteBuf out = channel.alloc().ioBuffer();
    try {
      StanzaWriter.write(message, out);
      return out.readableBytes();
    } finally {
      out.release();
    }
  }
}
