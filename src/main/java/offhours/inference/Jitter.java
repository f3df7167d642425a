package offhours.inference;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Randomness for retry pauses that stays random under SnapStart. Lambda restores every execution environment of a
 * version from one snapshot of the heap, so a generator whose state lives there draws the same numbers in all of
 * them. ThreadLocalRandom is one (a static seeder and a seed per thread, all in the heap), and the SDK's own backoff
 * strategies draw from it ({@code BackoffStrategy.exponentialDelay} in SDK 2.40): environments restored together for a
 * backlog, throttled together, would retry together, pause for pause. These draw from SecureRandom, which AWS names
 * among the generators that stay unique after a restore
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html).
 */
public final class Jitter {

  private static final SecureRandom SOURCE = new SecureRandom();

  private Jitter() {}

  /** A uniform draw from [0, 1). */
  public static double fraction() {
    return SOURCE.nextDouble();
  }

  /**
   * "Full jitter" as the SDK computes it for the standard retry mode: no pause before the first attempt; before
   * attempt n a uniform share of {@code base} x 2^(n-2), capped at {@code max}
   * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
   */
  public record Exponential(Duration base, Duration max) implements BackoffStrategy {

    public Exponential {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(max, "max");
      if (base.toMillis() < 1 || max.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "a backoff needs a base of at least 1 ms and a max no shorter, got " + base + " and "
                + max);
      }
    }

    @Override
    public Duration computeDelay(int attempt) {
      if (attempt < 1) {
        throw new IllegalArgumentException("attempts count from 1, got " + attempt);
      }
      if (attempt == 1) {
        return Duration.ZERO;
      }
      long cap = Math.min(base.toMillis() << Math.min(attempt - 2, 30), max.toMillis());
      return Duration.ofMillis((long) (cap * fraction()));
    }
  }

  /** The standard retry mode's backoff (100 ms base, 20 s cap), drawn from {@link #fraction()}. */
  public static final Exponential STANDARD_BACKOFF =
      new Exponential(Duration.ofMillis(100), Duration.ofSeconds(20));

  /** The standard retry mode's backoff after a throttling answer (1 s base, 20 s cap). */
  public static final Exponential STANDARD_THROTTLING_BACKOFF =
      new Exponential(Duration.ofSeconds(1), Duration.ofSeconds(20));

  /**
   * The SDK's standard retry strategy (what it retries, its token bucket) with at most {@code maxAttempts} attempts
   * and its two backoffs drawing from {@link #fraction()}.
   */
  public static RetryStrategy standardRetries(int maxAttempts) {
    return AwsRetryStrategy.forRetryMode(RetryMode.STANDARD).toBuilder()
        .maxAttempts(maxAttempts)
        .backoffStrategy(STANDARD_BACKOFF)
        .throttlingBackoffStrategy(STANDARD_THROTTLING_BACKOFF)
        .build();
  }
}
