package org.passerelle.bench.load;

import java.util.List;

/**
 * Who watches whom in the presence load: {@code count} pairs each way, pair {@code p} belonging to
 * the remote domain {@code p mod domains}, so that every stanza of a pair leaves on its domain's
 * own S2S stream.
 *
 * <ul>
 *   <li>XMPP watches SIP: the remote {@code x<p>@r<k>} watches the SIP user {@code s<p>}; its
 *       NOTIFYs (the storm) become {@code <presence/>} to the remote user.
 *   <li>SIP watches XMPP: the SIP user {@code w<p>} watches the remote {@code c<p>@r<k>}; the
 *       contact's {@code <presence/>} (the broadcasts) becomes a NOTIFY to the SIP user.
 * </ul>
 */
record PresencePairs(int count, List<String> domains) {

  PresencePairs {
    domains = List.copyOf(domains);
    if (count < domains.size() || count > 50_000 || count % domains.size() != 0) {
      throw new IllegalArgumentException(
          "presence subscriptions must be a multiple of the "
              + domains.size()
              + " domains, up to 50,000, was "
              + count);
    }
  }

  int perDomain() {
    return count / domains.size();
  }

  /** The pair of domain {@code domainIndex} that load stanza {@code seq} belongs to. */
  int pairOf(int domainIndex, long seq) {
    return (int) (seq % perDomain()) * domains.size() + domainIndex;
  }

  String domain(int pair) {
    return domains.get(pair % domains.size());
  }

  String remoteWatcher(int pair) {
    return "x" + pair + '@' + domain(pair);
  }

  String localPresentity(int pair) {
    return "s" + pair + '@' + Topology.ORG_DOMAIN;
  }

  String localWatcher(int pair) {
    return "w" + pair + '@' + Topology.ORG_DOMAIN;
  }

  String remoteContact(int pair) {
    return "c" + pair + '@' + domain(pair);
  }
}
