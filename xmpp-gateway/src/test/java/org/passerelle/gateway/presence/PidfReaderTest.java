package org.passerelle.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.gateway.presence.PidfException.Reason;

/**
 * RFC 8048 §6.3 Table 2 (SIP to XMPP), row by row, from a PIDF document to the {@code <presence/>}
 * stanza; RFC 3863's reading rules; the RPID rules of {@link ShowMapping}; and the documents that
 * must be refused.
 */
class PidfReaderTest {
  private static final String HEAD =
      "<?xml version='1.0' encoding='UTF-8'?>"
          + "<presence xmlns='urn:ietf:params:xml:ns:pidf'"
          + " xmlns:dm='urn:ietf:params:xml:ns:pidf:data-model'"
          + " xmlns:rpid='urn:ietf:params:xml:ns:pidf:rpid'"
          + " entity='sip:bob@sip.test'>";
  private static final String TAIL = "</presence>";

  private final PidfReader reader = new PidfReader(ShowMapping.defaults());

  // RFC 8048 §6.3 Table 2: <basic>open</basic> → no type (MUST).
  @Test
  void table2BasicOpenBecomesPresenceWithoutType() throws Exception {
    Element presence = toStanza(tuple("<status><basic>open</basic></status>"));

    assertThat(presence.attributeValue("type")).isNull();
    assertThat(presence.elements()).isEmpty();
  }

  // RFC 8048 §6.3 Table 2: <basic>closed</basic> → type='unavailable' (MUST).
  @Test
  void table2BasicClosedBecomesUnavailable() throws Exception {
    Element presence = toStanza(tuple("<status><basic>closed</basic></status>"));

    assertThat(presence.attributeValue("type")).isEqualTo("unavailable");
  }

  // RFC 8048 §6.3 Table 2: <note/> → <status/>.
  @Test
  void table2NoteBecomesStatus() throws Exception {
    Element presence =
        toStanza(tuple("<status><basic>open</basic></status><note>Back at 3</note>"));

    assertThat(presence.elementText("status")).isEqualTo("Back at 3");
  }

  // RFC 8048 §6.3 Table 2: Content-Language → xml:lang; the note's language is the status's.
  @Test
  void table2NoteLanguageBecomesStatusXmlLang() throws Exception {
    PresenceState state =
        readOne(tuple("<status><basic>open</basic></status><note xml:lang='de'>Pause</note>"));
    Element presence = PresenceStanzas.toStanza(state, "bob@sip.test", "juliet@example.com");

    assertThat(state.statusLanguage()).isEqualTo("de");
    assertThat(presence.element("status").attributeValue("lang")).isEqualTo("de");
  }

  // RFC 8048 §6.3 Table 2: tuple priority → <priority/>.
  @ParameterizedTest
  @CsvSource({"0, 0", "0.007, 1", "0.015, 2", "0.5, 64", "0.992, 126", "1, 127", "1.000, 127"})
  void table2ContactPriorityBecomesPriority(String qvalue, String priority) throws Exception {
    Element presence =
        toStanza(
            tuple(
                "<status><basic>open</basic></status><contact priority='"
                    + qvalue
                    + "'>sip:bob@192.0.2.10</contact>"));

    assertThat(presence.elementText("priority")).isEqualTo(priority);
  }

  // RFC 8048 §6.3 Table 2: the embedded jabber:client <show/> → <show/>.
  @ParameterizedTest
  @ValueSource(strings = {"chat", "away", "xa", "dnd"})
  void table2EmbeddedShowBecomesShow(String show) throws Exception {
    Element presence =
        toStanza(
            tuple(
                "<status><basic>open</basic><show xmlns='jabber:client'>"
                    + show
                    + "</show></status>"));

    assertThat(presence.elementText("show")).isEqualTo(show);
  }

  // RFC 8048 §6.3: CSeq → id was RFC 7248's; there is no id mapping any more.
  @Test
  void table2NoIdIsMade() throws Exception {
    assertThat(toStanza(tuple("<status><basic>open</basic></status>")).attributeValue("id"))
        .isNull();
  }

  @Test
  void goldenKamailioMergedDocumentIsReadWithItsIndentation() throws Exception {
    // The body Kamailio sent had Content-Length 891: the constant is that body.
    assertThat(PidfSamples.KAMAILIO_MERGED.getBytes(StandardCharsets.UTF_8)).hasSize(891);

    PidfDocument document = read(PidfSamples.KAMAILIO_MERGED);

    assertThat(document.entity()).isEqualTo("sip:bob@sip.test");
    assertThat(document.tuples())
        .containsExactly(
            PresenceState.available()
                .show(Show.DND)
                .status("On the phone", null)
                .resource("t3a5c1b70")
                .build(),
            PresenceState.available()
                .show(Show.CHAT)
                .status("Télétravail & café", "fr")
                .priority(64)
                .resource("laptop")
                .build());
    assertThat(document.mostAvailable().resource()).isEqualTo("laptop");
  }

  @Test
  void goldenPhoneWithRpidOnlyIsReadThroughTheShowMapping() throws Exception {
    PidfDocument document = read(PidfSamples.PHONE_RPID_ONLY);

    assertThat(document.mostAvailable())
        .isEqualTo(
            PresenceState.available()
                .show(Show.DND)
                .status("In a meeting", null)
                .resource("t94fc3a36")
                .build());
  }

  @Test
  void goldenRfc3863StyleDocumentIgnoresWhatItDoesNotKnow() throws Exception {
    PidfDocument document = read(PidfSamples.RFC3863_STYLE);

    assertThat(document.entity()).isEqualTo("pres:someone@example.com");
    assertThat(document.tuples())
        .containsExactly(
            PresenceState.available()
                .status("Don't Disturb Please!", "en")
                .priority(102)
                .resource("bs35r9")
                .build(),
            PresenceState.available()
                .status("I'll be in Tokyo next week", null)
                .priority(127)
                .resource("eg92n8")
                .build());
    assertThat(document.mostAvailable().resource()).isEqualTo("eg92n8");
  }

  @Test
  void goldenDocumentsOfOurWriterAreReadBack() throws Exception {
    assertThat(read(PidfSamples.JULIET_AWAY).tuples())
        .containsExactly(
            PresenceState.available()
                .show(Show.AWAY)
                .status("Out in the orchard", "en")
                .priority(1)
                .resource("balcony")
                .build());
    assertThat(read(PidfSamples.JULIET_THREE_RESOURCES).mostAvailable().resource())
        .isEqualTo("orchard");
  }

  // The reference sheet's [design] suggestion and our reading of RFC 4480 §3.2: every default
  // rule, for an activity in the person.
  @ParameterizedTest
  @CsvSource({
    "busy, DND",
    "on-the-phone, DND",
    "meeting, DND",
    "presentation, DND",
    "performance, DND",
    "permanent-absence, XA",
    "vacation, XA",
    "holiday, XA",
    "sleeping, XA",
    "away, AWAY",
    "appointment, AWAY",
    "meal, AWAY",
    "breakfast, AWAY",
    "dinner, AWAY",
    "in-transit, AWAY",
    "travel, AWAY",
    "working, NONE",
    "playing, NONE",
    "unknown, NONE"
  })
  void rpidActivityOfThePersonGivesTheShow(String activity, Show show) throws Exception {
    PresenceState state =
        readOne(
            tuple("<status><basic>open</basic></status>")
                + person("<rpid:activities><rpid:" + activity + "/></rpid:activities>"));

    assertThat(state.show()).isEqualTo(show);
  }

  // RFC 4480 §3.14: user-input idle, the last rule.
  @Test
  void rpidUserInputIdleIsAway() throws Exception {
    assertThat(
            readOne(
                    tuple("<status><basic>open</basic></status>")
                        + person("<rpid:user-input idle-threshold='600'>idle</rpid:user-input>"))
                .show())
        .isEqualTo(Show.AWAY);
    assertThat(
            readOne(
                    tuple("<status><basic>open</basic></status>")
                        + person("<rpid:user-input>active</rpid:user-input>"))
                .show())
        .isEqualTo(Show.NONE);
  }

  @Test
  void firstMatchingRuleWinsSoDndBeatsAwayAndActivitiesBeatIdle() throws Exception {
    assertThat(
            readOne(
                    tuple("<status><basic>open</basic></status>")
                        + person("<rpid:activities><rpid:away/><rpid:meeting/></rpid:activities>"))
                .show())
        .isEqualTo(Show.DND);
    assertThat(
            readOne(
                    tuple("<status><basic>open</basic></status>")
                        + person(
                            "<rpid:user-input>idle</rpid:user-input>"
                                + "<rpid:activities><rpid:vacation/></rpid:activities>"))
                .show())
        .isEqualTo(Show.XA);
  }

  // RFC 4480 §3.14 allows user-input in a tuple (a service); activities there are read too.
  @Test
  void rpidInTheTupleOrItsStatusIsReadToo() throws Exception {
    assertThat(
            readOne(
                    tuple(
                        "<status><basic>open</basic>"
                            + "<rpid:activities><rpid:busy/></rpid:activities></status>"))
                .show())
        .isEqualTo(Show.DND);
    assertThat(
            readOne(
                    tuple(
                        "<status><basic>open</basic></status>"
                            + "<rpid:user-input>idle</rpid:user-input>"))
                .show())
        .isEqualTo(Show.AWAY);
  }

  @Test
  void embeddedShowWinsOverRpid() throws Exception {
    PresenceState state =
        readOne(
            tuple("<status><basic>open</basic><show xmlns='jabber:client'>chat</show></status>")
                + person("<rpid:activities><rpid:busy/></rpid:activities>"));

    assertThat(state.show()).isEqualTo(Show.CHAT);
  }

  @Test
  void overriddenRuleIsFollowed() throws Exception {
    PidfReader meetingIsAway =
        new PidfReader(ShowMapping.defaults().withOverrides(Map.of("activity.meeting", "away")));

    PidfDocument document =
        meetingIsAway.read(PidfSamples.PHONE_RPID_ONLY.getBytes(StandardCharsets.UTF_8));

    assertThat(document.mostAvailable().show()).isEqualTo(Show.AWAY);
  }

  @Test
  void showOfAJabberNamespaceOtherThanClientIsNotTheEmbeddedShow() throws Exception {
    PresenceState state =
        readOne(
            tuple("<status><basic>open</basic><show xmlns='jabber:server'>dnd</show></status>"));

    assertThat(state.show()).isEqualTo(Show.NONE);
  }

  @Test
  void unknownShowTextFallsBackToRpid() throws Exception {
    PresenceState state =
        readOne(
            tuple("<status><basic>open</basic><show xmlns='jabber:client'>busy</show></status>")
                + person("<rpid:activities><rpid:away/></rpid:activities>"));

    assertThat(state.show()).isEqualTo(Show.AWAY);
  }

  // RFC 6121 §4.7.2.1: a show qualifies availability; a closed tuple has none.
  @Test
  void closedTupleHasNoShow() throws Exception {
    PresenceState state =
        readOne(
            tuple("<status><basic>closed</basic><show xmlns='jabber:client'>dnd</show></status>")
                + person("<rpid:activities><rpid:busy/></rpid:activities>"));

    assertThat(state.isAvailable()).isFalse();
    assertThat(state.show()).isEqualTo(Show.NONE);
  }

  @Test
  void tupleWithoutBasicIsUnavailable() throws Exception {
    assertThat(readOne(tuple("<status/>")).isAvailable()).isFalse();
    assertThat(readOne(tuple("<status><basic>maybe</basic></status>")).isAvailable()).isFalse();
  }

  @Test
  void documentWithoutTupleIsUnavailable() throws Exception {
    PidfDocument document = read(HEAD + "<note>Nobody home</note>" + TAIL);

    assertThat(document.tuples()).isEmpty();
    assertThat(document.mostAvailable()).isEqualTo(PresenceState.unavailable().build());
  }

  // Our choice where RFC 8048 §6.2 leaves room: open before closed, then chat > none > away > xa
  // > dnd, then the higher priority, then the first.
  @Test
  void mostAvailableTupleIsOpenThenByShowThenByPriority() throws Exception {
    String dnd = "<status><basic>open</basic><show xmlns='jabber:client'>dnd</show></status>";
    String xa = "<status><basic>open</basic><show xmlns='jabber:client'>xa</show></status>";
    String away = "<status><basic>open</basic><show xmlns='jabber:client'>away</show></status>";
    String none = "<status><basic>open</basic></status>";
    String chat = "<status><basic>open</basic><show xmlns='jabber:client'>chat</show></status>";
    String closed = "<status><basic>closed</basic></status>";

    assertThat(mostAvailableId(tuple("a", closed) + tuple("b", dnd))).isEqualTo("b");
    assertThat(mostAvailableId(tuple("a", dnd) + tuple("b", xa))).isEqualTo("b");
    assertThat(mostAvailableId(tuple("a", xa) + tuple("b", away))).isEqualTo("b");
    assertThat(mostAvailableId(tuple("a", away) + tuple("b", none))).isEqualTo("b");
    assertThat(mostAvailableId(tuple("a", none) + tuple("b", chat))).isEqualTo("b");
    assertThat(mostAvailableId(tuple("a", chat) + tuple("b", none))).isEqualTo("a");
    assertThat(
            mostAvailableId(
                tuple("a", none + "<contact priority='0.1'>sip:a@x</contact>")
                    + tuple("b", none + "<contact priority='0.2'>sip:b@x</contact>")))
        .isEqualTo("b");
    assertThat(mostAvailableId(tuple("a", none) + tuple("b", none))).isEqualTo("a");
  }

  @Test
  void noteFallsBackToThePersonsThenTheDocuments() throws Exception {
    String open = "<status><basic>open</basic></status>";

    assertThat(readOne(tuple(open) + person("<dm:note>On the road</dm:note>")).status())
        .isEqualTo("On the road");
    assertThat(readOne(tuple(open) + "<note>Tokyo next week</note>").status())
        .isEqualTo("Tokyo next week");
    assertThat(
            readOne(tuple(open + "<note>Mine</note>") + person("<dm:note>Person's</dm:note>"))
                .status())
        .isEqualTo("Mine");
  }

  // XML 1.0 §2.12: xml:lang applies to the element's content, descendants included.
  @Test
  void noteLanguageIsInheritedAndAnEmptyOneMeansNone() throws Exception {
    String open = "<status><basic>open</basic></status>";
    String fr =
        "<?xml version='1.0'?><presence xmlns='urn:ietf:params:xml:ns:pidf' xml:lang='fr'"
            + " entity='sip:bob@sip.test'>";

    assertThat(
            read(fr + tuple(open + "<note>Pause</note>") + TAIL).mostAvailable().statusLanguage())
        .isEqualTo("fr");
    assertThat(
            read(fr + tuple(open + "<note xml:lang=''>Pause</note>") + TAIL)
                .mostAvailable()
                .statusLanguage())
        .isNull();
    assertThat(readOne(tuple(open + "<note xml:lang='not a tag'>Pause</note>")).statusLanguage())
        .isNull();
  }

  @Test
  void emptyNoteIsNoStatus() throws Exception {
    assertThat(readOne(tuple("<status><basic>open</basic></status><note>  </note>")).status())
        .isNull();
  }

  // RFC 8048 §6.3 maps no timestamp; RFC 3863 §4.1.7.
  @Test
  void timestampsAreIgnored() throws Exception {
    PresenceState state =
        readOne(
            tuple("<status><basic>open</basic></status><timestamp>garbage</timestamp>")
                + person("<dm:timestamp>2025-01-01T00:00:00Z</dm:timestamp>"));

    assertThat(state).isEqualTo(PresenceState.available().resource("t1").build());
  }

  @Test
  void whitespaceAroundValuesIsTolerated() throws Exception {
    PresenceState state =
        readOne(
            tuple(
                "\n  <status>\n    <basic>\n      open\n    </basic>\n"
                    + "    <show xmlns='jabber:client'> away </show>\n  </status>\n"
                    + "  <contact priority=' 0.5 '>sip:bob@x</contact>\n"
                    + "  <note>\n    Lunch\n  </note>\n"));

    assertThat(state)
        .isEqualTo(
            PresenceState.available()
                .show(Show.AWAY)
                .status("Lunch", null)
                .priority(64)
                .resource("t1")
                .build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "-0.5", "0,5", "high", "", "1.5", "0.5x"})
  void priorityThatIsNoQvalueIsIgnored(String qvalue) throws Exception {
    PresenceState state =
        readOne(
            tuple(
                "<status><basic>open</basic></status><contact priority='"
                    + qvalue
                    + "'>sip:bob@x</contact>"));

    assertThat(state.priority()).isEmpty();
  }

  @Test
  void ourTupleIdsGiveBackTheResourceAndOthersAreKept() throws Exception {
    String open = "<status><basic>open</basic></status>";

    assertThat(readOne(tuple("ID-1_20B_C3_BCro", open)).resource()).isEqualTo("1 Büro");
    assertThat(readOne(tuple("ID-", open)).resource()).isNull();
    assertThat(readOne(tuple("a8f3", open)).resource()).isEqualTo("a8f3");
    assertThat(readOne(tuple("ID-bad_ZZ", open)).resource()).isEqualTo("ID-bad_ZZ");
  }

  @Test
  void cdataAndCommentsInTextAreRead() throws Exception {
    assertThat(
            readOne(
                    tuple(
                        "<status><basic>open</basic></status><note>a<!-- x --><![CDATA[<b>]]></note>"))
                .status())
        .isEqualTo("a<b>");
  }

  @Test
  void documentWithoutXmlDeclarationIsRead() throws Exception {
    PidfDocument document =
        read(
            "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:bob@sip.test'>"
                + tuple("<status><basic>open</basic></status>")
                + TAIL);

    assertThat(document.mostAvailable().isAvailable()).isTrue();
  }

  @Test
  void documentInIso88591IsReadAsItsDeclarationSays() throws Exception {
    byte[] body =
        ("<?xml version='1.0' encoding='ISO-8859-1'?>"
                + "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:bob@sip.test'>"
                + tuple("<status><basic>open</basic></status><note>Café</note>")
                + TAIL)
            .getBytes(StandardCharsets.ISO_8859_1);

    assertThat(reader.read(body).mostAvailable().status()).isEqualTo("Café");
  }

  @Test
  void partOfAnArrayIsRead() throws Exception {
    byte[] body =
        ("xx" + HEAD + tuple("<status><basic>open</basic></status>") + TAIL + "yy")
            .getBytes(StandardCharsets.UTF_8);

    assertThat(reader.read(body, 2, body.length - 4).tuples()).hasSize(1);
  }

  // RFC 3863 §4.2.3: unknown elements are ignored unless marked mustUnderstand.
  @Test
  void unknownElementsAreIgnoredAtEveryLevel() throws Exception {
    PresenceState state =
        readOne(
            "<x:a xmlns:x='urn:example'><x:b/></x:a>"
                + tuple(
                    "<status><basic>open</basic><x:c xmlns:x='urn:example' x:mustUnderstand='true'/>"
                        + "</status><x:d xmlns:x='urn:example' pidf:mustUnderstand='false'"
                        + " xmlns:pidf='urn:ietf:params:xml:ns:pidf'>text</x:d>")
                + person(
                    "<rpid:mood><rpid:happy/></rpid:mood>"
                        + "<rpid:activities><rpid:note>n</rpid:note><x:e xmlns:x='urn:example'/>"
                        + "<rpid:away/></rpid:activities>"));

    assertThat(state.show()).isEqualTo(Show.AWAY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // In a status, qualified as RFC 3863's schema declares it.
        "<status><basic>open</basic><x:geo xmlns:x='urn:example'"
            + " xmlns:p='urn:ietf:params:xml:ns:pidf' p:mustUnderstand='true'/></status>",
        // In a tuple, xs:boolean "1", deep inside an unknown extension.
        "<status><basic>open</basic></status><x:a xmlns:x='urn:example'><x:b>"
            + "<x:c xmlns:p='urn:ietf:params:xml:ns:pidf' p:mustUnderstand='1'/></x:b></x:a>",
        // Unprefixed: not PIDF's attribute, but failing is the safe reading.
        "<status><basic>open</basic></status><x:geo xmlns:x='urn:example' mustUnderstand='true'/>"
      })
  void mustUnderstandElementWeDoNotKnowRefusesTheDocument(String content) {
    assertThatThrownBy(() -> read(HEAD + tuple(content) + TAIL))
        .isInstanceOfSatisfying(
            PidfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MUST_UNDERSTAND))
        .hasMessageContaining("{urn:example}")
        .hasMessageContaining("mustUnderstand")
        .hasMessageContaining("RFC 3863 §4.2.3");
  }

  @Test
  void mustUnderstandOnAnElementWeUnderstandIsFine() throws Exception {
    PresenceState state =
        readOne(
            tuple("<status><basic>open</basic></status>")
                + "<dm:person id='p' xmlns:p='urn:ietf:params:xml:ns:pidf'>"
                + "<rpid:activities p:mustUnderstand='true'><rpid:busy/></rpid:activities>"
                + "</dm:person>");

    assertThat(state.show()).isEqualTo(Show.DND);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not xml at all",
        "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:bob@sip.test'><tuple id='t'>",
        "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:bob@sip.test'></tuple>",
        "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:bob@sip.test'/><presence/>",
        "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='a' entity='b'/>",
        "<p:presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:bob@sip.test'/>",
        "<xmlns:presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:bob@sip.test'/>"
      })
  void documentThatIsNotWellFormedIsMalformed(String body) {
    assertThatThrownBy(() -> read(body))
        .isInstanceOfSatisfying(
            PidfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageStartingWith("PIDF body is not well-formed XML");
  }

  @Test
  void invalidUtf8IsMalformed() {
    byte[] body = (HEAD + "<note>x</note>" + TAIL).getBytes(StandardCharsets.UTF_8);
    int x = new String(body, StandardCharsets.UTF_8).indexOf("x</note>");
    body[x] = (byte) 0xC3;

    assertThatThrownBy(() -> reader.read(body))
        .isInstanceOfSatisfying(
            PidfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void elementInsideATextElementIsMalformed() {
    assertThatThrownBy(
            () ->
                read(HEAD + tuple("<status><basic>open</basic></status><note>a<b/></note>") + TAIL))
        .isInstanceOfSatisfying(
            PidfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("<note> holds text only");
  }

  // No DTD is ever read and no entity expanded: billion laughs and XXE both stop at the DOCTYPE.
  @ParameterizedTest
  @ValueSource(
      strings = {
        "<?xml version='1.0'?><!DOCTYPE presence [<!ENTITY lol 'lol'>"
            + "<!ENTITY lol2 '&lol;&lol;&lol;&lol;'>]>"
            + "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:bob@sip.test'>"
            + "<note>&lol2;</note></presence>",
        "<?xml version='1.0'?><!DOCTYPE presence SYSTEM 'file:///etc/passwd'>"
            + "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:bob@sip.test'/>",
        "<?xml version='1.0'?><!DOCTYPE presence [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
            + "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='&xxe;'/>"
      })
  void documentTypeDeclarationIsRefused(String body) {
    assertThatThrownBy(() -> read(body))
        .isInstanceOfSatisfying(
            PidfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DTD_OR_ENTITY))
        .hasMessageContaining("document type declaration");
  }

  @Test
  void entityReferenceWithoutDtdIsRefused() {
    assertThatThrownBy(
            () ->
                read(HEAD + tuple("<status><basic>open</basic></status><note>&xxe;</note>") + TAIL))
        .isInstanceOfSatisfying(
            PidfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.DTD_OR_ENTITY))
        .hasMessageContaining("entity reference");
  }

  @Test
  void predefinedEntitiesAndCharacterReferencesAreRead() throws Exception {
    assertThat(
            readOne(
                    tuple(
                        "<status><basic>open</basic></status>"
                            + "<note>&lt;&amp;&gt;&quot;&apos;&#233;&#x2713;</note>"))
                .status())
        .isEqualTo("<&>\"'é✓");
  }

  // RFC 3863 §4.1.1: the root is PIDF's <presence>, and its entity attribute is a MUST.
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "<presence xmlns='jabber:client' entity='sip:bob@sip.test'/> | {jabber:client}presence",
        "<presence entity='sip:bob@sip.test'/> | {}presence",
        "<watcherinfo xmlns='urn:ietf:params:xml:ns:watcherinfo'/> | watcherinfo",
        "<presence xmlns='urn:ietf:params:xml:ns:pidf'/> | no entity attribute",
        "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity=' '/> | no entity attribute"
      })
  void documentThatIsNotPidfIsRefused(String body, String message) {
    assertThatThrownBy(() -> read(body))
        .isInstanceOfSatisfying(
            PidfException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_PIDF))
        .hasMessageContaining(message);
  }

  private PidfDocument read(String body) throws PidfException {
    return reader.read(body.getBytes(StandardCharsets.UTF_8));
  }

  /** The single tuple of a document made of {@code HEAD}, {@code content} and {@code TAIL}. */
  private PresenceState readOne(String content) throws PidfException {
    PidfDocument document = read(HEAD + content + TAIL);
    assertThat(document.tuples()).hasSize(1);
    return document.tuples().get(0);
  }

  private Element toStanza(String content) throws PidfException {
    return PresenceStanzas.toStanza(readOne(content), "bob@sip.test", "juliet@example.com");
  }

  private String mostAvailableId(String tuples) throws PidfException {
    return read(HEAD + tuples + TAIL).mostAvailable().resource();
  }

  private static String tuple(String content) {
    return tuple("t1", content);
  }

  private static String tuple(String id, String content) {
    return "<tuple id='" + id + "'>" + content + "</tuple>";
  }

  private static String person(String content) {
    return "<dm:person id='p1'>" + content + "</dm:person>";
  }
}
