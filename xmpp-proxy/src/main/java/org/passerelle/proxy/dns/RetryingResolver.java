package org.passerelle.proxy.dns;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.passerelle.proxy.dns.DomainResolutionException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts retries and a memory of failures in front of a resolver such as {@link SrvResolver#resolve}:
 *
 * <ul>
 *   <li>a resolution that failed because DNS did not answer ({@link Reason#DNS_UNAVAILABLE}: a
 *       timeout, SERVFAIL) is tried again after {@link ResolutionRetry#backoff()}, then after twice
 *       that, up to {@link ResolutionRetry#retries()} times;
 *   <li>a resolution that failed for good (NXDOMAIN, no address, service declared absent), or kept
 *       failing through its retries, is remembered for {@link ResolutionRetry#negativeTtl()}: until
 *       then every request for that domain fails at once with the same reason;
 *   <li>requests for a domain whose resolution is under way share it.
 * </ul>
 *
 * <p>Successful answers are not kept here; each resolution asks again (and a caching resolver on
 * the host answers it from its cache). Thread-safe; never blocks the caller.
 */
public final class RetryingResolver {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingResolver.class);

  /** Past this many remembered failures, the expired ones are dropped. */
  private static final int SWEEP_ABOVE = 10_000;

  /** Runs a task after a delay, off the caller's thread. */
  @FunctionalInterface
  public interface Scheduler {
    void schedule(Duration delay, Runnable task);
  }

  private record Remembered(Throwable failure, long expiresAt) {}

  private final Function<String, ? extends CompletionStage<List<ConnectTarget>>> resolver;
  private final ResolutionRetry settings;
  private final Scheduler scheduler;
  private final LongSupplier clock;
  private final ConcurrentMap<String, CompletableFuture<List<ConnectTarget>>> underWay =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Remembered> failures = new ConcurrentHashMap<>();

  /** Retries on the JDK's delayed executor, with the system's monotonic clock. */
  public RetryingResolver(
      Function<String, ? extends CompletionStage<List<ConnectTarget>>> resolver,
      ResolutionRetry settings) {
    this(
        resolver,
        settings,
        (delay, task) ->
            CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS).execute(task),
        System::nanoTime);
  }

  /**
   * @param resolver the resolution to retry; its failures are {@link DomainResolutionException}s
   *     (anything else counts as a definitive failure)
   * @param scheduler runs retries after their delay
   * @param clock monotonic time in nanoseconds, for the memory of failures
   */
  public RetryingResolver(
      Function<String, ? extends CompletionStage<List<ConnectTarget>>> resolver,
      ResolutionRetry settings,
      Scheduler scheduler,
      LongSupplier clock) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The targets for {@code domain}; on failure the stage completes with the resolver's exception
   * itself (not wrapped in a CompletionException).
   */
  public CompletionStage<List<ConnectTarget>> resolve(String domain) {
    String key = domain.toLowerCase(Locale.ROOT);
    Remembered remembered = failures.get(key);
    if (remembered != null) {
      if (clock.getAsLong() - remembered.expiresAt() < 0) {
        return CompletableFuture.failedFuture(remembered.failure());
      }
      failures.remove(key, remembered);
    }
    CompletableFuture<List<ConnectTarget>> result = new CompletableFuture<>();
    CompletableFuture<List<ConnectTarget>> existing = underWay.putIfAbsent(key, result);
    if (existing != null) {
      return unwrappedCopy(existing);
    }
    attempt(key, 0, result);
    return unwrappedCopy(result);
  }

  /** A copy that callers cannot complete, failing with the cause itself, not wrapped. */
  private static <T> CompletableFuture<T> unwrappedCopy(CompletableFuture<T> shared) {
    CompletableFuture<T> copy = new CompletableFuture<>();
    shared.whenComplete(
        (value, error) -> {
          if (error == null) {
            copy.complete(value);
          } else {
            copy.completeExceptionally(unwrap(error));
          }
        });
    return copy;
  }

  private void attempt(String domain, int retry, CompletableFuture<List<ConnectTarget>> result) {
    CompletionStage<List<ConnectTarget>> stage;
    try {
      stage = resolver.apply(domain);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (targets, error) -> {
          if (error == null) {
            underWay.remove(domain, result);
            result.complete(targets);
            return;
          }
          Throwable cause = unwrap(error);
          if (isTransient(cause) && retry < settings.retries()) {
            Duration delay = settings.delayBefore(retry);
            LOG.info(
                "DNS did not answer for {}; retry {} of {} in {} ms",
                domain,
                retry + 1,
                settings.retries(),
                delay.toMillis());
            scheduler.schedule(delay, () -> attempt(domain, retry + 1, result));
            return;
          }
          remember(domain, cause);
          underWay.remove(domain, result);
          result.completeExceptionally(cause);
        });
  }

  private void remember(String domain, Throwable failure) {
    long now = clock.getAsLong();
    if (failures.size() > SWEEP_ABOVE) {
      failures.values().removeIf(r -> now - r.expiresAt() >= 0);
    }
    Throwable kept =
        failure instanceof DomainResolutionException e
            ? new DomainResolutionException(
                e.domain(),
                e.reason(),
                e.lookups(),
                "remembered for " + settings.negativeTtl().toSeconds() + " s")
            : failure;
    failures.put(domain, new Remembered(kept, now + settings.negativeTtl().toNanos()));
    LOG.debug("remembering for {}: {}", settings.negativeTtl(), failure.getMessage());
  }

  private static boolean isTransient(Throwable failure) {
    return failure instanceof DomainResolutionException e && e.reason() == Reason.DNS_UNAVAILABLE;
  }

  private static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
