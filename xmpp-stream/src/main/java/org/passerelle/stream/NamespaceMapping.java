package org.passerelle.stream;

import org.passerelle.model.Namespaces;

/**
 * A namespace URI that a stream's bytes spell differently from the elements our processes keep: the
 * decoder gives elements the model URI where the wire has the other, the encoder writes the wire
 * URI in every declaration of the model one. Prefixes and everything else stay as they are.
 */
public final class NamespaceMapping {
  /** Every URI as it is: S2S streams, whose content namespace is the model's. */
  public static final NamespaceMapping NONE = new NamespaceMapping(null, null);

  /**
   * The component link: {@code jabber:component:accept} on the wire (XEP-0114 §3), {@code
   * jabber:server} inside both processes, so that a stanza's namespace never depends on which
   * stream it last crossed or where it waits.
   */
  public static final NamespaceMapping LINK =
      new NamespaceMapping(Namespaces.SERVER, Namespaces.COMPONENT_ACCEPT);

  private final String model;
  private final String wire;

  private NamespaceMapping(String model, String wire) {
    this.model = model;
    this.wire = wire;
  }

  /** The URI an element read from the wire gets. */
  public String toModel(String uri) {
    return wire != null && wire.equals(uri) ? model : uri;
  }

  /** The URI written on the wire for a declaration of {@code uri}. */
  public String toWire(String uri) {
    return model != null && model.equals(uri) ? wire : uri;
  }

  @Override
  public String toString() {
    return this == NONE
        ? "NamespaceMapping[none]"
        : "NamespaceMapping[" + model + " as " + wire + "]";
  }
}
