package org.passerelle.proxy.limits;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.passerelle.stream.XmlStreamEncoder;

/**
 * Connection counts of {@link ConnectionGate} on embedded channels (all from one address); the
 * limits across real addresses are shown at the proxy level by the hostile-input tests.
 */
class ConnectionGateTest {
  private final List<String> refusals = new ArrayList<>();
  private final ConnectionGate gate =
      new ConnectionGate(
          new InboundLimits(3, 2, 1, 10, 10),
          "passerelle.test",
          () -> "id1",
          (peer, condition, text) -> refusals.add(condition.elementName()));

  @Test
  void connectionsBeyondThePerAddressLimitGetAHeaderAndPolicyViolation() {
    // RFC 6120 §4.9.1.2: even a refusal at once starts with a stream header.
    EmbeddedChannel one = channel();
    EmbeddedChannel two = channel();
    EmbeddedChannel three = channel();

    String refusal = written(three);
    assertThat(refusal.indexOf("<stream:stream")).isLessThan(refusal.indexOf("<policy-violation"));
    assertThat(refusal).contains("too many connections from").endsWith("</stream:stream>");
    assertThat(three.isOpen()).isFalse();
    assertThat(one.isOpen()).isTrue();
    assertThat(two.isOpen()).isTrue();
    assertThat(gate.connections()).isEqualTo(2);
    assertThat(refusals).containsExactly("policy-violation");
  }

  @Test
  void closingAConnectionFreesItsPlace() {
    EmbeddedChannel one = channel();
    channel();

    one.close();
    EmbeddedChannel three = channel();

    assertThat(three.isOpen()).isTrue();
    assertThat(gate.connections()).isEqualTo(2);
  }

  @Test
  void aDomainIsCountedOncePerStreamAndFreedWhenItCloses() {
    EmbeddedChannel one = channel();
    EmbeddedChannel two = channel();

    assertThat(gate.claimDomain(one, "p.test")).isTrue();
    assertThat(gate.claimDomain(one, "p.test")).isTrue();
    assertThat(gate.claimDomain(two, "p.test")).isFalse();
    assertThat(gate.claimDomain(two, "q.test")).isTrue();

    one.close();
    assertThat(gate.claimDomain(two, "p.test")).isTrue();
  }

  @Test
  void limitsAreCheckedWhenBuilt() {
    assertThatThrownBy(() -> new InboundLimits(10, 11, 1, 1, 1))
        .hasMessageContaining("limits.connections-per-address (11) must not exceed");
    assertThatThrownBy(() -> new InboundLimits(10, 1, 1, 0, 1))
        .hasMessageContaining("limits.stanza-rate must be at least 1");
  }

  private EmbeddedChannel channel() {
    return new EmbeddedChannel(new XmlStreamEncoder(), gate);
  }

  private static String written(EmbeddedChannel channel) {
    StringBuilder out = new StringBuilder();
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      out.append(buf.toString(UTF_8));
      buf.release();
    }
    return out.toString();
  }
}
