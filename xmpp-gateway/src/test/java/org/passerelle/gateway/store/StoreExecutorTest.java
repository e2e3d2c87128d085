package org.passerelle.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.passerelle.gateway.store.StoreTesting.done;
import static org.passerelle.gateway.store.StoreTesting.failure;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One transaction per task on the store's own threads, failing fast when full or closed. */
class StoreExecutorTest {

  @TempDir Path dir;

  private HikariDataSource dataSource;
  private StoreExecutor executor;

  @BeforeEach
  void start() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("executor.db"));
    config.setDataSourceProperties(Database.SQLITE.driverProperties());
    config.setAutoCommit(false);
    config.setMaximumPoolSize(1);
    dataSource = new HikariDataSource(config);
    executor = new StoreExecutor(dataSource, 1, 1);
    done(
        executor.transaction(
            "create",
            c -> {
              try (Statement statement = c.createStatement()) {
                return statement.execute("CREATE TABLE t (v INTEGER)");
              }
            }));
  }

  @AfterEach
  void stop() {
    executor.close(Duration.ZERO);
    dataSource.close();
  }

  @Test
  void workRunsOnAStoreThreadNotTheCallers() {
    String thread = done(executor.transaction("name", c -> Thread.currentThread().getName()));

    assertThat(thread).startsWith("subscription-store-");
  }

  @Test
  void aDatabaseErrorFailsTheStageWithTheOperationAndRollsBack() {
    Throwable failed =
        failure(
            executor.transaction(
                "inserting twice",
                c -> {
                  insert(c.createStatement());
                  try (Statement statement = c.createStatement()) {
                    return statement.execute("INSERT INTO no_such_table VALUES (1)");
                  }
                }));

    assertThat(failed)
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("inserting twice failed: ")
        .hasCauseInstanceOf(SQLException.class);
    assertThat(rows()).isZero();
  }

  @Test
  void anUncheckedExceptionFromTheWorkFailsTheStageAsItIsAndRollsBack() {
    Throwable failed =
        failure(
            executor.transaction(
                "refused",
                c -> {
                  insert(c.createStatement());
                  throw new IllegalStateException("not allowed");
                }));

    assertThat(failed).isInstanceOf(IllegalStateException.class).hasMessage("not allowed");
    assertThat(rows()).isZero();
  }

  @Test
  void whenTheQueueIsFullAnOperationFailsAtOnce() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Boolean> held = holdTheOnlyThread(release);
    CompletableFuture<Integer> queued = executor.transaction("queued", c -> 1);

    CompletableFuture<Integer> refused = executor.transaction("one too many", c -> 2);

    assertThat(refused).isCompletedExceptionally();
    assertThat(failure(refused))
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "one too many: the subscription store has 1 operations waiting already"
                + " (store.queue-limit)");
    release.countDown();
    assertThat(done(held)).isTrue();
    assertThat(done(queued)).isEqualTo(1);
  }

  @Test
  void closingFailsWhatIsStillQueuedInsteadOfDroppingIt() throws InterruptedException {
    CompletableFuture<Boolean> held = holdTheOnlyThread(new CountDownLatch(1));
    CompletableFuture<Integer> queued = executor.transaction("queued", c -> 1);

    executor.close(Duration.ZERO);

    assertThat(failure(queued))
        .isInstanceOf(StoreException.class)
        .hasMessage("queued: the subscription store closed before it ran");
    assertThat(done(held)).as("interrupted, not abandoned").isFalse();
  }

  /** Occupies the executor's only thread until {@code release}, or an interrupt. */
  private CompletableFuture<Boolean> holdTheOnlyThread(CountDownLatch release)
      throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    CompletableFuture<Boolean> held =
        executor.transaction(
            "hold the only thread",
            c -> {
              holding.countDown();
              try {
                return release.await(StoreTesting.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
              }
            });
    assertThat(holding.await(StoreTesting.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    return held;
  }

  @Test
  void afterCloseAnOperationFailsAtOnce() {
    executor.close(Duration.ZERO);

    CompletableFuture<Integer> late = executor.transaction("late", c -> 1);

    assertThat(late).isCompletedExceptionally();
    assertThat(failure(late))
        .isInstanceOf(StoreException.class)
        .hasMessage("late: the subscription store is closed");
  }

  private static void insert(Statement statement) throws SQLException {
    try (statement) {
      statement.executeUpdate("INSERT INTO t VALUES (1)");
    }
  }

  private int rows() {
    return done(
        executor.transaction(
            "count",
            c -> {
              try (Statement statement = c.createStatement();
                  ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM t")) {
                count.next();
                return count.getInt(1);
              }
            }));
  }
}
