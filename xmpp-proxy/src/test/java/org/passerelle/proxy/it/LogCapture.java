package org.passerelle.proxy.it;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A copy of everything written to standard output while open, where the test logging configuration
 * ({@code logback-test.xml}) sends the proxy's log: lets a scenario check that a refusal was logged
 * with its reason. Logback's console appender writes to whatever {@code System.out} is at the time,
 * so the copy sees every line.
 */
final class LogCapture implements AutoCloseable {
  private final PrintStream original = System.out;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  LogCapture() {
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

  /** Waits until a logged line contains {@code text}; fails with the log so far if none does. */
  String awaitLine(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String log;
      synchronized (copy) {
        log = copy.toString(StandardCharsets.UTF_8);
      }
      for (String line : log.split("\n")) {
        if (line.contains(text)) {
          return line;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no log line contains \"" + text + "\"");
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    System.setOut(original);
  }
}
