package org.passerelle.gateway.sip.stream;

/** What a failure comes down to, for a log line: the message of its deepest cause. */
final class RootCause {

  private RootCause() {}

  static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null ? root.getClass().getSimpleName() : message;
  }
}
