package offhours.classify;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import offhours.aws.InvocationDeadline;
import offhours.inference.InvocationUsage;
import offhours.inference.ProbeImage;

/**
 * What the records of one batch share: whether the endpoint failed as a whole (then the rest of the batch is
 * deferred without calling it), which images the model crashed on, whether the model read offhours' probe image,
 * and the invocation's deadline. Records run concurrently, so every field is thread-safe.
 */
final class BatchScope {

  /** Without a Lambda context (tests, tools) there is no deadline. */
  static final LongSupplier NO_DEADLINE = () -> Long.MAX_VALUE;

  private final InvocationDeadline deadline;
  private final AtomicReference<Down> endpointDown = new AtomicReference<>();
  private final Set<String> crashedImages = ConcurrentHashMap.newKeySet();
  private final InvocationUsage usage;
  private ProbeImage.Check probe; // guarded by this

  BatchScope(LongSupplier remainingMillis, InvocationUsage usage) {
    this.deadline = new InvocationDeadline(remainingMillis);
    this.usage = usage;
  }

  /** What this batch's invocations that reached the model spent (hosting serverless bills it). */
  InvocationUsage usage() {
    return usage;
  }

  /**
   * Why the endpoint is unusable for the rest of this batch.
   *
   * @param throttled whether it only turned requests away as busy (a deferral for that is not counted)
   */
  record Down(String reason, boolean throttled) {}

  /** Why the endpoint is unusable for the rest of this batch, or null while it is not. */
  Down endpointDown() {
    return endpointDown.get();
  }

  /** Records that the endpoint failed as a whole; the first reason is kept. */
  void endpointDown(String reason) {
    endpointDown(reason, false);
  }

  /** Records that the endpoint failed as a whole, or only throttled; the first reason is kept. */
  void endpointDown(String reason, boolean throttled) {
    endpointDown.compareAndSet(null, new Down(reason, throttled));
  }

  /**
   * Records that the model failed on image {@code identity}. Failures on two different images of one batch are the
   * endpoint's, not the images': the batch is deferred from then on.
   */
  void crashed(String identity, String detail) {
    crashedImages.add(identity);
    if (endpointWide()) {
      endpointDown(
          "the model failed on " + crashedImages.size() + " different images in this batch "
              + detail + "; the endpoint is at fault, not the images");
    }
  }

  /**
   * Whether the model reads offhours' probe image, found out at most once per batch: the first record to ask runs
   * {@code check}; records that ask meanwhile wait for it, and all share its answer.
   */
  synchronized ProbeImage.Check probe(Supplier<ProbeImage.Check> check) {
    if (probe == null) {
      probe = check.get();
    }
    return probe;
  }

  boolean endpointWide() {
    return crashedImages.size() >= 2;
  }

  long remainingMillis() {
    return deadline.remainingMillis();
  }

  /** Whether at least {@code needed} of the invocation remains. */
  boolean hasTime(Duration needed) {
    return remainingMillis() >= needed.toMillis();
  }

  /**
   * The writes that follow a record's InvokeEndpoint, in the order they happen, each with the share of
   * {@link #RESERVE} kept for it. Lambda ends an invocation at its Timeout
   * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html), and then the whole batch, finished
   * records included, comes back after the visibility timeout with one more receive each; so no write may outlast
   * the deadline, and each leaves the later ones their shares. A DynamoDB PutItem or TransactWriteItems, or an SQS
   * SendMessage, answers in milliseconds within a Region; a share of a second or more leaves room for the SDK's
   * retries of a throttled or dropped attempt (the standard mode's first two pauses: at most 100 and 200 ms,
   * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html) and, for the ledger, for its
   * conflict pauses (25 + 50 + 100 + 200 ms at most, {@code DynamoCounters}).
   */
  enum Write {
    /** The record's result (PutItem). Its 2 s leave 1.5 + 1 + 1 + 0.5 s for what follows. */
    RESULT(Duration.ofMillis(2_000)),
    /** The deferred copy of a message (SendMessage), once the whole batch is evaluated. */
    DEFERRAL(Duration.ofMillis(1_500)),
    /**
     * The retry pause of the messages the batch reports as failed (ChangeMessageVisibilityBatch, 10 to a call), once
     * every record is concluded ({@link RetryPace}); without it they wait the queue's visibility timeout.
     */
    PACE(Duration.ofMillis(1_000)),
    /** The batch's serverless invocations added to the ledger (TransactWriteItems), last of all. */
    LEDGER(Duration.ofMillis(1_000));

    private final Duration share;

    Write(Duration share) {
      this.share = share;
    }

    /** What the writes after this one, and the end of the invocation, keep. */
    Duration after() {
      Duration after = END;
      for (Write later : values()) {
        if (later.ordinal() > ordinal()) {
          after = after.plus(later.share);
        }
      }
      return after;
    }
  }

  /** Kept after the last write: the batch response written back, and Lambda's own work before the Timeout. */
  static final Duration END = InvocationDeadline.END;

  /**
   * Kept free after a record's InvokeEndpoint (and its image download): every write's share plus {@link #END}, 2 +
   * 1.5 + 1 + 1 + 0.5 = 6 s. A record is started only with INVOKE_TIMEOUT_SECONDS plus this left.
   */
  static final Duration RESERVE = Write.RESULT.share.plus(Write.RESULT.after());

  /**
   * The least a write is given: a write given less would fail for want of time, not for anything DynamoDB or SQS did
   * (a PutItem within a Region takes a few milliseconds, but a first call on a new connection adds its TLS handshake).
   */
  private static final Duration WRITE_FLOOR = InvocationDeadline.FLOOR;

  /**
   * How a record whose write the deadline stopped ends: its message is not acknowledged, and comes back after its
   * retry pause, or after the queue's visibility timeout when the batch has no time left to set one
   * ({@link RetryPace}).
   */
  static final String RETRIED = "; SQS delivers the message again after its retry pause";

  /** A write that was not started, or was cut, because the invocation's deadline came. */
  static final class OutOfTime extends RuntimeException {
    OutOfTime(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The apiCallTimeout of {@code write}: the time left less what the later writes keep, at least {@link
   * #WRITE_FLOOR}; null without a deadline. A request's apiCallTimeout bounds every attempt and the pauses between
   * them, and overrides the client's (https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/timeouts.html).
   *
   * @throws OutOfTime when less than {@link #WRITE_FLOOR} remains before {@link #END}: the write is not started
   */
  Duration writeTimeout(Write write, String what) {
    try {
      return deadline.timeout(write.after(), what);
    } catch (InvocationDeadline.NoTimeLeft e) {
      throw new OutOfTime(e.getMessage());
    }
  }

  /** The time a call may take and still leave {@code reserve} of the invocation; null without a deadline. */
  Duration callTimeout(Duration reserve) {
    long remaining = remainingMillis();
    return remaining == Long.MAX_VALUE
        ? null
        : Duration.ofMillis(Math.max(1, remaining - reserve.toMillis()));
  }
}
