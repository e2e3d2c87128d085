package org.passerelle.bench.load;

/**
 * The text every load message carries, in XMPP {@code <body/>} and SIP body alike: {@code "load
 * <run> <seq> <stamp> xxx…"}, padded to {@link #LENGTH} characters. The stamp is the sender's
 * {@link System#nanoTime()} (the scheduled time in open loop); sender and sinks share the tool's
 * clock, so the receiver computes one-way latency.
 */
public final class LoadBody {
  /** Characters per body, as the ~60-character body of docs' per-stanza figures. */
  public static final int LENGTH = 60;

  private static final String PREFIX = "load ";
  private static final String PADDING = "x".repeat(LENGTH);

  private LoadBody() {}

  public static void append(StringBuilder out, int run, long seq, long stamp) {
    int start = out.length();
    out.append(PREFIX).append(run).append(' ').append(seq).append(' ').append(stamp).append(' ');
    int missing = LENGTH - (out.length() - start);
    if (missing > 0) {
      out.append(PADDING, 0, missing);
    }
  }

  /** A body read back; {@code null} from {@link #parse} when the text is not a load body. */
  public record Parsed(int run, long seq, long stamp) {}

  public static Parsed parse(CharSequence text) {
    if (text == null || text.length() < PREFIX.length() || !startsWithPrefix(text)) {
      return null;
    }
    int[] pos = {PREFIX.length()};
    long run = number(text, pos);
    long seq = number(text, pos);
    long stamp = number(text, pos);
    if (pos[0] < 0) {
      return null;
    }
    return new Parsed((int) run, seq, stamp);
  }

  private static boolean startsWithPrefix(CharSequence text) {
    for (int i = 0; i < PREFIX.length(); i++) {
      if (text.charAt(i) != PREFIX.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static long number(CharSequence text, int[] pos) {
    int i = pos[0];
    if (i < 0 || i >= text.length()) {
      pos[0] = -1;
      return 0;
    }
    boolean negative = text.charAt(i) == '-';
    if (negative) {
      i++;
    }
    long value = 0;
    int digits = 0;
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      value = value * 10 + (text.charAt(i) - '0');
      i++;
      digits++;
    }
    if (digits == 0) {
      pos[0] = -1;
      return 0;
    }
    pos[0] = i < text.length() && text.charAt(i) == ' ' ? i + 1 : i;
    return negative ? -value : value;
  }
}
