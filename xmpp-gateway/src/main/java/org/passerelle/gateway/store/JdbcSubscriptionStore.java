package org.passerelle.gateway.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SubscriptionStore} on SQLite or PostgreSQL through JDBC, with a small HikariCP pool
 * and as many store threads as connections ({@link StoreExecutor}).
 *
 * <p>{@link #open} blocks while it connects and brings the schema up to date: call it at start, not
 * on an event loop. Nothing else blocks the caller.
 */
public final class JdbcSubscriptionStore implements SubscriptionStore {

  /** How long a task waits for a free connection, or the pool for a new one, before failing. */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  /** How long {@link #close()} lets queued operations finish. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(JdbcSubscriptionStore.class);

  private final String where;
  private final HikariDataSource dataSource;
  private final StoreExecutor executor;

  private JdbcSubscriptionStore(String where, HikariDataSource dataSource, StoreExecutor executor) {
    this.where = where;
    this.dataSource = dataSource;
    this.executor = executor;
  }

  /**
   * Connects to the database of {@code settings} and applies the schema versions it lacks.
   *
   * @throws StoreException if the database cannot be reached or its schema is newer than this
   *     code's, with a message saying which
   */
  public static JdbcSubscriptionStore open(StoreSettings settings) {
    Objects.requireNonNull(settings, "settings");
    Database database = settings.database();
    database.prepare(settings.url());
    String where = settings.redactedUrl();
    HikariDataSource dataSource = connect(settings, database, where);
    StoreExecutor executor =
        new StoreExecutor(dataSource, settings.poolSize(), settings.queueLimit());
    try {
      SchemaMigrations.migrate(executor, where);
    } catch (RuntimeException e) {
      executor.close(Duration.ZERO);
      dataSource.close();
      throw e;
    }
    LOG.info(
        "subscription store {} open, schema version {}, {} connections",
        where,
        SchemaMigrations.latest(),
        settings.poolSize());
    return new JdbcSubscriptionStore(where, dataSource, executor);
  }

  private static HikariDataSource connect(StoreSettings settings, Database database, String where) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("subscription-store");
    config.setJdbcUrl(settings.url());
    settings.user().ifPresent(config::setUsername);
    settings.password().ifPresent(config::setPassword);
    config.setDataSourceProperties(database.driverProperties());
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(settings.poolSize());
    // Each task commits or rolls back (StoreExecutor).
    config.setAutoCommit(false);
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    try {
      return new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new StoreException(
          "cannot connect to the subscription store " + where + ": " + cause.getMessage(), e);
    }
  }

  @Override
  public CompletionStage<Optional<Authorization>> authorization(AuthorizationKey key) {
    Objects.requireNonNull(key, "key");
    return executor.transaction("reading authorization", c -> AuthorizationRows.get(c, key));
  }

  @Override
  public CompletionStage<Authorization> putAuthorization(Authorization authorization) {
    Objects.requireNonNull(authorization, "authorization");
    return executor.transaction(
        "storing authorization", c -> AuthorizationRows.put(c, authorization));
  }

  @Override
  public CompletionStage<List<Authorization>> putAuthorizations(
      List<Authorization> authorizations) {
    List<Authorization> all = List.copyOf(authorizations);
    return executor.transaction(
        "storing " + all.size() + " authorizations",
        c -> {
          List<Authorization> stored = new ArrayList<>(all.size());
          for (Authorization authorization : all) {
            stored.add(AuthorizationRows.put(c, authorization));
          }
          return stored;
        });
  }

  @Override
  public CompletionStage<Boolean> deleteAuthorization(AuthorizationKey key) {
    Objects.requireNonNull(key, "key");
    return executor.transaction("deleting authorization", c -> AuthorizationRows.delete(c, key));
  }

  @Override
  public CompletionStage<List<Authorization>> authorizationsAfter(
      AuthorizationState state, Optional<AuthorizationKey> after, int limit) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(after, "after");
    StoredValues.pageLimit("limit", limit);
    return executor.transaction(
        "reading authorizations", c -> AuthorizationRows.inStateAfter(c, state, after, limit));
  }

  @Override
  public CompletionStage<List<StoredSubscription>> subscriptionsAfter(
      AuthorizationState state, Optional<AuthorizationKey> after, int limit) {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(after, "after");
    StoredValues.pageLimit("limit", limit);
    return executor.transaction(
        "reading subscriptions",
        c -> {
          List<Authorization> page = AuthorizationRows.inStateAfter(c, state, after, limit);
          if (page.isEmpty()) {
            return List.of();
          }
          Map<AuthorizationKey, List<SipDialog>> dialogs =
              DialogRows.inKeyRange(c, after, page.get(page.size() - 1).key());
          List<StoredSubscription> subscriptions = new ArrayList<>(page.size());
          for (Authorization authorization : page) {
            subscriptions.add(
                new StoredSubscription(
                    authorization, dialogs.getOrDefault(authorization.key(), List.of())));
          }
          return subscriptions;
        });
  }

  @Override
  public CompletionStage<Void> saveDialogs(List<SipDialog> dialogs) {
    List<SipDialog> all = List.copyOf(dialogs);
    return executor.transaction(
        "storing " + all.size() + " dialogs",
        c -> {
          for (SipDialog dialog : all) {
            DialogRows.save(c, dialog);
          }
          return null;
        });
  }

  @Override
  public CompletionStage<Void> saveDialog(SipDialog dialog) {
    Objects.requireNonNull(dialog, "dialog");
    return executor.transaction(
        "storing dialog",
        c -> {
          DialogRows.save(c, dialog);
          return null;
        });
  }

  @Override
  public CompletionStage<Optional<SipDialog>> dialog(DialogId id) {
    Objects.requireNonNull(id, "id");
    return executor.transaction("reading dialog", c -> DialogRows.get(c, id));
  }

  @Override
  public CompletionStage<List<SipDialog>> dialogsOf(AuthorizationKey key) {
    Objects.requireNonNull(key, "key");
    return executor.transaction(
        "reading dialogs of an authorization", c -> DialogRows.ofAuthorization(c, key));
  }

  @Override
  public CompletionStage<Boolean> deleteDialog(DialogId id) {
    Objects.requireNonNull(id, "id");
    return executor.transaction("deleting dialog", c -> DialogRows.delete(c, id));
  }

  @Override
  public CompletionStage<List<SipDialog>> dialogsExpiringBefore(
      Direction direction, Instant before, int limit) {
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(before, "before");
    StoredValues.pageLimit("limit", limit);
    return executor.transaction(
        "reading expiring dialogs", c -> DialogRows.expiringBefore(c, direction, before, limit));
  }

  @Override
  public CompletionStage<Optional<LastPresence>> presence(String contactJid) {
    StoredValues.bareJid("contactJid", contactJid);
    return executor.transaction("reading presence", c -> PresenceRows.get(c, contactJid));
  }

  @Override
  public CompletionStage<Boolean> putPresence(LastPresence presence) {
    Objects.requireNonNull(presence, "presence");
    return executor.transaction("storing presence", c -> PresenceRows.put(c, presence));
  }

  @Override
  public CompletionStage<Void> putPresences(List<LastPresence> presences) {
    List<LastPresence> all = List.copyOf(presences);
    return executor.transaction(
        "storing " + all.size() + " presences",
        c -> {
          for (LastPresence presence : all) {
            PresenceRows.put(c, presence);
          }
          return null;
        });
  }

  @Override
  public CompletionStage<Boolean> deletePresence(String contactJid) {
    StoredValues.bareJid("contactJid", contactJid);
    return executor.transaction("deleting presence", c -> PresenceRows.delete(c, contactJid));
  }

  @Override
  public boolean isOpen() {
    return executor.isRunning() && !dataSource.isClosed();
  }

  @Override
  public int queued() {
    return executor.queued();
  }

  @Override
  public void close() {
    executor.close(CLOSE_GRACE);
    dataSource.close();
    LOG.info("subscription store {} closed", where);
  }

  @Override
  public String toString() {
    return "subscription store " + where;
  }
}
