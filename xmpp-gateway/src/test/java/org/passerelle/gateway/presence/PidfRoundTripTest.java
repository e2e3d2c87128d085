package org.passerelle.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.passerelle.model.address.SipUri;

/**
 * State → PIDF → state, for every show with and without status and priority: what Table 1 writes,
 * Table 2 reads back (RFC 8048 §6.2, §6.3).
 */
class PidfRoundTripTest {
  private static final SipUri ROMEO = SipUri.parse("sip:romeo@sip.test");

  private final PidfWriter writer =
      new PidfWriter(ShowMapping.defaults(), PidfWriter.EntityScheme.PRES);
  private final PidfReader reader = new PidfReader(ShowMapping.defaults());

  static Stream<Arguments> states() {
    List<Arguments> all = new ArrayList<>();
    String[][] statuses = {{null, null}, {"Ready", null}, {"Prêt & <dispo>", "fr-CA"}};
    Integer[] priorities = {null, 0, 1, 63, 127};
    for (String[] status : statuses) {
      for (Integer priority : priorities) {
        for (Show show : Show.values()) {
          all.add(Arguments.of(build(true, show, status, priority)));
        }
        all.add(Arguments.of(build(false, Show.NONE, status, priority)));
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("states")
  void stateComesBackFromItsDocument(PresenceState state) throws Exception {
    PidfDocument document = reader.read(writer.writeBytes(ROMEO, state));

    assertThat(document.entity()).isEqualTo("pres:romeo@sip.test");
    assertThat(document.tuples()).containsExactly(state);
  }

  // RFC 8048 §6.2: a negative priority is not mapped, so it cannot come back.
  @Test
  void negativePriorityIsLost() throws Exception {
    PresenceState state = build(true, Show.AWAY, new String[] {null, null}, -1);

    assertThat(reader.read(writer.writeBytes(ROMEO, state)).tuples())
        .containsExactly(state.toBuilder().noPriority().build());
  }

  @Test
  void severalResourcesComeBackInOrder() throws Exception {
    List<PresenceState> states =
        List.of(
            build(true, Show.DND, new String[] {"Call", "en"}, 10),
            build(true, Show.XA, new String[] {null, null}, null).toBuilder().resource("2").build(),
            PresenceState.unavailable().resource("Büro 1/α").build());

    PidfDocument document = reader.read(writer.writeBytes(ROMEO, states));

    assertThat(document.tuples()).isEqualTo(states);
    assertThat(document.mostAvailable()).isEqualTo(states.get(1));
  }

  // RFC 8048 §6: an XMPP notification crosses to SIP and comes back as the same stanza.
  @Test
  void stanzaSurvivesTheWayThroughPidf() throws Exception {
    Element original =
        PidfWriterTest.stanza(
            "<presence xmlns=\"jabber:server\" from=\"romeo@sip.test/desk\""
                + " to=\"juliet@example.com\"><show>away</show>"
                + "<status xml:lang=\"en\">Back &amp; forth</status><priority>7</priority>"
                + "</presence>");

    byte[] pidf = writer.writeBytes(ROMEO, PresenceStanzas.fromStanza(original));
    Element again =
        PresenceStanzas.toStanza(
            reader.read(pidf).mostAvailable(), "romeo@sip.test/desk", "juliet@example.com");

    assertThat(again.asXML()).isEqualTo(original.asXML());
  }

  private static PresenceState build(
      boolean available, Show show, String[] status, Integer priority) {
    PresenceState.Builder builder =
        available ? PresenceState.available().show(show) : PresenceState.unavailable();
    builder.status(status[0], status[1]).resource("balcony");
    if (priority != null) {
      builder.priority(priority);
    }
    return builder.build();
  }
}
