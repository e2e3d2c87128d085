package org.passerelle.gateway.sip;

/**
 * How many requests a source other than the trusted SIP server may send: a token bucket per source
 * address, {@code perSecond} tokens a second, {@code burst} deep. Requests beyond it are answered
 * 503 with a Retry-After (RFC 3261 §21.5.4, §20.33).
 *
 * @param perSecond requests per second, sustained
 * @param burst requests at once after a quiet time; also the debt a source that keeps sending while
 *     refused may run up before it has to wait a whole bucket's time
 */
public record RequestRate(int perSecond, int burst) {

  /**
   * Only the SIP server talks to the gateway in a normal deployment; anyone else sending more than
   * this is misconfigured or hostile.
   */
  public static final RequestRate DEFAULT = new RequestRate(50, 200);

  public RequestRate {
    if (perSecond < 1 || burst < 1) {
      throw new IllegalArgumentException(
          "request rate and burst must be at least 1, were " + perSecond + " and " + burst);
    }
  }
}
