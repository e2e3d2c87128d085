package org.passerelle.gateway.presence;

/** Golden PIDF documents, each as it is found on the wire, and where it comes from. */
final class PidfSamples {
  private PidfSamples() {}

  /**
   * What {@link PidfWriter} writes for juliet@example.com/balcony, away, "Out in the orchard" in
   * English, priority 1: the document of the RFC 8048 §6.2 example (tuple {@code ID-<resource>},
   * {@code <show xmlns='jabber:client'>} inside {@code <status>}) with a contact priority, a note,
   * and the RPID person of the default {@link ShowMapping}.
   */
  static final String JULIET_AWAY =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\""
          + " xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\""
          + " xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\""
          + " entity=\"sip:juliet@example.com\">"
          + "<tuple id=\"ID-balcony\">"
          + "<status><basic>open</basic><show xmlns=\"jabber:client\">away</show></status>"
          + "<contact priority=\"0.007\">sip:juliet@example.com;gr=balcony</contact>"
          + "<note xml:lang=\"en\">Out in the orchard</note>"
          + "</tuple>"
          + "<dm:person id=\"p\"><rpid:activities><rpid:away/></rpid:activities></dm:person>"
          + "</presence>";

  /**
   * What {@link PidfWriter} writes for three resources of juliet@example.com (RFC 8048 §6.2: one
   * tuple each): balcony away, orchard chat with priority 5, home unavailable with a status. The
   * most available resource chats, for which RPID has nothing: no person.
   */
  static final String JULIET_THREE_RESOURCES =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:juliet@example.com\">"
          + "<tuple id=\"ID-balcony\">"
          + "<status><basic>open</basic><show xmlns=\"jabber:client\">away</show></status>"
          + "</tuple>"
          + "<tuple id=\"ID-orchard\">"
          + "<status><basic>open</basic><show xmlns=\"jabber:client\">chat</show></status>"
          + "<contact priority=\"0.039\">sip:juliet@example.com;gr=orchard</contact>"
          + "</tuple>"
          + "<tuple id=\"ID-home\">"
          + "<status><basic>closed</basic></status>"
          + "<note>Gone to bed</note>"
          + "</tuple>"
          + "</presence>";

  /**
   * A SIP phone's PUBLISH body as softphones and desk phones write it (random ids, the CIPID
   * namespace declared but unused): RPID only, the activity and the text in {@code <dm:person>}, a
   * bare open tuple, no {@code jabber:client} show.
   */
  static final String PHONE_RPID_ONLY =
      "<?xml version='1.0' encoding='UTF-8'?>"
          + "<presence xmlns='urn:ietf:params:xml:ns:pidf'"
          + " xmlns:dm='urn:ietf:params:xml:ns:pidf:data-model'"
          + " xmlns:rpid='urn:ietf:params:xml:ns:pidf:rpid'"
          + " xmlns:c='urn:ietf:params:xml:ns:pidf:cipid' entity='sip:bob@sip.test'>"
          + "<tuple id='t94fc3a36'><status><basic>open</basic></status></tuple>"
          + "<dm:person id='pa1c0b3d4'>"
          + "<rpid:activities><rpid:meeting/></rpid:activities>"
          + "<dm:note>In a meeting</dm:note>"
          + "</dm:person>"
          + "</presence>";

  /**
   * The body of a NOTIFY from Kamailio 5.6.3's presence server (modules presence and presence_xml,
   * {@code publ_cache 2}), byte for byte, after two PUBLISHes for sip:bob@sip.test: a desk phone's
   * compact RPID document (on the phone) and a softphone's document written like ours (tuple {@code
   * ID-laptop}, chat, priority 0.5, a French note). Kamailio merged them and re-indented the
   * result: an XML declaration of its own, two-space indentation, the second tuple after the first
   * document's person and with its default namespace declared again.
   */
  static final String KAMAILIO_MERGED =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" xmlns:c="urn:ietf:params:xml:ns:pidf:cipid" entity="sip:bob@sip.test">
        <tuple id="t3a5c1b70">
          <status>
            <basic>open</basic>
          </status>
          <contact>sip:bob@192.0.2.10:5062</contact>
          <timestamp>2025-03-01T09:30:12Z</timestamp>
        </tuple>
        <dm:person id="p2f1e9c">
          <rpid:activities>
            <rpid:on-the-phone/>
          </rpid:activities>
          <dm:note>On the phone</dm:note>
        </dm:person>
        <tuple xmlns="urn:ietf:params:xml:ns:pidf" id="ID-laptop">
          <status>
            <basic>open</basic>
            <show xmlns="jabber:client">chat</show>
          </status>
          <contact priority="0.5">sip:bob@sip.test;gr=laptop</contact>
          <note xml:lang="fr">Télétravail &amp; café</note>
        </tuple>
      </presence>
      """;

  /**
   * After the example of RFC 3863 §6: two tuples, extension elements we do not know in {@code
   * <status>}, notes in two languages, a timestamp, and a note for the whole presentity.
   */
  static final String RFC3863_STYLE =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <presence xmlns="urn:ietf:params:xml:ns:pidf"
          xmlns:im="urn:ietf:params:xml:ns:pidf:im"
          xmlns:myex="http://id.example.com/presence/"
          entity="pres:someone@example.com">
        <tuple id="bs35r9">
          <status>
            <basic>open</basic>
            <im:im>busy</im:im>
            <myex:location>home</myex:location>
          </status>
          <contact priority="0.8">im:someone@mobilecarrier.net</contact>
          <note xml:lang="en">Don't Disturb Please!</note>
          <note xml:lang="fr">Ne derangez pas, s'il vous plait</note>
          <timestamp>2001-10-27T16:49:29Z</timestamp>
        </tuple>
        <tuple id="eg92n8">
          <status>
            <basic>open</basic>
          </status>
          <contact priority="1.0">mailto:someone@example.com</contact>
        </tuple>
        <note>I'll be in Tokyo next week</note>
      </presence>
      """;
}
