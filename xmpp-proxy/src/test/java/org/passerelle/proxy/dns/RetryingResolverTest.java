package org.passerelle.proxy.dns;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.proxy.dns.FakeDns.a;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.proxy.dns.DomainResolutionException.Reason;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Retries when DNS does not answer, and the memory of failures (RFC 6120 §3.2 leaves both to the
 * implementation; RFC 2308 is the model for remembering a negative answer), over the real {@link
 * SrvResolver} and a {@link FakeDns}. Time and the retry scheduler are the test's own.
 */
class RetryingResolverTest {
  private static final String DOMAIN = "example.org";
  private static final String XMPPS = "_xmpps-server._tcp.example.org.";
  private static final String XMPP = "_xmpp-server._tcp.example.org.";
  private static final ResolutionRetry RETRY =
      new ResolutionRetry(Duration.ofSeconds(30), 3, Duration.ofSeconds(1));

  @TempDir Path tmp;

  private final FakeDns dns = new FakeDns();
  private final List<Duration> delays = new ArrayList<>();
  private final List<Runnable> scheduled = new ArrayList<>();
  private long now;

  @Test
  void servfailIsRetriedWithDoublingBackoffUntilDnsAnswers() throws Exception {
    dns.fail(XMPPS, Type.SRV, Rcode.SERVFAIL).fail(XMPP, Type.SRV, Rcode.SERVFAIL);
    RetryingResolver resolver = retrying();

    CompletableFuture<List<ConnectTarget>> result = resolver.resolve(DOMAIN).toCompletableFuture();
    runScheduled();
    runScheduled();
    assertThat(result).isNotDone();
    dns.answer(XMPPS, Type.SRV)
        .answer(XMPP, Type.SRV)
        .answer("example.org.", Type.A, a("example.org.", "192.0.2.7"));
    runScheduled();

    assertThat(result.get(5, SECONDS))
        .extracting(t -> t.address().getAddress().getHostAddress())
        .containsExactly("192.0.2.7");
    assertThat(delays)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void dnsThatNeverAnswersFailsAfterTheRetriesAndIsRemembered() throws Exception {
    dns.fail(XMPPS, Type.SRV, Rcode.SERVFAIL).fail(XMPP, Type.SRV, Rcode.SERVFAIL);
    RetryingResolver resolver = retrying();

    CompletionStage<List<ConnectTarget>> first = resolver.resolve(DOMAIN);
    for (int i = 0; i < RETRY.retries(); i++) {
      runScheduled();
    }
    int questions = dns.questions().size();
    Throwable again = failure(resolver.resolve(DOMAIN));

    assertThat(failure(first)).isInstanceOf(DomainResolutionException.class);
    assertThat(((DomainResolutionException) again).reason()).isEqualTo(Reason.DNS_UNAVAILABLE);
    assertThat(again).hasMessageContaining("remembered for 30 s");
    assertThat(dns.questions()).hasSize(questions);
    assertThat(scheduled).isEmpty();
  }

  @Test
  void nxdomainIsNotRetriedAndIsRememberedForTheNegativeTtl() throws Exception {
    RetryingResolver resolver = retrying();

    Throwable first = failure(resolver.resolve(DOMAIN));
    int questions = dns.questions().size();
    now += Duration.ofSeconds(29).toNanos();
    Throwable remembered = failure(resolver.resolve(DOMAIN));

    assertThat(((DomainResolutionException) first).reason()).isEqualTo(Reason.NO_ADDRESS);
    assertThat(((DomainResolutionException) remembered).reason()).isEqualTo(Reason.NO_ADDRESS);
    assertThat(delays).isEmpty();
    assertThat(dns.questions()).hasSize(questions);
  }

  @Test
  void afterTheNegativeTtlTheDomainIsAskedAgain() throws Exception {
    RetryingResolver resolver = retrying();
    failure(resolver.resolve(DOMAIN));
    dns.answer("example.org.", Type.A, a("example.org.", "192.0.2.8"));

    now += Duration.ofSeconds(30).toNanos();
    List<ConnectTarget> targets = resolver.resolve(DOMAIN).toCompletableFuture().get(5, SECONDS);

    assertThat(targets).hasSize(1);
  }

  @Test
  void requestsForADomainBeingResolvedShareTheResolution() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    CompletableFuture<List<ConnectTarget>> answer = new CompletableFuture<>();
    RetryingResolver resolver =
        new RetryingResolver(
            domain -> {
              asked.incrementAndGet();
              return answer;
            },
            RETRY,
            this::schedule,
            () -> now);

    CompletionStage<List<ConnectTarget>> one = resolver.resolve(DOMAIN);
    CompletionStage<List<ConnectTarget>> two = resolver.resolve("Example.ORG");
    answer.complete(List.of());

    assertThat(asked).hasValue(1);
    assertThat(one.toCompletableFuture().get(5, SECONDS)).isEmpty();
    assertThat(two.toCompletableFuture().get(5, SECONDS)).isEmpty();
  }

  @Test
  void aFailureOtherThanDnsIsNotRetried() throws Exception {
    RetryingResolver resolver =
        new RetryingResolver(
            domain -> CompletableFuture.failedFuture(new IllegalStateException("bug")),
            RETRY,
            this::schedule,
            () -> now);

    assertThat(failure(resolver.resolve(DOMAIN))).isInstanceOf(IllegalStateException.class);
    assertThat(delays).isEmpty();
  }

  private RetryingResolver retrying() {
    SrvResolver srv =
        new SrvResolver(
            dns,
            DnsSettings.defaults().withHostsFile(tmp.resolve("no-hosts")),
            StaticRoutes.none(),
            new SplittableRandom(1),
            Runnable::run);
    return new RetryingResolver(srv::resolve, RETRY, this::schedule, () -> now);
  }

  private void schedule(Duration delay, Runnable task) {
    delays.add(delay);
    scheduled.add(task);
  }

  /** Lets time pass to the next retry and runs it. */
  private void runScheduled() {
    assertThat(scheduled).as("a retry is scheduled").hasSize(1);
    Runnable task = scheduled.remove(0);
    now += delays.get(delays.size() - 1).toNanos();
    task.run();
  }

  private static Throwable failure(CompletionStage<?> stage) throws Exception {
    Throwable error = stage.handle((v, e) -> e).toCompletableFuture().get(5, SECONDS);
    assertThat(error).as("the resolution failed").isNotNull();
    return error;
  }
}
