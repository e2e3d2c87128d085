package org.passerelle.testpeers;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Asks a SIP server whether it serves: one OPTIONS over UDP without a user part (a keepalive),
 * which only a server that runs its routing script answers. Used as a readiness check: its
 * listening sockets exist before its workers do.
 */
final class SipOptionsProbe {

  private static final Duration ANSWER_TIMEOUT = Duration.ofMillis(250);

  private SipOptionsProbe() {}

  /** Whether {@code server} answers the OPTIONS with 200 within a quarter of a second. */
  static boolean answers(InetSocketAddress server) {
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      String callId = UUID.randomUUID().toString();
      byte[] request = options(server, socket.getLocalPort(), callId);
      socket.send(new DatagramPacket(request, request.length, server));
      Instant deadline = Instant.now().plus(ANSWER_TIMEOUT);
      byte[] buffer = new byte[4096];
      while (true) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
          return false;
        }
        socket.setSoTimeout((int) left);
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        String response =
            new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        if (response.contains(callId)) {
          return response.startsWith("SIP/2.0 200 ");
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] options(InetSocketAddress server, int localPort, String callId) {
    String target = server.getAddress().getHostAddress() + ":" + server.getPort();
    String local = InetAddress.getLoopbackAddress().getHostAddress() + ":" + localPort;
    return ("OPTIONS sip:"
            + target
            + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP "
            + local
            + ";branch=z9hG4bK-"
            + callId
            + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:probe@"
            + local
            + ">;tag=probe\r\n"
            + "To: <sip:"
            + target
            + ">\r\n"
            + "Call-ID: "
            + callId
            + "\r\n"
            + "CSeq: 1 OPTIONS\r\n"
            + "Content-Length: 0\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
