package org.passerelle.proxy.dns;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Configured routes per remote domain; a route overrides DNS entirely (RFC 6120 §3.2.3). Domains
 * are normalized like {@link SrvResolver} does (lower case, no trailing dot, IDNA A-labels).
 */
public final class StaticRoutes {

  private static final StaticRoutes NONE = new StaticRoutes(Map.of());

  private final Map<String, StaticRoute> routes;

  /**
   * @param routes route per domain
   * @throws IllegalArgumentException if a domain is invalid or two keys normalize to the same one
   */
  public StaticRoutes(Map<String, StaticRoute> routes) {
    Map<String, StaticRoute> normalized = new HashMap<>();
    routes.forEach(
        (domain, route) -> {
          String key = DomainNames.normalize(domain);
          if (normalized.putIfAbsent(key, route) != null) {
            throw new IllegalArgumentException("two static routes for domain " + key);
          }
        });
    this.routes = Map.copyOf(normalized);
  }

  /** No static routes. */
  public static StaticRoutes none() {
    return NONE;
  }

  /** STARTTLS routes from plain addresses. */
  public static StaticRoutes startTls(Map<String, InetSocketAddress> addresses) {
    Map<String, StaticRoute> routes = new HashMap<>();
    addresses.forEach((domain, address) -> routes.put(domain, new StaticRoute(address, false)));
    return new StaticRoutes(routes);
  }

  /** The route for a normalized domain, if one is configured. */
  public Optional<StaticRoute> routeFor(String normalizedDomain) {
    return Optional.ofNullable(routes.get(normalizedDomain));
  }

  /** All routes, keyed by normalized domain. */
  public Map<String, StaticRoute> asMap() {
    return routes;
  }

  @Override
  public String toString() {
    return "StaticRoutes" + routes;
  }
}
