package org.passerelle.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.passerelle.gateway.link.LinkListener;

class FirstAttachTest {
  private final List<String> seen = new ArrayList<>();
  private final LinkListener next =
      new LinkListener() {
        @Override
        public void onStanza(Element stanza) {
          seen.add("stanza");
        }

        @Override
        public void onLinkUp() {
          seen.add("up");
        }

        @Override
        public void onLinkDown() {
          seen.add("down");
        }
      };

  @Test
  void readyRunsOnceWhenEveryLinkIsUpAndNotWhenALinkComesBack() {
    AtomicBoolean allUp = new AtomicBoolean(false);
    AtomicInteger ready = new AtomicInteger();
    FirstAttach listener = new FirstAttach(next, allUp::get, ready::incrementAndGet);

    listener.onLinkUp(); // one domain of two
    assertThat(ready).hasValue(0);
    allUp.set(true);
    listener.onLinkUp(); // the second
    listener.onLinkDown();
    listener.onLinkUp(); // back again

    assertThat(ready).hasValue(1);
    assertThat(seen).containsExactly("up", "up", "down", "up");
  }

  @Test
  void stanzasPassThrough() {
    FirstAttach listener = new FirstAttach(next, () -> true, () -> {});

    listener.onStanza(DocumentHelper.createElement("message"));

    assertThat(seen).containsExactly("stanza");
  }
}
