package org.passerelle.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;

/**
 * Writes one-to-one {@code <message/>}s from a remote domain on an open stream, as bytes straight
 * from a template (~350 bytes, a {@link LoadBody} of 60 characters), a batch per flush, on the
 * stream's event loop; nothing is parsed per message. The S2S streams to the proxy and the
 * connections to the bare relay send the very same bytes through it.
 */
final class StanzaWriter {
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
    channel
        .eventLoop()
        .execute(
            () -> {
              if (!channel.isActive() || !channel.isWritable()) {
                ledger.shed(count);
                return;
              }
              for (int i = 0; i < count; i++) {
                channel.write(message(ledger.run(), firstSeq + i, firstStamp + i * step));
              }
              channel.flush();
            });
  }

  private ByteBuf message(int run, long seq, long stamp) {
    text.setLength(0);
    text.append("<message from='u")
        .append(seq % users)
        .append('@')
        .append(domain)
        .append("/load' to='sink")
        .append(seq % recipients)
        .append('@')
        .append(Topology.ORG_DOMAIN)
        .append("' type='chat' id='m")
        .append(seq)
        .append("'><body>");
    LoadBody.append(text, run, seq, stamp);
    text.append("</body></message>");
    return ByteBufUtil.writeUtf8(channel.alloc(), text);
  }
}
