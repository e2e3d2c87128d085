package org.passerelle.proxy.dns;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;

/** Returns scripted values from {@link #nextLong(long)} and records the bounds asked for. */
final class ScriptedRandom implements RandomGenerator {

  private final Deque<Long> picks = new ArrayDeque<>();
  private final List<Long> bounds = new ArrayList<>();

  ScriptedRandom(long... picks) {
    for (long pick : picks) {
      this.picks.add(pick);
    }
  }

  List<Long> bounds() {
    return List.copyOf(bounds);
  }

  @Override
  public long nextLong(long bound) {
    bounds.add(bound);
    long pick = picks.removeFirst();
    if (pick < 0 || pick >= bound) {
      throw new IllegalStateException("scripted " + pick + " outside [0, " + bound + ")");
    }
    return pick;
  }

  @Override
  public long nextLong() {
    throw new UnsupportedOperationException("only bounded picks are scripted");
  }
}
