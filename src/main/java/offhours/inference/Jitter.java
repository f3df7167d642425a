package offhours.inference;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.retries.AdaptiveRetryStrategy;
import software.amazon.awssdk.retries.LegacyRetryStrategy;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * Randomness for retry pauses that stays random under SnapStart. Lambda restores every execution environment of a
 * version from one snapshot of the heap, so a generator whose state lives there draws the same numbers in all of
 * them. ThreadLocalRandom is one (a static seeder and a seed per thread, all in the heap), and the SDK's own backoff
 * strategies draw from it ({@code BackoffStrategy.exponentialDelay} in SDK 2.40): environments restored together for a
 * backlog, throttled together, would retry together, pause for pause. These draw from SecureRandom, which AWS names
 * among the generators that stay unique after a restore
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html). AwsClients gives every client it builds
 * these pauses ({@link #drawnPerEnvironment}).
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
      requireBaseAndMax(base, max);
    }

    @Override
    public Duration computeDelay(int attempt) {
      return Duration.ofMillis((long) (ceiling(attempt, base, max) * fraction()));
    }
  }

  /**
   * "Half jitter" as the SDK computes it for the legacy retry mode's throttling pauses: before attempt n at least half
   * of {@code base} x 2^(n-2) (capped at {@code max}), plus a uniform share of the other half.
   */
  public record HalfExponential(Duration base, Duration max) implements BackoffStrategy {

    public HalfExponential {
      requireBaseAndMax(base, max);
    }

    @Override
    public Duration computeDelay(int attempt) {
      long half = ceiling(attempt, base, max) / 2;
      return Duration.ofMillis(half + (long) ((half + 1) * fraction()));
    }
  }

  private static void requireBaseAndMax(Duration base, Duration max) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    if (base.toMillis() < 1 || max.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "a backoff needs a base of at least 1 ms and a max no shorter, got " + base + " and "
              + max);
    }
  }

  /** The longest pause before {@code attempt}, in ms: none before the first, then base x 2^(n-2) up to max. */
  private static long ceiling(int attempt, Duration base, Duration max) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempts count from 1, got " + attempt);
    }
    if (attempt == 1) {
      return 0;
    }
    return Math.min(base.toMillis() << Math.min(attempt - 2, 30), max.toMillis());
  }

  /** The longest pause of every SDK retry mode. */
  private static final Duration SDK_MAX_BACKOFF = Duration.ofSeconds(20);

  /** The standard retry mode's backoff (100 ms base, 20 s cap), drawn from {@link #fraction()}. */
  public static final Exponential STANDARD_BACKOFF =
      new Exponential(Duration.ofMillis(100), SDK_MAX_BACKOFF);

  /** The standard retry mode's backoff after a throttling answer (1 s base, 20 s cap). */
  public static final Exponential STANDARD_THROTTLING_BACKOFF =
      new Exponential(Duration.ofSeconds(1), SDK_MAX_BACKOFF);

  /** The legacy retry mode's pause after a throttling answer (half jitter, 500 ms base). */
  private static final HalfExponential LEGACY_THROTTLING_BACKOFF =
      new HalfExponential(Duration.ofMillis(500), SDK_MAX_BACKOFF);

  /**
   * {@code sdkDefault}, a client's retry strategy as the SDK resolved it for its service and retry mode (what it
   * retries, how many attempts, its token bucket), with both of its pauses drawn from {@link #fraction()} instead of
   * ThreadLocalRandom, their bases, caps and jitter shapes the SDK's: {@code baseDelay} (the service's own, e.g.
   * DynamoDB's 25 ms) between ordinary retries; after a throttling answer the mode's own (legacy: half jitter on
   * 500 ms; standard and adaptive: full jitter on 1 s). The SDK offers no way to read a backoff's settings nor to
   * replace only its random source, so these restate them; AwsClientsRetryTest compares them with the SDK's on built
   * clients. A strategy of none of the SDK's three modes is returned as it is.
   */
  public static RetryStrategy drawnPerEnvironment(RetryStrategy sdkDefault, Duration baseDelay) {
    Exponential backoff = new Exponential(baseDelay, SDK_MAX_BACKOFF);
    if (sdkDefault instanceof LegacyRetryStrategy legacy) {
      return legacy.toBuilder()
          .backoffStrategy(backoff)
          .throttlingBackoffStrategy(LEGACY_THROTTLING_BACKOFF)
          .build();
    }
    if (sdkDefault instanceof StandardRetryStrategy standard) {
      return standard.toBuilder()
          .backoffStrategy(backoff)
          .throttlingBackoffStrategy(STANDARD_THROTTLING_BACKOFF)
          .build();
    }
    if (sdkDefault instanceof AdaptiveRetryStrategy adaptive) {
      return adaptive.toBuilder()
          .backoffStrategy(backoff)
          .throttlingBackoffStrategy(STANDARD_THROTTLING_BACKOFF)
          .build();
    }
    return sdkDefault;
  }

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
