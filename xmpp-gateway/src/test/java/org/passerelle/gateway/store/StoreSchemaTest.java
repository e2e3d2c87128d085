package org.passerelle.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The versioned scripts and how the runner reads them. */
class StoreSchemaTest {

  @Test
  void statementsEndAtASemicolonAtTheEndOfALineAndCommentLinesAreDropped() {
    String script =
        """
        -- a comment; with a semicolon
        CREATE TABLE a (
          x INTEGER -- trailing comments stay with their line
        );

        CREATE INDEX a_x ON a (x);
        """;

    assertThat(SchemaMigrations.statements(script))
        .containsExactly(
            "CREATE TABLE a (\nx INTEGER -- trailing comments stay with their line\n)",
            "CREATE INDEX a_x ON a (x)");
  }

  @Test
  void aScriptWhoseLastStatementHasNoSemicolonIsRefused() {
    assertThatThrownBy(() -> SchemaMigrations.statements("CREATE TABLE a (x INTEGER)"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ends without ';'");
  }

  @Test
  void everyKnownVersionHasItsScriptInOrderWithoutGaps() {
    List<SchemaMigrations.Migration> known = SchemaMigrations.KNOWN;

    for (int i = 0; i < known.size(); i++) {
      assertThat(known.get(i).version()).isEqualTo(i + 1);
      assertThat(SchemaMigrations.statements(known.get(i).script())).isNotEmpty();
    }
    assertThat(SchemaMigrations.latest()).isEqualTo(known.size());
  }

  @Test
  void versionOneCreatesTheThreeTablesAndTheirIndexes() {
    List<String> statements = SchemaMigrations.statements(SchemaMigrations.KNOWN.get(0).script());

    assertThat(statements)
        .extracting(s -> s.lines().findFirst().orElseThrow())
        .containsExactly(
            "CREATE TABLE presence_authorization (",
            "CREATE TABLE sip_dialog (",
            "CREATE INDEX sip_dialog_expiry ON sip_dialog (direction, expires_at)",
            "CREATE INDEX sip_dialog_by_authorization ON sip_dialog (local_jid, remote_jid, direction)",
            "CREATE TABLE contact_presence (");
  }
}
