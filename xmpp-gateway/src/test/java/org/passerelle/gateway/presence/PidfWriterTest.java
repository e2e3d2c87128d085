package org.passerelle.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.dom4j.Element;
import org.dom4j.io.SAXReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.passerelle.model.address.SipUri;

/**
 * RFC 8048 §6.2 Table 1 (XMPP to SIP), row by row, from a {@code <presence/>} stanza to the PIDF
 * document, plus RFC 3863's rules for the document itself.
 */
class PidfWriterTest {
  private static final SipUri JULIET = SipUri.parse("sip:juliet@example.com");

  private final PidfWriter writer =
      new PidfWriter(ShowMapping.defaults(), PidfWriter.EntityScheme.SIP);

  @Test
  void goldenDocumentForOneResource() {
    PresenceState state =
        PresenceState.available()
            .show(Show.AWAY)
            .status("Out in the orchard", "en")
            .priority(1)
            .resource("balcony")
            .build();

    assertThat(writer.write(JULIET, state)).isEqualTo(PidfSamples.JULIET_AWAY);
  }

  // RFC 8048 §6.2: each resource of the user is a separate tuple.
  @Test
  void goldenDocumentForSeveralResources() {
    List<PresenceState> states =
        List.of(
            PresenceState.available().show(Show.AWAY).resource("balcony").build(),
            PresenceState.available().show(Show.CHAT).priority(5).resource("orchard").build(),
            PresenceState.unavailable().status("Gone to bed", null).resource("home").build());

    assertThat(writer.write(JULIET, states)).isEqualTo(PidfSamples.JULIET_THREE_RESOURCES);
  }

  // RFC 8048 §6.2 Table 1 row "resourcepart → <tuple id>".
  @Test
  void table1ResourcepartBecomesTupleIdWithAnIdPrefix() {
    String pidf = toPidf("<presence xmlns='jabber:server' from='juliet@example.com/balcony'/>");

    assertThat(pidf).contains("<tuple id=\"ID-balcony\">");
  }

  // RFC 8048 §6.2: a tuple id is an xs:ID; a resource may start with a digit or hold anything.
  @Test
  void table1ResourceThatIsNoXmlNameIsEscapedInTheTupleId() {
    String pidf = toPidf("<presence xmlns='jabber:server' from='juliet@example.com/1 Büro/x'/>");

    assertThat(pidf).contains("<tuple id=\"ID-1_20B_C3_BCro_2Fx\">");
  }

  // RFC 8048 §6.2 Table 1 row "type absent → <basic>open</basic>" (MUST).
  @Test
  void table1NoTypeBecomesBasicOpen() {
    String pidf = toPidf("<presence xmlns='jabber:server' from='juliet@example.com/balcony'/>");

    assertThat(pidf).contains("<status><basic>open</basic></status>");
  }

  // RFC 8048 §6.2 Table 1 row "type unavailable → <basic>closed</basic>" (MUST).
  @Test
  void table1UnavailableBecomesBasicClosed() {
    String pidf =
        toPidf(
            "<presence xmlns='jabber:server' from='juliet@example.com/balcony'"
                + " type='unavailable'/>");

    assertThat(pidf).contains("<status><basic>closed</basic></status>");
    assertThat(pidf).doesNotContain("dm:person");
  }

  // RFC 8048 §6.2 Table 1 row "id → no mapping" (RFC 7248 mapped it to CSeq).
  @Test
  void table1StanzaIdHasNoMapping() {
    String pidf =
        toPidf(
            "<presence xmlns='jabber:server' from='juliet@example.com/balcony'"
                + " id='pres-8f3e'/>");

    assertThat(pidf).doesNotContain("pres-8f3e");
  }

  // RFC 8048 §6.2 Table 1 row "xml:lang → Content-Language": the language goes with the status,
  // as the note's xml:lang and as the state's language for the header.
  @Test
  void table1XmlLangBecomesNoteLanguageAndContentLanguage() {
    PresenceState state =
        PresenceStanzas.fromStanza(
            stanza(
                "<presence xmlns='jabber:server' from='juliet@example.com/balcony'"
                    + " xml:lang='fr'><status>Au verger</status></presence>"));

    assertThat(state.statusLanguage()).isEqualTo("fr");
    assertThat(writer.write(JULIET, state)).contains("<note xml:lang=\"fr\">Au verger</note>");
  }

  // RFC 8048 §6.2 Table 1 row "<priority/> → <contact priority>", with the reference sheet's
  // values.
  @ParameterizedTest
  @CsvSource({"0, 0", "1, 0.007", "2, 0.015", "64, 0.503", "126, 0.992", "127, 1"})
  void table1PriorityBecomesContactPriority(int priority, String qvalue) {
    String pidf =
        toPidf(
            "<presence xmlns='jabber:server' from='juliet@example.com/balcony'><priority>"
                + priority
                + "</priority></presence>");

    assertThat(pidf)
        .contains(
            "<contact priority=\"" + qvalue + "\">sip:juliet@example.com;gr=balcony</contact>");
  }

  // RFC 8048 §6.2 Table 1: a negative priority MUST NOT be mapped.
  @Test
  void table1NegativePriorityIsNotMapped() {
    String pidf =
        toPidf(
            "<presence xmlns='jabber:server' from='juliet@example.com/balcony'>"
                + "<priority>-1</priority></presence>");

    assertThat(pidf).doesNotContain("<contact").doesNotContain("priority");
  }

  // RFC 8048 §6.2 Table 1 row "<show/> → no standard mapping; RECOMMENDED: <show
  // xmlns='jabber:client'> inside <status>".
  @ParameterizedTest
  @CsvSource({"chat", "away", "xa", "dnd"})
  void table1ShowIsCarriedAsJabberClientShowInsideStatus(String show) {
    String pidf =
        toPidf(
            "<presence xmlns='jabber:server' from='juliet@example.com/balcony'><show>"
                + show
                + "</show></presence>");

    assertThat(pidf)
        .contains(
            "<status><basic>open</basic><show xmlns=\"jabber:client\">"
                + show
                + "</show></status>");
  }

  @Test
  void table1NoShowWritesNoShowElement() {
    String pidf = toPidf("<presence xmlns='jabber:server' from='juliet@example.com/balcony'/>");

    assertThat(pidf).doesNotContain("<show");
  }

  // RFC 8048 §6.2 Table 1 row "<status/> → <note/>".
  @Test
  void table1StatusBecomesNote() {
    String pidf =
        toPidf(
            "<presence xmlns='jabber:server' from='juliet@example.com/balcony'>"
                + "<status>Out in the orchard</status></presence>");

    assertThat(pidf).contains("<note>Out in the orchard</note>");
  }

  // RFC 3863 §4.1: the XML declaration MUST be present.
  @Test
  void xmlDeclarationIsAlwaysWritten() {
    assertThat(writer.write(JULIET, PresenceState.unavailable().build()))
        .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence ");
  }

  @Test
  void presentityWithoutResourceIsTupleIdPrefixAloneAndItsAddressOfRecordAsContact() {
    String pidf = writer.write(JULIET, PresenceState.available().priority(127).build());

    assertThat(pidf)
        .contains("<tuple id=\"ID-\">")
        .contains("<contact priority=\"1\">sip:juliet@example.com</contact>");
  }

  @Test
  void entityIsTheAddressOfRecordInTheChosenScheme() {
    SipUri gruu = SipUri.parse("sip:juliet@example.com;gr=balcony");
    PresenceState state = PresenceState.available().build();

    assertThat(writer.write(gruu, state)).contains(" entity=\"sip:juliet@example.com\">");
    assertThat(
            new PidfWriter(ShowMapping.defaults(), PidfWriter.EntityScheme.PRES).write(gruu, state))
        .contains(" entity=\"pres:juliet@example.com\">");
  }

  // The reference sheet's [design] suggestion, as the default ShowMapping writes it.
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "AWAY | <dm:person id=\"p\"><rpid:activities><rpid:away/></rpid:activities></dm:person>",
        "XA   | <dm:person id=\"p\"><rpid:activities><rpid:away/></rpid:activities>"
            + "<rpid:user-input>idle</rpid:user-input></dm:person>",
        "DND  | <dm:person id=\"p\"><rpid:activities><rpid:busy/></rpid:activities></dm:person>"
      })
  void rpidPersonFollowsTheShowMapping(Show show, String person) {
    String pidf = writer.write(JULIET, PresenceState.available().show(show).build());

    assertThat(pidf)
        .contains(
            " xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
                + " xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\"")
        .endsWith("</tuple>" + person + "</presence>");
  }

  @ParameterizedTest
  @EnumSource(
      value = Show.class,
      names = {"NONE", "CHAT"})
  void showWithoutRpidWritesNoPersonNorItsNamespaces(Show show) {
    String pidf = writer.write(JULIET, PresenceState.available().show(show).build());

    assertThat(pidf).doesNotContain("person").doesNotContain("rpid").doesNotContain("xmlns:dm");
  }

  @Test
  void personIsTheMostAvailableResources() {
    List<PresenceState> states =
        List.of(
            PresenceState.available().show(Show.XA).resource("desk").build(),
            PresenceState.available().show(Show.DND).resource("phone").build(),
            PresenceState.unavailable().resource("laptop").build());

    assertThat(writer.write(JULIET, states))
        .contains("<rpid:away/>")
        .contains("<rpid:user-input>idle</rpid:user-input>")
        .doesNotContain("<rpid:busy/>");
  }

  @Test
  void overriddenRowIsWritten() {
    PidfWriter onThePhone =
        new PidfWriter(
            ShowMapping.defaults().withOverrides(Map.of("show.dnd", "on-the-phone")),
            PidfWriter.EntityScheme.SIP);

    assertThat(onThePhone.write(JULIET, PresenceState.available().show(Show.DND).build()))
        .contains("<rpid:activities><rpid:on-the-phone/></rpid:activities>");
  }

  @Test
  void statusTextIsEscaped() {
    PresenceState state =
        PresenceState.available().status("<b>Tom & \"Jerry\"</b> ]]> it's", null).build();

    assertThat(writer.write(JULIET, state))
        .contains("<note>&lt;b&gt;Tom &amp; \"Jerry\"&lt;/b&gt; ]]&gt; it's</note>");
  }

  // XML 1.0 §2.2: C0 controls other than tab, LF and CR cannot be written, not even escaped; a CR
  // must be a reference or XML end-of-line handling turns it into LF (§2.11).
  @Test
  void charactersXmlCannotHoldAreReplacedAndCarriageReturnKept() {
    PresenceState state =
        PresenceState.available().status("a\u0007b\r\nc\uD83D\uDE00\uD800", null).build();

    assertThat(writer.write(JULIET, state))
        .contains("<note>a\uFFFDb&#13;\nc\uD83D\uDE00\uFFFD</note>");
  }

  @Test
  void entityIsEscapedInItsAttribute() {
    SipUri odd = SipUri.parse("sip:o'neil&co@example.com");

    assertThat(writer.write(odd, PresenceState.available().build()))
        .contains(" entity=\"sip:o'neil&amp;co@example.com\">");
  }

  @Test
  void everyDocumentIsWellFormedXml() throws Exception {
    PresenceState state =
        PresenceState.available()
            .show(Show.XA)
            .status("a < b & c > \"d\" '\t' \r\n ✓", "de-CH")
            .priority(42)
            .resource("Büro <1> & \"2\"")
            .build();
    byte[] pidf = writer.writeBytes(SipUri.parse("sip:o'neil&co@example.com"), state);

    Element root = new SAXReader().read(new java.io.ByteArrayInputStream(pidf)).getRootElement();

    assertThat(root.getName()).isEqualTo("presence");
    assertThat(new String(pidf, StandardCharsets.UTF_8)).contains("✓");
  }

  @Test
  void noStateIsRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> writer.write(JULIET, List.of()));
  }

  // RFC 3863 §4.1.2: tuple ids are unique in a document.
  @Test
  void twoStatesOfOneResourceAreRefused() {
    PresenceState balcony = PresenceState.available().resource("balcony").build();

    assertThatIllegalArgumentException()
        .isThrownBy(() -> writer.write(JULIET, List.of(balcony, balcony)))
        .withMessageContaining("tuple id");
  }

  private String toPidf(String presence) {
    return writer.write(JULIET, PresenceStanzas.fromStanza(stanza(presence)));
  }

  static Element stanza(String xml) {
    try {
      return new SAXReader().read(new StringReader(xml)).getRootElement();
    } catch (org.dom4j.DocumentException e) {
      throw new AssertionError(e);
    }
  }
}
