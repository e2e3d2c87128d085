package org.passerelle.testpeers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Small operations on daemon processes and their listeners, all bounded in time. */
final class Daemons {

  /** How often state is polled while waiting for a daemon. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private static final int CONNECT_TIMEOUT_MILLIS = 200;

  private static final int TAIL_BYTES = 256 * 1024;

  private Daemons() {}

  /** Whether a TCP connection to {@code address} is accepted (and then closed at once). */
  static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether process {@code pid} exists and has not exited: a zombie (exited, not yet reaped by its
   * parent) counts as dead.
   */
  static boolean isAlive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Format: "pid (comm) state ...", and comm may itself contain ") ".
      String afterComm = stat.substring(stat.lastIndexOf(')') + 1).trim();
      return !afterComm.startsWith("Z") && !afterComm.startsWith("X");
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
  }

  /** The pid written in {@code pidFile}, if the file exists and holds one. */
  static Optional<Long> readPid(Path pidFile) {
    try {
      return Optional.of(
          Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Sends SIGTERM ({@code force}: SIGKILL) to {@code pid} if it is still alive. */
  static void signal(long pid, boolean force) {
    ProcessHandle.of(pid)
        .ifPresent(
            handle -> {
              if (force) {
                handle.destroyForcibly();
              } else {
                handle.destroy();
              }
            });
  }

  static void pause() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a test peer", e);
    }
  }

  /** The size of {@code file}, 0 if it does not exist. */
  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** The text of {@code file} from byte {@code offset} on; empty if it does not exist. */
  static String readFrom(Path file, long offset) {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      channel.position(Math.min(offset, channel.size()));
      return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The last {@code lines} lines of a text file (read from its last {@link #TAIL_BYTES} bytes), or
   * a note that it does not exist.
   */
  static String tail(Path file, int lines) {
    try (SeekableByteChannel channel = Files.newByteChannel(file)) {
      long start = Math.max(0, channel.size() - TAIL_BYTES);
      ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - start));
      channel.position(start);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // read until the end
      }
      List<String> all =
          new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (NoSuchFileException e) {
      return "(no " + file + ")";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }
}
