package org.passerelle.gateway.sip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A SIP peer written by hand on one TCP connection, the stream twin of {@link RawSip}: what it
 * writes goes out byte for byte, and what comes back is framed by its Content-Length.
 */
final class RawSipStream implements AutoCloseable {

  private static final int TIMEOUT_MS = 5000;

  private final Socket socket;
  private final InputStream in;

  /** Connects from {@code from} (any port) to {@code to}. */
  RawSipStream(InetAddress from, InetSocketAddress to) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(to, TIMEOUT_MS);
    socket.setSoTimeout(TIMEOUT_MS);
    in = socket.getInputStream();
  }

  /** {@code host:port} of this end of the connection. */
  String hostPort() {
    return socket.getLocalAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  void send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /**
   * The next message on the connection.
   *
   * @throws SocketTimeoutException if none comes in time
   * @throws IOException if the connection closes first
   */
  RawSip.Received receive() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!endsWithBlankLine(head)) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed");
      }
      if (head.size() == 0 && (b == '\r' || b == '\n')) {
        continue; // a pong or a keep-alive between messages
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.UTF_8);
    int length = contentLength(text);
    byte[] body = in.readNBytes(length);
    return new RawSip.Received(
        text + new String(body, StandardCharsets.UTF_8), socket.getPort(), socket.getInetAddress());
  }

  /** The next message within {@code millis}, if one comes. */
  Optional<RawSip.Received> receiveWithin(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      return Optional.of(receive());
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    } finally {
      socket.setSoTimeout(TIMEOUT_MS);
    }
  }

  /** The next {@code n} bytes as they come, e.g. a pong. */
  String receiveBytes(int n) throws IOException {
    return new String(in.readNBytes(n), StandardCharsets.US_ASCII);
  }

  /** Whether the other end closed the connection within the read timeout. */
  boolean closedByPeer() throws IOException {
    try {
      return in.read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
    byte[] b = head.toByteArray();
    int n = b.length;
    return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        if (name.equals("content-length") || name.equals("l")) {
          return Integer.parseInt(line.substring(colon + 1).trim());
        }
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
