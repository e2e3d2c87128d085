package org.passerelle.gateway.sip.stream;

/** A SIP message on a stream that cannot be framed or whose head cannot be read. */
public final class MalformedSipException extends Exception {

  private static final long serialVersionUID = 1L;

  public MalformedSipException(String message) {
    super(message);
  }
}
