package org.passerelle.proxy.it;

import org.passerelle.testpeers.ProsodyPeer;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;

/** Prosody (Debian package) as a federation partner under the proxy's federation policy. */
class ProsodyPolicyIT extends PolicyScenarios {
  @Override
  XmppPeer newPeer(XmppPeerConfig config) {
    return new ProsodyPeer(config);
  }

  @Override
  String peerDomain() {
    return "pol-p.test";
  }

  @Override
  String peerAddress() {
    return "127.0.0.81";
  }

  @Override
  String plainDomain() {
    return "plain-p.test";
  }

  @Override
  String plainAddress() {
    return "127.0.0.82";
  }
}
