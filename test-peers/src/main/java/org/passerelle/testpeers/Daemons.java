package org.passerelle.testpeers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small operations on daemon processes and their listeners, all bounded in time. */
final class Daemons {

  /** How often state is polled while waiting for a daemon. */
  static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private static final int CONNECT_TIMEOUT_MILLIS = 200;

  private static final int TAIL_BYTES = 256 * 1024;

  private Daemons() {}

  /**
   * Starts {@code command} in {@code dir} as a child of this JVM, its stdout and stderr appended to
   * {@code console} and its stdin empty.
   */
  static Process startChild(List<String> command, Path dir, Path console) {
    try {
      return new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    }
  }

  /** Waits up to {@code timeout} for {@code process} to exit; returns whether it has. */
  static boolean awaitExit(Process process, Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether a TCP connection to {@code address} is accepted (and then closed at once). */
  static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether a UDP socket can be bound to {@code address}, i.e. no daemon holds it. */
  static boolean udpFree(InetSocketAddress address) {
    DatagramSocket probe;
    try {
      probe = new DatagramSocket(address);
    } catch (SocketException e) {
      return false;
    }
    probe.close();
    return true;
  }

  /**
   * Whether process {@code pid} exists and is not a zombie. Detached daemons (ejabberd's beam) are
   * reparented to PID 1, which on some test machines never reaps them.
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
    } catch (NoSuchFileException e) {
      return Optional.empty();
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

  /** Polls {@code condition} until it holds or {@code timeout} passes; returns whether it held. */
  static boolean await(BooleanSupplier condition, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      pause();
    }
    return true;
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
