package org.passerelle.benchmarks.micro;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.passerelle.gateway.presence.PidfDocument;
import org.passerelle.gateway.presence.PidfException;
import org.passerelle.gateway.presence.PidfReader;
import org.passerelle.gateway.presence.PidfWriter;
import org.passerelle.gateway.presence.PresenceState;
import org.passerelle.gateway.presence.Show;
import org.passerelle.gateway.presence.ShowMapping;
import org.passerelle.model.address.AddressMapper;
import org.passerelle.model.address.SipUri;

/**
 * PIDF (RFC 3863, RFC 8048 §6): the document for an XMPP user's presence, written as the gateway
 * writes it for a NOTIFY, and a SIP phone's document read into presence states.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PidfBenchmark {
  private final PidfWriter writer =
      new PidfWriter(ShowMapping.defaults(), PidfWriter.EntityScheme.SIP);
  private final PidfReader reader = new PidfReader(ShowMapping.defaults());
  private SipUri presentity;
  private PresenceState away;
  private byte[] document;

  @Setup
  public void setUp() {
    presentity = AddressMapper.toSipUri("juliet@capulet.example/balcony");
    away =
        PresenceState.available()
            .show(Show.AWAY)
            .status("Out for a walk in the orchard", "en")
            .priority(5)
            .resource("balcony")
            .build();
    document = Samples.utf8(Samples.PIDF);
  }

  /** One resource, away with a status and a priority: a tuple, a contact and an RPID person. */
  @Benchmark
  public byte[] write() {
    return writer.writeBytes(presentity, away);
  }

  /** One tuple with a note and a contact, and a person with an RPID activity. */
  @Benchmark
  public PidfDocument read() throws PidfException {
    return reader.read(document);
  }
}
