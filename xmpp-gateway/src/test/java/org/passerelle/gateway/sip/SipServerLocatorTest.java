package org.passerelle.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Where requests go, after RFC 3263 §4, with DNS answers made up per test. */
class SipServerLocatorTest {

  private final FakeDns dns = new FakeDns();
  private static final Set<SipTransport> UDP_TCP = EnumSet.of(SipTransport.UDP, SipTransport.TCP);

  private SipServerLocator locator(Set<SipTransport> enabled) {
    return new SipServerLocator(dns, enabled, Duration.ofMillis(300));
  }

  private List<String> locate(String server, boolean secure, boolean reliable) throws Exception {
    return locator(EnumSet.allOf(SipTransport.class))
        .locate(SipServerAddress.parse(server), secure, reliable)
        .get(5, TimeUnit.SECONDS)
        .stream()
        .map(SipTarget::toString)
        .toList();
  }

  private SipSendException failure(Set<SipTransport> enabled, String server, boolean secure)
      throws Exception {
    try {
      locator(enabled)
          .locate(SipServerAddress.parse(server), secure, false)
          .get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SipSendException.class);
      return (SipSendException) e.getCause();
    }
    throw new AssertionError("located " + server);
  }

  @Test
  void ipAddressWithPortIsUsedAsItIsOverUdp_rfc3263section4_1() throws Exception {
    assertThat(locate("192.0.2.7:5070", false, false)).containsExactly("192.0.2.7:5070/udp");
    assertThat(dns.questions).isEmpty();
  }

  @Test
  void ipAddressWithoutPortGetsTheTransportsDefaultPort_rfc3263section4_2() throws Exception {
    assertThat(locate("192.0.2.7", false, false)).containsExactly("192.0.2.7:5060/udp");
    assertThat(locate("192.0.2.7", true, false)).containsExactly("192.0.2.7:5061/tls");
  }

  @Test
  void transportParameterWinsAndSkipsSrv_rfc3263section4_1() throws Exception {
    dns.a("sip.example.com", "192.0.2.1");

    assertThat(locate("sip.example.com;transport=tcp", false, false))
        .containsExactly("192.0.2.1:5060/tcp");
    assertThat(dns.questions).containsExactly("A sip.example.com");
  }

  @Test
  void explicitPortSkipsSrv_rfc3263section4_2() throws Exception {
    dns.a("sip.example.com", "192.0.2.1", "192.0.2.2");

    assertThat(locate("sip.example.com:5080", false, false))
        .containsExactly("192.0.2.1:5080/udp", "192.0.2.2:5080/udp");
    assertThat(dns.questions).containsExactly("A sip.example.com");
  }

  @Test
  void srvTargetsComeInPriorityOrderUdpBeforeTcp_rfc3263section4_2() throws Exception {
    dns.srv("_sip._udp.example.com", new SipDns.Srv(20, 0, 5060, "backup.example.com."));
    dns.srv("_sip._udp.example.com", new SipDns.Srv(10, 0, 5062, "main.example.com."));
    dns.srv("_sip._tcp.example.com", new SipDns.Srv(10, 0, 5064, "main.example.com."));
    dns.a("main.example.com", "192.0.2.1");
    dns.a("backup.example.com", "192.0.2.2");

    assertThat(locate("example.com", false, false))
        .containsExactly("192.0.2.1:5062/udp", "192.0.2.2:5060/udp", "192.0.2.1:5064/tcp");
  }

  @Test
  void largeRequestAsksOnlyForTcpService_rfc3261section18_1_1() throws Exception {
    dns.srv("_sip._udp.example.com", new SipDns.Srv(10, 0, 5062, "main.example.com."));
    dns.srv("_sip._tcp.example.com", new SipDns.Srv(10, 0, 5064, "main.example.com."));
    dns.a("main.example.com", "192.0.2.1");

    assertThat(locate("example.com", false, true)).containsExactly("192.0.2.1:5064/tcp");
    assertThat(dns.questions).doesNotContain("SRV _sip._udp.example.com");
  }

  @Test
  void largeRequestSwitchesAnExplicitUdpTransportToTcp_rfc3261section18_1_1() throws Exception {
    assertThat(locate("192.0.2.7:5070;transport=udp", false, true))
        .containsExactly("192.0.2.7:5070/tcp");
  }

  @Test
  void withoutSrvTheHostsAddressIsUsedOnTheDefaultPort_rfc3263section4_2() throws Exception {
    dns.a("example.com", "192.0.2.9");

    assertThat(locate("example.com", false, false)).containsExactly("192.0.2.9:5060/udp");
    assertThat(locate("example.com", false, true)).containsExactly("192.0.2.9:5060/tcp");
  }

  @Test
  void sipsUsesTheSipsServiceOverTls_rfc3263section4_1() throws Exception {
    dns.srv("_sips._tcp.example.com", new SipDns.Srv(10, 0, 5061, "tls.example.com."));
    dns.a("tls.example.com", "192.0.2.3");

    assertThat(locate("example.com", true, false)).containsExactly("192.0.2.3:5061/tls");
    assertThat(dns.questions).doesNotContain("SRV _sip._udp.example.com");
  }

  @Test
  void sipsWithoutTlsEnabledHasNoRoute() throws Exception {
    assertThat(failure(UDP_TCP, "example.com", true).reason())
        .isEqualTo(SipSendException.Reason.NO_ROUTE);
    assertThat(failure(UDP_TCP, "192.0.2.7;transport=tls", false).reason())
        .isEqualTo(SipSendException.Reason.NO_ROUTE);
  }

  @Test
  void srvTargetDotMeansNoServiceAndNoFallback_rfc2782() throws Exception {
    dns.srv("_sip._udp.example.com", new SipDns.Srv(0, 0, 0, "."));
    dns.a("example.com", "192.0.2.9");

    SipSendException e = failure(UDP_TCP, "example.com", false);

    assertThat(e.reason()).isEqualTo(SipSendException.Reason.NO_ROUTE);
    assertThat(e).hasMessageContaining("declare no SIP service");
  }

  @Test
  void unknownHostHasNoRoute() throws Exception {
    SipSendException e = failure(UDP_TCP, "nowhere.example", false);

    assertThat(e.reason()).isEqualTo(SipSendException.Reason.NO_ROUTE);
    assertThat(e).hasMessageContaining("nowhere.example").hasMessageContaining("no address");
  }

  @Test
  void dnsThatDoesNotAnswerTimesOutAsNoRoute() throws Exception {
    dns.hang("slow.example");

    SipSendException e = failure(UDP_TCP, "slow.example:5060", false);

    assertThat(e.reason()).isEqualTo(SipSendException.Reason.NO_ROUTE);
    assertThat(e).hasMessageContaining("did not answer within 300 ms");
  }

  /** Answers from canned records; unknown names have none. */
  private static final class FakeDns implements SipDns {
    final List<String> questions = new CopyOnWriteArrayList<>();
    private final Map<String, List<Srv>> srv = new ConcurrentHashMap<>();
    private final Map<String, List<InetAddress>> a = new ConcurrentHashMap<>();
    private final Set<String> hanging = ConcurrentHashMap.newKeySet();

    void srv(String name, Srv record) {
      srv.merge(
          name,
          List.of(record),
          (x, y) -> java.util.stream.Stream.concat(x.stream(), y.stream()).toList());
    }

    void a(String host, String... addresses) throws UnknownHostException {
      InetAddress[] list = new InetAddress[addresses.length];
      for (int i = 0; i < addresses.length; i++) {
        list[i] = InetAddress.getByName(addresses[i]);
      }
      a.put(host, List.of(list));
    }

    void hang(String name) {
      hanging.add(name);
    }

    @Override
    public CompletableFuture<List<Srv>> srv(String name) {
      questions.add("SRV " + name);
      return hanging.contains(name)
          ? new CompletableFuture<>()
          : CompletableFuture.completedFuture(srv.getOrDefault(name, List.of()));
    }

    @Override
    public CompletableFuture<List<InetAddress>> ipv4(String host) {
      questions.add("A " + host);
      return hanging.contains(host)
          ? new CompletableFuture<>()
          : CompletableFuture.completedFuture(a.getOrDefault(host, List.of()));
    }
  }
}
