package org.passerelle.bench.load;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import java.util.List;

/**
 * Writes one-to-one {@code <message/>}s from a remote domain on an open stream, as bytes straight
 * from a template (~350 bytes, a {@link LoadBody} of 60 characters), a batch per flush, on the
 * stream's event loop; nothing is parsed per message. The S2S streams to the proxy and the
 * connections to the bare relay send the very same bytes through it. Other load stanzas (the
 * presence broadcasts) come from a {@link Template} of their own, written the same way.
 */
final class StanzaWriter {
  /** Builds the text of one load stanza of the writer's domain into {@code out}. */
  @FunctionalInterface
  interface Template {
    void append(StringBuilder out, String domain, int run, long seq, long stamp);
  }

  private final Channel channel;
  private final String domain;
  private final int users;
  private final int recipients;
  private final StringBuilder text = new StringBuilder(512);

  /**
   * @param users distinct senders in {@code domain} ({@code u0..})
   * @param recipients distinct local recipients ({@code sink0..})
   */
  StanzaWriter(Channel channel, String domain, int users, int recipients) {
    this.channel = channel;
    this.domain = domain;
    this.users = users;
    this.recipients = recipients;
  }

  /**
   * Writes {@code count} messages with sequence numbers from {@code firstSeq}, the i-th stamped
   * {@code firstStamp + i * step}, then flushes once. Returns at once. A connection that is closed
   * or whose send buffer is above its high-water mark sheds the batch instead.
   */
  void send(DeliveryLedger ledger, long firstSeq, int count, long firstStamp, long step) {
    send(ledger, firstSeq, count, firstStamp, step, this::message);
  }

  /**
   * As {@link #send(DeliveryLedger, long, int, long, long)}, with stanzas from {@code template}.
   */
  void send(
      DeliveryLedger ledger,
      long firstSeq,
      int count,
      long firstStamp,
      long step,
      Template template) {
    channel
        .eventLoop()
        .execute(
            () -> {
              if (!channel.isActive() || !channel.isWritable()) {
                ledger.shed(count);
                return;
              }
              for (int i = 0; i < count; i++) {
                text.setLength(0);
                template.append(text, domain, ledger.run(), firstSeq + i, firstStamp + i * step);
                channel.write(ByteBufUtil.writeUtf8(channel.alloc(), text));
              }
              channel.flush();
            });
  }

  /** Writes stanzas that are no load (the presence set-up's requests and answers), one flush. */
  void write(List<String> stanzas) {
    channel
        .eventLoop()
        .execute(
            () -> {
              for (String stanza : stanzas) {
                channel.write(ByteBufUtil.writeUtf8(channel.alloc(), stanza));
              }
              channel.flush();
            });
  }

  private void message(StringBuilder out, String from, int run, long seq, long stamp) {
    out.append("<message from='u")
        .append(seq % users)
        .append('@')
        .append(from)
        .append("/load' to='sink")
        .append(seq % recipients)
        .append('@')
        .append(Topology.ORG_DOMAIN)
        .append("' type='chat' id='m")
        .append(seq)
        .append("'><body>");
    LoadBody.append(out, run, seq, stamp);
    out.append("</body></message>");
  }
}
