package org.passerelle.stream;

/** The closing {@code </stream:stream>} tag (RFC 6120 §4.4), in either direction. */
public enum StreamEnd {
  INSTANCE
}
