package org.passerelle.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SipPresenceDialogsTest {
  private static final String SUBSCRIBE =
      "SUBSCRIBE sip:s1@org.load.test SIP/2.0\r\n"
          + "Via: SIP/2.0/TCP 127.0.0.231:5070;branch=z9hG4bKgw1\r\n"
          + "From: <sip:x1@r2.load.test>;tag=gw1\r\n"
          + "To: <sip:s1@org.load.test>\r\n"
          + "Call-ID: call-1\r\n"
          + "CSeq: 1 SUBSCRIBE\r\n"
          + "Contact: <sip:gw@127.0.0.231:5070;transport=tcp>\r\n"
          + "Event: presence\r\n"
          + "Expires: 3600\r\n"
          + "Content-Length: 0\r\n\r\n";

  private final AtomicReference<DeliveryLedger> ledger = new AtomicReference<>();
  private final SipPresenceDialogs dialogs = new SipPresenceDialogs(ledger);
  private final EmbeddedChannel channel =
      new EmbeddedChannel(
          new SipFrameDecoder(),
          new SimpleChannelInboundHandler<SipFrame>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, SipFrame frame) {
              dialogs.onFrame(ctx, frame, 1_000);
              ctx.flush();
            }
          });

  private List<SipFrame> written() {
    EmbeddedChannel decoder = new EmbeddedChannel(new SipFrameDecoder());
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      decoder.writeInbound(out);
    }
    List<SipFrame> frames = new ArrayList<>();
    SipFrame frame;
    while ((frame = decoder.readInbound()) != null) {
      frames.add(frame);
    }
    return frames;
  }

  private void receive(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  @Test
  void aSubscribeIsAnsweredThenNotifiedInItsDialog() {
    receive(SUBSCRIBE);

    List<SipFrame> out = written();
    assertEquals(2, out.size());
    assertEquals(200, out.get(0).status());
    String toTag = out.get(0).header("To", "t");
    assertTrue(toTag.contains(";tag="), toTag);
    SipFrame notify = out.get(1);
    assertEquals("NOTIFY sip:gw@127.0.0.231:5070;transport=tcp SIP/2.0", notify.startLine());
    assertEquals(toTag, notify.header("From", "f"));
    assertEquals("<sip:x1@r2.load.test>;tag=gw1", notify.header("To", "t"));
    assertEquals("call-1", notify.header("Call-ID", "i"));
    assertTrue(notify.header("Subscription-State", null).startsWith("active"));
    assertEquals(1, dialogs.notifierDialogs());
  }

  @Test
  void theStormSendsTheStampInTheNoteWithARisingCseq() {
    receive(SUBSCRIBE);
    written();
    dialogs.freeze();
    DeliveryLedger run = new DeliveryLedger(7, 10);

    dialogs.sendNotifies(run, 0, 2, 500, 10);
    channel.runPendingTasks();

    List<SipFrame> out = written();
    assertEquals(2, out.size());
    assertTrue(out.get(0).body().contains("<note>load 7 0 500 "), out.get(0).body());
    assertTrue(out.get(1).body().contains("<note>load 7 1 510 "), out.get(1).body());
    long first = Long.parseLong(out.get(0).header("CSeq", null).split(" ")[0]);
    long second = Long.parseLong(out.get(1).header("CSeq", null).split(" ")[0]);
    assertTrue(second > first);
  }

  @Test
  void aNotifyWithAStampIsDeliveredAndOneWithoutMakesTheWatchActive() {
    DeliveryLedger run = new DeliveryLedger(3, 10);
    ledger.set(run);
    String pidf =
        "<presence><tuple id='a'><note xml:lang='en'>load 3 4 900</note></tuple></presence>";

    receive(notify("watch-1", pidf));
    receive(notify("watch-2", ""));

    assertEquals(1, run.delivered());
    assertEquals(1, dialogs.activeWatches());
    assertEquals(2, written().stream().filter(f -> f.status() == 200).count());
  }

  private static String notify(String callId, String body) {
    return "NOTIFY sip:w1@127.0.0.233:5060;transport=tcp SIP/2.0\r\n"
        + "Via: SIP/2.0/TCP 127.0.0.231:5070;branch=z9hG4bK"
        + callId
        + "\r\nFrom: <sip:c1@r2.load.test>;tag=gw\r\n"
        + "To: <sip:w1@org.load.test>;tag=w1\r\n"
        + "Call-ID: "
        + callId
        + "\r\nCSeq: 2 NOTIFY\r\n"
        + "Event: presence\r\n"
        + "Subscription-State: active;expires=3600\r\n"
        + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }
}
