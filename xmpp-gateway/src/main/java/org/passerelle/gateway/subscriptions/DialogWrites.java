package org.passerelle.gateway.subscriptions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.passerelle.gateway.store.DialogId;
import org.passerelle.gateway.store.SipDialog;
import org.passerelle.gateway.store.SubscriptionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dialog writes of both flows, in the order they were asked for, one store transaction at a
 * time: saves that queue up meanwhile go together in one transaction (the last state of each dialog
 * only), so that a restore or a burst of refreshes costs a few commits, not one each. If such a
 * batch fails, its saves are tried one by one, so that one refused dialog (its authorisation
 * deleted meanwhile) does not take the others with it. Confined to the presence thread.
 */
final class DialogWrites {
  private static final Logger LOG = LoggerFactory.getLogger(DialogWrites.class);

  private final SubscriptionStore store;
  private final Flow flow;

  /** Waiting writes: a run of saves (by dialog, last state wins) or one delete. */
  private final ArrayDeque<Object> queue = new ArrayDeque<>();

  private boolean writing;

  DialogWrites(SubscriptionStore store, Flow flow) {
    this.store = store;
    this.flow = flow;
  }

  void save(SipDialog dialog) {
    Saves saves = queue.peekLast() instanceof Saves last && !last.alone ? last : null;
    if (saves == null) {
      saves = new Saves();
      queue.add(saves);
    }
    saves.byId.put(dialog.id(), dialog);
    writeNext();
  }

  void delete(DialogId id) {
    queue.add(id);
    writeNext();
  }

  /** Writes queued and under way, for tests. */
  int pending() {
    return queue.size() + (writing ? 1 : 0);
  }

  private void writeNext() {
    if (writing || queue.isEmpty()) {
      return;
    }
    writing = true;
    Object next = queue.poll();
    if (next instanceof DialogId id) {
      after(store.deleteDialog(id), "deleting dialog " + id);
      return;
    }
    List<SipDialog> dialogs = new ArrayList<>(((Saves) next).byId.values());
    if (dialogs.size() == 1) {
      after(store.saveDialog(dialogs.get(0)), "storing dialog " + dialogs.get(0).id());
      return;
    }
    flow.then(
        store.saveDialogs(dialogs),
        "storing " + dialogs.size() + " dialogs",
        done -> done(),
        error -> {
          LOG.debug("storing {} dialogs together failed ({}); one by one", dialogs.size(), error);
          // Each alone, in order, before anything queued since.
          for (int i = dialogs.size() - 1; i >= 0; i--) {
            Saves one = new Saves();
            one.byId.put(dialogs.get(i).id(), dialogs.get(i));
            one.alone = true;
            queue.addFirst(one);
          }
          done();
        });
  }

  private void after(CompletionStage<?> write, String what) {
    flow.then(
        write,
        what,
        done -> done(),
        error -> {
          LOG.warn("{} failed: {}", what, error.getMessage());
          done();
        });
  }

  private void done() {
    writing = false;
    writeNext();
  }

  /** Saves to write together; one retried alone takes no others. */
  private static final class Saves {
    final Map<DialogId, SipDialog> byId = new LinkedHashMap<>();
    boolean alone;
  }
}
