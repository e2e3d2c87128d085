package org.passerelle.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian package {@code chromium}, installed by {@code ./dev test}): renders a
 * page as a person's browser would and gives back the DOM it built, so a test can check what a
 * status page really shows.
 */
public final class Chromium {
  /** The Debian package that provides it. */
  public static final String PACKAGE = "chromium";

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Path program;

  private Chromium(Path program) {
    this.program = program;
  }

  /** The installed Chromium, or empty if the package is not installed. */
  public static Optional<Chromium> find() {
    for (String name : List.of("chromium", "chromium-browser")) {
      try {
        return Optional.of(new Chromium(Executables.require(name, PACKAGE)));
      } catch (IllegalStateException notThisOne) {
        // try the next name
      }
    }
    return Optional.empty();
  }

  /**
   * Loads {@code page} and returns the DOM after rendering ({@code --dump-dom}). Chromium runs
   * headless with a throw-away profile in {@code workDir}, and without its sandbox, which needs
   * privileges a test (often root in a container) does not have.
   */
  public String dumpDom(URI page, Path workDir) {
    try {
      Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
      Path stderr = profile.resolve("stderr.log");
      Process process =
          new ProcessBuilder(
                  program.toString(),
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--disable-dev-shm-usage",
                  "--no-first-run",
                  "--user-data-dir=" + profile,
                  "--dump-dom",
                  page.toString())
              .redirectError(stderr.toFile())
              .start();
      process.getOutputStream().close();
      byte[] dom = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("chromium did not finish within " + TIMEOUT.toSeconds() + " s");
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "chromium exited with "
                + process.exitValue()
                + ": "
                + Files.readString(stderr, StandardCharsets.UTF_8));
      }
      return new String(dom, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while chromium rendered " + page, e);
    }
  }

  @Override
  public String toString() {
    return "Chromium " + program;
  }
}
