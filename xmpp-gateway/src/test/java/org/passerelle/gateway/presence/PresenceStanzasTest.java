package org.passerelle.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.passerelle.gateway.presence.PidfWriterTest.stanza;

import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.model.Namespaces;

/** {@code <presence/>} in {@code jabber:server} ⇄ {@link PresenceState} (RFC 6121 §4.7). */
class PresenceStanzasTest {

  @Test
  void availablePresenceWithEveryChildIsRead() {
    PresenceState state =
        PresenceStanzas.fromStanza(
            stanza(
                "<presence xmlns='jabber:server' from='juliet@example.com/balcony'"
                    + " to='romeo@sip.test' id='p1'><show>xa</show>"
                    + "<status xml:lang='en'>Sleeping</status><priority>5</priority></presence>"));

    assertThat(state)
        .isEqualTo(
            PresenceState.available()
                .show(Show.XA)
                .status("Sleeping", "en")
                .priority(5)
                .resource("balcony")
                .build());
  }

  @Test
  void unavailablePresenceKeepsItsStatusAndDropsAShow() {
    PresenceState state =
        PresenceStanzas.fromStanza(
            stanza(
                "<presence xmlns='jabber:server' from='juliet@example.com/balcony'"
                    + " type='unavailable'><show>away</show><status>Gone</status></presence>"));

    assertThat(state)
        .isEqualTo(PresenceState.unavailable().status("Gone", null).resource("balcony").build());
  }

  // RFC 8048 §6.2: only presence without type, or unavailable, becomes a NOTIFY.
  @ParameterizedTest
  @ValueSource(
      strings = {"subscribe", "subscribed", "unsubscribe", "unsubscribed", "probe", "error"})
  void otherTypesAreNoNotification(String type) {
    Element presence = stanza("<presence xmlns='jabber:server' type='" + type + "'/>");

    assertThat(PresenceStanzas.isNotification(presence)).isFalse();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PresenceStanzas.fromStanza(presence))
        .withMessageContaining(type);
  }

  @Test
  void otherStanzaIsRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> PresenceStanzas.fromStanza(stanza("<message xmlns='jabber:server'/>")))
        .withMessageContaining("<message>");
  }

  @Test
  void unknownShowIsNoneAndPriorityOutOfRangeIsIgnored() {
    PresenceState state =
        PresenceStanzas.fromStanza(
            stanza(
                "<presence xmlns='jabber:server'><show>busy</show>"
                    + "<priority>300</priority></presence>"));

    assertThat(state.show()).isEqualTo(Show.NONE);
    assertThat(state.priority()).isEmpty();
    assertThat(
            PresenceStanzas.fromStanza(
                    stanza("<presence xmlns='jabber:server'><priority>high</priority></presence>"))
                .priority())
        .isEmpty();
  }

  @Test
  void bareFromHasNoResource() {
    assertThat(
            PresenceStanzas.fromStanza(
                    stanza("<presence xmlns='jabber:server' from='juliet@example.com'/>"))
                .resource())
        .isNull();
  }

  // RFC 6120 §8.1.5 / RFC 6121 §4.7.2.2: several statuses in different languages.
  @Test
  void statusInTheStanzasLanguageIsChosen() {
    PresenceState state =
        PresenceStanzas.fromStanza(
            stanza(
                "<presence xmlns='jabber:server' xml:lang='de'>"
                    + "<status xml:lang='en'>Away</status><status>Weg</status></presence>"));

    assertThat(state.status()).isEqualTo("Weg");
    assertThat(state.statusLanguage()).isEqualTo("de");
  }

  @Test
  void firstStatusIsChosenWhenNoneIsInTheStanzasLanguage() {
    PresenceState state =
        PresenceStanzas.fromStanza(
            stanza(
                "<presence xmlns='jabber:server' xml:lang='de'>"
                    + "<status xml:lang='en'>Away</status><status xml:lang='fr'>Parti</status>"
                    + "</presence>"));

    assertThat(state.status()).isEqualTo("Away");
    assertThat(state.statusLanguage()).isEqualTo("en");
  }

  @Test
  void emptyStatusIsNoneAndABadLanguageIsDropped() {
    assertThat(
            PresenceStanzas.fromStanza(
                    stanza("<presence xmlns='jabber:server'><status/></presence>"))
                .status())
        .isNull();
    assertThat(
            PresenceStanzas.fromStanza(
                    stanza("<presence xmlns='jabber:server'><status> \n </status></presence>"))
                .status())
        .isNull();
    assertThat(
            PresenceStanzas.fromStanza(
                    stanza(
                        "<presence xmlns='jabber:server'>"
                            + "<status xml:lang='x y'>Hi</status></presence>"))
                .statusLanguage())
        .isNull();
  }

  @Test
  void stateIsWrittenInJabberServerWithChildrenInOrder() {
    Element presence =
        PresenceStanzas.toStanza(
            PresenceState.available()
                .show(Show.DND)
                .status("On the phone", "en")
                .priority(1)
                .resource("ignored")
                .build(),
            "bob@sip.test/phone",
            "juliet@example.com");

    assertThat(presence.asXML())
        .isEqualTo(
            "<presence xmlns=\"jabber:server\" from=\"bob@sip.test/phone\""
                + " to=\"juliet@example.com\"><show>dnd</show>"
                + "<status xml:lang=\"en\">On the phone</status><priority>1</priority></presence>");
    assertThat(presence.getNamespaceURI()).isEqualTo(Namespaces.SERVER);
  }

  @Test
  void unavailableStateIsTypeUnavailable() {
    Element presence =
        PresenceStanzas.toStanza(
            PresenceState.unavailable().build(), "bob@sip.test", "juliet@example.com");

    assertThat(presence.asXML())
        .isEqualTo(
            "<presence xmlns=\"jabber:server\" from=\"bob@sip.test\" to=\"juliet@example.com\""
                + " type=\"unavailable\"/>");
  }

  @Test
  void stanzaComesBackFromItsState() {
    Element original =
        stanza(
            "<presence xmlns=\"jabber:server\" from=\"juliet@example.com/balcony\""
                + " to=\"romeo@sip.test\"><show>chat</show>"
                + "<status xml:lang=\"it\">Ciao</status><priority>-1</priority></presence>");

    Element again =
        PresenceStanzas.toStanza(
            PresenceStanzas.fromStanza(original), "juliet@example.com/balcony", "romeo@sip.test");

    assertThat(again.asXML()).isEqualTo(original.asXML());
  }
}
