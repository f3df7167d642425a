package offhours.aws;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * A Lambda invocation's deadline, and the rule each call made within it keeps: it is given the time left less what
 * the later steps keep, at least {@link #FLOOR}, and is not started when less than that remains before {@link #END}.
 * Lambda ends an invocation at the function's Timeout, whatever it was doing
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html); a call cut before it lets the function
 * say what was left undone. A request's apiCallTimeout bounds every attempt and the pauses between them
 * (https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/timeouts.html).
 */
public final class InvocationDeadline {

  /** Without a Lambda context (local mode, tools, tests): no deadline, every call has the client's own timeouts. */
  public static final InvocationDeadline NONE = new InvocationDeadline(() -> Long.MAX_VALUE);

  /** Kept after the last call: the answer written back, and Lambda's own work before the Timeout. */
  public static final Duration END = Duration.ofMillis(500);

  /**
   * The least a call is given: one given less would fail for want of time, not for anything the service did (a call
   * within a Region takes milliseconds, but a first call on a new connection adds its TLS handshake).
   */
  public static final Duration FLOOR = Duration.ofMillis(250);

  /** A call that was not started because the deadline left it less than {@link #FLOOR}. */
  public static final class NoTimeLeft extends RuntimeException {
    public NoTimeLeft(String message) {
      super(message, null, false, false);
    }
  }

  private final LongSupplier remainingMillis;

  /** {@code remainingMillis}: Lambda's time left (the context's getRemainingTimeInMillis). */
  public InvocationDeadline(LongSupplier remainingMillis) {
    this.remainingMillis = remainingMillis;
  }

  /** The time left, in milliseconds; {@link Long#MAX_VALUE} without a deadline. */
  public long remainingMillis() {
    return remainingMillis.getAsLong();
  }

  /**
   * The apiCallTimeout of a call that must leave {@code keep} of the invocation (the later steps' shares and {@link
   * #END}): the time left less that, at least {@link #FLOOR}; null without a deadline.
   *
   * @param what the call, for the message ("the ledger write")
   * @throws NoTimeLeft when less than {@link #FLOOR} remains before {@link #END}
   */
  public Duration timeout(Duration keep, String what) {
    long remaining = remainingMillis();
    if (remaining == Long.MAX_VALUE) {
      return null;
    }
    if (remaining - END.toMillis() < FLOOR.toMillis()) {
      throw new NoTimeLeft(String.format(
          Locale.ROOT,
          "%s was not started: %d ms of this invocation remained, less than the %d ms a call is"
              + " given plus the %d ms kept at its end",
          what,
          remaining,
          FLOOR.toMillis(),
          END.toMillis()));
    }
    return Duration.ofMillis(Math.max(FLOOR.toMillis(), remaining - keep.toMillis()));
  }

  /**
   * Runs {@code work} with {@code current} (what a handler's interceptor reads) set to this invocation's deadline, and
   * back to {@link #NONE} after it. {@code remainingMillis}: the Lambda context's time left; null without a context
   * (local mode, tests), which sets no deadline.
   */
  public static <T> T during(
      AtomicReference<InvocationDeadline> current, LongSupplier remainingMillis, Supplier<T> work) {
    current.set(remainingMillis == null ? NONE : new InvocationDeadline(remainingMillis));
    try {
      return work.get();
    } finally {
      current.set(NONE);
    }
  }

  /**
   * {@code request} with its apiCallTimeout set to {@code cut}, for an interceptor's modifyRequest; empty when it stays
   * as it is: no cut (no deadline), not an AWS request, or a timeout of its own that ends it first (the
   * controller's probe, offhours.endpoint.TestInvocation.PROBE_TIMEOUT). A request's apiCallTimeout replaces its
   * client's.
   */
  public static Optional<SdkRequest> cut(SdkRequest request, Duration cut) {
    if (cut == null || !(request instanceof AwsRequest aws)) {
      return Optional.empty();
    }
    AwsRequestOverrideConfiguration own = aws.overrideConfiguration().orElse(null);
    Duration given = own == null ? null : own.apiCallTimeout().orElse(null);
    if (given != null && given.compareTo(cut) <= 0) {
      return Optional.empty();
    }
    AwsRequestOverrideConfiguration.Builder override =
        own == null ? AwsRequestOverrideConfiguration.builder() : own.toBuilder();
    return Optional.of(aws.toBuilder()
        .overrideConfiguration(override.apiCallTimeout(cut).build())
        .build());
  }

  /** The call an interceptor sees, for its messages: "SageMaker's DescribeEndpoint". */
  public static String call(ExecutionAttributes attributes) {
    return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "'s "
        + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
  }
}
