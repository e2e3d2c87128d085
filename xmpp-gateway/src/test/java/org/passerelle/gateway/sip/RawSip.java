package org.passerelle.gateway.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A SIP peer written by hand on a UDP socket, for what the endpoint's API does not show: the exact
 * headers we send, and how we answer requests we did not ask for.
 */
final class RawSip implements AutoCloseable {

  private static final int TIMEOUT_MS = 5000;

  private final DatagramSocket socket;
  private final InetAddress address;

  RawSip() throws IOException {
    this(FreePorts.LOOPBACK);
  }

  /** A peer on {@code address}, sending to endpoints on that address. */
  RawSip(InetAddress address) throws IOException {
    this.address = address;
    socket = new DatagramSocket(new InetSocketAddress(address, 0));
    socket.setSoTimeout(TIMEOUT_MS);
  }

  int port() {
    return socket.getLocalPort();
  }

  /** {@code host:port} of this peer. */
  String hostPort() {
    return address.getHostAddress() + ":" + port();
  }

  /** A request from us to {@code port}, with the Via, From, Call-ID and CSeq it needs. */
  static String request(
      String method, String requestUri, int fromPort, String extraHeaders, String body) {
    return method
        + " "
        + requestUri
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP 127.0.0.1:"
        + fromPort
        + ";branch=z9hG4bK-"
        + Long.toHexString(System.nanoTime())
        + "\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: <sip:peer@remote.example>;tag=raw1\r\n"
        + "To: <sip:gw@gw.example>\r\n"
        + "Call-ID: raw-"
        + Long.toHexString(System.nanoTime())
        + "\r\n"
        + "CSeq: 1 "
        + method
        + "\r\n"
        + extraHeaders
        + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  void send(String message, int port) throws IOException {
    send(message.getBytes(StandardCharsets.UTF_8), port);
  }

  void send(byte[] bytes, int port) throws IOException {
    send(bytes, new InetSocketAddress(address, port));
  }

  void send(String message, InetSocketAddress to) throws IOException {
    send(message.getBytes(StandardCharsets.UTF_8), to);
  }

  void send(byte[] bytes, InetSocketAddress to) throws IOException {
    socket.send(new DatagramPacket(bytes, bytes.length, to));
  }

  /** The next datagram, as text. */
  Received receive() throws IOException {
    byte[] buffer = new byte[65535];
    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
    socket.receive(packet);
    return new Received(
        new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8),
        packet.getPort(),
        packet.getAddress());
  }

  /**
   * The next datagram that matches, skipping others (e.g. retransmissions with a short T1).
   *
   * @throws java.net.SocketTimeoutException if none comes in time
   */
  Received receive(java.util.function.Predicate<Received> match) throws IOException {
    long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
    while (System.nanoTime() < deadline) {
      Received r = receive();
      if (match.test(r)) {
        return r;
      }
    }
    throw new SocketTimeoutException("nothing matching within " + TIMEOUT_MS + " ms");
  }

  /** The next datagram within {@code millis}, if one comes. */
  Optional<Received> receiveWithin(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      return Optional.of(receive());
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    } finally {
      socket.setSoTimeout(TIMEOUT_MS);
    }
  }

  /** The next datagram that matches within {@code millis}, skipping others, if one comes. */
  Optional<Received> receiveWithin(int millis, java.util.function.Predicate<Received> match)
      throws IOException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    for (long left = millis; left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
      Optional<Received> r = receiveWithin((int) Math.max(1, left));
      if (r.isEmpty()) {
        return r;
      }
      if (match.test(r.get())) {
        return r;
      }
    }
    return Optional.empty();
  }

  /** Answers a received request with a bodiless response that copies its transaction headers. */
  void answer(Received request, int status, String reason) throws IOException {
    answer(request, status, reason, "");
  }

  /** Like {@link #answer(Received, int, String)}, with more header lines (each ending CRLF). */
  void answer(Received request, int status, String reason, String extraHeaders) throws IOException {
    StringBuilder response = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
    for (String name : List.of("Via", "From", "To", "Call-ID", "CSeq")) {
      for (String value : request.headers(name)) {
        response.append(name).append(": ").append(value);
        if (name.equals("To") && !value.contains("tag=")) {
          response.append(";tag=raw2");
        }
        response.append("\r\n");
      }
    }
    response.append(extraHeaders).append("Content-Length: 0\r\n\r\n");
    send(response.toString(), new InetSocketAddress(request.sourceAddress(), request.sourcePort()));
  }

  @Override
  public void close() {
    socket.close();
  }

  /** One datagram: a request or a response. */
  record Received(String text, int sourcePort, InetAddress sourceAddress) {

    boolean isResponse() {
      return text.startsWith("SIP/2.0 ");
    }

    /** The CSeq method, e.g. {@code NOTIFY}. */
    String cseqMethod() {
      String cseq = headers("CSeq").get(0);
      return cseq.substring(cseq.indexOf(' ') + 1).trim();
    }

    /**
     * The value of parameter {@code name} (e.g. {@code tag}) of the first header {@code header}.
     */
    String param(String header, String name) {
      for (String part : headers(header).get(0).split(";")) {
        String p = part.trim();
        if (p.regionMatches(true, 0, name + "=", 0, name.length() + 1)) {
          return p.substring(name.length() + 1);
        }
      }
      return null;
    }

    String startLine() {
      return text.substring(0, text.indexOf("\r\n"));
    }

    /** The values of a header, by full name, in order (no compact forms, no folding). */
    List<String> headers(String name) {
      List<String> values = new ArrayList<>();
      String head = text.substring(0, text.indexOf("\r\n\r\n"));
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          values.add(line.substring(colon + 1).trim());
        }
      }
      return values;
    }

    String body() {
      return text.substring(text.indexOf("\r\n\r\n") + 4);
    }
  }
}
