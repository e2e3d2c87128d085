package org.passerelle.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.passerelle.gateway.config.GatewayConfig;
import org.passerelle.gateway.config.GatewayConfigLoader;
import org.passerelle.gateway.store.StoreException;
import org.passerelle.model.config.ConfigException;
import org.passerelle.observability.ConsoleLogging;
import org.passerelle.observability.StartupPhases;

/** Command-line entry point: {@code xmpp-gateway <config.yml>}. */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) throws Exception {
    StartupPhases phases = StartupPhases.startingNow();
    ConsoleLogging.use("gateway");
    if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
      System.err.println("usage: xmpp-gateway <config.yml>");
      System.exit(2);
    }
    run(Path.of(args[0]), phases);
  }

  /**
   * Runs the gateway from {@code file} until the JVM is stopped, timing its start into {@code
   * phases}.
   */
  public static void run(Path file, StartupPhases phases) throws Exception {
    GatewayConfig config;
    try {
      config = GatewayConfigLoader.load(file);
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    phases.mark("config");
    XmppGateway gateway;
    try {
      gateway = XmppGateway.start(config, phases);
    } catch (StoreException e) {
      System.err.println("cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
  }
}
