package org.passerelle.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.gateway.store.StoreTesting.BOB_WATCHES_ALICE;
import static org.passerelle.gateway.store.StoreTesting.T0;
import static org.passerelle.gateway.store.StoreTesting.done;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on its default database: a SQLite file under the gateway's data directory. */
class SqliteSubscriptionStoreTest extends SubscriptionStoreContract {

  private final AtomicInteger databases = new AtomicInteger();

  @TempDir Path dataDirs;

  @Override
  StoreSettings freshDatabase() {
    return StoreSettings.embedded(dataDirs.resolve("data-" + databases.incrementAndGet()));
  }

  @Test
  void theDefaultStoreIsAFileUnderTheDataDirectoryWhichItCreates() {
    Path dataDir = dataDirs.resolve("not/yet/there");

    try (SubscriptionStore store = JdbcSubscriptionStore.open(StoreSettings.embedded(dataDir))) {
      done(store.putAuthorization(Authorization.granted(BOB_WATCHES_ALICE, T0)));
    }

    assertThat(dataDir.resolve(StoreSettings.DEFAULT_FILE)).isRegularFile();
  }
}
