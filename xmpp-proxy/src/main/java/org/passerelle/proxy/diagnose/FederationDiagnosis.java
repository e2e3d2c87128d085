package org.passerelle.proxy.diagnose;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.passerelle.model.config.ConfigException;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.dialback.DialbackSecret;
import org.passerelle.proxy.dns.ConnectTarget;
import org.passerelle.proxy.dns.DnsSettings;
import org.passerelle.proxy.dns.SrvResolver;
import org.passerelle.proxy.dns.StaticRoutes;
import org.passerelle.proxy.pki.ProxyCredentials;
import org.passerelle.proxy.policy.FederationPolicy;
import org.passerelle.proxy.policy.PartnerPolicy;
import org.passerelle.proxy.policy.PolicyDecision;
import org.passerelle.proxy.policy.SaslExternal;
import org.passerelle.proxy.s2s.AuthMethod;
import org.passerelle.proxy.s2s.DomainPair;
import org.passerelle.proxy.s2s.S2sServer;
import org.passerelle.proxy.s2s.Transport;
import org.xbill.DNS.SimpleResolver;

/**
 * Diagnoses federation from one of our domains to one remote domain (see the package description):
 * builds the proxy's outbound machinery around an observer, opens a real stream to each of the
 * domain's servers in turn, and reports each step and a verdict naming the first failure.
 */
public final class FederationDiagnosis {
  static final String LOCAL = "local";
  static final String POLICY = LocalChecks.POLICY;

  /**
   * How to diagnose.
   *
   * @param localDomain the domain we speak for; one of the proxy's
   * @param stepTimeout the longest wait for each step
   * @param nameServer where DNS questions go; empty for the system's name servers
   * @param callback where to listen for the remote's dialback verification; empty not to listen
   * @param maxTargets how many of the domain's targets to try, in order
   */
  public record Settings(
      String localDomain,
      Duration stepTimeout,
      Optional<InetSocketAddress> nameServer,
      Optional<InetSocketAddress> callback,
      int maxTargets) {
    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_TARGETS = 6;

    public Settings {
      Objects.requireNonNull(localDomain, "localDomain");
      if (stepTimeout.isNegative() || stepTimeout.isZero()) {
        throw new IllegalArgumentException("the step timeout must be positive");
      }
      Objects.requireNonNull(nameServer, "nameServer");
      Objects.requireNonNull(callback, "callback");
      if (maxTargets < 1) {
        throw new IllegalArgumentException("at least one target must be tried");
      }
    }

    /** For the proxy's first domain, 10 s per step, the system's DNS, listening where it does. */
    public static Settings defaults(ProxyConfig config) {
      return new Settings(
          config.defaultDomain(),
          DEFAULT_STEP_TIMEOUT,
          Optional.empty(),
          Optional.of(config.listen()),
          DEFAULT_MAX_TARGETS);
    }
  }

  private final ProxyConfig config;
  private final ProxyCredentials credentials;
  private final Settings settings;
  private final Clock clock;
  private final CertificateFacts certificates;

  /**
   * @throws ConfigException if the local domain is not one of the proxy's
   */
  public FederationDiagnosis(
      ProxyConfig config, ProxyCredentials credentials, Settings settings, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (!config.domains().contains(settings.localDomain())) {
      throw new ConfigException(
          settings.localDomain() + " is not one of the proxy's domains " + config.domains());
    }
    this.certificates = new CertificateFacts(clock, config.tls().expiryWarning());
  }

  /** Diagnoses federation with {@code domain}; takes at most a few step timeouts per target. */
  public Diagnosis run(String domain) throws InterruptedException {
    long started = System.nanoTime();
    String remote = normalize(domain);
    String local = settings.localDomain();
    DomainPair pair = new DomainPair(local, remote);
    List<Check> us = new ArrayList<>();
    List<Section> sections = new ArrayList<>();
    us.add(LocalChecks.ourCertificate(credentials, certificates, local, remote));
    DialbackSecret secret = LocalChecks.dialbackSecret(config, us);

    PolicyDecision decision = config.federation().decide(remote);
    sections.add(new Section(POLICY, List.of(LocalChecks.policy(decision))));
    if (!decision.allowed()) {
      return finish(pair, us, sections, started);
    }
    PartnerPolicy partner = decision.partner();
    AddressChecks.Found found =
        AddressChecks.find(remote, partner, resolver(), settings.stepTimeout().multipliedBy(2));
    sections.add(found.section());
    if (found.targets().isEmpty()) {
      return finish(pair, us, sections, started);
    }

    Transport transport = Transport.nio(1);
    S2sServer listener = null;
    try {
      DiagnosisStreams streams =
          new DiagnosisStreams(
              config,
              credentials,
              settings.callback().orElse(config.listen()),
              settings.stepTimeout(),
              certificates,
              transport,
              secret,
              found.targets());
      StepRecorder callbacks = new StepRecorder(pair);
      Callback callback;
      if (!partner.dialback()) {
        callback = Callback.OFF;
        us.add(
            Check.of(
                "callback",
                Status.SKIPPED,
                "dialback is not allowed for " + remote + ", so nothing calls back"));
      } else if (settings.callback().isEmpty()) {
        callback = Callback.OFF;
        us.add(Check.of("callback", Status.SKIPPED, "not listening (--no-callback)"));
      } else {
        String at = AddressChecks.text(settings.callback().get());
        try {
          listener = streams.listen(callbacks);
          callback = Callback.LISTENING;
          us.add(
              Check.of(
                  "callback",
                  Status.OK,
                  "listening on " + at + " for " + remote + "'s dialback verification"));
        } catch (InterruptedException e) {
          throw e;
        } catch (Exception e) {
          // Netty rethrows the bind's own exception (BindException: address in use) unchecked.
          callback = Callback.UNAVAILABLE;
          us.add(
              Check.of(
                  "callback",
                  Status.WARN,
                  "cannot listen on "
                      + at
                      + " ("
                      + e.getMessage()
                      + "): if the proxy runs there, it answers "
                      + remote
                      + "'s dialback verification, and it confirms only keys it sent itself"
                      + " (XEP-0220 §3.1)"));
        }
      }

      boolean dialbackChecked = false;
      List<ConnectTarget> targets = found.targets();
      for (int i = 0; i < targets.size() && i < settings.maxTargets(); i++) {
        ConnectTarget target = targets.get(i);
        TargetProbe probe = streams.attempt(pair, target, partner, config.federation());
        List<Check> checks = new ArrayList<>(probe.checks());
        if (!dialbackChecked
            && probe.established().orElse(null) == AuthMethod.SASL_EXTERNAL
            && partner.dialback()) {
          // Dialback is the fallback when certificates fail: check it on a stream of its own.
          PartnerPolicy dialbackOnly =
              partner.toBuilder().domains(remote).saslExternal(SaslExternal.OFF).build();
          FederationPolicy policy =
              FederationPolicy.builder(config.federation().defaults())
                  .partner(dialbackOnly)
                  .build();
          TargetProbe second = streams.attempt(pair, target, dialbackOnly, policy);
          checks.add(checks.size() - 1, fallbackDialback(second));
          dialbackChecked = true;
        }
        sections.add(
            new Section(
                "target " + (i + 1) + ": " + AddressChecks.title(target),
                interpretDialback(checks, remote, local, callback, callbacks)));
      }
      if (targets.size() > settings.maxTargets()) {
        us.add(
            Check.of(
                "targets",
                Status.WARN,
                "only the first "
                    + settings.maxTargets()
                    + " of "
                    + targets.size()
                    + " targets were tried"));
      }
    } finally {
      if (listener != null) {
        listener.stop();
      }
      transport.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
    return finish(pair, us, sections, started);
  }

  private Diagnosis finish(DomainPair pair, List<Check> us, List<Section> rest, long started) {
    List<Section> sections = new ArrayList<>();
    sections.add(new Section(LOCAL, us));
    sections.addAll(rest);
    return new Diagnosis(
        pair.local(),
        pair.remote(),
        sections,
        Verdicts.of(pair, sections),
        Duration.ofNanos(System.nanoTime() - started));
  }

  private static String normalize(String domain) {
    String name = domain.trim().toLowerCase(Locale.ROOT);
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  private SrvResolver resolver() {
    Duration query =
        settings.stepTimeout().compareTo(Duration.ofSeconds(3)) < 0
            ? settings.stepTimeout()
            : Duration.ofSeconds(3);
    Duration whole =
        settings.stepTimeout().compareTo(DnsSettings.MAX_TIMEOUT) < 0
            ? settings.stepTimeout()
            : DnsSettings.MAX_TIMEOUT;
    DnsSettings dns = DnsSettings.defaults().withTimeouts(query, whole);
    StaticRoutes routes = StaticRoutes.startTls(config.staticRoutes());
    if (settings.nameServer().isEmpty()) {
      return SrvResolver.usingSystemDns(dns, routes);
    }
    SimpleResolver server = new SimpleResolver(settings.nameServer().get());
    server.setTimeout(query);
    return new SrvResolver(
        server, dns, routes, RandomGenerator.getDefault(), ForkJoinPool.commonPool());
  }

  /** The dialback check of the stream that had SASL EXTERNAL off, or why it got no answer. */
  private static Check fallbackDialback(TargetProbe second) {
    List<Check> checks = second.checks();
    Optional<Check> dialback =
        checks.stream().filter(c -> c.name().equals(TargetProbe.DIALBACK)).findFirst();
    if (dialback.isPresent()) {
      Check check = dialback.get();
      return check.with(check.status(), check.text() + " (on a second stream, SASL EXTERNAL off)");
    }
    Check failure =
        checks.stream()
            .filter(c -> c.status() == Status.FAIL)
            .findFirst()
            .orElse(Check.of(TargetProbe.DIALBACK, Status.FAIL, "no answer"));
    return new Check(
        TargetProbe.DIALBACK,
        Status.FAIL,
        "a second stream, to check dialback with SASL EXTERNAL off, failed at "
            + failure.name()
            + ": "
            + failure.text(),
        failure.facts());
  }

  /** Whether diagnose itself took the remote's call to verify our dialback key. */
  enum Callback {
    LISTENING,
    UNAVAILABLE,
    OFF
  }

  /** Explains a dialback answer with what the callback listener saw. */
  private static List<Check> interpretDialback(
      List<Check> checks, String remote, String local, Callback callback, StepRecorder calls) {
    List<Check> result = new ArrayList<>(checks);
    for (int i = 0; i < result.size(); i++) {
      Check check = result.get(i);
      if (check.name().equals(TargetProbe.DIALBACK) && check.facts().containsKey("type")) {
        result.set(i, Verdicts.dialback(check, remote, local, callback, calls.verifications()));
      }
    }
    return result;
  }
}
