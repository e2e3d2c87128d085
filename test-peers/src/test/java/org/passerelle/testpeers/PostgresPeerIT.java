package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start, stop and restart of PostgreSQL, which the shared subscription store tests rely on. */
class PostgresPeerIT {

  private static final String ADDRESS = "127.0.0.50";

  @Test
  void theRoleLogsInWithItsPasswordToItsOwnDatabase() throws SQLException {
    try (PostgresPeer postgres = new PostgresPeer(PostgresConfig.builder(ADDRESS).build())) {
      postgres.start();

      assertThat(
              query(
                  postgres, postgres.jdbcUrl(), "SELECT current_user || ' ' || current_database()"))
          .isEqualTo("passerelle passerelle");
    }
  }

  @Test
  void aCreatedDatabaseIsEmptyAndOwnedByTheRole() throws SQLException {
    try (PostgresPeer postgres = new PostgresPeer(PostgresConfig.builder(ADDRESS).build())) {
      postgres.start();

      String url = postgres.createDatabase("store_test_1");

      assertThat(url).isEqualTo("jdbc:postgresql://127.0.0.50:5432/store_test_1");
      try (Connection connection =
              DriverManager.getConnection(url, postgres.user(), postgres.password());
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE t (v INTEGER)");
      }
      assertThat(
              query(
                  postgres,
                  url,
                  "SELECT pg_catalog.pg_get_userbyid(datdba) FROM pg_database"
                      + " WHERE datname = current_database()"))
          .isEqualTo("passerelle");
    }
  }

  @Test
  void stopEndsEveryProcessAndTheNextStartKeepsTheData() throws SQLException {
    try (PostgresPeer postgres = new PostgresPeer(PostgresConfig.builder(ADDRESS).build())) {
      postgres.start();
      String url = postgres.createDatabase("kept");
      String workDir = postgres.workDir().path().toString();
      // Open a session: a fast shutdown must not wait for it.
      try (Connection open =
          DriverManager.getConnection(url, postgres.user(), postgres.password())) {
        assertThat(open.isValid(5)).isTrue();
        assertThat(processesOf(workDir)).as("the server").isNotEmpty();

        postgres.stop();

        assertThat(postgres.isRunning()).isFalse();
        assertThat(processesOf(workDir)).isEmpty();
        assertThat(Daemons.accepts(postgres.config().socketAddress())).isFalse();
      }

      postgres.start();

      assertThat(query(postgres, url, "SELECT current_database()")).isEqualTo("kept");
    }
  }

  private static String query(PostgresPeer postgres, String url, String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(url, postgres.user(), postgres.password());
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getString(1);
    }
  }

  /** Processes whose command line names {@code workDir}: the server; its backends do not. */
  private static List<ProcessHandle> processesOf(String workDir) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains(workDir))
        .toList();
  }
}
