package org.passerelle.proxy.dns;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.passerelle.proxy.dns.FakeDns.a;
import static org.passerelle.proxy.dns.FakeDns.aaaa;
import static org.passerelle.proxy.dns.FakeDns.ip;
import static org.passerelle.proxy.dns.FakeDns.srv;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.passerelle.proxy.dns.DomainResolutionException.Reason;
import org.passerelle.proxy.dns.Resolution.Method;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class SrvResolverTest {

  private static final String DOMAIN = "example.org";
  private static final String XMPPS = "_xmpps-server._tcp.example.org.";
  private static final String XMPP = "_xmpp-server._tcp.example.org.";

  private final FakeDns dns = new FakeDns();

  @TempDir Path tmp;

  // RFC 2782 "Priority"; RFC 6120 §3.2.1 step 4.
  @Test
  void srvTargetsAreTriedInPriorityOrder() throws Exception {
    dns.answer(
            XMPP,
            Type.SRV,
            srv(XMPP, 20, 0, 5270, "b.example.net"),
            srv(XMPP, 10, 0, 5269, "a.example.net"))
        .answer("a.example.net.", Type.A, a("a.example.net.", "192.0.2.1"))
        .answer("b.example.net.", Type.A, a("b.example.net.", "192.0.2.2"));

    List<ConnectTarget> targets = resolve(resolver(), DOMAIN);

    assertThat(targets)
        .containsExactly(
            target("192.0.2.1", 5269, "a.example.net", false),
            target("192.0.2.2", 5270, "b.example.net", false));
  }

  // RFC 2782 "Weight", with the injected generator: uniform pick in [0, 40], running sums
  // light=10, heavy=40; 11 selects heavy.
  @Test
  void equalPriorityTargetsAreOrderedByWeightWithTheInjectedGenerator() throws Exception {
    dns.answer(
            XMPP,
            Type.SRV,
            srv(XMPP, 5, 10, 5269, "light.example.net"),
            srv(XMPP, 5, 30, 5269, "heavy.example.net"))
        .answer("light.example.net.", Type.A, a("light.example.net.", "192.0.2.10"))
        .answer("heavy.example.net.", Type.A, a("heavy.example.net.", "192.0.2.30"));
    ScriptedRandom random = new ScriptedRandom(11);

    List<ConnectTarget> targets =
        resolve(resolver(settings(), StaticRoutes.none(), random), DOMAIN);

    assertThat(targets)
        .extracting(ConnectTarget::hostname)
        .containsExactly("heavy.example.net", "light.example.net");
    assertThat(random.bounds()).containsExactly(41L);
  }

  // XEP-0368 §3 rules 1-3: xmpps- and xmpp- records form one RFC 2782 order; xmpps- targets
  // use direct TLS, xmpp- targets STARTTLS.
  @Test
  void directTlsAndStartTlsRecordsAreMergedIntoOneOrder() throws Exception {
    dns.answer(XMPPS, Type.SRV, srv(XMPPS, 10, 0, 5223, "tls.example.net"))
        .answer(
            XMPP,
            Type.SRV,
            srv(XMPP, 5, 0, 5269, "first.example.net"),
            srv(XMPP, 20, 0, 5269, "last.example.net"))
        .answer("tls.example.net.", Type.A, a("tls.example.net.", "192.0.2.23"))
        .answer("first.example.net.", Type.A, a("first.example.net.", "192.0.2.5"))
        .answer("last.example.net.", Type.A, a("last.example.net.", "192.0.2.20"));

    List<ConnectTarget> targets = resolve(resolver(), DOMAIN);

    assertThat(targets)
        .containsExactly(
            target("192.0.2.5", 5269, "first.example.net", false),
            target("192.0.2.23", 5223, "tls.example.net", true),
            target("192.0.2.20", 5269, "last.example.net", false));
  }

  // RFC 6120 §3.2.1 steps 6-7: every address of a target, then the next target.
  @Test
  void allAddressesOfOneTargetComeBeforeTheNextTarget() throws Exception {
    dns.answer(
            XMPP,
            Type.SRV,
            srv(XMPP, 1, 0, 5269, "one.example.net"),
            srv(XMPP, 2, 0, 5269, "two.example.net"))
        .answer(
            "one.example.net.",
            Type.A,
            a("one.example.net.", "192.0.2.11"),
            a("one.example.net.", "192.0.2.12"))
        .answer("two.example.net.", Type.A, a("two.example.net.", "192.0.2.21"));

    List<ConnectTarget> targets = resolve(resolver(), DOMAIN);

    assertThat(targets)
        .containsExactly(
            target("192.0.2.11", 5269, "one.example.net", false),
            target("192.0.2.12", 5269, "one.example.net", false),
            target("192.0.2.21", 5269, "two.example.net", false));
  }

  // RFC 6120 §3.2.1 step 3 (RFC 2782): a single target "." means the service is decidedly not
  // available: abort, no A/AAAA fallback.
  @Test
  void xmppServerRootTargetAbortsWithoutAddressFallback() throws Exception {
    dns.answer(XMPP, Type.SRV, srv(XMPP, 0, 0, 0, "."))
        .answer(DOMAIN + ".", Type.A, a(DOMAIN + ".", "192.0.2.99"));

    DomainResolutionException failure = failure(resolver(), DOMAIN);

    assertThat(failure.reason()).isEqualTo(Reason.SERVICE_ABSENT);
    assertThat(failure.lookups().srv())
        .extracting(SrvLookup::status)
        .containsExactly(LookupStatus.NO_RECORDS, LookupStatus.DECIDEDLY_ABSENT);
    assertThat(dns.questions()).doesNotContain("example.org. A");
  }

  // XEP-0368 §5: an _xmpps-server target "." only means "no direct TLS": use _xmpp-server.
  @Test
  void xmppsServerRootTargetMeansUseXmppServerRecords() throws Exception {
    dns.answer(XMPPS, Type.SRV, srv(XMPPS, 0, 0, 0, "."))
        .answer(XMPP, Type.SRV, srv(XMPP, 0, 0, 5269, "xmpp.example.net"))
        .answer("xmpp.example.net.", Type.A, a("xmpp.example.net.", "192.0.2.3"));

    List<ConnectTarget> targets = resolve(resolver(), DOMAIN);

    assertThat(targets).containsExactly(target("192.0.2.3", 5269, "xmpp.example.net", false));
  }

  // XEP-0368 §5: after an _xmpps-server target ".", no A/AAAA fallback even without
  // _xmpp-server records.
  @Test
  void xmppsServerRootTargetWithoutXmppServerRecordsForbidsAddressFallback() throws Exception {
    dns.answer(XMPPS, Type.SRV, srv(XMPPS, 0, 0, 0, "."))
        .answer(DOMAIN + ".", Type.A, a(DOMAIN + ".", "192.0.2.99"));

    DomainResolutionException failure = failure(resolver(), DOMAIN);

    assertThat(failure.reason()).isEqualTo(Reason.SERVICE_ABSENT);
    assertThat(dns.questions()).doesNotContain("example.org. A");
  }

  // RFC 6120 §3.2.1 step 3 applies per service: direct TLS records still count (XEP-0368 §3).
  @Test
  void xmppServerRootTargetStillLeavesDirectTlsRecords() throws Exception {
    dns.answer(XMPPS, Type.SRV, srv(XMPPS, 0, 0, 5223, "tls.example.net"))
        .answer(XMPP, Type.SRV, srv(XMPP, 0, 0, 0, "."))
        .answer("tls.example.net.", Type.A, a("tls.example.net.", "192.0.2.23"));

    List<ConnectTarget> targets = resolve(resolver(), DOMAIN);

    assertThat(targets).containsExactly(target("192.0.2.23", 5223, "tls.example.net", true));
  }

  // RFC 6120 §3.2.2: no SRV record (NXDOMAIN) -> A/AAAA of the domain itself, port 5269, STARTTLS.
  @Test
  void noSrvRecordFallsBackToDomainAddressOnPort5269() throws Exception {
    dns.answer(DOMAIN + ".", Type.A, a(DOMAIN + ".", "192.0.2.80"));

    Resolution resolution = resolveDetailed(resolver(), DOMAIN);

    assertThat(resolution.method()).isEqualTo(Method.DOMAIN_ADDRESS);
    assertThat(resolution.targets()).containsExactly(target("192.0.2.80", 5269, DOMAIN, false));
  }

  // RFC 6120 §3.2.2: an empty SRV answer (NOERROR, no data) is "no SRV record" too.
  @Test
  void emptySrvAnswerFallsBackToDomainAddress() throws Exception {
    dns.answer(XMPPS, Type.SRV)
        .answer(XMPP, Type.SRV)
        .answer(DOMAIN + ".", Type.A, a(DOMAIN + ".", "192.0.2.80"));

    assertThat(resolve(resolver(), DOMAIN))
        .containsExactly(target("192.0.2.80", 5269, DOMAIN, false));
  }

  // RFC 6120 §3.2.2 as this project reads it: SRV questions that time out give no records, so
  // the domain's address is used; the trace keeps the timeouts.
  @Test
  void srvTimeoutFallsBackToDomainAddress() throws Exception {
    dns.hang(XMPPS, Type.SRV)
        .hang(XMPP, Type.SRV)
        .answer(DOMAIN + ".", Type.A, a(DOMAIN + ".", "192.0.2.80"));
    DnsSettings settings = settings().withTimeouts(Duration.ofMillis(50), Duration.ofSeconds(5));

    Resolution resolution = resolveDetailed(resolver(settings), DOMAIN);

    assertThat(resolution.targets()).containsExactly(target("192.0.2.80", 5269, DOMAIN, false));
    assertThat(resolution.lookups().srv())
        .extracting(SrvLookup::status)
        .containsOnly(LookupStatus.TIMED_OUT);
  }

  // RFC 6120 §3.2.1 step 8: SRV answered, so no fallback to the domain's A/AAAA even though
  // no target resolves.
  @Test
  void unresolvableSrvTargetsFailWithoutAddressFallback() throws Exception {
    dns.answer(XMPP, Type.SRV, srv(XMPP, 0, 0, 5269, "gone.example.net"))
        .answer(DOMAIN + ".", Type.A, a(DOMAIN + ".", "192.0.2.99"));

    DomainResolutionException failure = failure(resolver(), DOMAIN);

    assertThat(failure.reason()).isEqualTo(Reason.NO_ADDRESS);
    assertThat(failure.lookups().addresses())
        .extracting(AddressLookup::hostname, AddressLookup::status)
        .containsExactly(tuple("gone.example.net", LookupStatus.NO_RECORDS));
    assertThat(dns.questions()).doesNotContain("example.org. A");
  }

  // RFC 6120 §3.2.2 then §10.4.3: nothing at all -> typed failure (remote-server-not-found).
  @Test
  void domainWithoutSrvOrAddressFailsWithNoAddress() throws Exception {
    DomainResolutionException failure = failure(resolver(), "nowhere.example");

    assertThat(failure.reason()).isEqualTo(Reason.NO_ADDRESS);
    assertThat(failure.domain()).isEqualTo("nowhere.example");
  }

  // Bounce texts and `diagnose` explain the failure: every question is named with its outcome.
  @Test
  void failureNamesEveryRecordTried() throws Exception {
    dns.answer(XMPP, Type.SRV, srv(XMPP, 0, 0, 5269, "gone.example.net"))
        .fail("gone.example.net.", Type.A, Rcode.SERVFAIL);

    DomainResolutionException failure = failure(resolver(), DOMAIN);

    assertThat(failure.reason()).isEqualTo(Reason.DNS_UNAVAILABLE);
    assertThat(failure.getMessage())
        .contains("'example.org'")
        .contains(XMPPS + " SRV: no records (NXDOMAIN)")
        .contains(XMPP + " SRV: 0 0 5269 gone.example.net")
        .contains("gone.example.net. A: failed");
  }

  // `diagnose`: the resolution lists the SRV answer per service and the final targets.
  @Test
  void resolutionListsSrvAnswersPerServiceAndAddressLookups() throws Exception {
    dns.answer(XMPP, Type.SRV, srv(XMPP, 0, 0, 5269, "xmpp.example.net"))
        .answer("xmpp.example.net.", Type.A, a("xmpp.example.net.", "192.0.2.3"));

    Resolution resolution = resolveDetailed(resolver(), DOMAIN);

    assertThat(resolution.domain()).isEqualTo(DOMAIN);
    assertThat(resolution.method()).isEqualTo(Method.SRV);
    assertThat(resolution.lookups().srv())
        .containsExactly(
            new SrvLookup(
                SrvService.XMPPS_SERVER, XMPPS, LookupStatus.NO_RECORDS, List.of(), "NXDOMAIN"),
            new SrvLookup(
                SrvService.XMPP_SERVER,
                XMPP,
                LookupStatus.ANSWERED,
                List.of(new ServiceRecord(SrvService.XMPP_SERVER, 0, 0, 5269, "xmpp.example.net")),
                ""));
    assertThat(resolution.lookups().addresses())
        .containsExactly(
            new AddressLookup(
                "xmpp.example.net",
                AddressFamily.IPV4,
                LookupStatus.ANSWERED,
                List.of(ip("192.0.2.3")),
                ""));
  }

  // RFC 7622 §3.2 allows IP literals as domains: nothing to look up.
  @ParameterizedTest
  @ValueSource(strings = {"192.0.2.7", "[2001:db8::7]"})
  void ipLiteralDomainSkipsDns(String domain) throws Exception {
    Resolution resolution = resolveDetailed(resolver(), domain);

    assertThat(resolution.method()).isEqualTo(Method.IP_LITERAL);
    assertThat(resolution.targets()).hasSize(1);
    ConnectTarget target = resolution.targets().get(0);
    assertThat(target.address().getAddress()).isEqualTo(ip(domain.replaceAll("[\\[\\]]", "")));
    assertThat(target.address().getPort()).isEqualTo(5269);
    assertThat(target.directTls()).isFalse();
    assertThat(dns.questions()).isEmpty();
  }

  // RFC 6120 §3.2.3: a configured route overrides DNS entirely.
  @Test
  void staticRouteOverridesDns() throws Exception {
    dns.answer(XMPP, Type.SRV, srv(XMPP, 0, 0, 5269, "xmpp.example.net"));
    StaticRoutes routes =
        new StaticRoutes(
            Map.of(
                "Example.org",
                new StaticRoute(new InetSocketAddress(ip("198.51.100.4"), 5270), true)));

    Resolution resolution =
        resolveDetailed(resolver(settings(), routes, new SplittableRandom(1)), DOMAIN);

    assertThat(resolution.method()).isEqualTo(Method.STATIC_ROUTE);
    assertThat(resolution.targets())
        .containsExactly(target("198.51.100.4", 5270, "198.51.100.4", true));
    assertThat(dns.questions()).isEmpty();
  }

  // RFC 6120 §3.2.3: a route given by host name needs its A record, but still no SRV.
  @Test
  void staticRouteByHostNameIsResolvedWithoutSrv() throws Exception {
    dns.answer("relay.internal.", Type.A, a("relay.internal.", "10.0.0.5"));
    StaticRoutes routes =
        StaticRoutes.startTls(
            Map.of(DOMAIN, InetSocketAddress.createUnresolved("relay.internal", 5299)));

    List<ConnectTarget> targets =
        resolve(resolver(settings(), routes, new SplittableRandom(1)), DOMAIN);

    assertThat(targets).containsExactly(target("10.0.0.5", 5299, "relay.internal", false));
    assertThat(dns.questions()).containsExactly("relay.internal. A");
  }

  // Integration tests put their domains in /etc/hosts: A lookups of SRV targets consult it.
  @Test
  void hostsFileAnswersSrvTargetAddresses() throws Exception {
    dns.answer(XMPP, Type.SRV, srv(XMPP, 0, 0, 5269, "xmpp.hosts.test"));
    DnsSettings settings = settings().withHostsFile(hostsFile("192.0.2.50 xmpp.hosts.test"));

    List<ConnectTarget> targets = resolve(resolver(settings), DOMAIN);

    assertThat(targets).containsExactly(target("192.0.2.50", 5269, "xmpp.hosts.test", false));
    assertThat(dns.questions()).doesNotContain("xmpp.hosts.test. A");
  }

  // RFC 6120 §3.2.2 with the hosts file: a domain listed there and without SRV works.
  @Test
  void hostsFileAnswersFallbackAddress() throws Exception {
    DnsSettings settings =
        settings()
            .withHostsFile(hostsFile("# test peers", "192.0.2.60 prosody.test ejabberd.test"));

    List<ConnectTarget> targets = resolve(resolver(settings), "ejabberd.test");

    assertThat(targets).containsExactly(target("192.0.2.60", 5269, "ejabberd.test", false));
  }

  @Test
  void ipv6IsNotAskedForByDefault() throws Exception {
    dns.answer(XMPP, Type.SRV, srv(XMPP, 0, 0, 5269, "dual.example.net"))
        .answer("dual.example.net.", Type.A, a("dual.example.net.", "192.0.2.4"))
        .answer("dual.example.net.", Type.AAAA, aaaa("dual.example.net.", "2001:db8::4"));

    List<ConnectTarget> targets = resolve(resolver(), DOMAIN);

    assertThat(targets).containsExactly(target("192.0.2.4", 5269, "dual.example.net", false));
    assertThat(dns.questions()).noneMatch(question -> question.endsWith(" AAAA"));
  }

  // RFC 6724 §2.1 default policy: IPv6 before IPv4 once IPv6 is enabled.
  @Test
  void ipv6EnabledAddsAaaaAddressesFirst() throws Exception {
    dns.answer(XMPP, Type.SRV, srv(XMPP, 0, 0, 5269, "dual.example.net"))
        .answer("dual.example.net.", Type.A, a("dual.example.net.", "192.0.2.4"))
        .answer("dual.example.net.", Type.AAAA, aaaa("dual.example.net.", "2001:db8::4"));

    List<ConnectTarget> targets = resolve(resolver(settings().withIpv6Enabled(true)), DOMAIN);

    assertThat(targets)
        .containsExactly(
            target("2001:db8::4", 5269, "dual.example.net", false),
            target("192.0.2.4", 5269, "dual.example.net", false));
  }

  // Timeouts are a typed, retryable failure, never a hang.
  @Test
  void unansweredQuestionsFailWithTypedTimeout() throws Exception {
    dns.hang(XMPPS, Type.SRV).hang(XMPP, Type.SRV).hang(DOMAIN + ".", Type.A);
    DnsSettings settings = settings().withTimeouts(Duration.ofMillis(50), Duration.ofSeconds(5));

    DomainResolutionException failure = failure(resolver(settings), DOMAIN);

    assertThat(failure.reason()).isEqualTo(Reason.DNS_UNAVAILABLE);
    assertThat(failure.lookups().srv())
        .extracting(SrvLookup::status)
        .containsOnly(LookupStatus.TIMED_OUT);
    assertThat(failure.lookups().addresses())
        .extracting(AddressLookup::status)
        .containsExactly(LookupStatus.TIMED_OUT);
  }

  // The resolve timeout bounds the whole resolution: once it has run out, no more questions.
  @Test
  void resolveTimeoutBoundsTheWholeResolution() throws Exception {
    dns.hang(XMPPS, Type.SRV)
        .hang(XMPP, Type.SRV)
        .answer(DOMAIN + ".", Type.A, a(DOMAIN + ".", "192.0.2.80"));
    Duration both = Duration.ofMillis(100);

    DomainResolutionException failure =
        failure(resolver(settings().withTimeouts(both, both)), DOMAIN);

    assertThat(failure.reason()).isEqualTo(Reason.DNS_UNAVAILABLE);
    assertThat(failure.lookups().addresses())
        .extracting(AddressLookup::status)
        .containsExactly(LookupStatus.TIMED_OUT);
    assertThat(dns.questions()).doesNotContain("example.org. A");
  }

  // Called from Netty event loops: the stage is returned before DNS answers.
  @Test
  void resolveReturnsBeforeDnsAnswers() {
    dns.hang(XMPPS, Type.SRV).hang(XMPP, Type.SRV);
    DnsSettings settings = settings().withTimeouts(Duration.ofMillis(200), Duration.ofMillis(200));

    CompletionStage<List<ConnectTarget>> stage = resolver(settings).resolve(DOMAIN);

    assertThat(stage.toCompletableFuture()).isNotDone();
  }

  @Test
  void domainIsLowerCasedWithoutTrailingDot() throws Exception {
    dns.answer(DOMAIN + ".", Type.A, a(DOMAIN + ".", "192.0.2.80"));

    Resolution resolution = resolveDetailed(resolver(), "Example.ORG.");

    assertThat(resolution.domain()).isEqualTo(DOMAIN);
    assertThat(dns.questions()).startsWith(XMPPS + " SRV", XMPP + " SRV");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "exa mple.org",
        "user@example.org",
        "example.org/resource",
        "-bad.example",
        "a..b",
        "2001:db8::1",
        "this-label-is-longer-than-sixty-three-characters-which-dns-forbids.example"
      })
  void invalidDomainIsRejectedBeforeAnyQuestion(String domain) throws Exception {
    DomainResolutionException failure = failure(resolver(), domain);

    assertThat(failure.reason()).isEqualTo(Reason.INVALID_DOMAIN);
    assertThat(failure.getMessage()).contains("invalid domain");
    assertThat(dns.questions()).isEmpty();
  }

  private SrvResolver resolver() {
    return resolver(settings());
  }

  private SrvResolver resolver(DnsSettings settings) {
    return resolver(settings, StaticRoutes.none(), new SplittableRandom(1));
  }

  private SrvResolver resolver(DnsSettings settings, StaticRoutes routes, RandomGenerator random) {
    return new SrvResolver(dns, settings, routes, random, Runnable::run);
  }

  /** Defaults with an absent hosts file, so that only the fake DNS answers. */
  private DnsSettings settings() {
    return DnsSettings.defaults().withHostsFile(tmp.resolve("no-hosts"));
  }

  private Path hostsFile(String... lines) throws IOException {
    return Files.write(tmp.resolve("hosts"), List.of(lines));
  }

  private static List<ConnectTarget> resolve(SrvResolver resolver, String domain) throws Exception {
    return resolver.resolve(domain).toCompletableFuture().get(5, SECONDS);
  }

  private static Resolution resolveDetailed(SrvResolver resolver, String domain) throws Exception {
    return resolver.resolveDetailed(domain).toCompletableFuture().get(5, SECONDS);
  }

  /** The failure as a caller's {@code handle}/{@code whenComplete} sees it: not wrapped. */
  private static DomainResolutionException failure(SrvResolver resolver, String domain)
      throws Exception {
    Throwable error =
        resolver.resolve(domain).handle((targets, e) -> e).toCompletableFuture().get(5, SECONDS);
    assertThat(error).isInstanceOf(DomainResolutionException.class);
    return (DomainResolutionException) error;
  }

  private static ConnectTarget target(
      String address, int port, String hostname, boolean directTls) {
    return new ConnectTarget(new InetSocketAddress(ip(address), port), hostname, directTls);
  }
}
