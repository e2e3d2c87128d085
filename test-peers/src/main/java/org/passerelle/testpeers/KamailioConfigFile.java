package org.passerelle.testpeers;

import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders {@code kamailio.cfg} for one {@link KamailioPeer}: a registrar, a presence server (but
 * for the users who are their own presence agents) and a proxy that sends requests for other
 * domains to the gateway.
 */
final class KamailioConfigFile {

  /** Logged (xlog) when a request is handed to the gateway; tests may await it. */
  static final String TO_GATEWAY_LOG = "to gateway";

  /** Logged (xlog) when a request is sent to a registered contact. */
  static final String TO_CONTACT_LOG = "to contact";

  private static final String TEMPLATE =
      """
      #!KAMAILIO
      # Written by org.passerelle.testpeers.KamailioPeer for one test run.

      # Level info; -E sends the log to stderr, which KamailioPeer writes to kamailio.log.
      debug=2
      log_stderror=yes
      # Each line names the request it is about. Bodies are never logged.
      log_prefix="{$rm $ci} "

      # Few workers: the test machines have two cores, shared with other daemons.
      children=%4$d
      tcp_children=%4$d

      # "myself" is our address and the SIP domain, nothing found by reverse lookups.
      auto_aliases=no
      alias="%1$s"
      listen=udp:%2$s:%3$d
      listen=tcp:%2$s:%3$d

      # No DNS at all: every next hop is an IP literal.
      dns=no
      rev_dns=no
      use_dns_cache=off
      dns_try_naptr=no

      # RFC 3261 §18.1.1: a request over 1300 bytes for a UDP next hop goes over TCP instead, to
      # the same address and port.
      udp_mtu=1300
      udp_mtu_try_proto=TCP
      # COMPAT: Kamailio 5.6: outgoing TCP connections would come from 127.0.0.1, the kernel's
      # choice for loopback, rather than from our address.
      tcp_source_ipv4=%2$s
      # A TCP next hop that does not accept fails the branch at once, not after 10 s.
      tcp_connect_timeout=2
      # COMPAT: Kamailio 5.6: the default TCP read buffer (16 kB) drops any larger message
      # ("tcp_read(): buffer overrun"); 64 kB is as large as a SIP message can be in Kamailio.
      tcp_rd_buf_size=65536

      loadmodule "tm.so"
      loadmodule "tmx.so"
      loadmodule "sl.so"
      loadmodule "rr.so"
      loadmodule "pv.so"
      loadmodule "maxfwd.so"
      loadmodule "textops.so"
      loadmodule "siputils.so"
      loadmodule "xlog.so"
      loadmodule "sanity.so"
      loadmodule "usrloc.so"
      loadmodule "registrar.so"
      loadmodule "presence.so"
      loadmodule "presence_xml.so"

      # How long to wait for a final response to a forwarded request (ms) before 408.
      modparam("tm", "fr_timer", %5$d)
      # Registrations in memory only.
      modparam("usrloc", "db_mode", 0)
      # Presence state in memory only: subscriptions (subs_db_mode 0) and published state
      # (publ_cache 2, which also makes presence a full server without a db_url). The 5.6
      # db_sqlite driver has no busy timeout and its workers fail with "database is locked".
      modparam("presence", "subs_db_mode", 0)
      modparam("presence", "publ_cache", 2)
      # COMPAT: Kamailio 5.6: without an XCAP server every subscription stays pending and NOTIFYs
      # carry no body, unless subscriptions are authorised without looking for rules.
      modparam("presence_xml", "force_active", 1)

      request_route {
        if (!mf_process_maxfwd_header("10")) {
          sl_send_reply("483", "Too Many Hops");
          exit;
        }
        if (!sanity_check()) {
          exit;
        }
        if (is_method("CANCEL")) {
          if (t_check_trans()) {
            t_relay();
          }
          exit;
        }
        # Retransmissions of a request we are handling are absorbed here.
        if (!is_method("ACK")) {
          if (t_precheck_trans()) {
            t_check_trans();
            exit;
          }
          t_check_trans();
        }
        route(WITHINDLG);

        # Only initial requests from here on. No authentication: this is a test server.
        remove_hf("Route");
        if (is_method("OPTIONS") && uri == myself && $rU == $null) {
          # Keepalives (and KamailioPeer's readiness probe).
          sl_send_reply("200", "Keepalive");
          exit;
        }
        if (is_method("REGISTER")) {
          route(REGISTRAR);
        }
        if (!(uri == myself)) {
          route(GATEWAY);
        }%8$s
        if (is_method("PUBLISH|SUBSCRIBE")) {
          route(PRESENCE);
        }
        if ($rU == $null) {
          sl_send_reply("484", "Address Incomplete");
          exit;
        }
        route(LOCATION);
      }

      # Requests inside a dialog follow its route set; our own presence dialogs end here.
      route[WITHINDLG] {
        if (!has_totag()) {
          return;
        }
        if (loose_route()) {
          t_relay();
          exit;
        }
        if (is_method("SUBSCRIBE") && uri == myself) {
          route(PRESENCE);
        }
        if (is_method("ACK")) {
          if (t_check_trans()) {
            t_relay();
          }
          exit;
        }
        sl_send_reply("404", "Not Here");
        exit;
      }

      route[REGISTRAR] {
        if (!(uri == myself)) {
          sl_send_reply("403", "Not Our Domain");
          exit;
        }
        if (!save("location")) {
          sl_reply_error();
        }
        exit;
      }

      route[PRESENCE] {
        if (!t_newtran()) {
          sl_reply_error();
          exit;
        }
        if (is_method("PUBLISH")) {
          handle_publish();
        } else {
          handle_subscribe();
        }
        t_release();
        exit;
      }

      # A user of our domain: its registered contact, 404 if none, 480 if it does not answer.
      route[LOCATION] {
        if (!lookup("location")) {
          $var(rc) = $rc;
          t_newtran();
          if ($var(rc) == -2) {
            send_reply("405", "Method Not Allowed");
          } else {
            send_reply("404", "Not Found");
          }
          exit;
        }
        xlog("L_INFO", "%7$s $ru\\n");
        t_on_failure("UNAVAILABLE");
        if (!t_relay()) {
          # A TCP contact that refuses the connection.
          send_reply("480", "Temporarily Unavailable");
        }
        exit;
      }

      failure_route[UNAVAILABLE] {
        if (t_is_canceled()) {
          exit;
        }
        # No answer at all (tm's local 408): the user is registered but not reachable.
        if (t_branch_timeout() && !t_branch_replied()) {
          t_reply("480", "Temporarily Unavailable");
        }
      }

      %6$s
      """;

  /** Every other domain goes to the gateway, unchanged: RFC 7247 §5. */
  private static final String GATEWAY_ROUTE =
      """
      route[GATEWAY] {
        # The gateway sends us requests for our users only; one for another domain would loop.
        if ($si == "%1$s") {
          sl_send_reply("482", "Loop Detected");
          exit;
        }
        # Dialogs (subscriptions) with the gateway keep us on their path.
        if (is_method("SUBSCRIBE|INVITE")) {
          record_route();
        }
        # The Request-URI (sip:user@other.domain) stays; only the next hop is set.
        $du = "%2$s";
        xlog("L_INFO", "%3$s $du for $ru\\n");
        if (!t_relay()) {
          send_reply("503", "Service Unavailable");
        }
        exit;
      }
      """;

  /**
   * Users who are their own presence agents (RFC 8048 §4): their SUBSCRIBEs go to their contact,
   * and Kamailio stays on the path of the dialog, where WITHINDLG's loose_route() relays the
   * NOTIFYs and refreshes.
   */
  private static final String USER_AGENT_PRESENCE =
      """


        # RFC 8048 §4: these users are their own presence agents. Their SUBSCRIBEs go to their
        # contact, and we stay on the dialog's path for the NOTIFYs and refreshes (WITHINDLG).
        if (is_method("SUBSCRIBE") && (%1$s)) {
          record_route();
          route(LOCATION);
        }
      """;

  private static final String NO_GATEWAY_ROUTE =
      """
      route[GATEWAY] {
        sl_send_reply("404", "No Route To Domain");
        exit;
      }
      """;

  private KamailioConfigFile() {}

  static String render(KamailioConfig config) {
    Optional<SipHop> gateway = config.gateway();
    String gatewayRoute =
        gateway
            .map(
                hop ->
                    GATEWAY_ROUTE.formatted(
                        hop.address().getHostAddress(), hop.uri(), TO_GATEWAY_LOG))
            .orElse(NO_GATEWAY_ROUTE);
    return TEMPLATE.formatted(
        config.domain(),
        config.address().getHostAddress(),
        config.port(),
        config.workers(),
        config.transactionTimeout().toMillis(),
        gatewayRoute,
        TO_CONTACT_LOG,
        userAgentPresence(config));
  }

  /** Nothing at all without such users, so that the usual script stays as it was. */
  private static String userAgentPresence(KamailioConfig config) {
    if (config.userAgentPresence().isEmpty()) {
      return "";
    }
    String anyOfThem =
        config.userAgentPresence().stream()
            .map(user -> "$rU == \"" + user + "\"")
            .collect(Collectors.joining(" || "));
    return USER_AGENT_PRESENCE.formatted(anyOfThem);
  }
}
