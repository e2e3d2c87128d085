package org.passerelle.stream;

import java.util.Objects;
import org.passerelle.model.Namespaces;

/**
 * The opening {@code <stream:stream>} tag of one stream (RFC 6120 §4.7), as read or to be written.
 *
 * @param contentNamespace the default namespace of the stream's children, e.g. {@code
 *     jabber:server}
 * @param to the {@code to} attribute, or {@code null} if absent
 * @param from the {@code from} attribute, or {@code null} if absent
 * @param id the stream id, sent by the receiving entity only (§4.7.3), or {@code null}
 * @param version the {@code version} attribute; absent means pre-1.0 (§4.7.5), {@code null} here
 * @param lang the {@code xml:lang} attribute, or {@code null}
 * @param dialback whether the {@code db} prefix is bound to dialback's namespace (XEP-0220 §2.4.1)
 */
public record StreamHeader(
    String contentNamespace,
    String to,
    String from,
    String id,
    String version,
    String lang,
    boolean dialback) {

  /** The only version Passerelle speaks. */
  public static final String VERSION_1_0 = "1.0";

  public StreamHeader {
    Objects.requireNonNull(contentNamespace, "contentNamespace");
  }

  /** Whether the peer declared version 1.0 or later (features, TLS and SASL need it). */
  public boolean isVersion1() {
    if (version == null) {
      return false;
    }
    int dot = version.indexOf('.');
    String major = dot < 0 ? version : version.substring(0, dot);
    try {
      return Integer.parseInt(major.trim()) >= 1;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The tag as written on the wire, preceded by the XML declaration (RFC 6120 §11.5). */
  public String toXml() {
    StringBuilder xml = new StringBuilder(256);
    xml.append("<?xml version='1.0'?><stream:stream xmlns='")
        .append(contentNamespace)
        .append("' xmlns:stream='")
        .append(Namespaces.STREAMS)
        .append('\'');
    if (dialback) {
      xml.append(" xmlns:db='").append(Namespaces.DIALBACK).append('\'');
    }
    attribute(xml, "to", to);
    attribute(xml, "from", from);
    attribute(xml, "id", id);
    attribute(xml, "version", version);
    attribute(xml, "xml:lang", lang);
    return xml.append('>').toString();
  }

  private static void attribute(StringBuilder xml, String name, String value) {
    if (value == null) {
      return;
    }
    xml.append(' ').append(name).append("='");
    XmlEscaping.appendAttributeValue(xml, value);
    xml.append('\'');
  }
}
