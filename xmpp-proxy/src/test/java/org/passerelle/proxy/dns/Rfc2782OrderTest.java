package org.passerelle.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Rfc2782OrderTest {

  private static ServiceRecord record(int priority, int weight, String target) {
    return new ServiceRecord(SrvService.XMPP_SERVER, priority, weight, 5269, target);
  }

  // RFC 2782, "Priority": a client MUST attempt the lowest-numbered priority it can reach first.
  @Test
  void lowerPriorityComesFirstWhateverTheWeight() {
    ServiceRecord heavyButLate = record(20, 65535, "late.example");
    ServiceRecord lightButEarly = record(10, 0, "early.example");

    List<ServiceRecord> ordered =
        new Rfc2782Order(new ScriptedRandom()).order(List.of(heavyButLate, lightButEarly));

    assertThat(ordered).containsExactly(lightButEarly, heavyButLate);
  }

  // RFC 2782, "Usage rules": pick a uniform number in [0, sum] and take the first record whose
  // running sum reaches it; repeat on the rest.
  @Test
  void weightedSelectionTakesFirstRecordWhoseRunningSumReachesTheRandomNumber() {
    ServiceRecord a = record(0, 10, "a.example"); // running sum 10
    ServiceRecord b = record(0, 20, "b.example"); // 30
    ServiceRecord c = record(0, 70, "c.example"); // 100
    ScriptedRandom random = new ScriptedRandom(25, 80);

    List<ServiceRecord> ordered = new Rfc2782Order(random).order(List.of(a, b, c));

    assertThat(ordered).containsExactly(b, c, a);
    assertThat(random.bounds()).as("inclusive upper end: sum + 1").containsExactly(101L, 81L);
  }

  // RFC 2782: zero-weight records are placed first in the running sum, so they are chosen only
  // when the random number is 0 ("a very small chance of being selected").
  @Test
  void zeroWeightRecordIsChosenFirstOnlyWhenTheRandomNumberIsZero() {
    ServiceRecord weighted = record(0, 5, "weighted.example");
    ServiceRecord zero = record(0, 0, "zero.example");

    assertThat(new Rfc2782Order(new ScriptedRandom(0)).order(List.of(weighted, zero)))
        .containsExactly(zero, weighted);
    assertThat(new Rfc2782Order(new ScriptedRandom(1)).order(List.of(weighted, zero)))
        .containsExactly(weighted, zero);
  }

  // RFC 2782: with all weights 0 the sum is 0 and the first remaining record is always taken.
  @Test
  void allZeroWeightsKeepTheAnswerOrder() {
    ServiceRecord first = record(0, 0, "first.example");
    ServiceRecord second = record(0, 0, "second.example");
    ServiceRecord third = record(0, 0, "third.example");

    List<ServiceRecord> ordered =
        new Rfc2782Order(new ScriptedRandom(0, 0)).order(List.of(first, second, third));

    assertThat(ordered).containsExactly(first, second, third);
  }

  // RFC 2782: a record's chance to come first is proportional to its weight (+1 for the
  // inclusive pick); checked over many draws of a seeded generator.
  @Test
  void weightsSetTheProportionOfFirstPlacesWithSeededGenerator() {
    ServiceRecord light = record(0, 10, "light.example");
    ServiceRecord heavy = record(0, 90, "heavy.example");
    ServiceRecord zero = record(0, 0, "zero.example");
    Rfc2782Order order = new Rfc2782Order(new SplittableRandom(2782));
    int rounds = 10_000;
    int heavyFirst = 0;
    int zeroFirst = 0;

    for (int i = 0; i < rounds; i++) {
      ServiceRecord winner = order.order(List.of(light, heavy, zero)).get(0);
      heavyFirst += winner.equals(heavy) ? 1 : 0;
      zeroFirst += winner.equals(zero) ? 1 : 0;
    }

    // Expected: heavy 90/101 = 0.891, zero 1/101 = 0.0099.
    assertThat(heavyFirst / (double) rounds).isBetween(0.87, 0.91);
    assertThat(zeroFirst / (double) rounds).isBetween(0.002, 0.02);
  }

  @Test
  void sameSeedGivesSameOrder() {
    List<ServiceRecord> records =
        List.of(
            record(0, 10, "a.example"),
            record(0, 20, "b.example"),
            record(0, 30, "c.example"),
            record(0, 40, "d.example"));

    assertThat(new Rfc2782Order(new SplittableRandom(7)).order(records))
        .isEqualTo(new Rfc2782Order(new SplittableRandom(7)).order(records))
        .containsExactlyInAnyOrderElementsOf(records);
  }
}
