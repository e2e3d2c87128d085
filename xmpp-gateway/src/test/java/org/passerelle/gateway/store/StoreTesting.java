package org.passerelle.gateway.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Values and waits shared by the store's tests. */
final class StoreTesting {

  /** Long enough for a loaded test machine; the operations take milliseconds. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  static final String ALICE = "alice@sip.example.com";
  static final String BOB = "bob@xmpp.example.net";
  static final String CAROL = "carol@xmpp.example.org";

  static final AuthorizationKey BOB_WATCHES_ALICE =
      new AuthorizationKey(ALICE, BOB, Direction.XMPP_WATCHES_SIP);
  static final AuthorizationKey ALICE_WATCHES_BOB =
      new AuthorizationKey(ALICE, BOB, Direction.SIP_WATCHES_XMPP);

  private StoreTesting() {}

  /** The stage's value, once it completes. */
  static <T> T done(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the store operation failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (TimeoutException e) {
      throw new AssertionError("the store operation did not complete in " + TIMEOUT, e);
    }
  }

  /** Why the stage failed, once it does. */
  static Throwable failure(CompletionStage<?> stage) {
    try {
      Object value = stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("the store operation succeeded with " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (TimeoutException e) {
      throw new AssertionError("the store operation did not complete in " + TIMEOUT, e);
    }
  }

  /** A dialog of {@code key} with every field set. */
  static SipDialog dialog(AuthorizationKey key, String callId, Instant expires) {
    return SipDialog.builder(new DialogId(callId, "gw-tag-1"), key)
        .remoteTag("ua-tag-9")
        .localUri("sip:" + key.remoteJid())
        .remoteUri("sip:" + key.localJid())
        .remoteTarget("sip:alice@192.0.2.7:5060;transport=tcp")
        .routeSet(
            List.of("<sip:proxy.sip.example.com;lr>", "\"Edge, West\" <sip:10.0.0.1:5060;lr>"))
        .localCseq(42)
        .remoteCseq(7)
        .expires(expires)
        .build();
  }
}
