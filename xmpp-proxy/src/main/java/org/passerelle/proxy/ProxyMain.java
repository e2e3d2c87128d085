package org.passerelle.proxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.passerelle.model.config.ConfigException;
import org.passerelle.proxy.config.ProxyConfig;
import org.passerelle.proxy.config.ProxyConfigLoader;

/** Command-line entry point: {@code xmpp-proxy <config.yml>}. */
public final class ProxyMain {
  private ProxyMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1 || !Files.isRegularFile(Path.of(args[0]))) {
      System.err.println("usage: xmpp-proxy <config.yml>");
      System.exit(2);
    }
    ProxyConfig config;
    try {
      config = ProxyConfigLoader.load(Path.of(args[0]));
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    XmppProxy proxy;
    try {
      proxy = XmppProxy.start(config);
    } catch (ConfigException e) {
      System.err.println("cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    proxy.watchPolicy(Path.of(args[0]));
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
