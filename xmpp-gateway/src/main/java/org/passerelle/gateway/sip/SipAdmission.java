package org.passerelle.gateway.sip;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.sip.message.Response;
import org.passerelle.model.limits.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every request must pass before it is dispatched, cheapest check first:
 *
 * <ol>
 *   <li>a source other than the trusted SIP server stays within its {@link RequestRate}, else 503
 *       with Retry-After (RFC 3261 §21.5.4);
 *   <li>the body is at most {@link SipSettings#maxBodyBytes()}, else 413 (§21.4.11);
 *   <li>a request claiming a local user as {@code From} comes from a {@link TrustedSources trusted
 *       source}, else 403 (§21.4.3), logged.
 * </ol>
 *
 * Thread-safe. Requests JAIN-SIP cannot parse never get here: it answers 400 itself where it can
 * build a response at all, and drops the rest.
 */
final class SipAdmission {

  private static final Logger log = LoggerFactory.getLogger(SipAdmission.class);

  /** Past this many sources, the buckets of quiet ones are dropped, at most once a second. */
  static final int SWEEP_ABOVE = 10_000;

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  /** A request refused before dispatch, and how to answer it. */
  record Refusal(int status, String reason, Optional<Duration> retryAfter) {}

  private final SipSettings settings;
  private final LongSupplier clock;
  private final Map<InetAddress, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep = new AtomicLong();
  private final AtomicLong lastForgeryReport;
  private final AtomicInteger unreportedForgeries = new AtomicInteger();

  SipAdmission(SipSettings settings) {
    this(settings, System::nanoTime);
  }

  SipAdmission(SipSettings settings, LongSupplier clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lastForgeryReport = new AtomicLong(clock.getAsLong() - SECOND);
  }

  /** Empty if the request may go on; otherwise the answer to give it. */
  Optional<Refusal> check(ReceivedRequest request, InetAddress source) {
    Optional<TrustedSources> trusted = settings.trustedSources();
    boolean fromServer = trusted.isPresent() && trusted.get().isTrusted(source);
    if (!fromServer) {
      Optional<Refusal> tooMany = rate(source);
      if (tooMany.isPresent()) {
        return tooMany;
      }
    }
    if (request.bodyLength() > settings.maxBodyBytes()) {
      return Optional.of(
          new Refusal(
              Response.REQUEST_ENTITY_TOO_LARGE,
              "Body larger than " + settings.maxBodyBytes() + " bytes",
              Optional.empty()));
    }
    if (trusted.isPresent() && !fromServer) {
      Optional<String> fromHost = request.fromHost();
      if (fromHost.isPresent() && trusted.get().isLocal(fromHost.get())) {
        reportForgery(request, source);
        return Optional.of(
            new Refusal(
                Response.FORBIDDEN,
                "Local senders only through the organisation's SIP server",
                Optional.empty()));
      }
    }
    return Optional.empty();
  }

  private Optional<Refusal> rate(InetAddress source) {
    sweepIfCrowded();
    RequestRate rate = settings.requestRate();
    TokenBucket bucket =
        buckets.computeIfAbsent(
            source, s -> new TokenBucket(rate.perSecond(), rate.burst(), clock));
    if (bucket.take() == TokenBucket.Verdict.ACCEPT) {
      return Optional.empty();
    }
    Duration wait = bucket.untilNextToken();
    // Retry-After is in whole seconds (RFC 3261 §20.33); round up, and never say 0.
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    log.debug("{} sends more than {} requests/s; 503 for {} s", source, rate.perSecond(), seconds);
    return Optional.of(
        new Refusal(
            Response.SERVICE_UNAVAILABLE,
            "Too many requests",
            Optional.of(Duration.ofSeconds(seconds))));
  }

  private void sweepIfCrowded() {
    if (buckets.size() <= SWEEP_ABOVE) {
      return;
    }
    long now = clock.getAsLong();
    long last = lastSweep.get();
    if (now - last >= SECOND && lastSweep.compareAndSet(last, now)) {
      buckets.values().removeIf(TokenBucket::isFull);
    }
  }

  /** One warning a second at most, with how many more there were: a flood must not fill logs. */
  private void reportForgery(ReceivedRequest request, InetAddress source) {
    long now = clock.getAsLong();
    long last = lastForgeryReport.get();
    if (now - last >= SECOND && lastForgeryReport.compareAndSet(last, now)) {
      log.warn(
          "refused {} from {}: its From {} is a local user, and only the SIP server"
              + " (sip.trusted-sources) may send for local users ({} more refused since the last"
              + " warning)",
          request.method(),
          source.getHostAddress(),
          request.fromUri(),
          unreportedForgeries.getAndSet(0));
    } else {
      unreportedForgeries.incrementAndGet();
    }
  }
}
