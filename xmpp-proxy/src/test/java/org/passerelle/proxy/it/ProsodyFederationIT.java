package org.passerelle.proxy.it;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.proxy.s2s.AuthMethod;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.ProsodyPeer;
import org.passerelle.testpeers.S2sSecurity;
import org.passerelle.testpeers.TestCa;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;

/** Prosody (Debian package) federates with the proxy in both directions. */
class ProsodyFederationIT {
  static final String DOMAIN = "p.test";
  static final String ADDRESS = "127.0.0.21";

  @TempDir static Path pki;

  abstract static class WithProsody extends FederationScenarios {
    @Override
    String peerDomain() {
      return DOMAIN;
    }

    @Override
    String peerAddress() {
      return ADDRESS;
    }

    @Override
    Path dataDir() {
      return pki.resolve(getClass().getSimpleName() + "-data");
    }
  }

  /** Self-signed certificates on both sides: TLS for privacy, dialback for identity. */
  @Nested
  class TlsDialback extends WithProsody {
    @Override
    XmppPeer peer(XmppPeerConfig.Builder base) {
      return new ProsodyPeer(
          base.certificate(TestCa.selfSigned(pki.resolve("prosody-self"), DOMAIN)).build());
    }

    @Override
    S2sSecurity security() {
      return S2sSecurity.TLS_DIALBACK;
    }

    @Override
    IssuedCertificate proxyCertificate() {
      return TestCa.selfSigned(pki.resolve("proxy-self"), PROXY_DOMAIN);
    }

    @Override
    List<Path> proxyTrust() {
      return List.of();
    }

    @Override
    AuthMethod expectedInbound() {
      return AuthMethod.DIALBACK;
    }

    @Override
    AuthMethod expectedOutbound() {
      return AuthMethod.DIALBACK;
    }
  }

  /** Certificates from a common test CA: SASL EXTERNAL both ways, dialback off. */
  @Nested
  class TlsSaslExternal extends WithProsody {
    private final TestCa ca = TestCa.create(pki.resolve("ca"));

    @Override
    XmppPeer peer(XmppPeerConfig.Builder base) {
      return new ProsodyPeer(
          base.certificate(ca.issue(DOMAIN)).trustedCa(ca.certificatePath()).build());
    }

    @Override
    S2sSecurity security() {
      return S2sSecurity.TLS_SASL_EXTERNAL;
    }

    @Override
    IssuedCertificate proxyCertificate() {
      return ca.issue(PROXY_DOMAIN);
    }

    @Override
    List<Path> proxyTrust() {
      return List.of(ca.certificatePath());
    }

    @Override
    AuthMethod expectedInbound() {
      return AuthMethod.SASL_EXTERNAL;
    }

    @Override
    AuthMethod expectedOutbound() {
      return AuthMethod.SASL_EXTERNAL;
    }
  }
}
