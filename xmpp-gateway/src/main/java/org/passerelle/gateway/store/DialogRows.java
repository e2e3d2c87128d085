package org.passerelle.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The SQL of table {@code sip_dialog}, run on a connection the caller holds. */
final class DialogRows {

  private static final String SELECT_FROM =
      """
      SELECT call_id, local_tag, local_jid, remote_jid, direction, remote_tag, local_uri,
             remote_uri, remote_target, route_set, local_cseq, remote_cseq, expires_at
      FROM sip_dialog
      """;

  private static final String SELECT = SELECT_FROM + "WHERE call_id = ? AND local_tag = ?";

  private static final String SELECT_OF_AUTHORIZATION =
      SELECT_FROM
          + "WHERE local_jid = ? AND remote_jid = ? AND direction = ? ORDER BY call_id, local_tag";

  /** The dialogs of the keys after the first (exclusive) up to the second (inclusive). */
  private static final String SELECT_IN_KEY_RANGE =
      SELECT_FROM
          + """
          WHERE (local_jid, remote_jid, direction) > (?, ?, ?)
            AND (local_jid, remote_jid, direction) <= (?, ?, ?)
          ORDER BY local_jid, remote_jid, direction, call_id, local_tag""";

  /** Soonest first; the dialog ID breaks ties so that the order is the same on every database. */
  private static final String SELECT_EXPIRING =
      SELECT_FROM
          + """
          WHERE direction = ? AND expires_at < ?
          ORDER BY expires_at, call_id, local_tag
          LIMIT ?""";

  /**
   * An upsert that never moves a dialog to another authorisation: the WHERE makes it a no-op (0
   * rows) if the stored row belongs to a different one.
   */
  private static final String UPSERT =
      """
      INSERT INTO sip_dialog (call_id, local_tag, local_jid, remote_jid, direction, remote_tag,
                              local_uri, remote_uri, remote_target, route_set, local_cseq,
                              remote_cseq, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (call_id, local_tag) DO UPDATE SET
        remote_tag = excluded.remote_tag, local_uri = excluded.local_uri,
        remote_uri = excluded.remote_uri, remote_target = excluded.remote_target,
        route_set = excluded.route_set, local_cseq = excluded.local_cseq,
        remote_cseq = excluded.remote_cseq, expires_at = excluded.expires_at
      WHERE sip_dialog.local_jid = excluded.local_jid
        AND sip_dialog.remote_jid = excluded.remote_jid
        AND sip_dialog.direction = excluded.direction""";

  private static final String DELETE = "DELETE FROM sip_dialog WHERE call_id = ? AND local_tag = ?";

  /** The separator of the route set's entries, which cannot contain it. */
  private static final String ROUTE_SEPARATOR = "\n";

  private DialogRows() {}

  static Optional<SipDialog> get(Connection connection, DialogId id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT)) {
      select.setString(1, id.callId());
      select.setString(2, id.localTag());
      List<SipDialog> found = readAll(select);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  static List<SipDialog> ofAuthorization(Connection connection, AuthorizationKey key)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_OF_AUTHORIZATION)) {
      AuthorizationRows.setKey(select, 1, key);
      return readAll(select);
    }
  }

  /**
   * The dialogs of every authorisation with a key after {@code after} (all if empty) up to {@code
   * last} included, by authorisation, each list in {@link DialogId} order.
   */
  static Map<AuthorizationKey, List<SipDialog>> inKeyRange(
      Connection connection, Optional<AuthorizationKey> after, AuthorizationKey last)
      throws SQLException {
    Map<AuthorizationKey, List<SipDialog>> byKey = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(SELECT_IN_KEY_RANGE)) {
      if (after.isPresent()) {
        AuthorizationRows.setKey(select, 1, after.get());
      } else {
        // Sorts before every key: JIDs are never empty.
        select.setString(1, "");
        select.setString(2, "");
        select.setString(3, "");
      }
      AuthorizationRows.setKey(select, 4, last);
      for (SipDialog dialog : readAll(select)) {
        byKey.computeIfAbsent(dialog.authorization(), k -> new ArrayList<>(1)).add(dialog);
      }
    }
    return byKey;
  }

  static List<SipDialog> expiringBefore(
      Connection connection, Direction direction, Instant before, int limit) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_EXPIRING)) {
      select.setString(1, direction.code());
      select.setLong(2, before.toEpochMilli());
      select.setInt(3, limit);
      return readAll(select);
    }
  }

  /**
   * Inserts or replaces the dialog.
   *
   * @throws IllegalStateException if its ID is stored for another authorisation
   * @throws SQLException if its authorisation is not stored (foreign key)
   */
  static void save(Connection connection, SipDialog dialog) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
      upsert.setString(1, dialog.id().callId());
      upsert.setString(2, dialog.id().localTag());
      AuthorizationRows.setKey(upsert, 3, dialog.authorization());
      if (dialog.remoteTag().isPresent()) {
        upsert.setString(6, dialog.remoteTag().get());
      } else {
        upsert.setNull(6, Types.VARCHAR);
      }
      upsert.setString(7, dialog.localUri());
      upsert.setString(8, dialog.remoteUri());
      upsert.setString(9, dialog.remoteTarget());
      upsert.setString(10, String.join(ROUTE_SEPARATOR, dialog.routeSet()));
      upsert.setLong(11, dialog.localCseq());
      if (dialog.remoteCseq().isPresent()) {
        upsert.setLong(12, dialog.remoteCseq().getAsLong());
      } else {
        upsert.setNull(12, Types.BIGINT);
      }
      upsert.setLong(13, dialog.expires().toEpochMilli());
      if (upsert.executeUpdate() != 1) {
        throw new IllegalStateException(
            "dialog "
                + dialog.id()
                + " is stored for another authorization than "
                + dialog.authorization());
      }
    }
  }

  static boolean delete(Connection connection, DialogId id) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
      delete.setString(1, id.callId());
      delete.setString(2, id.localTag());
      return delete.executeUpdate() > 0;
    }
  }

  private static List<SipDialog> readAll(PreparedStatement select) throws SQLException {
    List<SipDialog> dialogs = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        dialogs.add(read(rows));
      }
    }
    return dialogs;
  }

  private static SipDialog read(ResultSet row) throws SQLException {
    String routeSet = row.getString(10);
    long remoteCseq = row.getLong(12);
    OptionalLong remote = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(remoteCseq);
    return SipDialog.builder(
            new DialogId(row.getString(1), row.getString(2)),
            new AuthorizationKey(
                row.getString(3), row.getString(4), Direction.ofCode(row.getString(5))))
        .remoteTag(Optional.ofNullable(row.getString(6)))
        .localUri(row.getString(7))
        .remoteUri(row.getString(8))
        .remoteTarget(row.getString(9))
        .routeSet(routeSet.isEmpty() ? List.of() : List.of(routeSet.split(ROUTE_SEPARATOR)))
        .localCseq(row.getLong(11))
        .remoteCseq(remote)
        .expires(Instant.ofEpochMilli(row.getLong(13)))
        .build();
  }
}
