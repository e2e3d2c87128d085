package org.passerelle.testpeers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Peers whose daemon is running, stopped by one JVM shutdown hook so that a test run that fails or
 * is interrupted does not leave daemons holding the loopback ports of the next run.
 */
final class RunningPeers {

  private static final Set<AbstractPeer> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(RunningPeers::stopAll, "test-peers-shutdown-hook"));
  }

  private RunningPeers() {}

  static void add(AbstractPeer peer) {
    RUNNING.add(peer);
  }

  static void remove(AbstractPeer peer) {
    RUNNING.remove(peer);
  }

  private static void stopAll() {
    List<Thread> stoppers = new ArrayList<>();
    for (AbstractPeer peer : RUNNING) {
      Thread stopper = new Thread(peer::stopOnShutdown, "test-peers-stop-" + peer);
      stopper.start();
      stoppers.add(stopper);
    }
    for (Thread stopper : stoppers) {
      try {
        stopper.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
