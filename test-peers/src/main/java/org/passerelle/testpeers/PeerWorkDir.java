package org.passerelle.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.stream.Stream;

/**
 * The fresh working directory of one peer (configuration, certificates, data, logs), owned by the
 * user the daemon runs as. It is created world-traversable because the daemons drop root: a
 * directory under {@code /root} or a JUnit {@code @TempDir} (mode 700) would be unreadable.
 */
final class PeerWorkDir {

  private static final boolean ROOT = isRoot();

  private final Path path;
  private final String owner;

  private PeerWorkDir(Path path, String owner) {
    this.path = path;
    this.owner = owner;
  }

  /**
   * Creates {@code parent/<prefix>NNNN}, mode 755.
   *
   * @param owner the user (and group of the same name) the daemon runs as when we are root
   */
  static PeerWorkDir create(Path parent, String prefix, String owner) {
    try {
      Files.createDirectories(parent);
      Path path =
          Files.createTempDirectory(
              parent,
              prefix,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      // createTempDirectory applies the umask; set the mode explicitly.
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
      return new PeerWorkDir(path, owner);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a working directory under " + parent, e);
    }
  }

  /** Whether this JVM runs as root, so that daemons are started as their own users. */
  static boolean runningAsRoot() {
    return ROOT;
  }

  Path path() {
    return path;
  }

  Path resolve(String relative) {
    return path.resolve(relative);
  }

  /** Writes {@code content} to a file under this directory and hands it to the daemon user. */
  Path write(String relative, String content) {
    try {
      Path file = path.resolve(relative);
      createOwnedDirectories(file.getParent());
      Files.writeString(file, content);
      handOver(file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies {@code source} into this directory; the copy only is readable by the daemon user. */
  Path copy(Path source, String relative) {
    try {
      Path file = path.resolve(relative);
      createOwnedDirectories(file.getParent());
      Files.copy(source, file, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
      handOver(file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + source, e);
    }
  }

  /** Creates directories under this directory, owned by the daemon user. */
  Path mkdirs(String relative) {
    try {
      return createOwnedDirectories(path.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Hands this directory and every file and directory in it to the daemon user. */
  void handOverAll() {
    try (Stream<Path> all = Files.walk(path)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        handOver(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes this directory and everything in it. */
  void delete() {
    if (!Files.exists(path)) {
      return;
    }
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }

  /** Like {@link Files#createDirectories}, but each directory it creates is handed over. */
  private Path createOwnedDirectories(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      createOwnedDirectories(dir.getParent());
      Files.createDirectory(dir);
      handOver(dir);
    }
    return dir;
  }

  private void handOver(Path file) throws IOException {
    if (!ROOT) {
      return;
    }
    UserPrincipalLookupService users = file.getFileSystem().getUserPrincipalLookupService();
    UserPrincipal user = users.lookupPrincipalByName(owner);
    GroupPrincipal group = users.lookupPrincipalByGroupName(owner);
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    view.setOwner(user);
    view.setGroup(group);
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
