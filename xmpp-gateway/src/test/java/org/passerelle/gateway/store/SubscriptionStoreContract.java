package org.passerelle.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.passerelle.gateway.store.StoreTesting.ALICE;
import static org.passerelle.gateway.store.StoreTesting.ALICE_WATCHES_BOB;
import static org.passerelle.gateway.store.StoreTesting.BOB;
import static org.passerelle.gateway.store.StoreTesting.BOB_WATCHES_ALICE;
import static org.passerelle.gateway.store.StoreTesting.CAROL;
import static org.passerelle.gateway.store.StoreTesting.T0;
import static org.passerelle.gateway.store.StoreTesting.dialog;
import static org.passerelle.gateway.store.StoreTesting.done;
import static org.passerelle.gateway.store.StoreTesting.failure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every database under the {@link SubscriptionStore} must do alike; each database's test
 * extends it with a fresh, empty database per test.
 */
abstract class SubscriptionStoreContract {

  /** Rows of the paging test: a tenth of the 100,000 subscriptions a gateway is sized for. */
  private static final int MANY = 10_000;

  private StoreSettings settings;
  private SubscriptionStore store;

  /** Settings of a fresh, empty database. */
  abstract StoreSettings freshDatabase() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    settings = freshDatabase();
    store = JdbcSubscriptionStore.open(settings);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // Authorisations

  @Test
  void aRequestIsStoredPendingInTheWayItsDirectionSays() {
    done(store.putAuthorization(Authorization.requested(BOB_WATCHES_ALICE, T0)));
    done(store.putAuthorization(Authorization.requested(ALICE_WATCHES_BOB, T0)));

    assertThat(done(store.authorization(BOB_WATCHES_ALICE)).orElseThrow().state())
        .isEqualTo(AuthorizationState.PENDING_IN);
    assertThat(done(store.authorization(ALICE_WATCHES_BOB)).orElseThrow().state())
        .isEqualTo(AuthorizationState.PENDING_OUT);
  }

  @Test
  void grantingKeepsWhenTheRequestWasFirstStored() {
    Instant granted = T0.plusSeconds(90);
    done(store.putAuthorization(Authorization.requested(BOB_WATCHES_ALICE, T0)));

    Authorization stored =
        done(
            store.putAuthorization(
                Authorization.requested(BOB_WATCHES_ALICE, granted).grant(granted)));

    Authorization expected =
        new Authorization(BOB_WATCHES_ALICE, AuthorizationState.GRANTED, T0, granted);
    assertThat(stored).isEqualTo(expected);
    assertThat(done(store.authorization(BOB_WATCHES_ALICE))).contains(expected);
  }

  @Test
  void aGrantedAuthorizationCannotGoBackToPending() {
    done(store.putAuthorization(Authorization.granted(BOB_WATCHES_ALICE, T0)));

    Throwable refused =
        failure(
            store.putAuthorization(Authorization.requested(BOB_WATCHES_ALICE, T0.plusSeconds(1))));

    assertThat(refused)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GRANTED and cannot become PENDING_IN");
    assertThat(done(store.authorization(BOB_WATCHES_ALICE)).orElseThrow().isGranted()).isTrue();
  }

  @Test
  void aRepeatedRequestStaysPendingWithItsNewInstant() {
    done(store.putAuthorization(Authorization.requested(ALICE_WATCHES_BOB, T0)));

    done(store.putAuthorization(Authorization.requested(ALICE_WATCHES_BOB, T0.plusSeconds(5))));

    assertThat(done(store.authorization(ALICE_WATCHES_BOB)))
        .contains(
            new Authorization(
                ALICE_WATCHES_BOB, AuthorizationState.PENDING_OUT, T0, T0.plusSeconds(5)));
  }

  @Test
  void eachDirectionBetweenTheSameTwoPeopleIsItsOwnAuthorization() {
    done(store.putAuthorization(Authorization.granted(BOB_WATCHES_ALICE, T0)));
    done(store.putAuthorization(Authorization.requested(ALICE_WATCHES_BOB, T0)));

    assertThat(done(store.deleteAuthorization(ALICE_WATCHES_BOB))).isTrue();

    assertThat(done(store.authorization(ALICE_WATCHES_BOB))).isEmpty();
    assertThat(done(store.authorization(BOB_WATCHES_ALICE))).isPresent();
  }

  @Test
  void deletingWhatIsNotStoredSaysSo() {
    assertThat(done(store.deleteAuthorization(BOB_WATCHES_ALICE))).isFalse();
    assertThat(done(store.deleteDialog(new DialogId("no-such-call", "tag")))).isFalse();
    assertThat(done(store.deletePresence(BOB))).isFalse();
    assertThat(done(store.authorization(BOB_WATCHES_ALICE))).isEmpty();
  }

  @Test
  void aBatchOfAuthorizationsIsStoredWholeOrNotAtAll() {
    done(store.putAuthorization(Authorization.granted(BOB_WATCHES_ALICE, T0)));
    AuthorizationKey carol = new AuthorizationKey(ALICE, CAROL, Direction.XMPP_WATCHES_SIP);

    Throwable refused =
        failure(
            store.putAuthorizations(
                List.of(
                    Authorization.requested(carol, T0),
                    Authorization.requested(BOB_WATCHES_ALICE, T0))));

    assertThat(refused).isInstanceOf(IllegalStateException.class);
    assertThat(done(store.authorization(carol))).isEmpty();
  }

  // Dialogs

  @Test
  void aDialogComesBackWithEveryField() {
    done(store.putAuthorization(Authorization.granted(BOB_WATCHES_ALICE, T0)));
    SipDialog full = dialog(BOB_WATCHES_ALICE, "call-1@gw", T0.plusSeconds(3600));
    SipDialog bare =
        SipDialog.builder(new DialogId("call-2@gw", "gw-tag-2"), BOB_WATCHES_ALICE)
            .localUri("sip:bob@xmpp.example.net")
            .remoteUri("sip:alice@sip.example.com")
            .remoteTarget("sip:alice@sip.example.com")
            .localCseq(1)
            .expires(T0.plusSeconds(3600))
            .build();

    done(store.saveDialog(full));
    done(store.saveDialog(bare));

    assertThat(done(store.dialog(full.id()))).contains(full);
    assertThat(done(store.dialog(bare.id()))).contains(bare);
    assertThat(bare.remoteTag()).isEmpty();
    assertThat(bare.remoteCseq()).isEmpty();
    assertThat(bare.routeSet()).isEmpty();
  }

  @Test
  void savingADialogAgainRecordsItsRefresh() {
    done(store.putAuthorization(Authorization.granted(BOB_WATCHES_ALICE, T0)));
    SipDialog first = dialog(BOB_WATCHES_ALICE, "call-1@gw", T0.plusSeconds(3600));
    done(store.saveDialog(first));

    SipDialog refreshed =
        first.toBuilder()
            .localCseq(43)
            .remoteCseq(OptionalLong.of(8))
            .expires(T0.plusSeconds(7200))
            .build();
    done(store.saveDialog(refreshed));

    assertThat(done(store.dialog(first.id()))).contains(refreshed);
    assertThat(done(store.dialogsOf(BOB_WATCHES_ALICE))).containsExactly(refreshed);
  }

  @Test
  void aDialogNeedsItsAuthorizationStored() {
    Throwable refused =
        failure(store.saveDialog(dialog(BOB_WATCHES_ALICE, "call-1@gw", T0.plusSeconds(60))));

    assertThat(refused).isInstanceOf(StoreException.class).hasMessageContaining("storing dialog");
    assertThat(done(store.dialog(new DialogId("call-1@gw", "gw-tag-1")))).isEmpty();
  }

  @Test
  void aDialogCannotMoveToAnotherAuthorization() {
    done(store.putAuthorization(Authorization.granted(BOB_WATCHES_ALICE, T0)));
    done(store.putAuthorization(Authorization.granted(ALICE_WATCHES_BOB, T0)));
    SipDialog dialog = dialog(BOB_WATCHES_ALICE, "call-1@gw", T0.plusSeconds(60));
    done(store.saveDialog(dialog));

    SipDialog moved =
        SipDialog.builder(dialog.id(), ALICE_WATCHES_BOB)
            .localUri(dialog.localUri())
            .remoteUri(dialog.remoteUri())
            .remoteTarget(dialog.remoteTarget())
            .localCseq(1)
            .expires(dialog.expires())
            .build();

    assertThat(failure(store.saveDialog(moved)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stored for another authorization");
    assertThat(done(store.dialog(dialog.id()))).contains(dialog);
  }

  @Test
  void aWatcherWithSeveralDevicesHasOneDialogEach() {
    done(store.putAuthorization(Authorization.granted(ALICE_WATCHES_BOB, T0)));
    SipDialog desk = dialog(ALICE_WATCHES_BOB, "desk-phone-call", T0.plusSeconds(600));
    SipDialog mobile = dialog(ALICE_WATCHES_BOB, "mobile-call", T0.plusSeconds(900));
    done(store.saveDialog(desk));
    done(store.saveDialog(mobile));

    assertThat(done(store.dialogsOf(ALICE_WATCHES_BOB))).containsExactly(desk, mobile);

    assertThat(done(store.deleteDialog(desk.id()))).isTrue();

    assertThat(done(store.dialogsOf(ALICE_WATCHES_BOB))).containsExactly(mobile);
    assertThat(done(store.authorization(ALICE_WATCHES_BOB))).isPresent();
  }

  @Test
  void deletingAnAuthorizationDeletesItsDialogs() {
    done(store.putAuthorization(Authorization.granted(BOB_WATCHES_ALICE, T0)));
    done(store.putAuthorization(Authorization.granted(ALICE_WATCHES_BOB, T0)));
    SipDialog gone = dialog(BOB_WATCHES_ALICE, "call-1@gw", T0.plusSeconds(60));
    SipDialog kept = dialog(ALICE_WATCHES_BOB, "call-2@ua", T0.plusSeconds(60));
    done(store.saveDialog(gone));
    done(store.saveDialog(kept));

    done(store.deleteAuthorization(BOB_WATCHES_ALICE));

    assertThat(done(store.dialog(gone.id()))).isEmpty();
    assertThat(done(store.dialog(kept.id()))).contains(kept);
  }

  @Test
  void expiringDialogsComeSoonestFirstPerDirectionAndLimited() {
    List<SipDialog> toRefresh = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      AuthorizationKey key =
          new AuthorizationKey("user" + i + "@sip.example.com", BOB, Direction.XMPP_WATCHES_SIP);
      done(store.putAuthorization(Authorization.granted(key, T0)));
      // Saved in an order unlike their expiry; two expire at the same instant.
      SipDialog dialog = dialog(key, "call-" + (9 - i), T0.plusSeconds(600 - 100L * (i / 2 * 2)));
      done(store.saveDialog(dialog));
      toRefresh.add(dialog);
    }
    done(store.putAuthorization(Authorization.granted(ALICE_WATCHES_BOB, T0)));
    done(store.saveDialog(dialog(ALICE_WATCHES_BOB, "watcher-call", T0.plusSeconds(1))));
    List<SipDialog> soonestFirst =
        toRefresh.stream()
            .sorted(Comparator.comparing(SipDialog::expires).thenComparing(d -> d.id().callId()))
            .toList();

    List<SipDialog> due =
        done(store.dialogsExpiringBefore(Direction.XMPP_WATCHES_SIP, T0.plusSeconds(600), 3));

    assertThat(due).containsExactlyElementsOf(soonestFirst.subList(0, 3));
    assertThat(
            done(store.dialogsExpiringBefore(Direction.XMPP_WATCHES_SIP, T0.plusSeconds(600), 10)))
        .as("the two expiring at T0+600s are not before it")
        .hasSize(3);
    assertThat(
            done(store.dialogsExpiringBefore(Direction.SIP_WATCHES_XMPP, T0.plusSeconds(600), 10)))
        .extracting(d -> d.id().callId())
        .containsExactly("watcher-call");
  }

  // Presence

  @Test
  void theLastPresenceOfAContactIsKeptAndAnOlderOneIgnored() {
    LastPresence away = new LastPresence(BOB, pidf("closed"), T0.plusSeconds(10));
    LastPresence stale = new LastPresence(BOB, pidf("open"), T0);

    assertThat(done(store.putPresence(away))).isTrue();
    assertThat(done(store.putPresence(stale))).isFalse();

    assertThat(done(store.presence(BOB))).contains(away);
    assertThat(done(store.presence(CAROL))).isEmpty();

    LastPresence back = new LastPresence(BOB, pidf("open"), T0.plusSeconds(20));
    assertThat(done(store.putPresence(back))).isTrue();
    assertThat(done(store.presence(BOB))).contains(back);
    assertThat(done(store.deletePresence(BOB))).isTrue();
    assertThat(done(store.presence(BOB))).isEmpty();
  }

  @Test
  void presencesStoredTogetherKeepALaterStoredOne() {
    LastPresence later = new LastPresence(BOB, pidf("closed"), T0.plusSeconds(10));
    done(store.putPresence(later));

    done(
        store.putPresences(
            List.of(
                new LastPresence(BOB, pidf("open"), T0),
                new LastPresence(CAROL, pidf("open"), T0.plusSeconds(5)))));

    assertThat(done(store.presence(BOB))).contains(later);
    assertThat(done(store.presence(CAROL)).map(LastPresence::updated)).contains(T0.plusSeconds(5));
  }

  // Restart

  @Test
  void everythingSurvivesClosingAndReopeningTheStore() {
    Authorization granted = Authorization.granted(BOB_WATCHES_ALICE, T0);
    Authorization pending = Authorization.requested(ALICE_WATCHES_BOB, T0);
    SipDialog dialog = dialog(BOB_WATCHES_ALICE, "call-1@gw", T0.plusSeconds(3600));
    LastPresence presence = new LastPresence(BOB, pidf("open"), T0);
    done(store.putAuthorization(granted));
    done(store.putAuthorization(pending));
    done(store.saveDialog(dialog));
    done(store.putPresence(presence));

    store.close();
    store = JdbcSubscriptionStore.open(settings);

    assertThat(done(store.authorization(BOB_WATCHES_ALICE))).contains(granted);
    assertThat(done(store.authorization(ALICE_WATCHES_BOB))).contains(pending);
    assertThat(done(store.dialog(dialog.id()))).contains(dialog);
    assertThat(done(store.presence(BOB))).contains(presence);
    assertThat(done(store.authorizationsAfter(AuthorizationState.GRANTED, Optional.empty(), 10)))
        .containsExactly(granted);
    assertThat(done(store.authorizationsAfter(pending.state(), Optional.empty(), 10)))
        .containsExactly(pending);
  }

  // Paging

  @Test
  void pagesVisitEveryGrantedAuthorizationOnceInKeyOrder() {
    List<Authorization> all = new ArrayList<>();
    for (int i = 0; i < MANY; i++) {
      AuthorizationKey key =
          new AuthorizationKey(
              "user" + (i % 97) + "@sip.example.com",
              "contact" + i + "@xmpp.example.net",
              i % 2 == 0 ? Direction.XMPP_WATCHES_SIP : Direction.SIP_WATCHES_XMPP);
      // Every tenth one is still pending and must not be listed.
      all.add(i % 10 == 0 ? Authorization.requested(key, T0) : Authorization.granted(key, T0));
    }
    for (int from = 0; from < MANY; from += 2_000) {
      done(store.putAuthorizations(all.subList(from, from + 2_000)));
    }

    List<AuthorizationKey> seen = new ArrayList<>();
    Optional<AuthorizationKey> after = Optional.empty();
    int pages = 0;
    while (true) {
      List<Authorization> page =
          done(store.authorizationsAfter(AuthorizationState.GRANTED, after, 1_000));
      pages++;
      page.forEach(a -> seen.add(a.key()));
      assertThat(page).allMatch(Authorization::isGranted);
      if (page.size() < 1_000) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1).key());
    }

    assertThat(seen).hasSize(MANY * 9 / 10).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen))
        .isEqualTo(
            all.stream()
                .filter(Authorization::isGranted)
                .map(Authorization::key)
                .collect(Collectors.toSet()));
    assertThat(pages).isEqualTo(10);
    assertThat(seen)
        .isSortedAccordingTo(
            Comparator.comparing(AuthorizationKey::localJid)
                .thenComparing(AuthorizationKey::remoteJid)
                .thenComparing(k -> k.direction().code()));
  }

  @Test
  void pagesOfSubscriptionsCarryEachAuthorizationsOwnDialogs() {
    List<AuthorizationKey> keys = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      AuthorizationKey key =
          new AuthorizationKey(
              "user" + i + "@sip.example.com",
              BOB,
              i % 2 == 0 ? Direction.XMPP_WATCHES_SIP : Direction.SIP_WATCHES_XMPP);
      keys.add(key);
      // Every third one is pending: its dialog lies in the key range and must not be listed.
      done(
          store.putAuthorization(
              i % 3 == 0 ? Authorization.requested(key, T0) : Authorization.granted(key, T0)));
      if (i % 5 != 4) {
        done(store.saveDialog(dialog(key, "call-" + i + "-b@gw", T0.plusSeconds(60))));
      }
      if (i % 4 == 0) {
        done(store.saveDialog(dialog(key, "call-" + i + "-a@gw", T0.plusSeconds(60))));
      }
    }

    List<StoredSubscription> seen = new ArrayList<>();
    Optional<AuthorizationKey> after = Optional.empty();
    while (true) {
      List<StoredSubscription> page =
          done(store.subscriptionsAfter(AuthorizationState.GRANTED, after, 7));
      seen.addAll(page);
      if (page.size() < 7) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1).authorization().key());
    }

    assertThat(seen.stream().map(s -> s.authorization().key()).toList())
        .isEqualTo(
            done(store.authorizationsAfter(AuthorizationState.GRANTED, Optional.empty(), 100))
                .stream()
                .map(Authorization::key)
                .toList());
    for (StoredSubscription subscription : seen) {
      assertThat(subscription.dialogs())
          .isEqualTo(done(store.dialogsOf(subscription.authorization().key())));
    }
    assertThat(seen).hasSize(20);
    assertThat(seen).anyMatch(s -> s.dialogs().size() == 2).anyMatch(s -> s.dialogs().isEmpty());
  }

  @Test
  void dialogsSavedTogetherAreAllStoredOrNone() {
    done(store.putAuthorization(Authorization.granted(BOB_WATCHES_ALICE, T0)));
    SipDialog first = dialog(BOB_WATCHES_ALICE, "call-1@gw", T0.plusSeconds(60));
    SipDialog second = dialog(BOB_WATCHES_ALICE, "call-2@gw", T0.plusSeconds(60));
    SipDialog orphan = dialog(ALICE_WATCHES_BOB, "call-3@gw", T0.plusSeconds(60));

    failure(store.saveDialogs(List.of(first, orphan)));
    assertThat(done(store.dialogsOf(BOB_WATCHES_ALICE))).isEmpty();

    done(store.saveDialogs(List.of(first, second)));
    assertThat(done(store.dialogsOf(BOB_WATCHES_ALICE))).containsExactly(first, second);
  }

  @Test
  void theWalkOverGrantedReadsTheNextPageOnlyOnceTheConsumerIsDone() {
    for (int i = 0; i < 25; i++) {
      AuthorizationKey key =
          new AuthorizationKey(
              ALICE, "contact" + i + "@xmpp.example.net", Direction.XMPP_WATCHES_SIP);
      done(store.putAuthorization(Authorization.granted(key, T0)));
    }
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    Set<AuthorizationKey> seen = new HashSet<>();

    long count =
        done(
            store.forEachPage(
                AuthorizationState.GRANTED,
                10,
                page -> {
                  mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                  seen.addAll(page.stream().map(Authorization::key).toList());
                  return CompletableFuture.runAsync(
                      () -> inFlight.decrementAndGet(),
                      CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS));
                }));

    assertThat(count).isEqualTo(25);
    assertThat(seen).hasSize(25);
    assertThat(mostInFlight.get()).isEqualTo(1);
  }

  // Schema

  @Test
  void reopeningAppliesNoSchemaVersionTwice() throws SQLException {
    store.close();
    store = JdbcSubscriptionStore.open(settings);

    assertThat(queryLong("SELECT COUNT(*) FROM store_schema_version")).isEqualTo(1);
    assertThat(queryLong("SELECT MAX(version) FROM store_schema_version"))
        .isEqualTo(SchemaMigrations.latest());
  }

  @Test
  void aDatabaseUpgradedByANewerGatewayIsRefused() throws SQLException {
    store.close();
    execute(
        "INSERT INTO store_schema_version (version, name, checksum, applied_at)"
            + " VALUES (99, 'from_the_future', 0, 0)");

    assertThatThrownBy(() -> JdbcSubscriptionStore.open(settings))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("has schema version 99 (from_the_future)")
        .hasMessageContaining("newer than this gateway knows (" + SchemaMigrations.latest() + ")");
  }

  @Test
  void aSchemaScriptChangedAfterItWasAppliedIsRefused() throws SQLException {
    store.close();
    execute("UPDATE store_schema_version SET checksum = 12345 WHERE version = 1");

    assertThatThrownBy(() -> JdbcSubscriptionStore.open(settings))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("V1__subscriptions.sql with a different text");
  }

  // Threading

  @Test
  void aClosedStoreFailsEachOperationInsteadOfThrowing() {
    store.close();

    CompletionStage<Optional<Authorization>> late = store.authorization(BOB_WATCHES_ALICE);

    assertThat(failure(late)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
  }

  private static String pidf(String basic) {
    return "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='pres:bob@xmpp.example.net'>"
        + "<tuple id='ID-phone'><status><basic>"
        + basic
        + "</basic></status></tuple></presence>";
  }

  private Connection rawConnection() throws SQLException {
    return DriverManager.getConnection(
        settings.url(), settings.user().orElse(null), settings.password().orElse(null));
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = rawConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }

  private long queryLong(String sql) throws SQLException {
    try (Connection connection = rawConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
