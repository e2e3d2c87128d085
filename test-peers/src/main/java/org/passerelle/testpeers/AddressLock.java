package org.passerelle.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A machine-wide claim on one loopback address while a peer runs there, so that test runs sharing a
 * machine take turns instead of failing on each other's ports. The operating system drops the claim
 * when the JVM dies, however it dies.
 */
final class AddressLock implements AutoCloseable {

  /** Long enough for another run's test class to finish with the address. */
  static final Duration WAIT = Duration.ofMinutes(3);

  private static final Logger LOG = LoggerFactory.getLogger(AddressLock.class);

  private final FileChannel channel;
  private final FileLock lock;

  private AddressLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Claims {@code address}, waiting up to {@code timeout} for another test run to release it.
   *
   * @throws PeerStartException if it stays claimed, or this JVM holds it already
   */
  static AddressLock acquire(Path lockDir, InetAddress address, Duration timeout) {
    Path file = lockDir.resolve(address.getHostAddress() + ".lock");
    FileChannel channel = null;
    try {
      Files.createDirectories(lockDir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      Instant deadline = Instant.now().plus(timeout);
      boolean told = false;
      while (true) {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          return new AddressLock(channel, lock);
        }
        if (Instant.now().isAfter(deadline)) {
          throw new PeerStartException(
              address.getHostAddress()
                  + " is still used by another test run on this machine after "
                  + timeout.toSeconds()
                  + " s (lock "
                  + file
                  + ")");
        }
        if (!told) {
          LOG.info("waiting for another test run to release {}", address.getHostAddress());
          told = true;
        }
        Daemons.pause();
      }
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new PeerStartException(
          "another peer of this JVM runs on " + address.getHostAddress() + " already", e);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + file, e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // Closing the channel below releases it as well.
    }
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // Nothing holds the lock any more once the channel is gone.
      }
    }
  }
}
