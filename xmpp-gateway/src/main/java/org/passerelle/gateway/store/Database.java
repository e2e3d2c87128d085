package org.passerelle.gateway.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The databases the store runs on, told apart by the JDBC URL. The SQL is the same for both; what
 * differs is only here: the driver properties and how the database is prepared.
 */
enum Database {
  /** An embedded SQLite file (xerial sqlite-jdbc), the default under the data directory. */
  SQLITE("jdbc:sqlite:") {
    @Override
    Properties driverProperties() {
      // sqlite-jdbc applies these pragmas to each connection it opens (SQLiteConfig.Pragma).
      Properties properties = new Properties();
      // Readers do not wait for the writer, nor the writer for readers.
      properties.setProperty("journal_mode", "WAL");
      // A committed authorisation survives a power cut, not only a crash of the gateway.
      properties.setProperty("synchronous", "FULL");
      // SQLite checks FOREIGN KEY clauses (a dialog's authorisation) only when asked to.
      properties.setProperty("foreign_keys", "true");
      // A second writer waits for the first instead of failing with SQLITE_BUSY. Transactions
      // write before they read, so that this wait applies (a deferred transaction that read first
      // could not be upgraded).
      properties.setProperty("busy_timeout", Long.toString(BUSY_TIMEOUT_MILLIS));
      return properties;
    }

    @Override
    void prepare(String url) {
      String file = url.substring(prefix().length());
      // "file:" URIs and in-memory databases are left to the driver.
      if (file.isEmpty() || file.startsWith(":") || file.startsWith("file:")) {
        return;
      }
      int query = file.indexOf('?');
      Path parent =
          Path.of(query < 0 ? file : file.substring(0, query)).toAbsolutePath().getParent();
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new UncheckedIOException("store.url: cannot create the folder " + parent, e);
      }
    }
  },

  /** A PostgreSQL server, shared by a pool of gateways. */
  POSTGRESQL("jdbc:postgresql:") {
    @Override
    Properties driverProperties() {
      Properties properties = new Properties();
      // Shown in pg_stat_activity, so operators can tell the gateways' sessions apart.
      properties.setProperty("ApplicationName", "passerelle-gateway");
      return properties;
    }
  };

  /** How long a SQLite writer waits for another one. */
  static final long BUSY_TIMEOUT_MILLIS = 10_000;

  private final String prefix;

  Database(String prefix) {
    this.prefix = prefix;
  }

  /** The start of the JDBC URLs of this database. */
  String prefix() {
    return prefix;
  }

  /** Properties passed to the JDBC driver with each connection. */
  abstract Properties driverProperties();

  /** Prepares what the database needs before the first connection; nothing by default. */
  void prepare(String url) {}

  /**
   * The database of a JDBC URL.
   *
   * @throws IllegalArgumentException naming {@code store.url} if no database serves it
   */
  static Database of(String url) {
    for (Database database : values()) {
      if (url.startsWith(database.prefix)) {
        return database;
      }
    }
    throw new IllegalArgumentException(
        "store.url must start with jdbc:sqlite: or jdbc:postgresql:, was '"
            + StoreSettings.redact(url)
            + "'");
  }
}
