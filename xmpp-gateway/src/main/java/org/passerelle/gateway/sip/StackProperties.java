package org.passerelle.gateway.sip;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JAIN-SIP stack properties for a {@link SipSettings}: every property we set, in one place,
 * with the reason for each value.
 *
 * <p>COMPAT: JAIN-SIP: a system property of the same name overrides a stack property ({@code
 * MergedSystemProperties}), so {@code -Dgov.nist.javax.sip.*} or {@code -Djavax.net.ssl.*} on the
 * command line would change these stacks.
 */
final class StackProperties {

  /** Ours: whether message content may be logged, read by {@link JainSipPlugins}. */
  static final String LOG_USER_CONTENT = "org.passerelle.sip.LOG_USER_CONTENT";

  private static final String TLS_KEY_FORMAT = "org.passerelle.sip.tls.KEY_FORMAT";
  private static final String TLS_KEY_FILE = "org.passerelle.sip.tls.KEY_FILE";
  private static final String TLS_CERTIFICATE_FILE = "org.passerelle.sip.tls.CERTIFICATE_FILE";
  private static final String TLS_KEY_PASSWORD = "org.passerelle.sip.tls.KEY_PASSWORD";
  private static final String TLS_TRUST_FILE = "org.passerelle.sip.tls.TRUST_FILE";
  private static final String TLS_TRUST_PASSWORD = "org.passerelle.sip.tls.TRUST_PASSWORD";
  private static final String TLS_CLIENT_AUTH = "org.passerelle.sip.tls.CLIENT_AUTH";

  /** RFC 8996 deprecates TLS 1.0 and 1.1; JAIN-SIP would offer them by default. */
  static final String TLS_PROTOCOLS = "TLSv1.3,TLSv1.2";

  /**
   * Room for headers on top of the largest body: Via and Record-Route sets added by proxies on the
   * way, with some slack.
   */
  static final int HEADER_ALLOWANCE_BYTES = 8 * 1024;

  /** JAIN-SIP's message processing threads; MESSAGE handlers should not block them long. */
  static final int THREAD_POOL_SIZE = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  private static final AtomicInteger STACK_COUNTER = new AtomicInteger();

  private StackProperties() {}

  static Properties of(SipSettings settings) {
    Properties p = new Properties();
    // JAIN-SIP keys stacks by name; a second stack with the same name would fail to start.
    p.setProperty(
        "javax.sip.STACK_NAME",
        "passerelle-sip-" + ProcessHandle.current().pid() + "-" + STACK_COUNTER.incrementAndGet());
    // MESSAGE is out of dialog (RFC 3428 §4); SUBSCRIBE dialogs will be managed explicitly.
    p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
    p.setProperty("javax.sip.ROUTER_PATH", JainSipPlugins.NextHopRouter.class.getName());
    // The default (unbounded) starts a thread per TCP connection.
    p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(THREAD_POOL_SIZE));
    // Our listener is thread-safe, so requests need not be delivered one at a time.
    p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
    // Bounds what one TCP/TLS peer can make us buffer for a single message (default: unlimited).
    p.setProperty(
        "gov.nist.javax.sip.MAX_MESSAGE_SIZE",
        Integer.toString(settings.maxBodyBytes() + HEADER_ALLOWANCE_BYTES));
    p.setProperty(
        "gov.nist.javax.sip.STACK_LOGGER", JainSipPlugins.Slf4jStackLogger.class.getName());
    p.setProperty(
        "gov.nist.javax.sip.LOG_MESSAGE_CONTENT", Boolean.toString(settings.logUserContent()));
    p.setProperty(LOG_USER_CONTENT, Boolean.toString(settings.logUserContent()));
    // JAIN-SIP's classic (blocking) transports, with our sockets. Its NIO TCP transport opens a
    // second connection for the first request on a new one and closes the first, losing responses.
    p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", JainSipPlugins.SocketLayer.class.getName());
    p.setProperty(
        "gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER",
        JainSipPlugins.NoSecurityManagerProvider.class.getName());
    // Named explicitly only to keep JAIN-SIP from warning that it uses the default.
    p.setProperty(
        "gov.nist.javax.sip.TLS_SECURITY_POLICY",
        "gov.nist.javax.sip.stack.DefaultTlsSecurityPolicy");
    settings.tls().ifPresent(tls -> putTls(p, tls));
    return p;
  }

  private static void putTls(Properties p, SipTlsSettings tls) {
    p.setProperty(TLS_KEY_FORMAT, tls.keyFormat().name());
    p.setProperty(TLS_KEY_FILE, tls.keyFile().toString());
    p.setProperty(TLS_CERTIFICATE_FILE, tls.certificateFile().toString());
    p.setProperty(TLS_KEY_PASSWORD, tls.keyStorePassword());
    p.setProperty(TLS_TRUST_FILE, tls.trustFile().toString());
    p.setProperty(TLS_TRUST_PASSWORD, tls.trustStorePassword());
    p.setProperty(TLS_CLIENT_AUTH, tls.clientAuth().name());
    // Never "DisabledAll": JAIN-SIP then trusts every certificate, in both directions.
    p.setProperty(
        "gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE",
        switch (tls.clientAuth()) {
          case NONE -> "Disabled";
          case WANT -> "Want";
          case NEED -> "Enabled";
        });
    p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", TLS_PROTOCOLS);
    // JAIN-SIP's default list is anonymous DH, 3DES and RSA key exchange: use the JDK's instead.
    p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", jdkCipherSuites()));
  }

  /** The TLS settings written by {@link #of}, for {@link JainSipPlugins.SocketLayer}. */
  static Optional<SipTlsSettings> tlsSettings(Properties p) {
    String format = p.getProperty(TLS_KEY_FORMAT);
    if (format == null) {
      return Optional.empty();
    }
    return Optional.of(
        new SipTlsSettings(
            SipTlsSettings.KeyFormat.valueOf(format),
            Path.of(p.getProperty(TLS_KEY_FILE)),
            Path.of(p.getProperty(TLS_CERTIFICATE_FILE)),
            p.getProperty(TLS_KEY_PASSWORD),
            Path.of(p.getProperty(TLS_TRUST_FILE)),
            p.getProperty(TLS_TRUST_PASSWORD),
            SipTlsSettings.ClientAuth.valueOf(p.getProperty(TLS_CLIENT_AUTH))));
  }

  private static String[] jdkCipherSuites() {
    try {
      SSLParameters defaults = SSLContext.getDefault().getDefaultSSLParameters();
      return defaults.getCipherSuites();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no default TLS context", e);
    }
  }
}
