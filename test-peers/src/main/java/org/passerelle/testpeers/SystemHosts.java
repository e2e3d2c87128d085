package org.passerelle.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adds test domains to {@code /etc/hosts}, idempotently. Only {@link EjabberdPeer} needs this.
 *
 * <p>COMPAT: ejabberd: after its SRV lookup fails it resolves a peer domain with libc {@code
 * getaddrinfo} (xmpp 1.6.1 {@code xmpp_stream_out:a_lookup/5} calls {@code net:getaddrinfo}), so
 * {@code {host, ...}} entries in its {@code inetrc} are never consulted, and nothing per process
 * replaces the system hosts file. Lines are never removed after a run: they are harmless, and a
 * concurrent test run may rely on them.
 */
final class SystemHosts {

  static final Path ETC_HOSTS = Path.of("/etc/hosts");

  private static final String MARKER = "# added by passerelle test-peers";

  private SystemHosts() {}

  /**
   * Makes {@code hosts} resolve through {@code file} as given: appends the missing names, and
   * replaces a line of ours that maps a name elsewhere (left by a run with another address plan).
   *
   * @throws IllegalStateException if a line not added by us maps a name to another address
   * @throws UncheckedIOException if the file cannot be written; the message lists the entries
   */
  static void ensure(Path file, Map<String, InetAddress> hosts) {
    if (hosts.isEmpty()) {
      return;
    }
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      // Serialises test JVMs changing the file at the same time; closing the channel releases it.
      channel.lock();
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      List<String> kept = new ArrayList<>();
      for (String line : lines) {
        Map<String, String> entry = parse(line);
        boolean stale =
            line.endsWith(MARKER)
                && entry.entrySet().stream()
                    .anyMatch(
                        e ->
                            hosts.containsKey(e.getKey())
                                && !hosts.get(e.getKey()).getHostAddress().equals(e.getValue()));
        if (!stale) {
          kept.add(line);
        }
      }
      Map<String, String> present = parse(String.join("\n", kept));
      List<String> added = new ArrayList<>();
      for (Map.Entry<String, InetAddress> host : hosts.entrySet()) {
        String wanted = host.getValue().getHostAddress();
        String existing = present.get(host.getKey());
        if (existing == null) {
          added.add(wanted + "\t" + host.getKey() + "\t" + MARKER);
        } else if (!existing.equals(wanted)) {
          throw new IllegalStateException(
              file + " maps " + host.getKey() + " to " + existing + ", the test needs " + wanted);
        }
      }
      if (kept.size() < lines.size()) {
        kept.addAll(added);
        channel.truncate(0);
        channel.write(StandardCharsets.UTF_8.encode(String.join("\n", kept) + "\n"));
      } else if (!added.isEmpty()) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        channel.position(channel.size());
        channel.write(StandardCharsets.UTF_8.encode(separator + String.join("\n", added) + "\n"));
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
