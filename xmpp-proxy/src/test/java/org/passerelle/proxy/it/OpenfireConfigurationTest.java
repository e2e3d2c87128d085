package org.passerelle.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.dom4j.Document;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.testpeers.TestCa;
import org.passerelle.testpeers.XmppPeerConfig;

/**
 * The {@code openfire.xml} {@link OpenfirePeer} gives Openfire, checked without Docker: where there
 * is no engine its mistakes would otherwise show only on machines that have one.
 */
class OpenfireConfigurationTest {
  @TempDir Path dir;

  @Test
  void bindsThePeersAddressSetsItselfUpWithItsUsersAndFindsTheProxyWithoutDns() throws Exception {
    XmppPeerConfig config =
        XmppPeerConfig.builder("o.test", "127.0.0.151")
            .certificate(TestCa.selfSigned(dir, "o.test"))
            .resolve("passerelle.test", "127.0.0.150")
            .build();
    OpenfirePeer peer =
        new OpenfirePeer(config, "any", Map.of("alice", "alice-secret", "bob", "bob-secret"));

    Document xml = DocumentHelper.parseText(peer.configurationFile());

    assertThat(value(xml, "network/interface")).isEqualTo("127.0.0.151");
    assertThat(value(xml, "autosetup/run")).isEqualTo("true");
    assertThat(value(xml, "autosetup/xmpp/domain")).isEqualTo("o.test");
    assertThat(value(xml, "autosetup/users/user1/username")).isEqualTo("alice");
    assertThat(value(xml, "autosetup/users/user2/password")).isEqualTo("bob-secret");
    assertThat(value(xml, "dnsutil/dnsOverride")).isEqualTo("{passerelle.test,127.0.0.150:5269}");
    assertThat(value(xml, "xmpp/socket/ssl/certificate/strict-validation")).isEqualTo("false");
    assertThat(value(xml, "xmpp/proxy/enabled")).isEqualTo("false");
  }

  /** The text at a path of element names under the root, e.g. {@code network/interface}. */
  private static String value(Document xml, String path) {
    Element element = xml.getRootElement();
    for (String name : path.split("/")) {
      element = element == null ? null : element.element(name);
    }
    return element == null ? null : element.getText();
  }
}
