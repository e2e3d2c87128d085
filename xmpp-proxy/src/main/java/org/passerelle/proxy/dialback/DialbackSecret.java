package org.passerelle.proxy.dialback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secret dialback keys are derived from (XEP-0185 §2: "per-host configuration or random at
 * start-up"). It must outlive a restart: a peer may still hold a key issued before it and verify it
 * afterwards. So the secret is taken from configuration when set, else from {@code <dataDir>/}
 * {@value #FILE_NAME}, which is created with a random secret the first time.
 *
 * <p>Assumes one proxy process per data directory: two processes creating the file at the same
 * moment could each keep a different secret until their next restart.
 */
public final class DialbackSecret {

  /** Name of the secret file inside the data directory. */
  public static final String FILE_NAME = "dialback.secret";

  /**
   * Shortest secret accepted from configuration or file. [design] The XEPs set no minimum; 16
   * characters refuses obvious placeholders such as "secret" or "changeme".
   */
  public static final int MIN_LENGTH = 16;

  /** 256 random bits, the size of the SHA-256 hash the secret is reduced to (XEP-0185 §2). */
  static final int GENERATED_BYTES = 32;

  /** A secret file is one line; anything larger is not one of ours. */
  private static final long MAX_FILE_SIZE = 4096;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private static final Logger LOG = LoggerFactory.getLogger(DialbackSecret.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String value;
  private final String source;

  private DialbackSecret(String value, String source) {
    this.value = value;
    this.source = source;
  }

  /**
   * The configured secret if present, otherwise {@link #loadOrGenerate(Path) the one kept in the
   * data directory}.
   *
   * @throws IllegalArgumentException if the configured secret is too short
   * @throws IOException if the secret file cannot be read, created, or holds no usable secret
   */
  public static DialbackSecret resolve(Optional<String> configured, Path dataDir)
      throws IOException {
    Objects.requireNonNull(configured, "configured");
    Objects.requireNonNull(dataDir, "dataDir");
    return configured.isPresent() ? fromConfiguration(configured.get()) : loadOrGenerate(dataDir);
  }

  /**
   * A secret given in configuration.
   *
   * @throws IllegalArgumentException if shorter than {@link #MIN_LENGTH} characters
   */
  public static DialbackSecret fromConfiguration(String secret) {
    Objects.requireNonNull(secret, "secret");
    String value = secret.strip();
    if (value.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "configured dialback secret is too short: "
              + value.length()
              + " characters, at least "
              + MIN_LENGTH
              + " required");
    }
    return new DialbackSecret(value, "configuration");
  }

  /**
   * Reads {@code <dataDir>/dialback.secret}, or creates it with a random secret (hex of {@value
   * #GENERATED_BYTES} bytes from {@link SecureRandom}), readable by the owner only, if it does not
   * exist. The file is written under a temporary name and then renamed, so a crash never leaves a
   * truncated secret behind.
   *
   * @throws IOException if the file cannot be read or created, or does not hold a usable secret;
   *     the message names the file
   */
  public static DialbackSecret loadOrGenerate(Path dataDir) throws IOException {
    Objects.requireNonNull(dataDir, "dataDir");
    Path file = dataDir.resolve(FILE_NAME);
    try {
      return read(file);
    } catch (NoSuchFileException e) {
      return generate(dataDir, file);
    }
  }

  /**
   * The secret the proxy would use, read without creating anything: the configured one, or the one
   * kept in the data directory; empty when the proxy has not generated it yet.
   *
   * @throws IllegalArgumentException if the configured secret is too short
   * @throws IOException if the secret file exists but cannot be read or holds no usable secret
   */
  public static Optional<DialbackSecret> existing(Optional<String> configured, Path dataDir)
      throws IOException {
    if (configured.isPresent()) {
      return Optional.of(fromConfiguration(configured.get()));
    }
    try {
      return Optional.of(read(dataDir.resolve(FILE_NAME)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** A random secret for this process only, kept nowhere (for diagnostics). */
  public static DialbackSecret temporary() {
    byte[] random = new byte[GENERATED_BYTES];
    RANDOM.nextBytes(random);
    return new DialbackSecret(HexFormat.of().formatHex(random), "a temporary secret");
  }

  /** The secret itself, for {@link DialbackKeys#DialbackKeys(String)}. Never log it. */
  public String value() {
    return value;
  }

  /** Where the secret came from: "configuration" or the file path. */
  public String source() {
    return source;
  }

  /** Keys derived from this secret. */
  public DialbackKeys keys() {
    return new DialbackKeys(value);
  }

  @Override
  public String toString() {
    return "DialbackSecret[from " + source + "]";
  }

  private static DialbackSecret read(Path file) throws IOException {
    long size = Files.size(file); // throws NoSuchFileException when absent
    if (size > MAX_FILE_SIZE) {
      throw new IOException(
          "dialback secret file " + file + " is " + size + " bytes, expected one short line");
    }
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException("cannot read dialback secret file " + file + ": " + e, e);
    }
    String value;
    try {
      value =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content))
              .toString()
              .strip();
    } catch (CharacterCodingException e) {
      throw new IOException("dialback secret file " + file + " is not UTF-8 text", e);
    }
    if (value.length() < MIN_LENGTH) {
      throw new IOException(
          "dialback secret in "
              + file
              + " is too short: "
              + value.length()
              + " characters, at least "
              + MIN_LENGTH
              + " required (delete the file to generate a new secret)");
    }
    warnIfReadableByOthers(file);
    return new DialbackSecret(value, file.toString());
  }

  private static DialbackSecret generate(Path dataDir, Path file) throws IOException {
    byte[] random = new byte[GENERATED_BYTES];
    RANDOM.nextBytes(random);
    String value = HexFormat.of().formatHex(random);
    try {
      Files.createDirectories(dataDir);
      Path temporary = Files.createTempFile(dataDir, FILE_NAME + ".", ".tmp", ownerOnly(dataDir));
      try {
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
          channel.write(ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.US_ASCII)));
          channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new IOException("cannot create dialback secret file " + file + ": " + e, e);
    }
    LOG.info("Generated a new dialback secret in {}", file);
    return new DialbackSecret(value, file.toString());
  }

  private static FileAttribute<?>[] ownerOnly(Path dir) {
    // Without POSIX permissions (Windows), the file inherits the directory's ACL.
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)};
    }
    return new FileAttribute<?>[0];
  }

  private static void warnIfReadableByOthers(Path file) throws IOException {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (permissions.contains(PosixFilePermission.GROUP_READ)
        || permissions.contains(PosixFilePermission.OTHERS_READ)) {
      LOG.warn(
          "Dialback secret file {} has permissions {}; it should be readable by its owner only",
          file,
          PosixFilePermissions.toString(permissions));
    }
  }
}
