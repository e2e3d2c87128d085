package org.passerelle.benchmarks.micro;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.passerelle.gateway.im.ConversationTypes;
import org.passerelle.gateway.im.ImBridge;
import org.passerelle.gateway.im.MessageMapper;
import org.passerelle.gateway.im.SentMessages;
import org.passerelle.gateway.im.SipIm;
import org.passerelle.gateway.im.SipMessaging.SipOutcome;
import org.passerelle.gateway.im.TranslationException;
import org.passerelle.gateway.sip.SipMessageCodec;
import org.passerelle.model.Correlation;

/**
 * XMPP → SIP (RFC 7572 §4) in the gateway: a {@code <message/>} from the link, as decoded, to a
 * MESSAGE request and to its bytes, for UDP (JAIN-SIP) and for TCP or TLS (our writer). The SIP
 * transaction and the socket are not measured; the answer is a 200 at once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MessageToSipBenchmark {
  private static final CompletionStage<SipOutcome> OK =
      CompletableFuture.completedFuture(new SipOutcome(200, "OK"));

  private final SipMessageCodec codec = new SipMessageCodec();
  private final MessageMapper mapper =
      new MessageMapper(Samples.LOCAL_DOMAINS, Samples.MAX_BODY_BYTES);
  private ImBridge bridge;
  private Element message;
  private boolean overStream;
  private byte[] bytes;

  @Setup
  public void setUp() {
    message = Samples.decodedMessage();
    Correlation.assign(message); // as the proxy gives it
    bridge =
        new ImBridge(
            mapper,
            this::send,
            stanza -> {
              throw new IllegalStateException("bounced: " + stanza.asXML());
            },
            new ConversationTypes(Samples.CONVERSATIONS),
            new SentMessages(Samples.CONVERSATIONS, Duration.ofMinutes(5), Clock.systemUTC()));
  }

  /** The mapping alone: addresses (RFC 7247), body, thread. */
  @Benchmark
  public SipIm translate() throws TranslationException {
    return mapper.toSip(message);
  }

  /** The mapping and the JAIN-SIP request built from it, no transport chosen yet. */
  @Benchmark
  public Object request() throws TranslationException, ParseException {
    return codec.request(mapper.toSip(message).toOutgoing());
  }

  /**
   * Everything the gateway computes for the message, {@link ImBridge} first, to the datagram that
   * JAIN-SIP builds and encodes for UDP.
   */
  @Benchmark
  public byte[] datagram() {
    return sent(false);
  }

  /**
   * The same to the bytes of the request over TCP or TLS, which the gateway writes itself (decision
   * 25).
   */
  @Benchmark
  public byte[] stream() {
    return sent(true);
  }

  private byte[] sent(boolean overStream) {
    this.overStream = overStream;
    bytes = null;
    bridge.fromXmpp(message);
    if (bytes == null) {
      throw new IllegalStateException("no MESSAGE was sent");
    }
    return bytes;
  }

  private CompletionStage<SipOutcome> send(SipIm request) {
    try {
      bytes =
          overStream
              ? codec.encodeForStream(request.toOutgoing())
              : codec.encode(request.toOutgoing());
    } catch (ParseException e) {
      throw new IllegalStateException(e);
    }
    return OK;
  }
}
