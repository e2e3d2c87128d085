package org.passerelle.model;

/** XML namespaces of the XMPP protocols Passerelle speaks (RFC 6120 §4.8, XEP-0220, XEP-0114). */
public final class Namespaces {
  /** The stream element itself (RFC 6120 §4.8.1). */
  public static final String STREAMS = "http://etherx.jabber.org/streams";

  /** Content namespace of server-to-server streams (RFC 6120 §4.8.3). */
  public static final String SERVER = "jabber:server";

  /** Content namespace of client streams; never valid on S2S (RFC 6120 §4.8.3). */
  public static final String CLIENT = "jabber:client";

  /** Content namespace of the external component protocol (XEP-0114 §3). */
  public static final String COMPONENT_ACCEPT = "jabber:component:accept";

  /** Server dialback elements, always used with the {@code db} prefix (XEP-0220 §2.4.1). */
  public static final String DIALBACK = "jabber:server:dialback";

  /** Stream feature announcing dialback with error support (XEP-0220 §2.4.2). */
  public static final String DIALBACK_FEATURE = "urn:xmpp:features:dialback";

  public static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
  public static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
  public static final String STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";
  public static final String STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas";

  /** The {@code xml} prefix's namespace, for {@code xml:lang}. */
  public static final String XML = "http://www.w3.org/XML/1998/namespace";

  private Namespaces() {}
}
