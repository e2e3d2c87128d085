package org.passerelle.testpeers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** What the XMPP peers share on top of {@link AbstractPeer}: their configuration and listeners. */
abstract class AbstractXmppPeer extends AbstractPeer implements XmppPeer {

  private final XmppPeerConfig config;

  AbstractXmppPeer(XmppPeerConfig config, String daemonUser, Pattern fatalLogLine) {
    super(
        daemonUser,
        fatalLogLine,
        Objects.requireNonNull(config, "config").workDirParent(),
        config.startTimeout());
    this.config = config;
  }

  @Override
  public final String domain() {
    return config.domain();
  }

  @Override
  public final InetAddress address() {
    return config.address();
  }

  final XmppPeerConfig config() {
    return config;
  }

  /** c2s and S2S; ejabberd adds its Erlang distribution port. */
  @Override
  List<InetSocketAddress> tcpListeners() {
    return List.of(c2sAddress(), s2sAddress());
  }
}
