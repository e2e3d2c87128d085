package org.passerelle.benchmarks.micro;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.passerelle.model.Namespaces;
import org.passerelle.stream.NamespaceMapping;
import org.passerelle.stream.XmlStreamEncoder;

/**
 * A stanza onto the component link: the link's encoder ({@link NamespaceMapping#LINK}), which
 * writes {@code jabber:server} as {@code jabber:component:accept}, against what the link did before
 * (decision 4, "Later"): the stanza's tree rewritten into {@code jabber:component:accept}, written
 * by the plain encoder, and rewritten back, the walk the receiving process made after reading it.
 */
@State(Scope.Thread)
@Fork(jvmArgsAppend = "-Dio.netty.allocator.useCacheForAllThreads=true")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LinkEncodeBenchmark {
  private final Sinks.Outbound plainSink = new Sinks.Outbound();
  private final Sinks.Outbound linkSink = new Sinks.Outbound();
  private EmbeddedChannel plain;
  private EmbeddedChannel link;
  private Element message;

  @Setup
  public void setUp() {
    plain = new EmbeddedChannel(plainSink, new XmlStreamEncoder());
    link = new EmbeddedChannel(linkSink, new XmlStreamEncoder(NamespaceMapping.LINK));
    message = Samples.decodedMessage();
  }

  @TearDown
  public void tearDown() {
    plain.finishAndReleaseAll();
    link.finishAndReleaseAll();
  }

  @Benchmark
  public int linkEncoder() {
    link.write(message, link.voidPromise());
    return linkSink.take();
  }

  /** The old path, both processes' walks: rewrite, the plain encoder, rewrite back. */
  @Benchmark
  public int rewriteThenEncode() {
    rewrite(message, Namespaces.SERVER, Namespaces.COMPONENT_ACCEPT);
    plain.write(message, plain.voidPromise());
    rewrite(message, Namespaces.COMPONENT_ACCEPT, Namespaces.SERVER);
    return plainSink.take();
  }

  /** The removed {@code ContentNamespace.rewrite}, as it was. */
  private static void rewrite(Element stanza, String from, String to) {
    if (from.equals(stanza.getNamespaceURI())) {
      rewrite(stanza, Namespace.get(to), from);
    }
  }

  private static void rewrite(Element element, Namespace target, String from) {
    if (from.equals(element.getNamespaceURI())) {
      element.setQName(QName.get(element.getName(), target));
    }
    for (Element child : element.elements()) {
      rewrite(child, target, from);
    }
  }
}
