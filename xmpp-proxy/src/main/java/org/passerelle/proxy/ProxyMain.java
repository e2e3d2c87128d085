package org.passerelle.proxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.passerelle.model.config.ConfigException;
import org.passerelle.observability.ConsoleLogging;
import org.passerelle.observability.StartupPhases;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.config.ProxyConfigLoader;
import org.passerelle.proxy.s2s.S2sEvents;

/** Command-line entry point: {@code xmpp-proxy <config.yml>}. */
public final class ProxyMain {
  private ProxyMain() {}

  public static void main(String[] args) throws Exception {
    StartupPhases phases = StartupPhases.startingNow();
    ConsoleLogging.use("proxy");
    if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
      System.err.println("usage: xmpp-proxy <config.yml>");
      System.exit(2);
    }
    run(Path.of(args[0]), phases);
  }

  /**
   * Runs the proxy from {@code file} until the JVM is stopped, timing its start into {@code
   * phases}.
   */
  public static void run(Path file, StartupPhases phases) throws Exception {
    ProxyConfig config;
    try {
      config = ProxyConfigLoader.load(file);
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    phases.mark("config");
    XmppProxy proxy;
    try {
      proxy = XmppProxy.start(config, S2sEvents.NONE, phases);
    } catch (ConfigException e) {
      System.err.println("cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    proxy.watchPolicy(file);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  proxy.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
  }
}
