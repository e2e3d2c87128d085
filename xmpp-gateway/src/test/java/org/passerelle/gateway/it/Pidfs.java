package org.passerelle.gateway.it;

/**
 * PIDF documents (RFC 3863) as a SIP phone PUBLISHes them: basic status, an RPID activity (RFC
 * 4480) and a note, without the gateway's {@code jabber:client} show.
 */
final class Pidfs {
  private Pidfs() {}

  /**
   * @param basic {@code open} or {@code closed}
   * @param activity an RPID activity such as {@code away} or {@code busy}, or {@code null}
   * @param note a note, or {@code null}
   */
  static String of(String entity, String basic, String activity, String note) {
    StringBuilder pidf =
        new StringBuilder()
            .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
            .append("<presence xmlns=\"urn:ietf:params:xml:ns:pidf\"")
            .append(" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\"")
            .append(" xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\"")
            .append(" entity=\"")
            .append(entity)
            .append("\"><tuple id=\"t1\"><status><basic>")
            .append(basic)
            .append("</basic></status>");
    if (note != null) {
      pidf.append("<note>").append(note).append("</note>");
    }
    pidf.append("</tuple>");
    if (activity != null) {
      pidf.append("<dm:person id=\"p1\"><rpid:activities><rpid:")
          .append(activity)
          .append("/></rpid:activities></dm:person>");
    }
    return pidf.append("</presence>").toString();
  }
}
