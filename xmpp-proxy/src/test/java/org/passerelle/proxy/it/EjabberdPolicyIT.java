package org.passerelle.proxy.it;

import org.passerelle.testpeers.EjabberdPeer;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;

/** ejabberd (Debian package) as a federation partner under the proxy's federation policy. */
class EjabberdPolicyIT extends PolicyScenarios {
  @Override
  XmppPeer newPeer(XmppPeerConfig config) {
    return new EjabberdPeer(config);
  }

  @Override
  String peerDomain() {
    return "pol-e.test";
  }

  @Override
  String peerAddress() {
    return "127.0.0.83";
  }

  @Override
  String plainDomain() {
    return "plain-e.test";
  }

  @Override
  String plainAddress() {
    return "127.0.0.84";
  }
}
