package org.passerelle.proxy.dialback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DialbackSecretTest {

  @TempDir Path dataDir;

  @Test
  void configuredSecretWinsOverTheFile() throws IOException {
    DialbackSecret secret = DialbackSecret.resolve(Optional.of("a configured secret"), dataDir);

    assertThat(secret.value()).isEqualTo("a configured secret");
    assertThat(secret.source()).isEqualTo("configuration");
    assertThat(dataDir.resolve(DialbackSecret.FILE_NAME)).doesNotExist();
  }

  @Test
  void generatedSecretSurvivesARestart_xep0185_2() throws IOException {
    DialbackSecret first = DialbackSecret.resolve(Optional.empty(), dataDir);
    DialbackSecret second = DialbackSecret.resolve(Optional.empty(), dataDir);

    assertThat(first.value()).hasSize(2 * DialbackSecret.GENERATED_BYTES).matches("[0-9a-f]+");
    assertThat(second.value()).isEqualTo(first.value());
    assertThat(second.source()).isEqualTo(dataDir.resolve(DialbackSecret.FILE_NAME).toString());
    assertThat(second.keys().key("a.example", "b.example", "id1"))
        .isEqualTo(first.keys().key("a.example", "b.example", "id1"));
  }

  @Test
  void generatedSecretsDifferBetweenDataDirectories(@TempDir Path otherDataDir) throws IOException {
    assertThat(DialbackSecret.loadOrGenerate(dataDir).value())
        .isNotEqualTo(DialbackSecret.loadOrGenerate(otherDataDir).value());
  }

  @Test
  void generatedFileIsReadableByItsOwnerOnly() throws IOException {
    assumeTrue(dataDir.getFileSystem().supportedFileAttributeViews().contains("posix"));

    DialbackSecret.loadOrGenerate(dataDir);

    assertThat(Files.getPosixFilePermissions(dataDir.resolve(DialbackSecret.FILE_NAME)))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void generationLeavesNoTemporaryFileBehind() throws IOException {
    DialbackSecret.loadOrGenerate(dataDir);

    try (var files = Files.list(dataDir)) {
      assertThat(files).containsExactly(dataDir.resolve(DialbackSecret.FILE_NAME));
    }
  }

  @Test
  void missingDataDirectoryIsCreated() throws IOException {
    Path nested = dataDir.resolve("state/proxy");

    DialbackSecret.loadOrGenerate(nested);

    assertThat(nested.resolve(DialbackSecret.FILE_NAME)).isRegularFile();
  }

  @Test
  void existingFileIsReadWithoutItsLineEnd() throws IOException {
    Files.writeString(dataDir.resolve(DialbackSecret.FILE_NAME), "0123456789abcdef0123\n");

    assertThat(DialbackSecret.loadOrGenerate(dataDir).value()).isEqualTo("0123456789abcdef0123");
  }

  @Test
  void shortSecretInFileIsRejectedNamingTheFile() throws IOException {
    Path file = dataDir.resolve(DialbackSecret.FILE_NAME);
    Files.writeString(file, "short\n");

    assertThatThrownBy(() -> DialbackSecret.loadOrGenerate(dataDir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("too short");
  }

  @Test
  void emptyFileIsRejectedRatherThanReplaced() throws IOException {
    Path file = dataDir.resolve(DialbackSecret.FILE_NAME);
    Files.createFile(file);

    assertThatThrownBy(() -> DialbackSecret.loadOrGenerate(dataDir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString());
    assertThat(file).isEmptyFile();
  }

  @Test
  void nonUtf8FileIsRejectedNamingTheFile() throws IOException {
    Path file = dataDir.resolve(DialbackSecret.FILE_NAME);
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0x41, 0x42});

    assertThatThrownBy(() -> DialbackSecret.loadOrGenerate(dataDir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("UTF-8");
  }

  @Test
  void unreadableFileIsRejectedNamingTheFile() throws IOException {
    Path file = dataDir.resolve(DialbackSecret.FILE_NAME);
    Files.createDirectory(file); // unreadable as a file, even for root

    assertThatThrownBy(() -> DialbackSecret.loadOrGenerate(dataDir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot read")
        .hasMessageContaining(file.toString());
  }

  @Test
  void uncreatableFileIsRejectedNamingTheFile() throws IOException {
    Path notADirectory = dataDir.resolve("plain-file");
    Files.writeString(notADirectory, "x");

    assertThatThrownBy(() -> DialbackSecret.loadOrGenerate(notADirectory))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(notADirectory.resolve(DialbackSecret.FILE_NAME).toString());
  }

  @Test
  void shortConfiguredSecretIsRejected() {
    assertThatThrownBy(() -> DialbackSecret.fromConfiguration("changeme"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too short")
        .hasMessageContaining(String.valueOf(DialbackSecret.MIN_LENGTH));
  }

  @Test
  void toStringDoesNotRevealTheSecret() {
    DialbackSecret secret = DialbackSecret.fromConfiguration("a configured secret");

    assertThat(secret.toString()).doesNotContain("a configured secret");
  }

  @Test
  void groupReadableFileIsStillAccepted() throws IOException {
    assumeTrue(dataDir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path file = dataDir.resolve(DialbackSecret.FILE_NAME);
    Files.writeString(file, "0123456789abcdef0123\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(DialbackSecret.loadOrGenerate(dataDir).value()).isEqualTo("0123456789abcdef0123");
  }
}
