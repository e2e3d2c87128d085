package org.passerelle.gateway.im;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SentMessagesTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return Instant.ofEpochMilli(now.get());
        }
      };

  private SentMessages sent(int capacity) {
    return new SentMessages(capacity, Duration.ofMinutes(5), clock);
  }

  @Test
  void aMessageIsFoundByItsIdOnceWithWhatWasRemembered() {
    SentMessages sent = sent(10);
    String id = StanzaIds.next();
    sent.remember(id, "sip:alice@org.example", "bob@remote.example/phone", "cid-1");

    SentMessages.Sent found = sent.take(id);

    assertThat(found)
        .isEqualTo(
            new SentMessages.Sent(
                "sip:alice@org.example", "bob@remote.example/phone", "cid-1", now.get()));
    assertThat(sent.take(id)).as("taken once").isNull();
  }

  @Test
  void anErrorFromAnotherDomainDoesNotTakeTheMessage() {
    SentMessages sent = sent(10);
    String id = StanzaIds.next();
    sent.remember(id, "sip:alice@org.example", "bob@remote.example", "cid-1");

    assertThat(sent.take(id, "mallory@evil.example")).isNull();
    assertThat(sent.take(id, "REMOTE.example")).isNotNull();
  }

  @Test
  void theOldestMessagesGiveWayOnceTheCapacityIsReached() {
    SentMessages sent = sent(3);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = StanzaIds.next();
      ids.add(id);
      sent.remember(id, "sip:a" + i + "@org.example", "b@remote.example", "c" + i);
    }

    assertThat(sent.take(ids.get(0))).isNull();
    assertThat(sent.take(ids.get(1))).isNull();
    assertThat(sent.take(ids.get(2)).sipSender()).isEqualTo("sip:a2@org.example");
    assertThat(sent.take(ids.get(4)).correlationId()).isEqualTo("c4");
  }

  @Test
  void aMessageOlderThanTheMaximumAgeIsNotReturned() {
    SentMessages sent = sent(10);
    String id = StanzaIds.next();
    sent.remember(id, "sip:alice@org.example", "bob@remote.example", "cid");

    now.addAndGet(Duration.ofMinutes(5).toMillis() + 1);

    assertThat(sent.take(id)).isNull();
  }

  @Test
  void addressesTooLongForASlotAreKeptAsWell() {
    SentMessages sent = sent(2);
    String longUser = "u".repeat(SentMessages.SLOT_BYTES);
    String id = StanzaIds.next();
    sent.remember(id, "sip:" + longUser + "@org.example", "bob@remote.example", "cid");
    String next = StanzaIds.next();
    sent.remember(next, "sip:zoë@org.example", "東京@remote.example", null);

    assertThat(sent.take(id, "remote.example").sipSender()).endsWith(longUser + "@org.example");
    SentMessages.Sent unicode = sent.take(next);
    assertThat(unicode.sipSender()).isEqualTo("sip:zoë@org.example");
    assertThat(unicode.xmppRecipient()).isEqualTo("東京@remote.example");
    assertThat(unicode.correlationId()).isNull();
  }

  @Test
  void idsNotMadeHereAreNeitherRememberedNorFound() {
    SentMessages sent = sent(10);

    assertThatThrownBy(() -> sent.remember("abc", "sip:a@o", "b@r", "c"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(sent.take("abc")).isNull();
    assertThat(sent.take(null)).isNull();
    assertThat(sent.take(StanzaIds.next() + "x", "r")).isNull();
  }

  @Test
  void stanzaIdsRiseAndGiveBackTheirSequenceNumber() {
    String first = StanzaIds.next();
    String second = StanzaIds.next();

    assertThat(StanzaIds.sequenceOf(second)).isEqualTo(StanzaIds.sequenceOf(first) + 1);
    assertThat(StanzaIds.sequenceOf("someone-else-1")).isEqualTo(-1);
  }
}
