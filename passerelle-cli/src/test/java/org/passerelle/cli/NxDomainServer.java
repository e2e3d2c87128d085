package org.passerelle.cli;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A name server on loopback that knows no name: every question gets NXDOMAIN (RFC 1035 §4.1.1,
 * RCODE 3). Records the questions, as {@code "name TYPE"}.
 */
final class NxDomainServer implements AutoCloseable {
  private final DatagramSocket socket;
  private final List<String> questions = new CopyOnWriteArrayList<>();
  private final Thread thread;

  NxDomainServer(InetSocketAddress address) throws SocketException {
    socket = new DatagramSocket(address);
    thread = new Thread(this::serve, "nxdomain-server");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  List<String> questions() {
    return List.copyOf(questions);
  }

  private void serve() {
    byte[] buffer = new byte[4096];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        Message query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
        questions.add(
            query.getQuestion().getName() + " " + Type.string(query.getQuestion().getType()));
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
          reply.getHeader().setFlag(Flags.RD);
        }
        reply.getHeader().setRcode(Rcode.NXDOMAIN);
        reply.addRecord(query.getQuestion(), Section.QUESTION);
        byte[] wire = reply.toWire();
        socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
      } catch (IOException e) {
        // Closed, or a packet that is not DNS: nothing to answer.
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
