package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness on its own: Prosody and ejabberd federate with each other (RFC 6120 S2S) and a user
 * on each exchanges a chat message in both directions, in each {@link S2sSecurity} mode.
 */
class PeerFederationSmokeIT {

  private static final String EJABBERD_DOMAIN = "e.test";
  private static final String EJABBERD_ADDRESS = "127.0.0.8";
  private static final String PROSODY_DOMAIN = "p.test";
  private static final String PROSODY_ADDRESS = "127.0.0.9";
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration LOG_TIMEOUT = Duration.ofSeconds(5);

  @TempDir static Path pki;

  /** One pair of peers per mode, started once for the tests of that mode. */
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Federation {
    private XmppPeer ejabberd;
    private XmppPeer prosody;
    private XmppTestClient alice;
    private XmppTestClient carol;

    abstract XmppPeerConfig.Builder configure(XmppPeerConfig.Builder builder, String domain);

    /** What ejabberd logs when it accepts the S2S stream from Prosody in this mode. */
    abstract String ejabberdInboundAuthLogLine();

    /** What Prosody logs when it authenticates the S2S stream from ejabberd in this mode. */
    abstract String prosodyInboundAuthLogLine();

    @BeforeAll
    void startPeers() {
      ejabberd =
          new EjabberdPeer(
              configure(XmppPeerConfig.builder(EJABBERD_DOMAIN, EJABBERD_ADDRESS), EJABBERD_DOMAIN)
                  .resolve(PROSODY_DOMAIN, PROSODY_ADDRESS)
                  .build());
      prosody =
          new ProsodyPeer(
              configure(XmppPeerConfig.builder(PROSODY_DOMAIN, PROSODY_ADDRESS), PROSODY_DOMAIN)
                  .resolve(EJABBERD_DOMAIN, EJABBERD_ADDRESS)
                  .build());
      ejabberd.start();
      prosody.start();
      ejabberd.addUser("alice", "alice-secret");
      prosody.addUser("carol", "carol-secret");
      alice = XmppTestClient.login(ejabberd, "alice", "alice-secret");
      carol = XmppTestClient.login(prosody, "carol", "carol-secret");
    }

    @AfterAll
    void stopPeers() {
      IllegalStateException failure = null;
      for (AutoCloseable closeable : new AutoCloseable[] {alice, carol, prosody, ejabberd}) {
        try {
          if (closeable != null) {
            closeable.close();
          }
        } catch (Exception e) {
          if (failure == null) {
            failure = new IllegalStateException("cannot close the peers and clients", e);
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }

    @Test
    void prosodyUserReachesEjabberdUser() {
      String body = "from carol " + UUID.randomUUID();

      carol.sendChat("alice@" + EJABBERD_DOMAIN, body);

      Message received = alice.awaitBody(body, DELIVERY_TIMEOUT);
      assertThat(received.getFrom().toString()).isEqualTo("carol@" + PROSODY_DOMAIN + "/test");
      assertThat(received.getType()).isEqualTo(Message.Type.chat);
      assertThat(ejabberd.awaitLogLine(ejabberdInboundAuthLogLine(), LOG_TIMEOUT))
          .contains(PROSODY_DOMAIN + " -> " + EJABBERD_DOMAIN);
    }

    @Test
    void ejabberdUserReachesProsodyUser() {
      String body = "from alice " + UUID.randomUUID();

      alice.sendChat("carol@" + PROSODY_DOMAIN, body);

      Message received = carol.awaitBody(body, DELIVERY_TIMEOUT);
      assertThat(received.getFrom().toString()).isEqualTo("alice@" + EJABBERD_DOMAIN + "/test");
      assertThat(received.getType()).isEqualTo(Message.Type.chat);
      prosody.awaitLogLine(prosodyInboundAuthLogLine(), LOG_TIMEOUT);
    }

    @Test
    void messageToUnknownRemoteUserComesBackAsAnError() {
      Message sent = carol.sendChat("nobody@" + EJABBERD_DOMAIN, "to nobody");

      Message bounce =
          carol.awaitMessage(
              m -> m.getType() == Message.Type.error && sent.getStanzaId().equals(m.getStanzaId()),
              DELIVERY_TIMEOUT);
      assertThat(bounce.getFrom().toString()).isEqualTo("nobody@" + EJABBERD_DOMAIN);
      assertThat(bounce.getError().getCondition())
          .isEqualTo(StanzaError.Condition.service_unavailable);
    }
  }

  /** Self-signed certificates, so that dialback (XEP-0220) is the only way to authenticate. */
  @Nested
  class TlsDialback extends Federation {
    @Override
    XmppPeerConfig.Builder configure(XmppPeerConfig.Builder builder, String domain) {
      return builder
          .security(S2sSecurity.TLS_DIALBACK)
          .certificate(TestCa.selfSigned(pki.resolve("self-signed"), domain));
    }

    @Override
    String ejabberdInboundAuthLogLine() {
      return "Accepted inbound s2s dialback authentication";
    }

    @Override
    String prosodyInboundAuthLogLine() {
      return "asking " + EJABBERD_DOMAIN + " if key";
    }
  }

  /** Test-CA certificates and SASL EXTERNAL (XEP-0178), no dialback. */
  @Nested
  class TlsSaslExternal extends Federation {
    private final TestCa ca = TestCa.create(pki.resolve("ca"));

    @Override
    XmppPeerConfig.Builder configure(XmppPeerConfig.Builder builder, String domain) {
      return builder
          .security(S2sSecurity.TLS_SASL_EXTERNAL)
          .certificate(ca.issue(domain))
          .trustedCa(ca.certificatePath());
    }

    @Override
    String ejabberdInboundAuthLogLine() {
      return "Accepted inbound s2s EXTERNAL authentication";
    }

    @Override
    String prosodyInboundAuthLogLine() {
      return "Accepting SASL EXTERNAL identity from " + EJABBERD_DOMAIN;
    }
  }
}
