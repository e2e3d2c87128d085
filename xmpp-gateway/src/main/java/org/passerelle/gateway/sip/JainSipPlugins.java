package org.passerelle.gateway.sip;

import gov.nist.core.StackLogger;
import gov.nist.core.net.NetworkLayer;
import gov.nist.core.net.SecurityManagerProvider;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPMessage;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.security.GeneralSecurityException;
import java.util.Collections;
import java.util.ListIterator;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classes that JAIN-SIP instantiates by name from stack properties ({@link StackProperties}). They
 * are public nested classes of a package-private class: public so that JAIN-SIP's reflection can
 * call their constructors, unreachable from code outside this package.
 */
final class JainSipPlugins {

  private JainSipPlugins() {}

  /**
   * Sends JAIN-SIP's logging to SLF4J under {@code gov.nist.javax.sip} ({@code
   * gov.nist.javax.sip.STACK_LOGGER}).
   *
   * <p>JAIN-SIP's warnings and errors are passed on. Everything below is only enabled when the
   * stack property {@link StackProperties#LOG_USER_CONTENT} is on and DEBUG is enabled for the
   * logger: JAIN-SIP's debug and message trace output prints whole messages, bodies included,
   * whatever {@code LOG_MESSAGE_CONTENT} says. Its "info" lines (16, which is also its message
   * trace level) are lifecycle chatter and go to DEBUG.
   *
   * <p>Its warnings and errors can carry whole packets too (a request it cannot parse is logged as
   * its bytes, tens of kilobytes on one line): without the content switch, one longer than {@value
   * #LONG} characters or of several lines is cut before its first {@code [} or line break, or at
   * {@value #SHORT} characters, so that neither content nor a flood of malformed requests reaches
   * the logs.
   *
   * <p>JAIN-SIP keeps the last stack's logger in a static field for its classes' own loggers: with
   * several endpoints in one JVM, the last one's content switch applies to those.
   */
  public static final class Slf4jStackLogger implements StackLogger {

    private static final Logger log = LoggerFactory.getLogger("gov.nist.javax.sip");

    /** Longer than this, a warning or error may quote a message. */
    static final int LONG = 200;

    /** Room for JAIN-SIP's own words before it starts quoting a message. */
    static final int SHORT = 120;

    private volatile boolean userContent;

    public Slf4jStackLogger() {}

    @Override
    public void setStackProperties(Properties properties) {
      userContent = Boolean.parseBoolean(properties.getProperty(StackProperties.LOG_USER_CONTENT));
    }

    private boolean detailed() {
      return userContent && log.isDebugEnabled();
    }

    @Override
    public boolean isLoggingEnabled() {
      return detailed();
    }

    @Override
    public boolean isLoggingEnabled(int level) {
      if (level <= TRACE_ERROR) {
        return log.isErrorEnabled();
      }
      if (level <= TRACE_WARN) {
        return log.isWarnEnabled();
      }
      return level >= TRACE_TRACE ? userContent && log.isTraceEnabled() : detailed();
    }

    @Override
    public void logDebug(String message) {
      if (detailed()) {
        log.debug(message);
      }
    }

    @Override
    public void logDebug(String message, Exception e) {
      if (detailed()) {
        log.debug(message, e);
      }
    }

    @Override
    public void logTrace(String message) {
      if (userContent) {
        log.trace(message);
      }
    }

    @Override
    public void logInfo(String message) {
      logDebug(message);
    }

    @Override
    public void logStackTrace() {
      logStackTrace(TRACE_DEBUG);
    }

    @Override
    public void logStackTrace(int level) {
      if (detailed()) {
        log.debug("stack trace", new Exception("stack trace"));
      }
    }

    /** JAIN-SIP reports expected events this way too (e.g. a peer closing a connection). */
    @Override
    public void logException(Throwable t) {
      if (detailed()) {
        log.debug("JAIN-SIP exception", t);
      }
    }

    @Override
    public void logWarning(String message) {
      log.warn(shortened(message));
    }

    @Override
    public void logError(String message) {
      log.error(shortened(message));
    }

    @Override
    public void logError(String message, Exception e) {
      log.error(shortened(message), e);
    }

    @Override
    public void logFatalError(String message) {
      log.error(shortened(message));
    }

    private String shortened(String message) {
      if (userContent
          || message == null
          || (message.length() <= LONG && message.indexOf('\n') < 0 && message.indexOf('\r') < 0)) {
        return message;
      }
      int end = Math.min(message.length(), SHORT);
      for (int i = 0; i < end; i++) {
        char c = message.charAt(i);
        if (c == '\n' || c == '\r' || c == '[') {
          end = i;
          break;
        }
      }
      if (end == message.length()) {
        return message;
      }
      return message.substring(0, end)
          + " [… "
          + (message.length() - end)
          + " characters that may quote a message, shown with sip.log-user-content]";
    }

    @Override
    public int getLineCount() {
      return 0;
    }

    @Override
    public void disableLogging() {}

    @Override
    public void enableLogging() {}

    @Override
    public void setBuildTimeStamp(String timeStamp) {}

    @Override
    public String getLoggerName() {
      return log.getName();
    }
  }

  /**
   * Sockets for JAIN-SIP's transports ({@code gov.nist.javax.sip.NETWORK_LAYER}), with TLS from the
   * files named by our {@code org.passerelle.sip.tls.*} stack properties: per stack, no {@code
   * javax.net.ssl.*} system property read or set. Outgoing connections time out after {@link
   * #CONNECT_TIMEOUT_MS}.
   */
  public static final class SocketLayer implements NetworkLayer {

    /**
     * Well inside Timer F (32 s), so that an unreachable host fails as a transport error; the
     * MESSAGE streams ({@code SipStreams}) use the same.
     */
    static final int CONNECT_TIMEOUT_MS = 5000;

    /** Room for a few thousand requests between two reads of the UDP listening socket. */
    static final int UDP_RECEIVE_BUFFER_BYTES = 4 << 20;

    private volatile SSLContext tls;
    private volatile String[] protocols;

    /**
     * Plain TCP sockets this stack opened or accepted. COMPAT: JAIN-SIP 1.3: stopping the stack
     * closes only the connections it still has in its tables, and it keeps one per peer address:
     * when the peer also connected to us, one of the two is forgotten, stays open, and its reader
     * keeps handing requests to the stopped stack. {@link #closeAll()} closes what is left.
     */
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    public SocketLayer() {}

    /** Closes every TCP connection still open; called once the stack has stopped. */
    void closeAll() {
      for (Socket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
      sockets.clear();
    }

    private Socket track(Socket socket) {
      sockets.removeIf(Socket::isClosed);
      sockets.add(socket);
      return socket;
    }

    /** Loads the TLS material, if any; a failure here fails the stack's construction. */
    @Override
    public void setSipStack(SipStackImpl stack) {
      Optional<SipTlsSettings> settings =
          StackProperties.tlsSettings(stack.getConfigurationProperties());
      if (settings.isEmpty()) {
        return;
      }
      try {
        TlsManagers managers = TlsManagers.load(settings.get());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.keyManagers(), managers.trustManagers(), null);
        this.protocols = StackProperties.TLS_PROTOCOLS.split(",");
        this.tls = context;
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException("cannot load TLS material: " + e.getMessage(), e);
      }
    }

    /** The TLS context loaded for this stack, if TLS is configured. */
    Optional<SSLContext> tlsContext() {
      return Optional.ofNullable(tls);
    }

    private SSLContext tls() throws IOException {
      SSLContext context = tls;
      if (context == null) {
        throw new IOException("TLS is not configured");
      }
      return context;
    }

    /**
     * The TCP and TLS ports the stack is given belong to the endpoint's own listener (decision 17):
     * JAIN-SIP's sockets listen on a port of the system's choosing that nobody is told, so requests
     * come to it only on the connections it opened itself.
     */
    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress)
        throws IOException {
      return new ServerSocket(0, backlog, bindAddress) {
        @Override
        public Socket accept() throws IOException {
          return track(super.accept());
        }
      };
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress)
        throws IOException {
      SSLServerSocket socket =
          (SSLServerSocket)
              tls().getServerSocketFactory().createServerSocket(0, backlog, bindAddress);
      socket.setEnabledProtocols(protocols);
      return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
      return track(connect(new Socket(), null, address, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress)
        throws IOException {
      return track(connect(new Socket(), myAddress, address, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress myAddress, int myPort)
        throws IOException {
      return track(connect(new Socket(), myAddress, address, port));
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
      return createSSLSocket(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress myAddress)
        throws IOException {
      SSLSocket socket = (SSLSocket) tls().getSocketFactory().createSocket();
      socket.setEnabledProtocols(protocols);
      return connect(socket, myAddress, address, port);
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
      return new DatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress bindAddress)
        throws SocketException {
      DatagramSocket socket = new DatagramSocket(port, bindAddress);
      // The default buffer (about 200 KiB, a few hundred small datagrams) overflows in a burst and
      // the kernel then drops everyone's requests alike; the kernel caps this at rmem_max.
      socket.setReceiveBufferSize(UDP_RECEIVE_BUFFER_BYTES);
      return socket;
    }

    /** Binds to our address (any port) so the peer sees the address we advertise. */
    private static <S extends Socket> S connect(
        S socket, InetAddress myAddress, InetAddress address, int port) throws IOException {
      try {
        if (myAddress != null) {
          socket.bind(new InetSocketAddress(myAddress, 0));
        }
        socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
        return socket;
      } catch (IOException e) {
        socket.close();
        throw e;
      }
    }
  }

  /**
   * A security manager provider that provides nothing ({@code
   * gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER}). Only JAIN-SIP's NIO transports, which we do not
   * use, take key material from it; JAIN-SIP's default one would warn at every start that no {@code
   * javax.net.ssl.keyStore} is set.
   */
  public static final class NoSecurityManagerProvider implements SecurityManagerProvider {

    public NoSecurityManagerProvider() {}

    @Override
    public void init(Properties properties) {}

    @Override
    public KeyManager[] getKeyManagers(boolean client) {
      return null;
    }

    @Override
    public TrustManager[] getTrustManagers(boolean client) {
      return null;
    }
  }

  /**
   * Sends each request to the next hop the endpoint chose for it ({@code javax.sip.ROUTER_PATH}):
   * {@link SipEndpoint} resolves the hop (RFC 3263) and attaches it to the request as NIST
   * application data before creating the client transaction.
   */
  public static final class NextHopRouter implements Router {

    public NextHopRouter(SipStack stack, String outboundProxy) {}

    /** Records the hop {@link #getNextHop} will return for {@code request}. */
    static void setNextHop(Request request, Hop hop) {
      ((SIPMessage) request).setApplicationData(hop);
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
      Object hop = ((SIPMessage) request).getApplicationData();
      if (!(hop instanceof Hop)) {
        throw new SipException("no next hop chosen for " + request.getMethod());
      }
      return (Hop) hop;
    }

    @Override
    @Deprecated
    public ListIterator<?> getNextHops(Request request) {
      return Collections.emptyListIterator();
    }

    @Override
    public Hop getOutboundProxy() {
      return null;
    }
  }
}
