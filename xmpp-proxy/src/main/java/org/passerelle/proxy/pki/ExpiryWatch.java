package org.passerelle.proxy.pki;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.passerelle.proxy.pki.CertificateExpiry.Finding;
import org.passerelle.proxy.pki.CertificateExpiry.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns about our certificate chain and our configured trust anchors ahead of their expiry: at
 * start, then once a day. An expired certificate of our own stops the start ({@link
 * #ownCertificateProblem}).
 */
public final class ExpiryWatch {
  /** How often the certificates are checked again while the proxy runs. */
  public static final Duration INTERVAL = Duration.ofDays(1);

  static final String OWN = "our certificate (tls.certificate)";
  static final String ANCHOR = "trust anchor (tls.trust)";

  private static final Logger LOG = LoggerFactory.getLogger(ExpiryWatch.class);

  private final List<X509Certificate> ownChain;
  private final List<X509Certificate> anchors;
  private final Duration window;
  private final Clock clock;

  /**
   * @param ownChain our certificate and the issuers we send with it
   * @param anchors the trust anchors we were configured with; empty for the JDK's own store, whose
   *     expiry is the JDK's business
   * @param window how long before expiry warnings start (tls.expiry-warning)
   */
  public ExpiryWatch(
      List<X509Certificate> ownChain,
      Collection<X509Certificate> anchors,
      Duration window,
      Clock clock) {
    this.ownChain = List.copyOf(ownChain);
    this.anchors = List.copyOf(anchors);
    this.window = Objects.requireNonNull(window, "window");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Why the proxy must not start with this chain, if it must not: a certificate of ours that has
   * expired. Peers would refuse every stream.
   */
  public Optional<String> ownCertificateProblem() {
    return CertificateExpiry.check(OWN, ownChain, clock.instant(), window).stream()
        .filter(finding -> finding.state() == State.EXPIRED)
        .map(
            finding ->
                finding.message()
                    + ": peers would refuse every stream; renew it before starting the proxy")
        .findFirst();
  }

  /** Checks now and logs what needs attention; returns it. */
  public List<Finding> checkNow() {
    List<Finding> findings = new ArrayList<>();
    findings.addAll(CertificateExpiry.check(OWN, ownChain, clock.instant(), window));
    findings.addAll(CertificateExpiry.check(ANCHOR, anchors, clock.instant(), window));
    for (Finding finding : findings) {
      if (finding.state() == State.EXPIRED) {
        LOG.error("{}", finding.message());
      } else {
        LOG.warn("{}", finding.message());
      }
    }
    return findings;
  }

  /** Runs {@link #checkNow()} once a day on {@code executor}, starting a day from now. */
  public ScheduledFuture<?> schedule(ScheduledExecutorService executor) {
    long millis = INTERVAL.toMillis();
    return executor.scheduleAtFixedRate(this::checkNow, millis, millis, TimeUnit.MILLISECONDS);
  }
}
