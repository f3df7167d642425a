package offhours.api;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The API invocation's deadline, and what the queue path keeps of it. Lambda ends an invocation at the function's
 * Timeout (the template gives ApiFunction 29 s, inside API Gateway's 30 s), and API Gateway then answers 503 while the
 * work may be half done (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html); so every call
 * after InvokeEndpoint is cut before it, each leaving the later ones their shares. After a full 20 s InvokeEndpoint
 * about 9 s remain: the image's PutObject may take all but {@link #AFTER_STORE} (3.5 s) of them, some 5.5 s, ample for
 * 6 MB within a Region; with less time left, InvokeEndpoint is cut to leave the queue path those 9 s
 * ({@link #AFTER_INVOKE}); the forecast's five small reads (the control table's two GetItems and a Query, the two queues'
 * GetQueueAttributes, milliseconds each) share everything but {@link #AFTER_READS}; the ledger's write everything but
 * {@link #END}.
 */
final class RequestDeadline {

  /** Without a Lambda context (local mode, tests): no deadline, every call has the client's own timeouts. */
  static final RequestDeadline NONE = new RequestDeadline(() -> Long.MAX_VALUE);

  /** Kept after the last call: the answer written back, and Lambda's own work before the Timeout. */
  static final Duration END = Duration.ofMillis(500);

  /** Kept after the forecast's reads: the ledger write's 1 s, and {@link #END}. */
  static final Duration AFTER_READS = Duration.ofMillis(1_000).plus(END);

  /** Kept after the image's PutObject: the forecast's reads' 2 s, and {@link #AFTER_READS}. */
  static final Duration AFTER_STORE = Duration.ofMillis(2_000).plus(AFTER_READS);

  /**
   * Kept after InvokeEndpoint: the image's PutObject's 5.5 s, and {@link #AFTER_STORE}; with the full 29 s, the
   * InvokeEndpoint keeps its 20 s, and with less it is cut so that an image it leaves waiting can still be stored.
   */
  static final Duration AFTER_INVOKE = Duration.ofMillis(5_500).plus(AFTER_STORE);

  /** The least a call is given: with less left than this before {@link #END}, it is not started. */
  static final Duration FLOOR = Duration.ofMillis(250);

  /** A call that was not started because the deadline left it less than {@link #FLOOR}. */
  static final class NoTimeLeft extends RuntimeException {
    NoTimeLeft(String message) {
      super(message, null, false, false);
    }
  }

  private final LongSupplier remainingMillis;

  RequestDeadline(LongSupplier remainingMillis) {
    this.remainingMillis = remainingMillis;
  }

  /**
   * The apiCallTimeout of a call that must leave {@code keep} of the invocation: the time left less that, at least
   * {@link #FLOOR}; null without a deadline.
   *
   * @param what the call, for the message ("storing the image")
   * @throws NoTimeLeft when less than {@link #FLOOR} remains before {@link #END}
   */
  Duration timeout(Duration keep, String what) {
    long remaining = remainingMillis.getAsLong();
    if (remaining == Long.MAX_VALUE) {
      return null;
    }
    if (remaining - END.toMillis() < FLOOR.toMillis()) {
      throw new NoTimeLeft(String.format(
          Locale.ROOT,
          "%s was not started: %d ms of this request's time remained, less than the %d ms a call is"
              + " given plus the %d ms kept at its end",
          what,
          remaining,
          FLOOR.toMillis(),
          END.toMillis()));
    }
    return Duration.ofMillis(Math.max(FLOOR.toMillis(), remaining - keep.toMillis()));
  }
}
