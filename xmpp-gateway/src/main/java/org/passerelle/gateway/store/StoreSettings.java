package org.passerelle.gateway.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.passerelle.model.config.ConfigReader;
import org.passerelle.model.config.Redaction;

/**
 * Where the subscription store lives and how much it may use, validated: every message names the
 * configuration key ({@code store.*}) it is about.
 *
 * <pre>{@code
 * store:
 *   url: jdbc:postgresql://db.example.com/passerelle   # default: SQLite under data-dir
 *   user: passerelle
 *   password: secret
 *   pool-size: 4
 *   queue-limit: 10000
 * }</pre>
 *
 * @param url the JDBC URL: {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://...}
 * @param user the database user; SQLite has none
 * @param password the database password
 * @param poolSize connections, and threads running the store's work
 * @param queueLimit operations that may wait for a thread; more fail at once
 */
public record StoreSettings(
    String url, Optional<String> user, Optional<String> password, int poolSize, int queueLimit) {

  /** The embedded database's file name under the data directory. */
  public static final String DEFAULT_FILE = "subscriptions.db";

  /**
   * Default connections: enough to overlap a page read at restart with ongoing writes, few enough
   * for SQLite's single writer and for many gateways sharing one PostgreSQL.
   */
  public static final int DEFAULT_POOL_SIZE = 4;

  /** Most connections per gateway; PostgreSQL's default max_connections is 100 for the pool. */
  public static final int MAX_POOL_SIZE = 32;

  /** Default waiting operations: a burst of presence from a large roster, not an unbounded one. */
  public static final int DEFAULT_QUEUE_LIMIT = 10_000;

  public static final int MAX_QUEUE_LIMIT = 1_000_000;

  /** A password given in the URL's parameters, e.g. {@code ?user=u&password=p}. */
  private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password=)[^&;]*");

  /**
   * A password given as user information, e.g. {@code postgres://u:p@host/db} (RFC 3986 §3.2.1).
   */
  private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@]*:)[^/@]*@");

  public StoreSettings {
    Objects.requireNonNull(url, "store.url");
    Database.of(url);
    Objects.requireNonNull(user, "store.user");
    Objects.requireNonNull(password, "store.password");
    if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
      throw new IllegalArgumentException(
          "store.pool-size must be between 1 and " + MAX_POOL_SIZE + ", was " + poolSize);
    }
    if (queueLimit < 1 || queueLimit > MAX_QUEUE_LIMIT) {
      throw new IllegalArgumentException(
          "store.queue-limit must be between 1 and " + MAX_QUEUE_LIMIT + ", was " + queueLimit);
    }
  }

  /** The default: SQLite in {@value #DEFAULT_FILE} under {@code dataDir}. */
  public static StoreSettings embedded(Path dataDir) {
    return new StoreSettings(
        defaultUrl(dataDir),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_POOL_SIZE,
        DEFAULT_QUEUE_LIMIT);
  }

  /** A database at {@code url} with default limits. */
  public static StoreSettings of(String url, String user, String password) {
    return new StoreSettings(
        url, Optional.of(user), Optional.of(password), DEFAULT_POOL_SIZE, DEFAULT_QUEUE_LIMIT);
  }

  /** Reads the {@code store} section; everything is optional. */
  public static StoreSettings read(ConfigReader store, Path dataDir) {
    return new StoreSettings(
        store.string("url", defaultUrl(dataDir)),
        store.optionalString("user"),
        store.optionalString("password"),
        store.integer("pool-size", DEFAULT_POOL_SIZE, 1, MAX_POOL_SIZE),
        store.integer("queue-limit", DEFAULT_QUEUE_LIMIT, 1, MAX_QUEUE_LIMIT));
  }

  /** These settings with {@code poolSize} connections. */
  public StoreSettings withPoolSize(int poolSize) {
    return new StoreSettings(url, user, password, poolSize, queueLimit);
  }

  /** These settings with room for {@code queueLimit} waiting operations. */
  public StoreSettings withQueueLimit(int queueLimit) {
    return new StoreSettings(url, user, password, poolSize, queueLimit);
  }

  /** The URL without a password it may carry, for messages and logs. */
  public String redactedUrl() {
    return redact(url);
  }

  /** {@code url} without a password it may carry: {@code password=…} or {@code //user:…@}. */
  static String redact(String url) {
    String text = PASSWORD_IN_URL.matcher(url).replaceAll("$1" + Redaction.SET);
    return USER_INFO_PASSWORD.matcher(text).replaceAll("$1" + Redaction.SET + "@");
  }

  Database database() {
    return Database.of(url);
  }

  /** Without the password, which must not reach a log. */
  @Override
  public String toString() {
    return "StoreSettings[url="
        + redactedUrl()
        + ", user="
        + user.orElse(Redaction.NONE)
        + ", password="
        + Redaction.mark(password)
        + ", poolSize="
        + poolSize
        + ", queueLimit="
        + queueLimit
        + "]";
  }

  private static String defaultUrl(Path dataDir) {
    return Database.SQLITE.prefix() + dataDir.resolve(DEFAULT_FILE).toAbsolutePath();
  }
}
