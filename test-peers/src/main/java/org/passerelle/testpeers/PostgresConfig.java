package org.passerelle.testpeers;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a {@link PostgresPeer} listens and the database and role it creates, validated when built.
 * Example:
 *
 * <pre>{@code
 * PostgresConfig config = PostgresConfig.builder("127.0.0.50").database("store").build();
 * }</pre>
 */
public final class PostgresConfig {

  /** PostgreSQL's default port. */
  public static final int DEFAULT_PORT = 5432;

  public static final String DEFAULT_DATABASE = "passerelle";
  public static final String DEFAULT_USER = "passerelle";
  public static final String DEFAULT_PASSWORD = "passerelle-test";

  /** Default for {@link Builder#startTimeout}: initdb takes about a second, the start less. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Names we create without quoting: lower-case SQL identifiers, at most 63 bytes (PostgreSQL's
   * NAMEDATALEN - 1).
   */
  static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final InetAddress address;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Duration startTimeout;
  private final Path workDirParent;

  private PostgresConfig(Builder builder) {
    this.address = builder.address;
    this.port = builder.port;
    this.database = builder.database;
    this.user = builder.user;
    this.password = builder.password;
    this.startTimeout = builder.startTimeout;
    this.workDirParent = builder.workDirParent;
  }

  /**
   * Starts a configuration for PostgreSQL on the loopback {@code address}.
   *
   * @param address an IPv4 literal in 127.0.0.0/8
   */
  public static Builder builder(String address) {
    return new Builder(ConfigChecks.loopback(address));
  }

  public InetAddress address() {
    return address;
  }

  public int port() {
    return port;
  }

  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** The database created at the first start, owned by {@link #user()}. */
  public String database() {
    return database;
  }

  /** The role the tests log in as, with a password over TCP (SCRAM-SHA-256). */
  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public Duration startTimeout() {
    return startTimeout;
  }

  /** Where the peer's working directory is created. */
  public Path workDirParent() {
    return workDirParent;
  }

  @Override
  public String toString() {
    return database + "@" + address.getHostAddress() + ":" + port;
  }

  /** A lower-case SQL name we may use unquoted. */
  static String name(String what, String name) {
    Objects.requireNonNull(name, what);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " must be a lower-case SQL name of at most 63 characters: " + name);
    }
    return name;
  }

  /** Collects and checks the settings of one PostgreSQL. */
  public static final class Builder {
    private final InetAddress address;
    private int port = DEFAULT_PORT;
    private String database = DEFAULT_DATABASE;
    private String user = DEFAULT_USER;
    private String password = DEFAULT_PASSWORD;
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Path workDirParent = Path.of(System.getProperty("java.io.tmpdir"));

    private Builder(InetAddress address) {
      this.address = address;
    }

    /** The TCP port; default {@value PostgresConfig#DEFAULT_PORT}. */
    public Builder port(int port) {
      this.port = ConfigChecks.port(port);
      return this;
    }

    /** The database to create; default {@value PostgresConfig#DEFAULT_DATABASE}. */
    public Builder database(String database) {
      this.database = name("database", database);
      return this;
    }

    /** The role to create; default {@value PostgresConfig#DEFAULT_USER}. */
    public Builder user(String user) {
      this.user = name("user", user);
      return this;
    }

    /** The role's password: printable ASCII without quotes or backslashes. */
    public Builder password(String password) {
      Objects.requireNonNull(password, "password");
      if (!password.matches("[\\x21-\\x7e&&[^'\"\\\\]]{1,64}")) {
        throw new IllegalArgumentException(
            "password must be 1 to 64 printable ASCII characters without quotes or backslashes");
      }
      this.password = password;
      return this;
    }

    /** How long {@link PostgresPeer#start()} waits, initdb included; default 30 s. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout =
          ConfigChecks.within(
              "startTimeout", startTimeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
      return this;
    }

    /** Parent of the peer's fresh working directory; default {@code java.io.tmpdir}. */
    public Builder workDirParent(Path workDirParent) {
      this.workDirParent = Objects.requireNonNull(workDirParent, "workDirParent");
      return this;
    }

    public PostgresConfig build() {
      return new PostgresConfig(this);
    }
  }
}
