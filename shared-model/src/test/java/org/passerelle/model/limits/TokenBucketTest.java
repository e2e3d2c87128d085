package org.passerelle.model.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.passerelle.model.limits.TokenBucket.Verdict;

/**
 * The token bucket with a debt behind the stanza rate per remote domain (XEP-0205 §3) and the SIP
 * request rate per source.
 */
class TokenBucketTest {
  private long now;
  private final TokenBucket bucket = new TokenBucket(10, 5, () -> now);

  @Test
  void aFullBucketAdmitsItsSizeAtOnce() {
    assertThat(take(5)).containsOnly(Verdict.ACCEPT);
    assertThat(bucket.take()).isEqualTo(Verdict.REFUSE);
  }

  @Test
  void tokensComeBackAtTheRate() {
    take(5);

    now += 300_000_000L; // 0.3 s at 10 per second

    assertThat(take(3)).containsOnly(Verdict.ACCEPT);
    assertThat(bucket.take()).isEqualTo(Verdict.REFUSE);
  }

  @Test
  void aSenderThatKeepsGoingRunsUpADebtOfOneBucketAndIsCut() {
    take(5);

    assertThat(take(4)).containsOnly(Verdict.REFUSE);
    assertThat(bucket.take()).isEqualTo(Verdict.CUT);
  }

  @Test
  void aSenderAboveTheRateGetsNothingMoreThroughAndIsCut() {
    // 15 per second against 10: every refusal costs a token too, so the debt only grows (by 5 per
    // second) until it is a whole bucket.
    take(5);
    List<Verdict> verdicts = new ArrayList<>();
    for (int i = 0; i < 30 && !verdicts.contains(Verdict.CUT); i++) {
      now += 1_000_000_000L / 15;
      verdicts.add(bucket.take());
    }

    assertThat(verdicts)
        .doesNotContain(Verdict.ACCEPT)
        .contains(Verdict.REFUSE)
        .endsWith(Verdict.CUT);
  }

  @Test
  void aSenderThatStopsIsForgivenOnceItsDebtIsRepaid() {
    take(9);

    now += 500_000_000L; // 5 tokens repay the debt of 4 and leave 1
    assertThat(bucket.take()).isEqualTo(Verdict.ACCEPT);

    now += 10_000_000_000L;
    assertThat(bucket.isFull()).isTrue();
  }

  @Test
  void aRefusedSenderIsToldWhenTheNextTokenComes() {
    take(5);
    assertThat(bucket.untilNextToken().toMillis()).isEqualTo(100);

    take(2); // two refused: a debt of two, so three tokens' time
    assertThat(bucket.untilNextToken().toMillis()).isEqualTo(300);

    now += 300_000_001L;
    assertThat(bucket.untilNextToken()).isEqualTo(Duration.ZERO);
  }

  private List<Verdict> take(int n) {
    List<Verdict> verdicts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      verdicts.add(bucket.take());
    }
    return verdicts;
  }
}
