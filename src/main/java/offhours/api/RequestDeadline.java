package offhours.api;

import java.time.Duration;
import java.util.function.LongSupplier;
import offhours.aws.InvocationDeadline;

/**
 * The API invocation's deadline, and what the queue path keeps of it. Lambda ends an invocation at the function's
 * Timeout ({@link offhours.stack.StackSpec#API_TIMEOUT_SECONDS}, inside API Gateway's 30 s integration timeout), and
 * API Gateway then answers 500 while the work may be half done
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html); so every call after InvokeEndpoint is cut
 * before it, each leaving the later ones their shares. A full InvokeEndpoint ({@link ClassifyRoute#INVOKE_TIMEOUT})
 * leaves {@link #AFTER_INVOKE}: the image's PutObject may take all of it but {@link #AFTER_STORE}, ample for 6 MB
 * within a Region; with less time left, InvokeEndpoint is cut to leave the queue path that much; the forecast's five
 * small reads (the control table's two GetItems and a Query, the two queues' GetQueueAttributes, milliseconds each)
 * share everything but {@link #AFTER_READS}; the ledger's write everything but {@link #END}. The rule each call keeps
 * (the time left less what the later ones keep, at least {@link InvocationDeadline#FLOOR}, else not started) is
 * {@link InvocationDeadline}'s, which Classify's writes and the controller's ledger write keep too.
 */
final class RequestDeadline {

  /** Without a Lambda context (local mode, tests): no deadline, every call has the client's own timeouts. */
  static final RequestDeadline NONE = new RequestDeadline(InvocationDeadline.NONE);

  /** Kept after the last call: the answer written back, and Lambda's own work before the Timeout. */
  static final Duration END = InvocationDeadline.END;

  /** Kept after the forecast's reads: the ledger write's share, and {@link #END}. */
  static final Duration AFTER_READS = Duration.ofMillis(1_000).plus(END);

  /** Kept after the image's PutObject: the forecast's reads' share, and {@link #AFTER_READS}. */
  static final Duration AFTER_STORE = Duration.ofMillis(2_000).plus(AFTER_READS);

  /**
   * Kept after InvokeEndpoint: the image's PutObject's share, and {@link #AFTER_STORE}; with the function's whole
   * Timeout, InvokeEndpoint keeps its {@link ClassifyRoute#INVOKE_TIMEOUT}, and with less it is cut so that an image it
   * leaves waiting can still be stored.
   */
  static final Duration AFTER_INVOKE = Duration.ofMillis(5_500).plus(AFTER_STORE);

  private final InvocationDeadline invocation;

  RequestDeadline(LongSupplier remainingMillis) {
    this(new InvocationDeadline(remainingMillis));
  }

  private RequestDeadline(InvocationDeadline invocation) {
    this.invocation = invocation;
  }

  /**
   * The apiCallTimeout of a call that must leave {@code keep} of the invocation ({@link InvocationDeadline#timeout}:
   * at least {@link InvocationDeadline#FLOOR}); null without a deadline.
   *
   * @param what the call, for the message ("storing the image")
   * @throws InvocationDeadline.NoTimeLeft when less than {@link InvocationDeadline#FLOOR} remains before {@link #END}:
   *     the call is not started
   */
  Duration timeout(Duration keep, String what) {
    return invocation.timeout(keep, what);
  }
}
