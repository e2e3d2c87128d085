package org.passerelle.testpeers;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds the programs of the installed peers, and says which Debian package is missing. */
public final class Executables {

  private static final List<String> SEARCH_PATH =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private Executables() {}

  /**
   * The absolute path of {@code program}.
   *
   * @throws IllegalStateException naming {@code debianPackage} if it is not installed; tests that
   *     need real peers must fail, not be skipped
   */
  public static Path require(String program, String debianPackage) {
    String path = System.getenv("PATH");
    List<String> dirs = path == null ? List.of() : List.of(path.split(File.pathSeparator));
    for (String dir : Stream.concat(dirs.stream(), SEARCH_PATH.stream()).toList()) {
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "'"
            + program
            + "' is not installed; the integration tests run a real peer from it. Install it with:"
            + " apt-get install "
            + debianPackage);
  }
}
