package org.passerelle.testpeers.sip;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.TooManyListenersException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.PeerUnavailableException;
import javax.sip.SipException;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TransportNotSupportedException;
import org.passerelle.testpeers.SipTransport;

/**
 * One JAIN-SIP stack with one provider listening on one address and port over UDP and TCP. The same
 * port for both because a server switches a large request for a UDP contact to TCP on the same port
 * (RFC 3261 §18.1.1).
 */
final class JainSipStack implements AutoCloseable {

  /**
   * JAIN-SIP logs each stack under its name: they are all named under this, so that a logging
   * configuration can quieten them (their TLS notes at WARN are noise here).
   */
  static final String LOGGER_PREFIX = "org.passerelle.testpeers.sip.stack.";

  /** How long {@link #close()} waits for the sockets to close. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

  /** Tries at finding a port free for both UDP and TCP when none is given. */
  private static final int PORT_TRIES = 10;

  private static final AtomicInteger STACKS = new AtomicInteger();

  final SipProvider provider;
  private final SipStack stack;
  private final InetSocketAddress local;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JainSipStack(SipStack stack, SipProvider provider, InetSocketAddress local) {
    this.stack = stack;
    this.provider = provider;
    this.local = local;
  }

  /**
   * Starts a stack bound to {@code address} and {@code port} (0: a free port) over UDP and TCP,
   * passing every event to {@code listener}.
   */
  static JainSipStack start(String name, InetAddress address, int port, SipListener listener) {
    SipFactory factory = SipFactory.getInstance();
    factory.setPathName("gov.nist");
    SipStack stack;
    try {
      stack =
          factory.createSipStack(
              properties(LOGGER_PREFIX + name.replace('.', '_') + "-" + STACKS.incrementAndGet()));
    } catch (PeerUnavailableException e) {
      throw new IllegalStateException("no JAIN-SIP implementation", e);
    }
    try {
      SipProvider provider = bind(stack, address, port);
      provider.addSipListener(listener);
      stack.start();
      int bound = provider.getListeningPoint(SipTransport.UDP.token()).getPort();
      return new JainSipStack(stack, provider, new InetSocketAddress(address, bound));
    } catch (TooManyListenersException | SipException e) {
      stack.stop();
      throw new IllegalStateException("cannot start a SIP stack on " + address, e);
    } catch (RuntimeException e) {
      stack.stop();
      throw e;
    }
  }

  /** The address and port it listens on, for UDP and TCP. */
  InetSocketAddress local() {
    return local;
  }

  ListeningPoint listeningPoint(SipTransport transport) {
    return provider.getListeningPoint(transport.token());
  }

  /**
   * Stops the stack; returns once its sockets are closed.
   *
   * <p>COMPAT: JAIN-SIP RI 1.3: {@code stop()} sleeps a second after closing its sockets, so it
   * runs on a thread of its own. It also leaves its parked EventScanner thread behind (a non-daemon
   * thread that nothing wakes); harmless in a forked test JVM, which ends with System.exit.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Thread stopper = new Thread(stack::stop, "jain-sip-stop-" + stack.getStackName());
    stopper.setDaemon(true);
    stopper.start();
    Instant deadline = Instant.now().plus(CLOSE_TIMEOUT);
    while (tcpAccepts(local) || !udpFree(local)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the SIP stack still listens on " + local);
      }
      pause();
    }
  }

  private static Properties properties(String stackName) {
    Properties properties = new Properties();
    properties.setProperty("javax.sip.STACK_NAME", stackName);
    // Dialogs only where we ask for them (subscriptions), none for MESSAGE.
    properties.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    // Our listener is thread-safe: events come straight from the stack's threads.
    properties.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    // A NOTIFY may come before the 200 to its SUBSCRIBE (RFC 6665 §4.1.2.4).
    properties.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
    // Message bodies are user content: never in the logs.
    properties.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
    return properties;
  }

  private static SipProvider bind(SipStack stack, InetAddress address, int port)
      throws SipException {
    if (port != 0) {
      return bindExactly(stack, address, port);
    }
    SipException last = null;
    for (int attempt = 0; attempt < PORT_TRIES; attempt++) {
      int candidate = freePort(address);
      try {
        return bindExactly(stack, address, candidate);
      } catch (SipException e) {
        // Someone took it between our probe and the bind: try another.
        last = e;
      }
    }
    throw new SipException(
        "no port free for both UDP and TCP on " + address + " in " + PORT_TRIES + " tries", last);
  }

  private static SipProvider bindExactly(SipStack stack, InetAddress address, int port)
      throws SipException {
    String host = address.getHostAddress();
    ListeningPoint udp = null;
    ListeningPoint tcp = null;
    try {
      udp = stack.createListeningPoint(host, port, SipTransport.UDP.token());
      tcp = stack.createListeningPoint(host, port, SipTransport.TCP.token());
      SipProvider provider = stack.createSipProvider(udp);
      provider.addListeningPoint(tcp);
      return provider;
    } catch (TransportNotSupportedException | InvalidArgumentException | ObjectInUseException e) {
      deleteQuietly(stack, tcp);
      deleteQuietly(stack, udp);
      throw new SipException("cannot listen on " + host + ":" + port, e);
    }
  }

  private static void deleteQuietly(SipStack stack, ListeningPoint point) {
    if (point == null) {
      return;
    }
    try {
      stack.deleteListeningPoint(point);
    } catch (ObjectInUseException e) {
      // a provider holds it; the stack's stop() closes it
    }
  }

  /** A port that is free for TCP on {@code address} and, at the time of asking, for UDP. */
  private static int freePort(InetAddress address) {
    for (int attempt = 0; attempt < PORT_TRIES; attempt++) {
      int port;
      try (ServerSocket probe = new ServerSocket(0, 1, address)) {
        port = probe.getLocalPort();
      } catch (IOException e) {
        throw new IllegalStateException("cannot listen on " + address, e);
      }
      if (udpFree(new InetSocketAddress(address, port))) {
        return port;
      }
    }
    throw new IllegalStateException("no port free for both UDP and TCP on " + address);
  }

  private static boolean tcpAccepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, (int) POLL_INTERVAL.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing a SIP stack", e);
    }
  }

  private static boolean udpFree(InetSocketAddress address) {
    DatagramSocket probe;
    try {
      probe = new DatagramSocket(address);
    } catch (IOException e) {
      return false;
    }
    probe.close();
    return true;
  }
}
