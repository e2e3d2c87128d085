package org.passerelle.proxy.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.passerelle.testpeers.PeerStartException;
import org.passerelle.testpeers.XmppPeer;
import org.passerelle.testpeers.XmppPeerConfig;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Openfire as a test peer, in a container (it has no Debian package). The container shares the
 * host's network, so Openfire binds the peer's own loopback address like the packaged peers do and
 * reaches the proxy on its address, port 5269, without port mapping (Linux Docker engines).
 *
 * <p>It configures itself at its first start from an {@code <autosetup>} section (embedded
 * database, the domain, the users given here): accounts cannot be added afterwards, {@link
 * #addUser} only checks that the user was given. Openfire makes its own self-signed certificate;
 * the one in the configuration is not used, so only {@link
 * org.passerelle.testpeers.S2sSecurity#TLS_DIALBACK} makes sense.
 *
 * <p>peers.md: Openfire 5 drops an S2S peer whose certificate it does not trust unless {@code
 * xmpp.socket.ssl.certificate.strict-validation} is false (then dialback authenticates it); its
 * file-transfer proxy ignores {@code network.interface} and is turned off; other domains are
 * reached through {@code dnsutil.dnsOverride}.
 */
final class OpenfirePeer implements XmppPeer {
  /** The Ignite Realtime image; another one with {@code -Dopenfire.image} or OPENFIRE_IMAGE. */
  static final String DEFAULT_IMAGE = "ghcr.io/igniterealtime/openfire:v5.0.1";

  /**
   * From the container's start to both listeners: its first start sets it up (database, keys), much
   * slower than a packaged peer's start. Pulling the image comes before, with no limit here.
   */
  static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /** Where the Ignite Realtime image keeps the configuration it copies on its first start. */
  private static final String CONFIG_TEMPLATE = "/usr/local/openfire/conf_org/openfire.xml";

  private final XmppPeerConfig config;
  private final String image;
  private final Map<String, String> users;
  private GenericContainer<?> container;

  OpenfirePeer(XmppPeerConfig config, String image, Map<String, String> users) {
    this.config = Objects.requireNonNull(config, "config");
    this.image = Objects.requireNonNull(image, "image");
    this.users = Map.copyOf(users);
  }

  /**
   * The image named by {@code -Dopenfire.image}, else OPENFIRE_IMAGE, else {@link #DEFAULT_IMAGE}.
   */
  static String configuredImage() {
    String env = System.getenv("OPENFIRE_IMAGE");
    return System.getProperty("openfire.image", env == null || env.isBlank() ? DEFAULT_IMAGE : env);
  }

  @Override
  public String domain() {
    return config.domain();
  }

  @Override
  public InetAddress address() {
    return config.address();
  }

  @Override
  public void start() {
    if (container != null) {
      throw new IllegalStateException(domain() + " is running already");
    }
    GenericContainer<?> started =
        new GenericContainer<>(DockerImageName.parse(image))
            .withNetworkMode("host")
            .withCopyToContainer(
                Transferable.of(configurationFile().getBytes(StandardCharsets.UTF_8), 0644),
                CONFIG_TEMPLATE);
    started.start();
    container = started;
    try {
      awaitListening(List.of(c2sAddress(), s2sAddress()), START_TIMEOUT);
    } catch (PeerStartException e) {
      String tail = logTail(40);
      stop();
      throw new PeerStartException(e.getMessage() + "\n" + tail, e);
    }
  }

  @Override
  public void stop() {
    if (container != null) {
      container.stop();
      container = null;
    }
  }

  @Override
  public boolean isRunning() {
    return container != null && container.isRunning();
  }

  @Override
  public String logTail(int lines) {
    if (container == null) {
      return "(not running)";
    }
    List<String> all = logLines();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  @Override
  public String awaitLogLine(String fragment, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : logLines()) {
        if (line.contains(fragment)) {
          return line;
        }
      }
      sleep(200);
    }
    throw new AssertionError("no log line with '" + fragment + "'; last lines:\n" + logTail(30));
  }

  @Override
  public void addUser(String user, String password) {
    if (!password.equals(users.get(user))) {
      throw new IllegalStateException(
          "Openfire makes its users at its first start: give "
              + user
              + " to OpenfirePeer's constructor");
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Container output, then Openfire's own log, which holds most of what it says. */
  private List<String> logLines() {
    StringBuilder text = new StringBuilder(container.getLogs());
    try {
      Container.ExecResult log =
          container.execInContainer("tail", "-n", "500", "/var/log/openfire/openfire.log");
      text.append(log.getStdout());
    } catch (IOException | UnsupportedOperationException e) {
      // Not there (yet): the container output is all there is.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return text.toString().lines().toList();
  }

  /**
   * {@code openfire.xml}: XML-only settings, properties copied into the database at setup, and the
   * autosetup section. Every listener binds {@code network.interface}; those not needed are off,
   * since the container shares the host's network.
   */
  String configurationFile() {
    String overrides =
        config.hosts().entrySet().stream()
            .map(e -> "{" + e.getKey() + "," + e.getValue().getHostAddress() + ":" + S2S_PORT + "}")
            .collect(Collectors.joining(","));
    StringBuilder userEntries = new StringBuilder();
    int n = 0;
    for (Map.Entry<String, String> user : new java.util.TreeMap<>(users).entrySet()) {
      n++;
      userEntries.append(
          "      <user%1$d><username>%2$s</username><password>%3$s</password></user%1$d>%n"
              .formatted(n, user.getKey(), user.getValue()));
    }
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <jive>
          <adminConsole><port>-1</port><securePort>-1</securePort></adminConsole>
          <network><interface>%1$s</interface></network>
          <locale>en</locale>
          <connectionProvider>
            <className>org.jivesoftware.database.EmbeddedConnectionProvider</className>
          </connectionProvider>
          <xmpp>
            <socket><ssl><certificate><strict-validation>false</strict-validation></certificate></ssl></socket>
            <server>
              <dialback><enabled>true</enabled></dialback>
              <socket><ssl><active>false</active></ssl></socket>
            </server>
            <component><socket><active>false</active></socket><ssl><active>false</active></ssl></component>
            <multiplex><socket><active>false</active></socket><ssl><active>false</active></ssl></multiplex>
            <proxy><enabled>false</enabled></proxy>
          </xmpp>
          <httpbind><enabled>false</enabled></httpbind>
          <mediaproxy><enabled>false</enabled></mediaproxy>
          <dnsutil><dnsOverride>%2$s</dnsOverride></dnsutil>
          <autosetup>
            <run>true</run>
            <locale>en</locale>
            <xmpp>
              <domain>%3$s</domain>
              <fqdn>%3$s</fqdn>
              <auth><anonymous>false</anonymous></auth>
              <socket><ssl><active>false</active></ssl></socket>
            </xmpp>
            <encryption><algorithm>AES</algorithm><key>passerelle-test-key</key></encryption>
            <database><mode>embedded</mode></database>
            <admin><email>admin@%3$s</email><password>admin-secret</password></admin>
            <authprovider><mode>default</mode></authprovider>
            <users>
        %4$s    </users>
          </autosetup>
        </jive>
        """
        .formatted(address().getHostAddress(), overrides, domain(), userEntries);
  }

  private static void awaitListening(List<InetSocketAddress> addresses, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (InetSocketAddress address : addresses) {
      while (!accepts(address)) {
        if (System.nanoTime() > deadline) {
          throw new PeerStartException(
              "Openfire is not listening on " + address + " after " + timeout.toSeconds() + " s");
        }
        sleep(250);
      }
    }
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
