package org.passerelle.gateway.sip.stream;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A 400 for a request too broken to parse, written from its raw head (RFC 3261 §8.2, §21.4.1): the
 * headers a response must copy (§8.2.6.2: Via, From, To, Call-ID, CSeq), taken line by line as they
 * came, so that the sender can match the answer to its request, with a To tag added where there was
 * none (§8.2.6.2).
 */
public final class BadRequests {

  /** The headers copied, with their compact forms (RFC 3261 §7.3.3, §20). */
  private static final Set<String> COPIED =
      Set.of("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq");

  /** A tag parameter; RFC 3261 §25.1 allows whitespace around the equals sign. */
  private static final Pattern TAG = Pattern.compile(";\\s*tag\\s*=", Pattern.CASE_INSENSITIVE);

  private static final Set<String> REQUIRED = Set.of("via", "from", "to", "call-id", "cseq");

  private BadRequests() {}

  /**
   * The 400's bytes, or {@code null} when the request cannot be answered: no head, an ACK (never
   * answered, RFC 3261 §17.1.1.3), or a copied header missing.
   *
   * @param reason the reason phrase; line ends are replaced so it cannot add a header
   */
  public static byte[] answer(byte[] request, String reason) {
    String text = new String(request, StandardCharsets.UTF_8);
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0 || text.startsWith("ACK ")) {
      return null;
    }
    String[] lines = text.substring(0, headEnd).split("\r\n");
    StringBuilder out = new StringBuilder("SIP/2.0 400 ");
    out.append(reason.replaceAll("[\\r\\n]+", " ")).append("\r\n");
    Set<String> seen = new HashSet<>();
    boolean copying = false;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
        if (copying) {
          out.append(line).append("\r\n"); // a folded continuation (§7.3.1)
        }
        continue;
      }
      int colon = line.indexOf(':');
      String name = colon < 0 ? "" : line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      copying = COPIED.contains(name);
      if (copying) {
        seen.add(longForm(name));
        // A To tag may come on a folded line (§7.3.1): read them all before adding one.
        while (longForm(name).equals("to")
            && i + 1 < lines.length
            && (lines[i + 1].startsWith(" ") || lines[i + 1].startsWith("\t"))) {
          line += "\r\n" + lines[++i];
        }
        out.append(line);
        if (longForm(name).equals("to") && !TAG.matcher(line).find()) {
          out.append(";tag=").append(Long.toHexString(ThreadLocalRandom.current().nextLong()));
        }
        out.append("\r\n");
      }
    }
    if (!seen.containsAll(REQUIRED)) {
      return null;
    }
    out.append("Content-Length: 0\r\n\r\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String longForm(String name) {
    return switch (name) {
      case "v" -> "via";
      case "f" -> "from";
      case "t" -> "to";
      case "i" -> "call-id";
      default -> name;
    };
  }
}
