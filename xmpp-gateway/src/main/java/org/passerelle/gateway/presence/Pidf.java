package org.passerelle.gateway.presence;

/** Names of the PIDF document and its extensions: namespaces, content type, elements. */
public final class Pidf {
  /** RFC 3863 §4.1: the PIDF namespace, also of {@code mustUnderstand} (§4.2.3). */
  public static final String NS = "urn:ietf:params:xml:ns:pidf";

  /** RFC 4479 §4: the data model, {@code <dm:person>} and its {@code <dm:note>}. */
  public static final String NS_DATA_MODEL = "urn:ietf:params:xml:ns:pidf:data-model";

  /** RFC 4480 §3: rich presence, {@code <rpid:activities>} and {@code <rpid:user-input>}. */
  public static final String NS_RPID = "urn:ietf:params:xml:ns:pidf:rpid";

  /** RFC 3863 §3 (and RFC 3856 §6.5, which every presence agent must support). */
  public static final String CONTENT_TYPE = "application";

  /** The subtype of {@link #CONTENT_TYPE}: {@code application/pidf+xml}. */
  public static final String CONTENT_SUBTYPE = "pidf+xml";

  /**
   * RFC 8048 §6.2: a tuple id is an {@code xs:ID}, which cannot start with a digit as a resource
   * may, so every id this gateway writes starts with this prefix.
   */
  public static final String TUPLE_ID_PREFIX = "ID-";

  static final String PRESENCE = "presence";
  static final String TUPLE = "tuple";
  static final String STATUS = "status";
  static final String BASIC = "basic";
  static final String CONTACT = "contact";
  static final String NOTE = "note";
  static final String TIMESTAMP = "timestamp";
  static final String ENTITY = "entity";
  static final String ID = "id";
  static final String PRIORITY = "priority";
  static final String MUST_UNDERSTAND = "mustUnderstand";
  static final String OPEN = "open";
  static final String CLOSED = "closed";
  static final String SHOW = "show";
  static final String PERSON = "person";
  static final String ACTIVITIES = "activities";
  static final String USER_INPUT = "user-input";
  static final String IDLE = "idle";

  private Pidf() {}
}
