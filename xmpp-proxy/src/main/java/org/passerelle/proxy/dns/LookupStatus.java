package org.passerelle.proxy.dns;

/** What one DNS question produced. */
public enum LookupStatus {
  /** Records came back. */
  ANSWERED,
  /**
   * SRV only: a single record with target {@code .}, the service is decidedly not available (RFC
   * 2782; RFC 6120 §3.2.1 step 3).
   */
  DECIDEDLY_ABSENT,
  /** NXDOMAIN or no data for that type. */
  NO_RECORDS,
  /** No answer within the query timeout or the resolution deadline. */
  TIMED_OUT,
  /** Any other error (SERVFAIL, REFUSED, malformed answer, CNAME loop...). */
  FAILED;

  /** Whether asking again later might give a different answer. */
  public boolean isTransient() {
    return this == TIMED_OUT || this == FAILED;
  }
}
