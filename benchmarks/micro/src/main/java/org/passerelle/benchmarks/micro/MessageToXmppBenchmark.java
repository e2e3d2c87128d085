package org.passerelle.benchmarks.micro;

import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
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
import org.passerelle.gateway.im.TranslationException;
import org.passerelle.gateway.sip.SipMessageCodec;
import org.passerelle.gateway.sip.SipResponder;

/**
 * SIP → XMPP (RFC 7572 §5) in the gateway: a MESSAGE datagram from the SIP server to the {@code
 * <message/>} handed to the link. The server transaction, the 202 and the link's write are not
 * measured (the stanza's encoding is {@link StreamEncodeBenchmark}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MessageToXmppBenchmark {
  private static final CompletionStage<Void> TAKEN = CompletableFuture.completedFuture(null);
  private static final InetSocketAddress SIP_SERVER = new InetSocketAddress("192.0.2.20", 5060);

  private final SipMessageCodec codec = new SipMessageCodec();
  private final MessageMapper mapper =
      new MessageMapper(Samples.LOCAL_DOMAINS, Samples.MAX_BODY_BYTES);
  private ImBridge bridge;
  private byte[] datagram;
  private SipIm received;
  private Element stanza;
  private int answer;

  @Setup
  public void setUp() throws ParseException, CharacterCodingException {
    datagram = Samples.utf8(Samples.SIP_MESSAGE);
    received = SipIm.of(codec.receive(datagram, SIP_SERVER));
    bridge =
        new ImBridge(
            mapper,
            request -> {
              throw new IllegalStateException("a SIP notice was sent: " + request.requestUri());
            },
            this::toLink,
            new ConversationTypes(Samples.CONVERSATIONS),
            new SentMessages(Samples.CONVERSATIONS, Duration.ofMinutes(5), Clock.systemUTC()));
  }

  /** The mapping alone: addresses (RFC 7247), body, Call-ID, a new stanza id. */
  @Benchmark
  public Element translate() throws TranslationException {
    return mapper.toXmpp(received, "normal");
  }

  /**
   * The datagram parsed by JAIN-SIP and read as the endpoint reads it (UDP), then {@link ImBridge}.
   */
  @Benchmark
  public Element stanza() throws ParseException, CharacterCodingException {
    stanza = null;
    answer = 0;
    bridge.fromSip(SipIm.of(codec.receive(datagram, SIP_SERVER)), responder);
    if (stanza == null || answer != 202) {
      throw new IllegalStateException("the MESSAGE was answered " + answer);
    }
    return stanza;
  }

  /** The same MESSAGE as the gateway's TCP listener reads it, without JAIN-SIP (decision 21). */
  @Benchmark
  public Element stanzaFromStream() throws CharacterCodingException {
    stanza = null;
    answer = 0;
    bridge.fromSip(SipIm.of(codec.receiveOnStream(datagram, SIP_SERVER)), responder);
    if (stanza == null || answer != 202) {
      throw new IllegalStateException("the MESSAGE was answered " + answer);
    }
    return stanza;
  }

  private final SipResponder responder =
      new SipResponder() {
        @Override
        public void respond(int status, String reason) {
          answer = status;
        }

        @Override
        public void unavailable(String reason, Duration retryAfter) {
          answer = 503;
        }
      };

  private CompletionStage<Void> toLink(Element message) {
    stanza = message;
    return TAKEN;
  }

  /** What XmppGateway.toSipIm makes of the endpoint's message for the bridge. */
}
