package offhours.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.RetryStrategy;

class JitterTest {

  private static final Jitter.Exponential BACKOFF =
      new Jitter.Exponential(Duration.ofMillis(100), Duration.ofSeconds(1));

  @Test
  void theFirstAttemptStartsAtOnce() {
    assertThat(BACKOFF.computeDelay(1)).isZero();
  }

  @Test
  void eachLaterAttemptWaitsAShareOfACapThatDoublesUpToTheMax() {
    // Caps 100, 200, 400, 800, then 1000 ms for ever (the shift stops growing at 2^30).
    long[] caps = {100, 200, 400, 800, 1000, 1000};
    for (int attempt = 2; attempt < 2 + caps.length; attempt++) {
      long cap = caps[attempt - 2];
      for (int draw = 0; draw < 200; draw++) {
        assertThat(BACKOFF.computeDelay(attempt).toMillis())
            .as("attempt %d", attempt)
            .isBetween(0L, cap - 1);
      }
    }
    assertThat(BACKOFF.computeDelay(Integer.MAX_VALUE).toMillis()).isBetween(0L, 999L);
  }

  @Test
  void aHalfJitterPauseWaitsAtLeastHalfOfItsCapAndAtMostAllOfIt() {
    Jitter.HalfExponential half =
        new Jitter.HalfExponential(Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(half.computeDelay(1)).isZero();
    long[] caps = {100, 200, 400, 800, 1000, 1000};
    for (int attempt = 2; attempt < 2 + caps.length; attempt++) {
      long cap = caps[attempt - 2];
      for (int draw = 0; draw < 200; draw++) {
        assertThat(half.computeDelay(attempt).toMillis())
            .as("attempt %d", attempt)
            .isBetween(cap / 2, cap);
      }
    }
    assertThatThrownBy(() -> new Jitter.HalfExponential(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage(
            "a backoff needs a base of at least 1 ms and a max no shorter, got PT0S and PT1S");
    assertThatThrownBy(() -> half.computeDelay(0)).hasMessage("attempts count from 1, got 0");
  }

  @Test
  void fractionsStayInTheUnitInterval() {
    for (int i = 0; i < 1000; i++) {
      assertThat(Jitter.fraction()).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
    }
  }

  @Test
  void aBackoffWithoutABaseOrWithAShorterMaxIsRefused() {
    assertThatThrownBy(() -> new Jitter.Exponential(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessage(
            "a backoff needs a base of at least 1 ms and a max no shorter, got PT0S and PT1S");
    assertThatThrownBy(() -> new Jitter.Exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage(
            "a backoff needs a base of at least 1 ms and a max no shorter, got PT2S and PT1S");
    assertThatThrownBy(() -> BACKOFF.computeDelay(0)).hasMessage("attempts count from 1, got 0");
  }

  /**
   * The SageMaker runtime client's strategy keeps the standard mode's delays and its attempt limit, but its pauses
   * are Jitter's: the SDK's own backoffs draw from ThreadLocalRandom, whose state a SnapStart snapshot hands to every
   * environment restored from it. The SDK offers no getter for a strategy's backoff, so its fields are read.
   */
  @Test
  void theRuntimeClientsRetriesPauseWithJitterThatASnapshotDoesNotRepeat() {
    RetryStrategy strategy =
        InferenceClient.overrides(Duration.ofSeconds(65), 2).retryStrategy().orElseThrow();

    assertThat(strategy.maxAttempts()).isEqualTo(2);
    assertThat(strategy).extracting("backoffStrategy").isEqualTo(Jitter.STANDARD_BACKOFF);
    assertThat(strategy)
        .extracting("throttlingBackoffStrategy")
        .isEqualTo(Jitter.STANDARD_THROTTLING_BACKOFF);
  }
}
