package org.passerelle.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.passerelle.model.config.ConfigException;
import org.passerelle.model.config.ConfigReader;
import org.passerelle.model.config.Environment;

/** Which process a configuration file is for, told by the keys only one of them has. */
enum ConfigKind {
  PROXY("proxy"),
  GATEWAY("gateway");

  /** Top-level keys of proxy.yml that gateway.yml never has. */
  static final Set<String> PROXY_KEYS =
      Set.of("listen", "tls", "dialback", "static-routes", "federation", "limits", "timeouts");

  /** Top-level keys of gateway.yml that proxy.yml never has. */
  static final Set<String> GATEWAY_KEYS = Set.of("sip", "im", "store", "presence");

  private final String label;

  ConfigKind(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /**
   * The process {@code file} is for; when its keys do not tell (both kinds, or only keys they
   * share), {@code link.listen} means the proxy and {@code link.server} the gateway.
   *
   * @throws ConfigException if it cannot be read or cannot be told
   */
  static ConfigKind detect(Path file, Environment environment) {
    ConfigReader root = ConfigReader.load(file, environment);
    List<String> proxy = present(root, PROXY_KEYS);
    List<String> gateway = present(root, GATEWAY_KEYS);
    if (!proxy.isEmpty() && gateway.isEmpty()) {
      return PROXY;
    }
    if (!gateway.isEmpty() && proxy.isEmpty()) {
      return GATEWAY;
    }
    if (proxy.isEmpty() && root.has("link")) {
      ConfigReader link = root.section("link");
      if (link.has("listen") && !link.has("server")) {
        return PROXY;
      }
      if (link.has("server") && !link.has("listen")) {
        return GATEWAY;
      }
    }
    throw new ConfigException(
        file
            + ": cannot tell whether this is the proxy's or the gateway's configuration"
            + (proxy.isEmpty()
                ? ""
                : " (it has proxy keys " + proxy + " and gateway keys " + gateway + ")")
            + "; say which with --proxy or --gateway");
  }

  private static List<String> present(ConfigReader root, Set<String> keys) {
    return keys.stream().filter(root::has).sorted().collect(Collectors.toList());
  }
}
