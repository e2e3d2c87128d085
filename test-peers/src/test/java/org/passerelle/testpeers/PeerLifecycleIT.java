package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start, stop and failure behaviour of the peers, which the federation tests rely on. */
class PeerLifecycleIT {

  private static final String EJABBERD_ADDRESS = "127.0.0.18";
  private static final String PROSODY_ADDRESS = "127.0.0.19";

  @TempDir static Path pki;
  private static TestCa ca;

  @BeforeAll
  static void createCa() {
    ca = TestCa.create(pki);
  }

  @Test
  void stoppedPeerReleasesItsPortsAndStartsAgainWithItsAccounts() {
    XmppPeerConfig config =
        XmppPeerConfig.builder("p.test", PROSODY_ADDRESS).certificate(ca.issue("p.test")).build();
    try (XmppPeer prosody = new ProsodyPeer(config)) {
      prosody.start();
      prosody.addUser("carol", "carol-secret");

      prosody.stop();

      assertThat(prosody.isRunning()).isFalse();
      assertThat(Daemons.accepts(prosody.s2sAddress())).isFalse();
      assertThat(Daemons.accepts(prosody.c2sAddress())).isFalse();

      prosody.start();

      assertThat(prosody.isRunning()).isTrue();
      try (XmppTestClient carol = XmppTestClient.login(prosody, "carol", "carol-secret")) {
        assertThat(carol.jid().toString()).isEqualTo("carol@p.test");
      }
    }
  }

  @Test
  void ejabberdStopEndsTheErlangNode() {
    XmppPeerConfig config =
        XmppPeerConfig.builder("e.test", EJABBERD_ADDRESS).certificate(ca.issue("e.test")).build();
    try (EjabberdPeer ejabberd = new EjabberdPeer(config)) {
      ejabberd.start();
      long beam = Daemons.readPid(ejabberd.workDir().resolve("ejabberd.pid")).orElseThrow();

      ejabberd.stop();

      assertThat(Daemons.isAlive(beam)).as("beam.smp pid %d", beam).isFalse();
      assertThat(ejabberd.isRunning()).isFalse();
      assertThat(Daemons.accepts(ejabberd.s2sAddress())).isFalse();
    }
  }

  @Test
  void startFailsFastWithTheLogWhenEjabberdRejectsItsCertificate() throws Exception {
    IssuedCertificate good = ca.issue("e.test");
    IssuedCertificate other = ca.issue("other.test");
    Path mismatched = pki.resolve("mismatched.pem");
    Files.writeString(
        mismatched,
        Files.readString(good.certificatePem()) + Files.readString(other.privateKeyPem()));
    IssuedCertificate broken =
        new IssuedCertificate(
            "e.test",
            good.certificatePem(),
            other.privateKeyPem(),
            mismatched,
            good.pkcs12(),
            good.pkcs12Password(),
            good.certificate(),
            other.privateKey());
    XmppPeerConfig config =
        XmppPeerConfig.builder("e.test", EJABBERD_ADDRESS).certificate(broken).build();

    try (XmppPeer ejabberd = new EjabberdPeer(config)) {
      Instant begin = Instant.now();
      assertThatThrownBy(ejabberd::start)
          .isInstanceOf(PeerStartException.class)
          .hasMessageContaining("[critical]")
          .hasMessageContaining("no matching private key found for this certificate");
      assertThat(Duration.between(begin, Instant.now()))
          .isLessThan(XmppPeerConfig.DEFAULT_START_TIMEOUT);
      assertThat(ejabberd.isRunning()).isFalse();
    }
  }

  @Test
  void startRefusesAnAddressAlreadyInUse() throws Exception {
    XmppPeerConfig config =
        XmppPeerConfig.builder("p.test", PROSODY_ADDRESS).certificate(ca.issue("p.test")).build();
    try (ServerSocket squatter = new ServerSocket();
        XmppPeer prosody = new ProsodyPeer(config)) {
      squatter.bind(new InetSocketAddress(PROSODY_ADDRESS, XmppPeer.S2S_PORT));

      assertThatThrownBy(prosody::start)
          .isInstanceOf(PeerStartException.class)
          .hasMessageContaining("in use already");
      assertThat(prosody.isRunning()).isFalse();
    }
  }

  @Test
  void secondPeerOnTheSameAddressIsRefusedAtOnce() {
    IssuedCertificate certificate = ca.issue("p.test");
    XmppPeerConfig config =
        XmppPeerConfig.builder("p.test", PROSODY_ADDRESS).certificate(certificate).build();
    try (XmppPeer first = new ProsodyPeer(config);
        XmppPeer second = new ProsodyPeer(config)) {
      first.start();

      assertThatThrownBy(second::start)
          .isInstanceOf(PeerStartException.class)
          .hasMessageContaining("another peer of this JVM runs on " + PROSODY_ADDRESS);
      assertThat(first.isRunning()).isTrue();
    }
  }
}
