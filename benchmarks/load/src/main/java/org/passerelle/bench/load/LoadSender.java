package org.passerelle.bench.load;

/** Where the pacer hands batches of load messages: S2S streams or the SIP client. */
@FunctionalInterface
public interface LoadSender {
  /**
   * Sends {@code count} messages numbered from {@code firstSeq}, the i-th stamped {@code firstStamp
   * + i * step}; returns without waiting for the network.
   */
  void send(DeliveryLedger ledger, long firstSeq, int count, long firstStamp, long step);

  /** Spreads batches over several senders in turn. */
  static LoadSender roundRobin(java.util.List<? extends LoadSender> senders) {
    if (senders.isEmpty()) {
      throw new IllegalArgumentException("no senders");
    }
    int[] next = {0};
    return (ledger, firstSeq, count, firstStamp, step) -> {
      LoadSender sender = senders.get(next[0]);
      next[0] = (next[0] + 1) % senders.size();
      sender.send(ledger, firstSeq, count, firstStamp, step);
    };
  }
}
