package org.passerelle.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the simulated remote XMPP users do with presence, over the simulator's S2S streams: ask to
 * watch SIP users ({@code subscribe}), grant the SIP users who ask to watch them ({@code
 * subscribed}, answered as soon as the request arrives, as an auto-approving server would), and
 * broadcast available presence whose {@code <status/>} carries the load stamp.
 */
final class RemotePresence implements S2sSinkServer.PresenceRequests {
  private final Map<String, S2sLoadClient> streams = new ConcurrentHashMap<>();
  private final AtomicLong granted = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();

  /** The streams to send on, one per remote domain. */
  void use(List<S2sLoadClient> clients) {
    for (S2sLoadClient client : clients) {
      streams.put(client.domain(), client);
    }
  }

  /** {@code subscribed} received: SIP users who let a remote user watch them. */
  long granted() {
    return granted.get();
  }

  /** {@code subscribe} requests from SIP users answered {@code subscribed}. */
  long answered() {
    return answered.get();
  }

  @Override
  public void onPresence(String type, String from, String to) {
    switch (type) {
      case "subscribed" -> granted.incrementAndGet();
      case "subscribe" -> {
        S2sLoadClient stream = streams.get(domainOf(to));
        if (stream != null) {
          stream.write(List.of(stanza("subscribed", to, from)));
          answered.incrementAndGet();
        }
      }
      default -> {} // probes: the broadcasts answer them
    }
  }

  /** The remote watchers of {@code pairs} ask to watch their SIP users, pairs from..to-1. */
  void requestSubscriptions(PresencePairs pairs, int from, int to) {
    for (int k = 0; k < pairs.domains().size(); k++) {
      S2sLoadClient stream = streams.get(pairs.domains().get(k));
      List<String> requests = new ArrayList<>();
      for (int pair = from; pair < to; pair++) {
        if (pair % pairs.domains().size() == k) {
          requests.add(stanza("subscribe", pairs.remoteWatcher(pair), pairs.localPresentity(pair)));
        }
      }
      stream.write(requests);
    }
  }

  /**
   * The broadcasts: load stanza {@code seq} is the available presence of a remote contact to the
   * SIP user watching it, with the stamp as its status; batches go to the domains' streams in turn.
   */
  LoadSender broadcasts(PresencePairs pairs) {
    List<LoadSender> senders = new ArrayList<>();
    for (int k = 0; k < pairs.domains().size(); k++) {
      S2sLoadClient stream = streams.get(pairs.domains().get(k));
      int domainIndex = k;
      StanzaWriter.Template template =
          (out, domain, run, seq, stamp) -> {
            int pair = pairs.pairOf(domainIndex, seq);
            out.append("<presence from='")
                .append(pairs.remoteContact(pair))
                .append("/load' to='")
                .append(pairs.localWatcher(pair))
                .append("'><status>");
            LoadBody.append(out, run, seq, stamp);
            out.append("</status></presence>");
          };
      senders.add(
          (ledger, firstSeq, count, firstStamp, step) ->
              stream.send(ledger, firstSeq, count, firstStamp, step, template));
    }
    return LoadSender.roundRobin(senders);
  }

  private static String stanza(String type, String from, String to) {
    return "<presence type='" + type + "' from='" + from + "' to='" + to + "'/>";
  }

  private static String domainOf(String jid) {
    int at = jid.indexOf('@');
    int slash = jid.indexOf('/');
    return jid.substring(at + 1, slash < 0 ? jid.length() : slash);
  }
}
