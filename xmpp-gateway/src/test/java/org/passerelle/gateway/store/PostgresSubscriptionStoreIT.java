package org.passerelle.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.gateway.store.StoreTesting.BOB_WATCHES_ALICE;
import static org.passerelle.gateway.store.StoreTesting.T0;
import static org.passerelle.gateway.store.StoreTesting.done;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.passerelle.testpeers.PostgresConfig;
import org.passerelle.testpeers.PostgresPeer;

/**
 * The same store contract on PostgreSQL, as a pool of gateways shares it: one server for the class,
 * a fresh database per test.
 */
class PostgresSubscriptionStoreIT extends SubscriptionStoreContract {

  private static final String ADDRESS = "127.0.0.51";

  /** Gateways starting together in the pool test. */
  private static final int POOL = 4;

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private static PostgresPeer postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = new PostgresPeer(PostgresConfig.builder(ADDRESS).build());
    postgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  StoreSettings freshDatabase() {
    String url = postgres.createDatabase("store_" + DATABASES.incrementAndGet());
    return StoreSettings.of(url, postgres.user(), postgres.password());
  }

  @Test
  void gatewaysOfAPoolStartingTogetherApplyTheSchemaOnce() throws Exception {
    StoreSettings shared = freshDatabase();
    List<CompletableFuture<JdbcSubscriptionStore>> starting = new ArrayList<>();
    for (int i = 0; i < POOL; i++) {
      starting.add(CompletableFuture.supplyAsync(() -> JdbcSubscriptionStore.open(shared)));
    }
    List<JdbcSubscriptionStore> gateways = new ArrayList<>();
    try {
      for (CompletableFuture<JdbcSubscriptionStore> gateway : starting) {
        gateways.add(done(gateway));
      }

      done(gateways.get(0).putAuthorization(Authorization.granted(BOB_WATCHES_ALICE, T0)));

      for (JdbcSubscriptionStore gateway : gateways) {
        assertThat(done(gateway.authorization(BOB_WATCHES_ALICE))).isPresent();
      }
    } finally {
      gateways.forEach(JdbcSubscriptionStore::close);
    }
  }
}
