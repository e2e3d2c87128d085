package org.passerelle.bench.load;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM's unified GC log ({@code -Xlog:gc:file=...}), read between two marks: the pauses of
 * one measurement and the heap after its last collection.
 */
final class GcLog {
  /** e.g. {@code GC(12) Pause Young (Normal) (G1 Evacuation Pause) 60M->9M(256M) 3.456ms}. */
  private static final Pattern PAUSE =
      Pattern.compile("Pause .*? (\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");

  private final Path file;

  GcLog(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** Where the log ends now. */
  long mark() {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The pauses logged between two marks. */
  Pauses pausesBetween(long from, long to) {
    if (to <= from) {
      return new Pauses(0, 0, 0, -1, -1);
    }
    byte[] bytes = new byte[(int) Math.min(to - from, 64L * 1024 * 1024)];
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      in.seek(from);
      in.readFully(bytes);
    } catch (IOException e) {
      return new Pauses(0, 0, 0, -1, -1);
    }
    int count = 0;
    double total = 0;
    double max = 0;
    long heapAfter = -1;
    long heapCommitted = -1;
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      Matcher m = PAUSE.matcher(line);
      if (m.find()) {
        double ms = Double.parseDouble(m.group(4));
        count++;
        total += ms;
        max = Math.max(max, ms);
        heapAfter = Long.parseLong(m.group(2));
        heapCommitted = Long.parseLong(m.group(3));
      }
    }
    return new Pauses(count, total, max, heapAfter, heapCommitted);
  }

  /**
   * @param heapAfterMib the heap in use after the last pause, -1 if none
   * @param heapCommittedMib the heap committed at the last pause, -1 if none
   */
  record Pauses(
      int count, double totalMs, double maxMs, long heapAfterMib, long heapCommittedMib) {}
}
