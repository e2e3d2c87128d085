package org.passerelle.gateway.sip.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.nio.NioEventLoopGroup;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.testpeers.IssuedCertificate;
import org.passerelle.testpeers.TestCa;

/** The gateway's own SIP listener against clients on loopback whose every byte the test writes. */
class SipStreamServerTest {

  private static final InetAddress LISTENER = address("127.0.0.230");
  private static final InetAddress CLIENT = address("127.0.0.231");
  private static final int MAX_MESSAGE_BYTES = 1024;

  @TempDir Path dir;

  private NioEventLoopGroup group;
  private SipStreamServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final List<Socket> clients = new ArrayList<>();

  /** A request as the listener handed it over. */
  private record Received(StreamPeer peer, SipHead head, byte[] bytes) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  @BeforeEach
  void startGroup() {
    group = new NioEventLoopGroup(1);
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket client : clients) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static SipStreamServer.Settings settings(
      int port, Optional<SipStreamServer.Tls> tls, int maxConnections) {
    return new SipStreamServer.Settings(
        new InetSocketAddress(LISTENER, port),
        tls,
        MAX_MESSAGE_BYTES,
        Duration.ofMinutes(1),
        maxConnections);
  }

  private SipStreamServer listen(int maxConnections) throws IOException {
    return listen(settings(0, Optional.empty(), maxConnections));
  }

  private SipStreamServer listen(SipStreamServer.Settings settings) throws IOException {
    server =
        SipStreamServer.bind(
            group, settings, (peer, head, bytes) -> received.add(new Received(peer, head, bytes)));
    return server;
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    clients.add(socket);
    socket.bind(new InetSocketAddress(CLIENT, 0));
    socket.connect(server.localAddress(), 5000);
    socket.setSoTimeout(5000);
    socket.setTcpNoDelay(true);
    return socket;
  }

  private static String request(String branch) {
    return "MESSAGE sip:bob@example.org SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.231:5060;branch="
        + branch
        + "\r\nCall-ID: call-"
        + branch
        + "\r\nCSeq: 1 MESSAGE\r\nContent-Length: 2\r\n\r\nhi";
  }

  private static byte[] response(String branch) {
    return ("SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 127.0.0.231:5060;branch="
            + branch
            + "\r\nCall-ID: call-"
            + branch
            + "\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void write(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private Received next() throws InterruptedException {
    Received next = received.poll(5, TimeUnit.SECONDS);
    assertThat(next).as("a request handed over").isNotNull();
    return next;
  }

  /** Reads one SIP message by its Content-Length. */
  private static String readMessage(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after " + head.toString(StandardCharsets.UTF_8));
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.UTF_8);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  @Test
  void twoRequestsInOneWriteAreHandedOverInOrderWithTheirExactBytes_rfc3261section18_3()
      throws Exception {
    listen(10);
    Socket client = connect();

    write(client, request("z9hG4bK-1") + request("z9hG4bK-2"));

    Received first = next();
    Received second = next();
    assertThat(first.text()).isEqualTo(request("z9hG4bK-1"));
    assertThat(first.head().request()).isTrue();
    assertThat(first.head().topViaBranch()).contains("z9hG4bK-1");
    assertThat(second.text()).isEqualTo(request("z9hG4bK-2"));
    assertThat(first.peer()).as("the same connection").isSameAs(second.peer());
  }

  @Test
  void aRequestSplitAcrossWritesIsHandedOverOnceWhole_rfc3261section18_3() throws Exception {
    listen(10);
    Socket client = connect();
    String whole = request("z9hG4bK-split");
    int blank = whole.indexOf("\r\n\r\n");

    for (String part :
        List.of(
            whole.substring(0, 10),
            whole.substring(10, blank + 2),
            whole.substring(blank + 2, blank + 5),
            whole.substring(blank + 5))) {
      write(client, part);
      Thread.sleep(20); // lets each part arrive in a read of its own
    }
    write(client, request("z9hG4bK-after"));

    assertThat(next().text()).isEqualTo(whole);
    assertThat(next().text()).as("nothing in between").isEqualTo(request("z9hG4bK-after"));
  }

  @Test
  void aResponseSentToThePeerIsWrittenOnTheConnectionTheRequestCameOn_rfc3261section18_2_2()
      throws Exception {
    listen(10);
    Socket client = connect();
    write(client, request("z9hG4bK-r"));

    next().peer().send(response("z9hG4bK-r"));

    assertThat(readMessage(client.getInputStream()))
        .isEqualTo(new String(response("z9hG4bK-r"), StandardCharsets.UTF_8));
  }

  @Test
  void thePeerIsTheClientsAddressOverPlainTcp() throws Exception {
    listen(10);
    Socket client = connect();
    write(client, request("z9hG4bK-a"));

    StreamPeer peer = next().peer();

    assertThat(peer.remote()).isEqualTo(client.getLocalSocketAddress());
    assertThat(peer.tls()).isFalse();
  }

  @Test
  void aKeepAlivePingIsAnsweredWithOneCrlf_rfc5626section4_4_1() throws Exception {
    listen(10);
    Socket client = connect();
    InputStream in = new BufferedInputStream(client.getInputStream());

    write(client, "\r\n\r\n" + request("z9hG4bK-k"));
    next().peer().send(response("z9hG4bK-k"));

    assertThat(in.readNBytes(2)).isEqualTo("\r\n".getBytes(StandardCharsets.US_ASCII));
    assertThat(readMessage(in))
        .as("the response follows the single CRLF")
        .startsWith("SIP/2.0 200 OK\r\n");
  }

  @Test
  void aResponseArrivingIsDiscardedAndTheConnectionServesTheNextRequest_rfc3261section18_1_2()
      throws Exception {
    listen(10);
    Socket client = connect();

    write(
        client,
        new String(response("z9hG4bK-stray"), StandardCharsets.UTF_8)
            + "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK-busy\r\n"
            + "CSeq: 1 MESSAGE\r\nContent-Length: 5\r\n\r\nbusy!"
            + request("z9hG4bK-next"));

    Received next = next();
    assertThat(next.text()).isEqualTo(request("z9hG4bK-next"));
    next.peer().send(response("z9hG4bK-next"));
    assertThat(readMessage(client.getInputStream())).startsWith("SIP/2.0 200 OK\r\n");
    assertThat(received).as("only the request handed over").isEmpty();
  }

  @Test
  void aMessageOverTheLimitClosesItsConnectionAndOthersAreStillServed_rfc3261section18_3()
      throws Exception {
    listen(10);
    Socket oversized = connect();
    Socket other = connect();

    write(
        oversized,
        "MESSAGE sip:bob@example.org SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK-big\r\n"
            + "Content-Length: "
            + (MAX_MESSAGE_BYTES + 1)
            + "\r\n\r\n");

    assertThat(oversized.getInputStream().read()).as("closed by the listener").isEqualTo(-1);
    write(other, request("z9hG4bK-o"));
    Received served = next();
    assertThat(served.text()).isEqualTo(request("z9hG4bK-o"));
    served.peer().send(response("z9hG4bK-o"));
    assertThat(readMessage(other.getInputStream())).startsWith("SIP/2.0 200 OK\r\n");
  }

  @Test
  void aConnectionBeyondTheLimitIsClosedAtOnceAndTheFirstKeepsWorking() throws Exception {
    listen(1);
    Socket first = connect();
    write(first, request("z9hG4bK-1"));
    next(); // the first connection is admitted by now

    Socket second = connect();

    assertThat(second.getInputStream().read()).as("closed by the listener").isEqualTo(-1);
    assertThat(server.connections()).isEqualTo(1);
    write(first, request("z9hG4bK-2"));
    Received served = next();
    assertThat(served.text()).isEqualTo(request("z9hG4bK-2"));
    served.peer().send(response("z9hG4bK-2"));
    assertThat(readMessage(first.getInputStream())).startsWith("SIP/2.0 200 OK\r\n");
  }

  @Test
  void closingWritesWhatWasSentBeforeThenClosesTheConnectionsAndStopsListening() throws Exception {
    listen(10);
    Socket client = connect();
    write(client, request("z9hG4bK-c"));
    StreamPeer peer = next().peer();
    InetSocketAddress listening = server.localAddress();

    peer.send(response("z9hG4bK-c"));
    server.close();

    InputStream in = client.getInputStream();
    assertThat(readMessage(in)).startsWith("SIP/2.0 200 OK\r\n");
    assertThat(in.read()).as("closed by the listener").isEqualTo(-1);
    assertThat(servedLate(listening)).as("a connection after close is served").isFalse();
    assertThat(received).isEmpty();
  }

  /**
   * Whether a connection made now gets anything back for a ping. Just after close the kernel may
   * still complete a handshake: the JDK closes a listening channel registered with a selector only
   * at the selector's next turn, and then resets what it had queued.
   */
  private static boolean servedLate(InetSocketAddress listening) throws IOException {
    try (Socket late = new Socket()) {
      late.connect(listening, 5000);
      late.setSoTimeout(5000);
      write(late, "\r\n\r\n" + request("z9hG4bK-late"));
      return late.getInputStream().read() >= 0;
    } catch (SocketException refusedOrReset) {
      return false;
    }
  }

  @Test
  void bindingAnAddressInUseFailsNamingAddressPortAndTransport() throws Exception {
    int port = listen(10).localAddress().getPort();

    assertThatThrownBy(
            () ->
                SipStreamServer.bind(
                    group, settings(port, Optional.empty(), 10), (peer, head, bytes) -> {}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("127.0.0.230:" + port + "/tcp");
  }

  @Test
  void requestsOverTlsAreHandedOverAndAnsweredOnTheirConnection_rfc3261section26_2()
      throws Exception {
    TestCa ca = TestCa.create(dir.resolve("ca"));
    IssuedCertificate certificate = ca.issue("gw.example");
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(certificate.keyStore(), certificate.pkcs12Password().toCharArray());
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(keys.getKeyManagers(), null, null);
    listen(
        settings(
            0,
            Optional.of(
                new SipStreamServer.Tls(
                    serverContext, List.of("TLSv1.3"), SipStreamServer.ClientAuth.NONE)),
            10));
    SSLSocket client = tlsClient(ca.trustStore());

    write(client, request("z9hG4bK-tls"));

    Received request = next();
    assertThat(request.text()).isEqualTo(request("z9hG4bK-tls"));
    assertThat(request.peer().tls()).isTrue();
    assertThat(request.peer().remote()).isEqualTo(client.getLocalSocketAddress());
    request.peer().send(response("z9hG4bK-tls"));
    assertThat(readMessage(client.getInputStream())).startsWith("SIP/2.0 200 OK\r\n");
  }

  private SSLSocket tlsClient(KeyStore trusted) throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    Socket plain = connect();
    SSLSocket socket =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(plain, "gw.example", server.localAddress().getPort(), true);
    clients.add(socket);
    socket.setEnabledProtocols(new String[] {"TLSv1.3"});
    socket.startHandshake();
    return socket;
  }
}
