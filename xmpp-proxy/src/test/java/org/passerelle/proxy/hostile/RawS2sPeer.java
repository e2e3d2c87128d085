package org.passerelle.proxy.hostile;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.passerelle.testpeers.IssuedCertificate;

/**
 * A remote "server" written by hand on a blocking socket: it sends exactly the bytes a test gives
 * it, from a source address of the test's choosing, and reads what the proxy answers. It speaks
 * just enough XMPP to get where an attack needs to be: a stream header, STARTTLS (with or without a
 * client certificate), SASL EXTERNAL.
 */
final class RawS2sPeer implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);

  private final Socket plain;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private int mark;
  private boolean closedByPeer;

  private RawS2sPeer(Socket socket) throws IOException {
    this.plain = socket;
    use(socket);
  }

  /** Connects from {@code source} (a loopback address) to {@code target}. */
  static RawS2sPeer connect(String source, InetSocketAddress target) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(source, 0));
    socket.connect(target, 5_000);
    socket.setTcpNoDelay(true);
    return new RawS2sPeer(socket);
  }

  /** An initial stream header (RFC 6120 §4.7) with the dialback prefix. */
  static String header(String from, String to) {
    return "<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
        + " xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback'"
        + " from='"
        + from
        + "' to='"
        + to
        + "' version='1.0'>";
  }

  void send(String xml) throws IOException {
    send(xml.getBytes(UTF_8));
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Sends if the connection still takes it: the proxy may already have refused and closed it.
   *
   * @return whether the bytes were written
   */
  boolean trySend(String xml) {
    try {
      send(xml);
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /**
   * Waits until {@code needle} arrives after what earlier calls consumed; returns the text up to
   * and including it.
   *
   * @throws AssertionError with everything received, if it does not come in time
   */
  String expect(String needle) throws IOException {
    return expectAny(needle);
  }

  /** Like {@link #expect}, for whichever of {@code needles} comes first. */
  String expectAny(String... needles) throws IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      String text = text();
      int first = -1;
      int end = -1;
      for (String needle : needles) {
        int at = text.indexOf(needle, mark);
        if (at >= 0 && (first < 0 || at < first)) {
          first = at;
          end = at + needle.length();
        }
      }
      if (first >= 0) {
        String seen = text.substring(mark, end);
        mark = end;
        return seen;
      }
      if (closedByPeer || System.nanoTime() > deadline) {
        throw new AssertionError(
            "expected one of "
                + java.util.Arrays.toString(needles)
                + " from the proxy, got: "
                + text.substring(mark));
      }
      readSome(100);
    }
  }

  /** Waits until the proxy closes the connection; returns everything not yet consumed. */
  String expectClosed() throws IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!closedByPeer) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the proxy kept the connection open; got: " + text());
      }
      readSome(100);
    }
    String rest = text().substring(mark);
    mark = text().length();
    return rest;
  }

  /**
   * Sends {@code bytes} one at a time, each after waiting {@code interval} for the proxy to say
   * something; stops as soon as it does or the connection breaks.
   *
   * @return how many bytes were sent
   */
  int trickle(byte[] bytes, Duration interval) throws IOException {
    for (int i = 0; i < bytes.length; i++) {
      if (readSome((int) interval.toMillis()) != 0) {
        return i;
      }
      try {
        send(new byte[] {bytes[i]});
      } catch (IOException broken) {
        return i;
      }
    }
    return bytes.length;
  }

  /** Header, features, STARTTLS and the TLS handshake, then the header again on the new stream. */
  void openSecuredStream(String from, String to, IssuedCertificate clientCertificate)
      throws IOException {
    send(header(from, to));
    expect("</stream:features>");
    send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    expect("<proceed");
    startTls(clientCertificate);
    send(header(from, to));
    expect("</stream:features>");
  }

  /**
   * Authenticates as the domain of {@code certificate} with SASL EXTERNAL (XEP-0178) and opens the
   * stream on which stanzas may flow.
   */
  void authenticate(IssuedCertificate certificate, String to) throws IOException {
    openSecuredStream(certificate.domain(), to, certificate);
    send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>");
    expect("<success");
    send(header(certificate.domain(), to));
    expect("</stream:features>");
  }

  /** Everything received so far, as text. */
  String text() {
    return received.toString(UTF_8);
  }

  @Override
  public void close() {
    try {
      socket.close();
      plain.close();
    } catch (IOException e) {
      // Closed either way.
    }
  }

  private void startTls(IssuedCertificate clientCertificate) throws IOException {
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keyManagers(clientCertificate), new TrustManager[] {new TrustingManager()}, null);
      SSLSocket secured =
          (SSLSocket) tls.getSocketFactory().createSocket(plain, "proxy", plain.getPort(), false);
      secured.setUseClientMode(true);
      secured.startHandshake();
      received.reset();
      mark = 0;
      use(secured);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS", e);
    }
  }

  private static KeyManager[] keyManagers(IssuedCertificate certificate)
      throws IOException, GeneralSecurityException {
    if (certificate == null) {
      return null;
    }
    KeyStore store = certificate.keyStore();
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, certificate.pkcs12Password().toCharArray());
    return factory.getKeyManagers();
  }

  private void use(Socket next) throws IOException {
    socket = next;
    in = next.getInputStream();
    out = next.getOutputStream();
  }

  /** Reads what arrives within {@code millis}; returns how many bytes that was (-1 at the end). */
  private int readSome(int millis) throws IOException {
    if (closedByPeer) {
      return -1;
    }
    socket.setSoTimeout(Math.max(1, millis));
    byte[] buffer = new byte[8192];
    try {
      int n = in.read(buffer);
      if (n < 0) {
        closedByPeer = true;
        return -1;
      }
      received.write(buffer, 0, n);
      return n;
    } catch (SocketTimeoutException e) {
      return 0;
    } catch (IOException reset) {
      closedByPeer = true;
      return -1;
    }
  }

  /** The proxy's certificate is not what these tests are about. */
  private static final class TrustingManager implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
