package org.passerelle.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Adds test domains to {@code /etc/hosts}, idempotently. Only {@link EjabberdPeer} needs this.
 *
 * <p>COMPAT: ejabberd: after its SRV lookup fails it resolves a peer domain with libc {@code
 * getaddrinfo} (xmpp 1.6.1 {@code xmpp_stream_out:a_lookup/5} calls {@code net:getaddrinfo}), so
 * {@code {host, ...}} entries in its {@code inetrc} are never consulted, and nothing per process
 * replaces the system hosts file. Lines are appended, never removed: they are harmless, and a
 * concurrent test run may rely on them.
 */
final class SystemHosts {

  static final Path ETC_HOSTS = Path.of("/etc/hosts");

  private static final String MARKER = "# added by passerelle test-peers";

  private SystemHosts() {}

  /**
   * Makes {@code hosts} resolve through {@code file} as given.
   *
   * @throws IllegalStateException if a name already maps to another address there, or the file
   *     cannot be written (then the message lists the lines to add)
   */
  static void ensure(Path file, Map<String, InetAddress> hosts) {
    if (hosts.isEmpty()) {
      return;
    }
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      // Serialises test JVMs adding entries at the same time; closing the channel releases it.
      channel.lock();
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Map<String, String> present = parse(text);
      StringBuilder missing = new StringBuilder(text.isEmpty() || text.endsWith("\n") ? "" : "\n");
      for (Map.Entry<String, InetAddress> host : hosts.entrySet()) {
        String wanted = host.getValue().getHostAddress();
        String existing = present.get(host.getKey());
        if (existing == null) {
          missing.append(wanted).append('\t').append(host.getKey()).append('\t').append(MARKER);
          missing.append('\n');
        } else if (!existing.equals(wanted)) {
          throw new IllegalStateException(
              file + " maps " + host.getKey() + " to " + existing + ", the test needs " + wanted);
        }
      }
      if (!missing.toString().isBlank()) {
        channel.position(channel.size());
        channel.write(StandardCharsets.UTF_8.encode(missing.toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot add test domains to " + file + "; add them by hand: " + hosts, e);
    }
  }

  /** The first address of each name, as the libc "files" service would answer. */
  static Map<String, String> parse(String hostsFile) {
    Map<String, String> names = new HashMap<>();
    for (String line : hostsFile.lines().toList()) {
      int comment = line.indexOf('#');
      String[] fields = (comment < 0 ? line : line.substring(0, comment)).trim().split("\\s+");
      for (int i = 1; i < fields.length; i++) {
        names.putIfAbsent(fields[i].toLowerCase(Locale.ROOT), fields[0]);
      }
    }
    return names;
  }
}
