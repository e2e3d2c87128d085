package org.passerelle.gateway.im;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.passerelle.model.Jids;

/**
 * Messages translated from SIP to XMPP, by stanza id, for a while: an XMPP error may come back for
 * one after its SIP transaction was answered, and its SIP sender must still hear of it. Bounded in
 * count and age; thread-safe.
 *
 * <p>Kept as bytes in a ring of fixed-size slots, the slot given by the id's sequence number
 * ({@link StanzaIds}), so that a newer message takes the oldest one's place. The map of records it
 * replaced held seven objects per message; at 24,000 messages/s its 100,000 entries lived about
 * four seconds, long enough to be copied by every young collection in between, which made the
 * gateway's young pauses 25–35 ms. The ring's arrays are allocated once, a chunk at a time as they
 * are first used, and hold no object per message.
 */
public final class SentMessages {
  /** Who sent a message from SIP, to whom, and its correlation id. */
  public record Sent(String sipSender, String xmppRecipient, String correlationId, long atMillis) {}

  /** A slot: sequence number, time, then three strings as a two-byte length and UTF-8. */
  static final int SLOT_BYTES = 256;

  private static final int HEADER_BYTES = 16;
  private static final int NULL_LENGTH = 0xffff;

  /** 1 MiB per chunk: G1 allocates it straight in the old generation, never to be copied. */
  private static final int SLOTS_PER_CHUNK = 4096;

  /** Messages whose addresses do not fit a slot; rare, so a small map is enough. */
  private static final int OVERSIZED_LIMIT = 1024;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final int capacity;
  private final byte[][] chunks;
  private final Map<Long, Sent> oversized;
  private final Duration maxAge;
  private final Clock clock;

  public SentMessages(int capacity, Duration maxAge, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.chunks = new byte[(capacity + SLOTS_PER_CHUNK - 1) / SLOTS_PER_CHUNK][];
    this.maxAge = maxAge;
    this.clock = clock;
    this.oversized =
        new LinkedHashMap<>(16) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Sent> eldest) {
            return size() > OVERSIZED_LIMIT;
          }
        };
  }

  /**
   * Remembers a message by its id, which {@link StanzaIds#next} made.
   *
   * @throws IllegalArgumentException for any other id
   */
  public synchronized void remember(
      String id, String sipSender, String xmppRecipient, String correlationId) {
    long sequence = StanzaIds.sequenceOf(id);
    if (sequence < 0) {
      throw new IllegalArgumentException("not a stanza id of this gateway: " + id);
    }
    long now = clock.millis();
    byte[] sender = bytes(sipSender);
    byte[] recipient = bytes(xmppRecipient);
    byte[] correlation = bytes(correlationId);
    int slot = (int) (sequence % capacity);
    byte[] chunk = chunk(slot);
    int at = offset(slot);
    long replaced = (long) LONGS.get(chunk, at);
    if (replaced < 0) {
      oversized.remove(-replaced);
    }
    LONGS.set(chunk, at + 8, now);
    if (HEADER_BYTES + 6 + length(sender) + length(recipient) + length(correlation) > SLOT_BYTES) {
      LONGS.set(chunk, at, -sequence);
      oversized.put(sequence, new Sent(sipSender, xmppRecipient, correlationId, now));
      return;
    }
    LONGS.set(chunk, at, sequence);
    int next = put(chunk, at + HEADER_BYTES, sender);
    next = put(chunk, next, recipient);
    put(chunk, next, correlation);
  }

  /**
   * The message with this id, once, if {@code errorFrom} is of its recipient's domain: an error
   * about a message comes from the server that could not deliver it. Stanza ids are not secret
   * ({@link StanzaIds}), so an error from another domain is not matched, and the message is kept
   * for the real answer.
   */
  public synchronized Sent take(String id, String errorFrom) {
    long sequence = StanzaIds.sequenceOf(id);
    Sent sent = find(sequence);
    if (sent == null) {
      return null;
    }
    String domain = Jids.domainOf(errorFrom);
    if (domain == null || !domain.equalsIgnoreCase(Jids.domainOf(sent.xmppRecipient()))) {
      return null;
    }
    return forget(sequence, sent);
  }

  /** The message with this id, once: it is forgotten as it is returned. */
  public synchronized Sent take(String id) {
    long sequence = StanzaIds.sequenceOf(id);
    return forget(sequence, find(sequence));
  }

  /** The message of this sequence number, if its slot still holds it; {@code null} otherwise. */
  private Sent find(long sequence) {
    if (sequence < 0) {
      return null;
    }
    int slot = (int) (sequence % capacity);
    byte[] chunk = chunks[slot / SLOTS_PER_CHUNK];
    if (chunk == null) {
      return null;
    }
    int at = offset(slot);
    long stored = (long) LONGS.get(chunk, at);
    if (stored == -sequence) {
      return oversized.get(sequence);
    }
    if (stored != sequence) {
      return null; // a newer message took its place, or it was taken
    }
    long atMillis = (long) LONGS.get(chunk, at + 8);
    int next = at + HEADER_BYTES;
    String sender = string(chunk, next);
    next += 2 + length(chunk, next);
    String recipient = string(chunk, next);
    next += 2 + length(chunk, next);
    return new Sent(sender, recipient, string(chunk, next), atMillis);
  }

  /** Empties the slot of a message found, and returns it unless it is too old. */
  private Sent forget(long sequence, Sent sent) {
    if (sent == null) {
      return null;
    }
    int slot = (int) (sequence % capacity);
    LONGS.set(chunks[slot / SLOTS_PER_CHUNK], offset(slot), 0L);
    oversized.remove(sequence);
    return clock.millis() - sent.atMillis() > maxAge.toMillis() ? null : sent;
  }

  private byte[] chunk(int slot) {
    int index = slot / SLOTS_PER_CHUNK;
    byte[] chunk = chunks[index];
    if (chunk == null) {
      int slots = Math.min(SLOTS_PER_CHUNK, capacity - index * SLOTS_PER_CHUNK);
      chunk = new byte[slots * SLOT_BYTES];
      chunks[index] = chunk;
    }
    return chunk;
  }

  private static int offset(int slot) {
    return (slot % SLOTS_PER_CHUNK) * SLOT_BYTES;
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(UTF_8);
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  private static int put(byte[] chunk, int at, byte[] bytes) {
    int length = bytes == null ? NULL_LENGTH : bytes.length;
    chunk[at] = (byte) (length >>> 8);
    chunk[at + 1] = (byte) length;
    if (bytes != null) {
      System.arraycopy(bytes, 0, chunk, at + 2, bytes.length);
    }
    return at + 2 + length(bytes);
  }

  private static int length(byte[] chunk, int at) {
    int length = ((chunk[at] & 0xff) << 8) | (chunk[at + 1] & 0xff);
    return length == NULL_LENGTH ? 0 : length;
  }

  private static String string(byte[] chunk, int at) {
    int length = ((chunk[at] & 0xff) << 8) | (chunk[at + 1] & 0xff);
    return length == NULL_LENGTH ? null : new String(chunk, at + 2, length, UTF_8);
  }
}
