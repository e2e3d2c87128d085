package org.passerelle.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The SQL of table {@code contact_presence}, run on a connection the caller holds. */
final class PresenceRows {

  private static final String SELECT =
      "SELECT contact_jid, pidf, updated_at FROM contact_presence WHERE contact_jid = ?";

  /** Last write wins, unless it is older than what is stored (presence may arrive out of order). */
  private static final String UPSERT =
      """
      INSERT INTO contact_presence (contact_jid, pidf, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (contact_jid) DO UPDATE SET pidf = excluded.pidf, updated_at = excluded.updated_at
      WHERE contact_presence.updated_at <= excluded.updated_at""";

  private static final String DELETE = "DELETE FROM contact_presence WHERE contact_jid = ?";

  private PresenceRows() {}

  static Optional<LastPresence> get(Connection connection, String contactJid) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT)) {
      select.setString(1, contactJid);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new LastPresence(
                row.getString(1), row.getString(2), Instant.ofEpochMilli(row.getLong(3))));
      }
    }
  }

  /** Stores {@code presence}; returns false if a newer one was stored already. */
  static boolean put(Connection connection, LastPresence presence) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
      upsert.setString(1, presence.contactJid());
      upsert.setString(2, presence.pidf());
      upsert.setLong(3, presence.updated().toEpochMilli());
      return upsert.executeUpdate() == 1;
    }
  }

  static boolean delete(Connection connection, String contactJid) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
      delete.setString(1, contactJid);
      return delete.executeUpdate() > 0;
    }
  }
}
