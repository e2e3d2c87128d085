package org.passerelle.testpeers;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * A copy of everything written to standard output while open, where the test logging configuration
 * ({@code logback-test.xml}) sends the processes' log: lets a scenario check that a refusal was
 * logged with its reason, or follow a stanza by its correlation id. Logback's console appender
 * writes to whatever {@code System.out} is at the time, so the copy sees every line.
 */
public final class LogCapture implements AutoCloseable {
  private final PrintStream original = System.out;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  public LogCapture() {
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            synchronized (copy) {
              copy.write(b);
            }
          }

          @Override
          public void write(byte[] bytes, int offset, int length) {
            original.write(bytes, offset, length);
            synchronized (copy) {
              copy.write(bytes, offset, length);
            }
          }

          @Override
          public void flush() {
            original.flush();
          }
        };
    System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** Waits until a logged line contains every one of {@code texts}; fails if none does. */
  public String awaitLine(Duration timeout, String... texts) throws InterruptedException {
    return awaitLine(
        line -> Arrays.stream(texts).allMatch(line::contains),
        String.join(" and ", texts),
        timeout);
  }

  private String awaitLine(Predicate<String> match, String what, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String log;
      synchronized (copy) {
        log = copy.toString(StandardCharsets.UTF_8);
      }
      for (String line : log.split("\n")) {
        if (match.test(line)) {
          return line;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no log line contains " + what);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    System.setOut(original);
  }
}
