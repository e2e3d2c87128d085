package org.passerelle.gateway.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.passerelle.model.Correlation;
import org.passerelle.stream.StreamLimits;

/**
 * A stanza's correlation id goes over the link only to our proxy, which strips it before S2S; an
 * XMPP server the gateway attaches to as a plain component (XEP-0114) would pass it on to remote
 * servers, so it never gets it. The server here is a few lines of XEP-0114 over a socket, so the
 * test sees the very bytes the gateway writes.
 */
class LinkClientCorrelationTest {
  private static final String HEADER =
      "<stream:stream xmlns='jabber:component:accept'"
          + " xmlns:stream='http://etherx.jabber.org/streams' from='sip.test' id='s1'>";

  private final NioEventLoopGroup group = new NioEventLoopGroup(1);
  private ServerSocket server;
  private LinkClient client;

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.143"));
    server.setSoTimeout(10_000);
  }

  @AfterEach
  void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Test
  void aComponentPortOfAnotherServerNeverReceivesTheCorrelationId() throws Exception {
    String id = sendThroughLink(false);

    assertThat(written)
        .contains("id=\"m1\"")
        .doesNotContain(id)
        .doesNotContain(Correlation.NAMESPACE);
  }

  @Test
  void ourProxyReceivesTheCorrelationIdWithTheStanza() throws Exception {
    String id = sendThroughLink(true);

    assertThat(written).contains("id=\"m1\"").contains("pl:cid=\"" + id + "\"");
  }

  private String written;

  /** Attaches a link client with or without acknowledgements, sends one message, reads it. */
  private String sendThroughLink(boolean acknowledgements) throws Exception {
    client =
        new LinkClient(
            new LinkSettings(
                (InetSocketAddress) server.getLocalSocketAddress(),
                "sip.test",
                "secret",
                Optional.empty(),
                acknowledgements,
                Duration.ofMillis(100),
                Duration.ofMillis(500),
                Duration.ofSeconds(5),
                100),
            stanza -> {},
            group.next(),
            NioSocketChannel.class,
            StreamLimits.DEFAULTS);
    client.start();
    try (Socket socket = server.accept()) {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      readUntil(in, ">");
      out.write(HEADER.getBytes(StandardCharsets.UTF_8));
      readUntil(in, "</handshake>");
      out.write("<handshake/>".getBytes(StandardCharsets.UTF_8));
      out.flush();
      Element message = DocumentHelper.createElement(QName.get("message", "jabber:server"));
      message.addAttribute("from", "bob@sip.test").addAttribute("to", "alice@xmpp.test");
      message.addAttribute("id", "m1");
      message.addElement(QName.get("body", "jabber:server")).addText("hi");
      String id = Correlation.assign(message);
      client.send(message);
      written = readUntil(in, "</message>");
      return id;
    }
  }

  private static String readUntil(InputStream in, String end) throws IOException {
    StringBuilder text = new StringBuilder();
    byte[] buffer = new byte[4096];
    while (text.indexOf(end) < 0) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new IOException("closed before " + end + ": " + text);
      }
      text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
    }
    return text.toString();
  }
}
