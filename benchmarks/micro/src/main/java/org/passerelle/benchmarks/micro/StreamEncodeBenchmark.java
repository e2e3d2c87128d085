package org.passerelle.benchmarks.micro;

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
import org.passerelle.stream.XmlStreamEncoder;

/**
 * {@link XmlStreamEncoder}: one stanza (a dom4j element, as the proxy and the gateway write them)
 * into a buffer from the channel's allocator.
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
}
