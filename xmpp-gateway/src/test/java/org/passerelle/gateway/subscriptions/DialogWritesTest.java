package org.passerelle.gateway.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.passerelle.gateway.store.Authorization;
import org.passerelle.gateway.store.AuthorizationKey;
import org.passerelle.gateway.store.DialogId;
import org.passerelle.gateway.store.Direction;
import org.passerelle.gateway.store.JdbcSubscriptionStore;
import org.passerelle.gateway.store.SipDialog;
import org.passerelle.gateway.store.StoreSettings;
import org.passerelle.gateway.store.SubscriptionStore;

class DialogWritesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final AuthorizationKey KEY =
      new AuthorizationKey("alice@sip.test", "bob@xmpp.test", Direction.SIP_WATCHES_XMPP);
  private static final AuthorizationKey UNSTORED =
      new AuthorizationKey("carol@sip.test", "bob@xmpp.test", Direction.SIP_WATCHES_XMPP);

  @TempDir Path dir;

  private final PresenceLoop loop = new PresenceLoop(1_000);
  private final List<String> writes = new CopyOnWriteArrayList<>();
  private JdbcSubscriptionStore real;
  private DialogWrites dialogWrites;

  @BeforeEach
  void start() {
    real = JdbcSubscriptionStore.open(StoreSettings.embedded(dir));
    real.putAuthorization(Authorization.granted(KEY, T0)).toCompletableFuture().join();
    dialogWrites = new DialogWrites(recording(real), new Flow(loop));
  }

  @AfterEach
  void stop() {
    loop.close();
    real.close();
  }

  /** The store, noting each dialog write as "saveDialog 1" or "saveDialogs 3". */
  private SubscriptionStore recording(SubscriptionStore store) {
    return (SubscriptionStore)
        Proxy.newProxyInstance(
            SubscriptionStore.class.getClassLoader(),
            new Class<?>[] {SubscriptionStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("saveDialogs")) {
                writes.add("saveDialogs " + ((List<?>) args[0]).size());
              } else if (method.getName().matches("saveDialog|deleteDialog")) {
                writes.add(method.getName() + " 1");
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static SipDialog dialog(AuthorizationKey key, String callId, long cseq) {
    return SipDialog.builder(new DialogId(callId, "gw-tag"), key)
        .remoteTag("ua-tag")
        .localUri("sip:bob@xmpp.test")
        .remoteUri("sip:alice@sip.test")
        .remoteTarget("sip:alice@192.0.2.7:5060;transport=tcp")
        .routeSet(List.of())
        .localCseq(cseq)
        .remoteCseq(1)
        .expires(T0.plusSeconds(3600))
        .build();
  }

  /** Runs {@code writes} in one presence task, then waits until all are written. */
  private void write(Runnable writes) throws Exception {
    loop.execute(writes);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      CompletableFuture<Integer> pending = new CompletableFuture<>();
      loop.execute(() -> pending.complete(dialogWrites.pending()));
      if (pending.get(5, TimeUnit.SECONDS) == 0) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("writes not done");
  }

  private Optional<SipDialog> stored(String callId) {
    return real.dialog(new DialogId(callId, "gw-tag")).toCompletableFuture().join();
  }

  @Test
  void savesQueuedBehindAWriteGoTogetherKeepingTheLastStateOfEach() throws Exception {
    write(
        () -> {
          dialogWrites.save(dialog(KEY, "call-1", 1));
          dialogWrites.save(dialog(KEY, "call-2", 1));
          dialogWrites.save(dialog(KEY, "call-3", 1));
          dialogWrites.save(dialog(KEY, "call-2", 5));
        });

    assertThat(writes).containsExactly("saveDialog 1", "saveDialogs 2");
    assertThat(stored("call-2").orElseThrow().localCseq()).isEqualTo(5);
    assertThat(stored("call-3")).isPresent();
  }

  @Test
  void aDeleteAfterASaveIsWrittenAfterIt() throws Exception {
    write(
        () -> {
          dialogWrites.save(dialog(KEY, "call-0", 1));
          dialogWrites.save(dialog(KEY, "call-1", 1));
          dialogWrites.delete(new DialogId("call-1", "gw-tag"));
          dialogWrites.save(dialog(KEY, "call-2", 1));
        });

    assertThat(stored("call-1")).isEmpty();
    assertThat(stored("call-2")).isPresent();
  }

  @Test
  void aRefusedDialogInABatchDoesNotTakeTheOthersWithIt() throws Exception {
    write(
        () -> {
          dialogWrites.save(dialog(KEY, "call-0", 1));
          dialogWrites.save(dialog(KEY, "call-1", 1));
          dialogWrites.save(dialog(UNSTORED, "call-2", 1));
          dialogWrites.save(dialog(KEY, "call-3", 1));
        });

    assertThat(writes).startsWith("saveDialog 1", "saveDialogs 3");
    assertThat(stored("call-1")).isPresent();
    assertThat(stored("call-2")).isEmpty();
    assertThat(stored("call-3")).isPresent();
  }
}
