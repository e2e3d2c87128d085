package org.passerelle.bench.load;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The SIP side of the presence load, in the SIP sink (the gateway's outbound proxy) and the SIP
 * client's connection, in both roles:
 *
 * <ul>
 *   <li><b>Notifier</b> for the SIP users that remote contacts watch: answers the gateway's
 *       SUBSCRIBE 200, sends the {@code active} NOTIFY at once (RFC 6665 §4.2.1.2) and keeps the
 *       dialog (Call-ID, tags, the gateway's Contact, the connection), so that the NOTIFY storm can
 *       send in-dialog NOTIFYs whose PIDF {@code <note>} carries the load stamp.
 *   <li><b>Watcher</b> for the SIP users who watch remote contacts: writes their SUBSCRIBEs,
 *       answers the gateway's NOTIFYs 200, counts the dialogs made {@code active}, and records each
 *       NOTIFY whose note is a load stamp in the current {@link DeliveryLedger}.
 * </ul>
 *
 * <p>Per dialog only a few strings are kept; the set-up is bounded by {@link PresencePairs}.
 */
final class SipPresenceDialogs {
  private static final String PIDF_HEAD =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"pres:user@sip.bench\">"
          + "<tuple id=\"t1\"><status><basic>open</basic></status>";
  private static final String PIDF_TAIL = "</tuple></presence>";
  private static final String EXPIRES = "3600";

  /** A dialog the gateway opened by SUBSCRIBE: what an in-dialog NOTIFY needs (RFC 3261 §12.2). */
  private record Dialog(String target, String from, String to, String callId, Channel channel) {}

  private final AtomicReference<DeliveryLedger> ledger;
  private final List<Dialog> dialogs = new ArrayList<>();
  private volatile Dialog[] frozen = new Dialog[0];
  private final Set<String> activeWatches = ConcurrentHashMap.newKeySet();
  private final AtomicLong cseq = new AtomicLong(1_000);
  private final AtomicLong branch = new AtomicLong();
  private final AtomicLong notifyFailures = new AtomicLong();

  /** Used only on the event loop of the dialogs' connection, by the storm. */
  private final StringBuilder text = new StringBuilder(1024);

  private final StringBuilder note = new StringBuilder(128);

  SipPresenceDialogs(AtomicReference<DeliveryLedger> ledger) {
    this.ledger = ledger;
  }

  /** Dialogs the gateway has opened towards the SIP users (XMPP watching SIP). */
  int notifierDialogs() {
    synchronized (dialogs) {
      return dialogs.size();
    }
  }

  /** SIP watchers whose subscription the gateway has made active (SIP watching XMPP). */
  int activeWatches() {
    return activeWatches.size();
  }

  /** Non-2xx answers to the storm's NOTIFYs. */
  long notifyFailures() {
    return notifyFailures.get();
  }

  /** Takes the dialogs opened so far as the storm's; later SUBSCRIBEs get no load. */
  void freeze() {
    synchronized (dialogs) {
      frozen = dialogs.toArray(Dialog[]::new);
    }
  }

  /**
   * Handles a SUBSCRIBE or NOTIFY from the gateway on the sink's connection, or a response to one
   * of ours; returns whether it was one.
   */
  boolean onFrame(ChannelHandlerContext ctx, SipFrame frame, long nowNanos) {
    if (!frame.isRequest()) {
      if (frame.status() >= 300) {
        notifyFailures.incrementAndGet();
        DeliveryLedger current = ledger.get();
        if (current != null) {
          current.bounce();
        }
      }
      return true;
    }
    switch (frame.method()) {
      case "SUBSCRIBE" -> onSubscribe(ctx, frame);
      case "NOTIFY" -> onNotify(ctx, frame, nowNanos);
      default -> {
        return false;
      }
    }
    return true;
  }

  private void onSubscribe(ChannelHandlerContext ctx, SipFrame subscribe) {
    String given = subscribe.header("Expires", null);
    String expires = given == null ? EXPIRES : given.trim();
    String contact = subscribe.header("Contact", "m");
    String target = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
    String to = subscribe.header("To", "t");
    boolean created = !to.contains(";tag=");
    if (created) {
      to = to + ";tag=n" + branch.incrementAndGet();
    }
    String response =
        SipResponses.response(subscribe, 200, "OK", to)
            .replace(
                "Content-Length: 0\r\n",
                "Expires: "
                    + expires
                    + "\r\nContact: <sip:presence@"
                    + Topology.SIP_SERVER
                    + ":"
                    + Topology.SIP_PORT
                    + ";transport=tcp>\r\nContent-Length: 0\r\n");
    Dialog dialog =
        new Dialog(
            target,
            to,
            subscribe.header("From", "f"),
            subscribe.header("Call-ID", "i"),
            ctx.channel());
    ctx.write(ByteBufUtil.writeUtf8(ctx.alloc(), response));
    String state = "0".equals(expires) ? "terminated;reason=timeout" : "active;expires=" + expires;
    StringBuilder first = new StringBuilder(1024);
    appendNotify(first, dialog, state, "");
    ctx.write(ByteBufUtil.writeUtf8(ctx.alloc(), first));
    if (created && !"0".equals(expires)) {
      synchronized (dialogs) {
        dialogs.add(dialog);
      }
    }
  }

  private void onNotify(ChannelHandlerContext ctx, SipFrame notify, long nowNanos) {
    ctx.write(ByteBufUtil.writeUtf8(ctx.alloc(), SipResponses.response(notify, 200, "OK")));
    String body = notify.body();
    int open = body.indexOf("<note");
    if (open >= 0) {
      int start = body.indexOf('>', open) + 1;
      int end = body.indexOf("</note>", start);
      LoadBody.Parsed parsed = end < 0 ? null : LoadBody.parse(body.substring(start, end));
      DeliveryLedger current = ledger.get();
      if (parsed != null && current != null) {
        current.delivered(parsed, nowNanos);
        return;
      }
    }
    String state = notify.header("Subscription-State", null);
    if (state != null && state.startsWith("active")) {
      activeWatches.add(notify.header("Call-ID", "i"));
    }
  }

  /** The NOTIFY storm: load stamp {@code seq} goes to dialog {@code seq mod dialogs}. */
  void sendNotifies(DeliveryLedger ledger, long firstSeq, int count, long firstStamp, long step) {
    Dialog[] all = frozen;
    if (all.length == 0) {
      ledger.shed(count);
      return;
    }
    Channel channel = all[0].channel();
    channel
        .eventLoop()
        .execute(
            () -> {
              for (int i = 0; i < count; i++) {
                long seq = firstSeq + i;
                Dialog dialog = all[(int) (seq % all.length)];
                if (!dialog.channel().isActive() || !dialog.channel().isWritable()) {
                  ledger.shed(1);
                  continue;
                }
                note.setLength(0);
                LoadBody.append(note, ledger.run(), seq, firstStamp + i * step);
                text.setLength(0);
                appendNotify(text, dialog, "active;expires=" + EXPIRES, note);
                dialog.channel().write(ByteBufUtil.writeUtf8(channel.alloc(), text));
              }
              for (Dialog dialog : all) {
                if (dialog.channel() != channel) {
                  dialog.channel().flush();
                }
              }
              channel.flush();
            });
  }

  private void appendNotify(StringBuilder out, Dialog dialog, String state, CharSequence status) {
    String body =
        status.length() == 0
            ? PIDF_HEAD + PIDF_TAIL
            : PIDF_HEAD + "<note>" + status + "</note>" + PIDF_TAIL;
    out.append("NOTIFY ")
        .append(dialog.target())
        .append(" SIP/2.0\r\nVia: SIP/2.0/TCP ")
        .append(Topology.SIP_SERVER)
        .append(':')
        .append(Topology.SIP_PORT)
        .append(";branch=z9hG4bKpn")
        .append(branch.incrementAndGet())
        .append("\r\nMax-Forwards: 70\r\nFrom: ")
        .append(dialog.from())
        .append("\r\nTo: ")
        .append(dialog.to())
        .append("\r\nCall-ID: ")
        .append(dialog.callId())
        .append("\r\nCSeq: ")
        .append(cseq.incrementAndGet())
        .append(" NOTIFY\r\nContact: <sip:presence@")
        .append(Topology.SIP_SERVER)
        .append(':')
        .append(Topology.SIP_PORT)
        .append(";transport=tcp>\r\nEvent: presence\r\nSubscription-State: ")
        .append(state)
        .append("\r\nContent-Type: application/pidf+xml\r\nContent-Length: ")
        .append(body.getBytes(StandardCharsets.UTF_8).length)
        .append("\r\n\r\n")
        .append(body);
  }

  /** The SUBSCRIBE of the SIP user {@code localWatcher(pair)} for {@code remoteContact(pair)}. */
  static String subscribe(PresencePairs pairs, int pair) {
    String watcher = pairs.localWatcher(pair);
    String contact = "sip:" + pairs.remoteContact(pair);
    return "SUBSCRIBE "
        + contact
        + " SIP/2.0\r\nVia: SIP/2.0/TCP "
        + Topology.SIP_SERVER
        + ":"
        + Topology.SIP_PORT
        + ";branch=z9hG4bKps"
        + pair
        + "\r\nMax-Forwards: 70\r\nFrom: <sip:"
        + watcher
        + ">;tag=w"
        + pair
        + "\r\nTo: <"
        + contact
        + ">\r\nCall-ID: watch-"
        + pair
        + '@'
        + Topology.SIP_SERVER
        + "\r\nCSeq: 1 SUBSCRIBE\r\nContact: <sip:"
        + watcher.substring(0, watcher.indexOf('@'))
        + '@'
        + Topology.SIP_SERVER
        + ':'
        + Topology.SIP_PORT
        + ";transport=tcp>\r\nEvent: presence\r\nAccept: application/pidf+xml\r\nExpires: "
        + EXPIRES
        + "\r\nContent-Length: 0\r\n\r\n";
  }
}
