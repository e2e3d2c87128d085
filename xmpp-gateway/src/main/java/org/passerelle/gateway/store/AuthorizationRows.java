package org.passerelle.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of table {@code presence_authorization}, run on a connection the caller holds. */
final class AuthorizationRows {

  private static final String COLUMNS =
      "local_jid, remote_jid, direction, state, created_at, updated_at";

  private static final String SELECT =
      "SELECT "
          + COLUMNS
          + " FROM presence_authorization WHERE local_jid = ? AND remote_jid = ? AND direction = ?";

  private static final String INSERT_IF_ABSENT =
      "INSERT INTO presence_authorization ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (local_jid, remote_jid, direction) DO NOTHING";

  /**
   * Guarded by the state that was read, so that a concurrent change is noticed, not overwritten.
   */
  private static final String UPDATE_STATE =
      """
      UPDATE presence_authorization SET state = ?, updated_at = ?
      WHERE local_jid = ? AND remote_jid = ? AND direction = ? AND state = ?""";

  private static final String DELETE =
      "DELETE FROM presence_authorization WHERE local_jid = ? AND remote_jid = ? AND direction = ?";

  /**
   * Keyset paging in key order: the row comparison continues after the last key of the previous
   * page, and uses the primary key's index on both databases.
   */
  private static final String SELECT_IN_STATE_AFTER =
      """
      SELECT local_jid, remote_jid, direction, state, created_at, updated_at
      FROM presence_authorization
      WHERE state = ? AND (local_jid, remote_jid, direction) > (?, ?, ?)
      ORDER BY local_jid, remote_jid, direction
      LIMIT ?""";

  /** Sorts before every key: JIDs are never empty. */
  private static final AuthorizationKeyParts BEFORE_FIRST = new AuthorizationKeyParts("", "", "");

  private AuthorizationRows() {}

  static Optional<Authorization> get(Connection connection, AuthorizationKey key)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT)) {
      setKey(select, 1, key);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(read(row)) : Optional.empty();
      }
    }
  }

  /**
   * Stores {@code next}: inserted if the key is new, otherwise moved from the stored state as
   * {@link Authorization#moveTo} allows, keeping when it was created.
   *
   * @return the authorisation as stored
   * @throws IllegalStateException if the stored state cannot become {@code next}'s
   * @throws StoreException if another gateway changed or deleted it meanwhile
   */
  static Authorization put(Connection connection, Authorization next) throws SQLException {
    // The insert comes first: on SQLite it takes the write lock before anything is read.
    if (insertIfAbsent(connection, next)) {
      return next;
    }
    Authorization stored =
        get(connection, next.key()).orElseThrow(() -> changedMeanwhile(next.key()));
    Authorization moved = stored.moveTo(next.state(), next.updated());
    try (PreparedStatement update = connection.prepareStatement(UPDATE_STATE)) {
      update.setString(1, moved.state().code());
      update.setLong(2, moved.updated().toEpochMilli());
      setKey(update, 3, moved.key());
      update.setString(6, stored.state().code());
      if (update.executeUpdate() != 1) {
        throw changedMeanwhile(next.key());
      }
    }
    return moved;
  }

  static boolean delete(Connection connection, AuthorizationKey key) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
      setKey(delete, 1, key);
      return delete.executeUpdate() > 0;
    }
  }

  /** Up to {@code limit} authorisations in {@code state} with keys after {@code after}. */
  static List<Authorization> inStateAfter(
      Connection connection, AuthorizationState state, Optional<AuthorizationKey> after, int limit)
      throws SQLException {
    AuthorizationKeyParts from = after.map(AuthorizationKeyParts::of).orElse(BEFORE_FIRST);
    List<Authorization> page = new ArrayList<>(Math.min(limit, 1024));
    try (PreparedStatement select = connection.prepareStatement(SELECT_IN_STATE_AFTER)) {
      select.setString(1, state.code());
      select.setString(2, from.localJid());
      select.setString(3, from.remoteJid());
      select.setString(4, from.direction());
      select.setInt(5, limit);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          page.add(read(rows));
        }
      }
    }
    return page;
  }

  /** Sets the three key columns from parameter {@code first} on. */
  static void setKey(PreparedStatement statement, int first, AuthorizationKey key)
      throws SQLException {
    statement.setString(first, key.localJid());
    statement.setString(first + 1, key.remoteJid());
    statement.setString(first + 2, key.direction().code());
  }

  private static boolean insertIfAbsent(Connection connection, Authorization authorization)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_IF_ABSENT)) {
      setKey(insert, 1, authorization.key());
      insert.setString(4, authorization.state().code());
      insert.setLong(5, authorization.created().toEpochMilli());
      insert.setLong(6, authorization.updated().toEpochMilli());
      return insert.executeUpdate() == 1;
    }
  }

  private static Authorization read(ResultSet row) throws SQLException {
    return new Authorization(
        new AuthorizationKey(
            row.getString(1), row.getString(2), Direction.ofCode(row.getString(3))),
        AuthorizationState.ofCode(row.getString(4)),
        Instant.ofEpochMilli(row.getLong(5)),
        Instant.ofEpochMilli(row.getLong(6)));
  }

  private static StoreException changedMeanwhile(AuthorizationKey key) {
    return new StoreException(
        "authorization " + key + " was changed or deleted by another gateway meanwhile; retry");
  }

  /** A key as its stored column values, including the sort-first key of no row. */
  private record AuthorizationKeyParts(String localJid, String remoteJid, String direction) {
    static AuthorizationKeyParts of(AuthorizationKey key) {
      return new AuthorizationKeyParts(key.localJid(), key.remoteJid(), key.direction().code());
    }
  }
}
