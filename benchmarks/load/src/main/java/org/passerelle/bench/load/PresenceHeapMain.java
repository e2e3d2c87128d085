package org.passerelle.bench.load;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.passerelle.gateway.im.LinkSender;
import org.passerelle.gateway.presence.ShowMapping;
import org.passerelle.gateway.sip.AddressRange;
import org.passerelle.gateway.sip.RequestRate;
import org.passerelle.gateway.sip.SipEndpoint;
import org.passerelle.gateway.sip.SipHandlers;
import org.passerelle.gateway.sip.SipServerAddress;
import org.passerelle.gateway.sip.SipSettings;
import org.passerelle.gateway.sip.TrustedSources;
import org.passerelle.gateway.store.Authorization;
import org.passerelle.gateway.store.AuthorizationKey;
import org.passerelle.gateway.store.DialogId;
import org.passerelle.gateway.store.Direction;
import org.passerelle.gateway.store.JdbcSubscriptionStore;
import org.passerelle.gateway.store.SipDialog;
import org.passerelle.gateway.store.StoreSettings;
import org.passerelle.gateway.subscriptions.PresenceBridge;
import org.passerelle.gateway.subscriptions.PresenceSettings;

/**
 * Heap per idle presence subscription and the restore after a restart (issue 7): stores {@code N}
 * granted authorisations with a dialog in each direction in a fresh SQLite store, then starts the
 * real {@link PresenceBridge} on a real {@link SipEndpoint} (127.0.0.176, or system property {@code
 * presence.gateway}) against {@link PresencePeer} (127.0.0.177, {@code presence.peer}), as a
 * restarted gateway does. It times the restore until every refresh SUBSCRIBE is answered and every
 * watcher has had its NOTIFY, then counts bytes: live heap after repeated full GCs, and the class
 * histogram's growth, both per subscription. Counting bytes, not time, the heap figures do not
 * depend on how busy the machine is.
 *
 * <pre>
 * java -Xmx512m -Dpresence.gateway=127.0.0.220 -Dpresence.peer=127.0.0.221 \
 *   -cp "benchmarks/load/target/classes:benchmarks/load/target/lib/*" \
 *   org.passerelle.bench.load.PresenceHeapMain 50000 [restore-rate]
 * </pre>
 */
public final class PresenceHeapMain {
  private static final InetAddress GATEWAY =
      address(System.getProperty("presence.gateway", "127.0.0.176"));
  private static final InetAddress PEER =
      address(System.getProperty("presence.peer", "127.0.0.177"));
  private static final int SIP_PORT = 5060;
  private static final String SIP_DOMAIN = "sip.bench";
  private static final String XMPP_DOMAIN = "xmpp.bench";
  private static final String PEER_THREADS = "presence-peer";
  private static final int BATCH = 5_000; // rows per transaction when seeding

  private PresenceHeapMain() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } finally {
      System.exit(0); // JAIN-SIP and the store leave non-daemon threads behind on failure
    }
  }

  private static void run(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : PresenceSettings.DEFAULT_RESTORE_RATE;
    Path dir = Files.createTempDirectory("presence-heap");
    EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory(PEER_THREADS));
    PresencePeer peer = new PresencePeer(group, new InetSocketAddress(PEER, SIP_PORT));
    JdbcSubscriptionStore store = JdbcSubscriptionStore.open(StoreSettings.embedded(dir));
    long seedStart = System.nanoTime();
    seed(store, peer, n);
    System.out.printf(
        "seeded %d authorisations and dialogs per direction in %d ms%n",
        n, (System.nanoTime() - seedStart) / 1_000_000);

    PresenceSettings settings =
        new PresenceSettings(
            PresenceSettings.DEFAULT_LIFETIME,
            rate,
            PresenceSettings.DEFAULT_QUEUE_LIMIT,
            ShowMapping.defaults());
    PresenceBridge[] bridge = new PresenceBridge[1];
    LinkSender link = stanza -> answerProbe(bridge[0], stanza);
    bridge[0] = new PresenceBridge(settings, Set.of(SIP_DOMAIN), store, link, Clock.systemUTC());
    SipSettings sip =
        SipSettings.builder(GATEWAY)
            .tcp(SIP_PORT)
            .domains(XMPP_DOMAIN)
            .outboundProxy(SipServerAddress.parse(PEER.getHostAddress() + ":" + SIP_PORT))
            .trustedSources(
                new TrustedSources(
                    Set.of(SIP_DOMAIN), List.of(AddressRange.parse(PEER.getHostAddress()))))
            .requestRate(new RequestRate(1_000_000, 1_000_000))
            .build();
    SipEndpoint endpoint =
        SipEndpoint.start(
            sip,
            SipHandlers.builder()
                .subscriptions(bridge[0].subscriptionHandler())
                .notifications(bridge[0].notificationListener())
                .build());
    bridge[0].attach(endpoint.subscriptions(), endpoint.notifier(), sip.transactionTimeout());

    Map<String, Long> before = histogram();
    long heapBefore = liveHeap();

    long start = System.nanoTime();
    long cpuStart = processCpuNanos();
    long peerCpuStart = peerCpuNanos();
    Map<String, Long> threadsStart = threadCpuNanos();
    bridge[0].onLinkUp();
    long restored = bridge[0].restored().toCompletableFuture().get(30, TimeUnit.MINUTES);
    long restoredMs = (System.nanoTime() - start) / 1_000_000;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while ((peer.subscribes.get() < n || peer.notifiesReceived.get() < n)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    long answeredMs = (System.nanoTime() - start) / 1_000_000;
    long cpuMs = (processCpuNanos() - cpuStart) / 1_000_000;
    long peerCpuMs = (peerCpuNanos() - peerCpuStart) / 1_000_000;
    Map<String, Long> threadsEnd = threadCpuNanos();
    while (!bridge[0].isIdle()) {
      Thread.sleep(50);
    }
    Thread.sleep(2_000); // JAIN-SIP's completed transactions linger for Timer K/J and the like
    PresenceBridge.SubscriptionCounts counts =
        bridge[0].subscriptionCounts().toCompletableFuture().get(1, TimeUnit.MINUTES);

    long heapAfter = liveHeap();
    Map<String, Long> after = histogram();
    int subscriptions = 2 * n;
    System.out.printf(
        "restore-rate %d/s: %d authorisations taken up in %d ms; %d refresh SUBSCRIBEs answered"
            + " and %d NOTIFYs to watchers received after %d ms%n",
        rate, restored, restoredMs, peer.subscribes.get(), peer.notifiesReceived.get(), answeredMs);
    System.out.printf(
        "restore CPU: %d ms in this process (%d µs per subscription), of which the SIP peer's"
            + " thread %d ms: the gateway side (with the store, GC and JIT) %d µs per"
            + " subscription%n",
        cpuMs, cpuMs * 1000 / (2L * n), peerCpuMs, (cpuMs - peerCpuMs) * 1000 / (2L * n));
    threadsEnd.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - threadsStart.getOrDefault(e.getKey(), 0L)))
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(8)
        .forEach(e -> System.out.printf("  %6d ms  %s%n", e.getValue() / 1_000_000, e.getKey()));
    System.out.printf("held: %s%n", counts);
    System.out.printf(
        "live heap %d -> %d bytes: %d bytes per subscription (%d subscriptions)%n",
        heapBefore, heapAfter, (heapAfter - heapBefore) / subscriptions, subscriptions);
    printTop(before, after, subscriptions);

    endpoint.close();
    bridge[0].close();
    store.close();
    peer.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    deleteTree(dir); // the store of 2·N subscriptions: tens of megabytes per run
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /**
   * Granted authorisations and one dialog each, both directions, {@code n} of each: a few thousand
   * rows per transaction, not one each.
   */
  private static void seed(JdbcSubscriptionStore store, PresencePeer peer, int n) {
    Instant now = Instant.now();
    Instant expires = now.plus(Duration.ofHours(1));
    for (Direction direction : Direction.values()) {
      for (int from = 0; from < n; from += BATCH) {
        List<Authorization> batch = new ArrayList<>();
        for (int i = from; i < Math.min(n, from + BATCH); i++) {
          batch.add(Authorization.granted(key(i, direction), now));
        }
        store.putAuthorizations(batch).toCompletableFuture().join();
        List<SipDialog> dialogs = new ArrayList<>();
        for (int i = from; i < Math.min(n, from + BATCH); i++) {
          AuthorizationKey key = key(i, direction);
          String tag = direction.name().charAt(0) + Integer.toString(i);
          dialogs.add(
              SipDialog.builder(new DialogId("call-" + tag + "@bench", "gw" + tag), key)
                  .remoteTag("peer" + tag)
                  .localUri("sip:c" + i + "@" + XMPP_DOMAIN)
                  .remoteUri("sip:u" + i + "@" + SIP_DOMAIN)
                  .remoteTarget(peer.target("u" + i))
                  .routeSet(List.of())
                  .localCseq(1)
                  .remoteCseq(1)
                  .expires(expires)
                  .build());
        }
        store.saveDialogs(dialogs).toCompletableFuture().join();
      }
    }
  }

  private static AuthorizationKey key(int i, Direction direction) {
    return new AuthorizationKey("u" + i + "@" + SIP_DOMAIN, "c" + i + "@" + XMPP_DOMAIN, direction);
  }

  /** The contact's server: each probe is answered with an available presence. */
  private static CompletionStage<Void> answerProbe(PresenceBridge bridge, Element stanza) {
    if ("probe".equals(stanza.attributeValue("type"))) {
      Element presence = DocumentHelper.createElement("presence");
      presence.addAttribute("from", stanza.attributeValue("to") + "/home");
      presence.addAttribute("to", stanza.attributeValue("from"));
      presence.addElement("show").setText("away");
      presence.addElement("status").setText("in a meeting");
      bridge.onStanza(presence);
    }
    return CompletableFuture.completedFuture(null);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time of the peer's event loop thread. */
  private static long peerCpuNanos() {
    return threadCpuNanos().getOrDefault(PEER_THREADS + "--", 0L);
  }

  /** CPU time of the live threads by name, digits left out, so that pools add up. */
  private static Map<String, Long> threadCpuNanos() {
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, Long> byName = new HashMap<>();
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        byName.merge(
            info.getThreadName().replaceAll("[0-9]+", ""),
            Math.max(0, threads.getThreadCpuTime(info.getThreadId())),
            Long::sum);
      }
    }
    return byName;
  }

  private static long liveHeap() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /**
   * Bytes per class of live objects, from {@code jcmd <pid> GC.class_histogram} (collects first).
   */
  private static Map<String, Long> histogram() throws IOException, InterruptedException {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(ProcessHandle.current().pid()),
                "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    jcmd.waitFor();
    Map<String, Long> bytes = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        bytes.put(f[3], Long.parseLong(f[2]));
      }
    }
    return bytes;
  }

  private static void printTop(Map<String, Long> before, Map<String, Long> after, int count) {
    List<Map.Entry<String, Long>> growth = new ArrayList<>();
    long total = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long grew = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      total += grew;
      growth.add(Map.entry(e.getKey(), grew));
    }
    growth.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    System.out.printf("class histogram growth: %d bytes per subscription%n", total / count);
    for (Map.Entry<String, Long> e : growth.subList(0, Math.min(25, growth.size()))) {
      System.out.printf("  %8.1f B/sub  %s%n", (double) e.getValue() / count, e.getKey());
    }
  }

  private static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
