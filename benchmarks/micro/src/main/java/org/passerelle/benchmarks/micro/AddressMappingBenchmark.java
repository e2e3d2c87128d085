package org.passerelle.benchmarks.micro;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.passerelle.model.address.AddressMapper;

/**
 * {@link AddressMapper} (RFC 7247 §6), one address each way, as every translated message needs
 * twice: nothing is cached, so every call is the steady state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AddressMappingBenchmark {
  // Fields, not constants, so the JIT cannot fold the work away.
  private String jid = "juliet@capulet.example/balcony";
  private String sipUri = "sip:romeo@montague.example";

  /** A full JID to the text of its SIP URI (the resource becomes {@code ;gr=}). */
  @Benchmark
  public String jidToSipUri() {
    return AddressMapper.toSipUri(jid).toString();
  }

  /** The text of a SIP URI, as JAIN-SIP gives it, to a JID. */
  @Benchmark
  public String sipUriToJid() {
    return AddressMapper.toJid(sipUri);
  }
}
