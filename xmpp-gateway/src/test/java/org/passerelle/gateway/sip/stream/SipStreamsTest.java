package org.passerelle.gateway.sip.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.nio.NioEventLoopGroup;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.passerelle.gateway.sip.SipResponseInfo;
import org.passerelle.gateway.sip.SipSendException;

/** The stream transport against a SIP peer on loopback whose every byte the test writes. */
class SipStreamsTest {

  private static final Duration TIMER_F = Duration.ofMillis(400);

  private NioEventLoopGroup group;
  private SipStreams streams;
  private RawPeer peer;
  private final BlockingQueue<String> strayRequests = new LinkedBlockingQueue<>();
  private final BlockingQueue<byte[]> fullyRead = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws IOException {
    group = new NioEventLoopGroup(1);
    streams = new SipStreams(group, settings(), new RecordingResponses());
    peer = new RawPeer();
  }

  @AfterEach
  void stop() throws Exception {
    streams.close();
    peer.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private static SipStreams.Settings settings() {
    return new SipStreams.Settings(
        InetAddress.getLoopbackAddress(),
        Optional.empty(),
        List.of("TLSv1.3"),
        TIMER_F,
        4096,
        Duration.ofMinutes(1),
        Duration.ofSeconds(5));
  }

  private CompletableFuture<SipResponseInfo> send(String branch) {
    return send(branch, "MESSAGE");
  }

  private CompletableFuture<SipResponseInfo> send(String branch, String method) {
    return streams.send(peer.address(), false, branch, method, request(branch, method));
  }

  private static byte[] request(String branch, String method) {
    return (method
            + " sip:bob@example.org SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch="
            + branch
            + "\r\nCall-ID: call-"
            + branch
            + "\r\nCSeq: 1 "
            + method
            + "\r\nContent-Length: 2\r\n\r\nhi")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String response(int status, String reason, String branch, String method) {
    return "SIP/2.0 "
        + status
        + " "
        + reason
        + "\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch="
        + branch
        + "\r\nCall-ID: call-"
        + branch
        + "\r\nCSeq: 1 "
        + method
        + "\r\nContent-Length: 0\r\n\r\n";
  }

  @Test
  void responsesAreMatchedToTheirRequestsByBranchInWhateverOrderTheyCome_rfc3261section17_1_3()
      throws Exception {
    CompletableFuture<SipResponseInfo> first = send("z9hG4bK-1");
    CompletableFuture<SipResponseInfo> second = send("z9hG4bK-2");
    CompletableFuture<SipResponseInfo> third = send("z9hG4bK-3");
    Socket connection = peer.accept();
    List<String> received = peer.read(connection, 3);

    peer.write(
        connection,
        response(404, "Not Found", "z9hG4bK-3", "MESSAGE")
            + response(202, "Accepted", "z9hG4bK-2", "MESSAGE")
            + response(200, "OK", "z9hG4bK-1", "MESSAGE"));

    assertThat(received).allSatisfy(r -> assertThat(r).endsWith("\r\n\r\nhi"));
    assertThat(received.get(0)).contains("branch=z9hG4bK-1");
    assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(second.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
    SipResponseInfo notFound = third.get(5, TimeUnit.SECONDS);
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.callId()).isEqualTo("call-z9hG4bK-3");
    assertThat(fullyRead).as("only the failure is read in full").hasSize(1);
    assertThat(streams.connections()).isEqualTo(1);
  }

  @Test
  void aProvisionalResponseLeavesTheRequestWaitingForItsFinalOne() throws Exception {
    CompletableFuture<SipResponseInfo> sent = send("z9hG4bK-p");
    Socket connection = peer.accept();
    peer.read(connection, 1);

    peer.write(connection, response(100, "Trying", "z9hG4bK-p", "MESSAGE"));
    Thread.sleep(50);
    assertThat(sent).isNotDone();
    peer.write(connection, response(200, "OK", "z9hG4bK-p", "MESSAGE"));

    assertThat(sent.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aResponseNamingAnotherMethodDoesNotEndTheTransaction_rfc3261section17_1_3()
      throws Exception {
    CompletableFuture<SipResponseInfo> sent = send("z9hG4bK-m");
    Socket connection = peer.accept();
    peer.read(connection, 1);

    peer.write(connection, response(200, "OK", "z9hG4bK-m", "OPTIONS"));

    assertThat(failure(sent).reason()).isEqualTo(SipSendException.Reason.TIMEOUT);
  }

  @Test
  void anUnansweredRequestFailsAfterTimerFAndTheConnectionStaysUsable_rfc3261section17_1_2_2()
      throws Exception {
    long start = System.nanoTime();
    CompletableFuture<SipResponseInfo> unanswered = send("z9hG4bK-t");
    Socket connection = peer.accept();
    peer.read(connection, 1);

    SipSendException e = failure(unanswered);

    assertThat(e.reason()).isEqualTo(SipSendException.Reason.TIMEOUT);
    assertThat(e).hasMessageContaining("Timer F");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMER_F);
    CompletableFuture<SipResponseInfo> next = send("z9hG4bK-n");
    peer.read(connection, 1);
    peer.write(connection, response(200, "OK", "z9hG4bK-n", "MESSAGE"));
    assertThat(next.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void aRequestSentWhenOthersTimeOutLeavesTheirTimerFIntact() throws Exception {
    CompletableFuture<SipResponseInfo> resent = new CompletableFuture<>();
    send("z9hG4bK-first")
        .whenComplete(
            (response, failure) ->
                send("z9hG4bK-again")
                    .whenComplete(
                        (again, failed) -> {
                          if (failed != null) {
                            resent.completeExceptionally(failed);
                          } else {
                            resent.complete(again);
                          }
                        }));
    CompletableFuture<SipResponseInfo> second = send("z9hG4bK-second");
    Socket connection = peer.accept();
    peer.read(connection, 2);

    assertThat(peer.read(connection, 1).get(0))
        .as("sent from the first one's Timer F, on the same connection")
        .contains("branch=z9hG4bK-again");
    assertThat(failure(second).reason()).isEqualTo(SipSendException.Reason.TIMEOUT);
    assertThat(failure(resent).reason()).isEqualTo(SipSendException.Reason.TIMEOUT);
  }

  @Test
  void aRefusedConnectionFailsAsATransportError_rfc3261section8_1_3_1() throws Exception {
    InetSocketAddress closed = peer.address();
    peer.close();

    SipSendException e =
        failure(streams.send(closed, false, "z9hG4bK-r", "MESSAGE", request("r", "MESSAGE")));

    assertThat(e.reason()).isEqualTo(SipSendException.Reason.TRANSPORT);
    assertThat(e).hasMessageContaining("cannot connect to");
  }

  @Test
  void aConnectionThePeerClosesFailsWhatWaitsAndTheNextRequestOpensAnother() throws Exception {
    CompletableFuture<SipResponseInfo> waiting = send("z9hG4bK-c1");
    Socket first = peer.accept();
    peer.read(first, 1);

    first.close();

    assertThat(failure(waiting).reason()).isEqualTo(SipSendException.Reason.TRANSPORT);
    CompletableFuture<SipResponseInfo> next = send("z9hG4bK-c2");
    Socket second = peer.accept();
    peer.read(second, 1);
    peer.write(second, response(200, "OK", "z9hG4bK-c2", "MESSAGE"));
    assertThat(next.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void anUnframeableResponseBreaksTheConnectionAndFailsWhatWaits() throws Exception {
    CompletableFuture<SipResponseInfo> waiting = send("z9hG4bK-u");
    Socket connection = peer.accept();
    peer.read(connection, 1);

    peer.write(connection, "SIP/2.0 2x0 OK\r\nContent-Length: 0\r\n\r\n");

    assertThat(failure(waiting).reason()).isEqualTo(SipSendException.Reason.TRANSPORT);
    assertThat(connection.getInputStream().read()).as("closed by the gateway").isEqualTo(-1);
  }

  @Test
  void closingFailsWhatWaitsAsClosedAndRefusesWhatFollows() throws Exception {
    CompletableFuture<SipResponseInfo> waiting = send("z9hG4bK-x");
    Socket connection = peer.accept();
    peer.read(connection, 1);

    streams.close();

    assertThat(failure(waiting).reason()).isEqualTo(SipSendException.Reason.CLOSED);
    assertThat(failure(send("z9hG4bK-y")).reason()).isEqualTo(SipSendException.Reason.CLOSED);
  }

  @Test
  void aKeepAlivePingIsAnsweredWithAPong_rfc5626section4_4_1() throws Exception {
    send("z9hG4bK-k");
    Socket connection = peer.accept();
    peer.read(connection, 1);

    peer.write(connection, "\r\n\r\n");

    InputStream in = connection.getInputStream();
    assertThat(new byte[] {(byte) in.read(), (byte) in.read()})
        .isEqualTo("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void aRequestFromThePeerIsHandedOverAndItsAnswerWritten() throws Exception {
    send("z9hG4bK-o");
    Socket connection = peer.accept();
    peer.read(connection, 1);

    peer.write(connection, new String(request("z9hG4bK-in", "OPTIONS"), StandardCharsets.UTF_8));

    assertThat(strayRequests.poll(5, TimeUnit.SECONDS)).startsWith("OPTIONS sip:bob@example.org");
    assertThat(peer.read(connection, 1).get(0)).startsWith("SIP/2.0 503 ");
  }

  @Test
  void tlsWithoutATlsContextFailsWithoutConnecting() throws Exception {
    SipSendException e =
        failure(streams.send(peer.address(), true, "z9hG4bK-s", "MESSAGE", request("s", "x")));

    assertThat(e.reason()).isEqualTo(SipSendException.Reason.TRANSPORT);
    assertThat(streams.connections()).isZero();
  }

  private static SipSendException failure(CompletableFuture<SipResponseInfo> response)
      throws Exception {
    try {
      response.get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (SipSendException) e.getCause();
    }
    throw new AssertionError("expected a failure, got " + response.get());
  }

  private final class RecordingResponses implements SipStreams.Responses {
    @Override
    public SipResponseInfo read(SipHead head, byte[] bytes) {
      if (bytes != null) {
        fullyRead.add(bytes);
      }
      return new SipResponseInfo(
          head.status(), head.reason(), head.callId().orElse(""), List.of(), Optional.empty());
    }

    @Override
    public byte[] answerRequest(String connection, byte[] request) {
      strayRequests.add(new String(request, StandardCharsets.UTF_8));
      return "SIP/2.0 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);
    }
  }

  /** A TCP peer that reads SIP messages by their Content-Length and writes what it is told. */
  private static final class RawPeer implements AutoCloseable {
    private final ServerSocket server;
    private final Map<Socket, InputStream> inputs = new HashMap<>();

    RawPeer() throws IOException {
      server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
      server.setSoTimeout(5000);
    }

    InetSocketAddress address() {
      return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    Socket accept() throws IOException {
      Socket socket = server.accept();
      socket.setSoTimeout(5000);
      return socket;
    }

    List<String> read(Socket socket, int count) throws IOException {
      InputStream in = inputs.get(socket);
      if (in == null) {
        in = new BufferedInputStream(socket.getInputStream());
        inputs.put(socket, in);
      }
      String[] out = new String[count];
      for (int i = 0; i < count; i++) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
          int b = in.read();
          if (b < 0) {
            throw new IOException("closed");
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
        out[i] = text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
      }
      return List.of(out);
    }

    void write(Socket socket, String text) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
