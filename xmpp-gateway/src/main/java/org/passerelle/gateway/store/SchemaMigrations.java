package org.passerelle.gateway.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database's schema to the version this code knows, at start, and refuses a database
 * that a newer gateway has upgraded past it.
 *
 * <p>Each version is a script {@code V<n>__<name>.sql} beside this class, listed in {@link #KNOWN},
 * applied once in its own transaction and recorded in {@code store_schema_version} with a checksum:
 * a script changed after it was applied is refused too. Several gateways starting together on one
 * PostgreSQL are safe: each transaction first inserts its version's row, so a second gateway waits
 * on that key, fails, and finds the version applied.
 *
 * <p>Script format: statements end with {@code ;} at the end of a line; lines starting with {@code
 * --} are comments.
 */
final class SchemaMigrations {

  /** The versions this code knows, oldest first. Append; never change an applied one. */
  static final List<Migration> KNOWN = List.of(new Migration(1, "subscriptions"));

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

  /** The runner's own table; created outside the versions so that it can record them. */
  private static final String CREATE_HISTORY =
      """
      CREATE TABLE IF NOT EXISTS store_schema_version (
        version    INTEGER      NOT NULL PRIMARY KEY,
        name       VARCHAR(100) NOT NULL,
        checksum   BIGINT       NOT NULL,
        applied_at BIGINT       NOT NULL
      )""";

  private static final String SELECT_APPLIED =
      "SELECT version, name, checksum FROM store_schema_version ORDER BY version";

  private static final String INSERT_APPLIED =
      "INSERT INTO store_schema_version (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)";

  /** How often a start retries after another gateway changed the schema at the same moment. */
  private static final int ATTEMPTS = 3;

  private SchemaMigrations() {}

  /** One version of the schema and its script. */
  record Migration(int version, String name) {
    String resource() {
      return "V" + version + "__" + name + ".sql";
    }

    String script() {
      try (InputStream in = SchemaMigrations.class.getResourceAsStream(resource())) {
        if (in == null) {
          throw new IllegalStateException("schema script " + resource() + " is missing");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read schema script " + resource(), e);
      }
    }

    long checksum() {
      CRC32 crc = new CRC32();
      crc.update(script().getBytes(StandardCharsets.UTF_8));
      return crc.getValue();
    }
  }

  /** A version recorded in the database. */
  private record Applied(int version, String name, long checksum) {}

  /**
   * Applies the missing versions of {@link #KNOWN}.
   *
   * @param where the database, for messages
   * @throws StoreException if the database is at a newer version than this code, or a recorded
   *     version's script differs from this code's
   */
  static void migrate(StoreExecutor executor, String where) {
    for (int attempt = 1; ; attempt++) {
      try {
        migrateOnce(executor, where);
        return;
      } catch (StoreException e) {
        // A database error may come from another gateway changing the schema at the same moment
        // (PostgreSQL lets two CREATE TABLE IF NOT EXISTS race): read the versions again. A
        // refusal has no SQLException behind it and stands.
        if (!(e.getCause() instanceof SQLException) || attempt == ATTEMPTS) {
          throw e;
        }
        LOG.info(
            "subscription store {}: {}; reading the schema version again", where, e.getMessage());
      }
    }
  }

  private static void migrateOnce(StoreExecutor executor, String where) {
    executor.transactionHere("creating store_schema_version", SchemaMigrations::createHistory);
    NavigableMap<Integer, Applied> applied =
        executor.transactionHere("reading the schema version", SchemaMigrations::applied);
    check(applied, where);
    for (Migration migration : KNOWN) {
      if (!applied.containsKey(migration.version())) {
        executor.transactionHere(
            "applying schema " + migration.resource(), c -> apply(c, migration));
        LOG.info("subscription store {}: applied schema {}", where, migration.resource());
      }
    }
  }

  /** The newest version this code knows. */
  static int latest() {
    return KNOWN.get(KNOWN.size() - 1).version();
  }

  private static void check(NavigableMap<Integer, Applied> applied, String where) {
    if (!applied.isEmpty()) {
      int newest = applied.lastKey();
      if (newest > latest()) {
        throw new StoreException(
            "the subscription store "
                + where
                + " has schema version "
                + newest
                + " ("
                + applied.get(newest).name()
                + "), newer than this gateway knows ("
                + latest()
                + "): a newer gateway upgraded it. Run that version of the gateway, or give this"
                + " one another store.url");
      }
    }
    for (Migration migration : KNOWN) {
      Applied done = applied.get(migration.version());
      if (done != null && done.checksum() != migration.checksum()) {
        throw new StoreException(
            "the subscription store "
                + where
                + " applied schema "
                + migration.resource()
                + " with a different text (checksum "
                + done.checksum()
                + ", this gateway has "
                + migration.checksum()
                + "): an applied script must never change");
      }
    }
  }

  private static Void createHistory(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(CREATE_HISTORY);
    }
    return null;
  }

  private static NavigableMap<Integer, Applied> applied(Connection connection) throws SQLException {
    NavigableMap<Integer, Applied> applied = new TreeMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(SELECT_APPLIED)) {
      while (rows.next()) {
        applied.put(
            rows.getInt(1), new Applied(rows.getInt(1), rows.getString(2), rows.getLong(3)));
      }
    }
    return applied;
  }

  private static Void apply(Connection connection, Migration migration) throws SQLException {
    // The version's row first: a concurrent start waits on this key, then fails and re-reads.
    try (PreparedStatement insert = connection.prepareStatement(INSERT_APPLIED)) {
      insert.setInt(1, migration.version());
      insert.setString(2, migration.name());
      insert.setLong(3, migration.checksum());
      insert.setLong(4, System.currentTimeMillis());
      insert.executeUpdate();
    }
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements(migration.script())) {
        statement.execute(sql);
      }
    }
    return null;
  }

  /** The statements of a script: {@code --} comment lines dropped, split at a final {@code ;}. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.lines().toList()) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      if (trimmed.endsWith(";")) {
        current.append(trimmed, 0, trimmed.length() - 1);
        statements.add(current.toString().strip());
        current.setLength(0);
      } else {
        current.append(trimmed).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException("schema script ends without ';': " + current);
    }
    return statements;
  }
}
