package org.passerelle.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds Kamailio's modules, which Debian ships in several packages. */
final class KamailioModules {

  /** How {@code kamailio -I} names its module directories (colon-separated). */
  private static final String PATHS_LINE = "Default paths to modules:";

  private KamailioModules() {}

  /**
   * Checks that module {@code name} is installed.
   *
   * @throws IllegalStateException naming {@code debianPackage} if it is not
   */
  static void require(String name, String debianPackage, Path kamailio) {
    for (Path dir : moduleDirectories(kamailio)) {
      if (Files.isRegularFile(dir.resolve(name + ".so"))) {
        return;
      }
    }
    throw new IllegalStateException(
        "Kamailio's '"
            + name
            + "' module is not installed; the integration tests need it. Install it with:"
            + " apt-get install "
            + debianPackage);
  }

  /** The directories {@code kamailio -I} reports. */
  private static List<Path> moduleDirectories(Path kamailio) {
    try {
      Process process =
          new ProcessBuilder(kamailio.toString(), "-I").redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(kamailio + " -I did not return");
      }
      return output
          .lines()
          .map(String::strip)
          .filter(line -> line.startsWith(PATHS_LINE))
          .flatMap(line -> List.of(line.substring(PATHS_LINE.length()).split(":")).stream())
          .map(String::strip)
          .filter(dir -> !dir.isEmpty())
          .map(Path::of)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + kamailio + " -I", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + kamailio + " -I", e);
    }
  }
}
