package org.passerelle.proxy.it;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.proxy.s2s.AuthMethod;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.S2sSecurity;
import org.passerelle.testpeers.TestCa;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;

/**
 * One real peer federating with the proxy, in both security modes; a subclass per peer says which
 * server it is and where it runs. The conversation itself is {@link FederationScenarios}.
 */
abstract class PeerFederationIT {
  @TempDir static Path pki;

  abstract String domain();

  abstract String address();

  abstract XmppPeer newPeer(XmppPeerConfig config);

  /** Where the proxy listens for this peer. */
  String proxyAddress() {
    return FederationScenarios.PROXY_ADDRESS;
  }

  /** One security mode against this class's peer. */
  abstract class Mode extends FederationScenarios {
    @Override
    String proxyAddress() {
      return PeerFederationIT.this.proxyAddress();
    }

    @Override
    String peerDomain() {
      return domain();
    }

    @Override
    String peerAddress() {
      return address();
    }

    @Override
    Path dataDir() {
      return pki.resolve(getClass().getSimpleName() + "-data");
    }
  }

  /** Self-signed certificates on both sides: TLS for privacy, dialback for identity. */
  abstract class DialbackMode extends Mode {
    @Override
    XmppPeer peer(XmppPeerConfig.Builder base) {
      return newPeer(
          base.certificate(TestCa.selfSigned(pki.resolve("peer-self"), domain())).build());
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
  abstract class SaslExternalMode extends Mode {
    private final TestCa ca = TestCa.create(pki.resolve("ca"));

    @Override
    XmppPeer peer(XmppPeerConfig.Builder base) {
      return newPeer(base.certificate(ca.issue(domain())).trustedCa(ca.certificatePath()).build());
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
