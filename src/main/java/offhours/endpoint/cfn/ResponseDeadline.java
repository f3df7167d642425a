package offhours.endpoint.cfn;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import offhours.aws.AwsClients;
import offhours.aws.InvocationDeadline;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Every AWS call of a custom resource's invocation ends while the invocation still has the time its answer to
 * CloudFormation takes ({@link #ANSWER}): an interceptor on each client of the function gives each call, as it starts,
 * the time left less that ({@link InvocationDeadline#timeout}). The budget a custom resource waits within ends earlier
 * ({@link CustomResourceResponse#budget}), but a call made as it ends (the cleanup's last look at the endpoint, and a
 * delete and a look after that; the live-versions resource's last look at a version and its alias moves) would
 * otherwise run as long as its client lets it ({@link AwsClients#CALL_TIMEOUT}), and Lambda ends an invocation at the
 * function's Timeout whatever it is doing (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html):
 * CloudFormation would get no answer and wait out the ServiceTimeout. Cut, the call fails and the resource answers
 * FAILED with what to do. A call that has a shorter timeout of its own keeps it, and so does one started with more time
 * left than its client's {@link AwsClients#CALL_TIMEOUT} (every client of these functions has it); without a Lambda
 * context ({@link InvocationDeadline#NONE}) nothing is changed.
 */
final class ResponseDeadline implements ExecutionInterceptor {

  /**
   * What answering CloudFormation takes at most: the response PUT ({@link CustomResourceResponse#PUT_TIMEOUT}), then
   * time for its log line and the invocation's end.
   */
  static final Duration ANSWER = CustomResourceResponse.PUT_TIMEOUT.plusSeconds(10);

  /** The cut this interceptor gave a call, for the message when it ends it. */
  private static final ExecutionAttribute<Duration> CUT =
      new ExecutionAttribute<>("offhours.ResponseDeadline.cut");

  private final Supplier<InvocationDeadline> invocation;

  /** {@code invocation}: the deadline of the invocation in progress ({@link InvocationDeadline#NONE} between them). */
  ResponseDeadline(Supplier<InvocationDeadline> invocation) {
    this.invocation = Objects.requireNonNull(invocation, "invocation");
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    InvocationDeadline deadline = invocation.get();
    Duration cut = deadline == null ? null : deadline.timeout(ANSWER, call(attributes));
    // A request's apiCallTimeout replaces its client's: with more time left than that, the
    // client's own CALL_TIMEOUT stays the call's bound.
    Optional<SdkRequest> cutRequest = cut == null || cut.compareTo(AwsClients.CALL_TIMEOUT) >= 0
        ? Optional.empty()
        : InvocationDeadline.cut(context.request(), cut);
    cutRequest.ifPresent(r -> attributes.putAttribute(CUT, cut));
    return cutRequest.orElse(context.request());
  }

  @Override
  public Throwable modifyException(
      Context.FailedExecution context, ExecutionAttributes attributes) {
    Duration cut = attributes.getAttribute(CUT);
    if (cut == null || !(context.exception() instanceof ApiCallTimeoutException e)) {
      return context.exception();
    }
    return ApiCallTimeoutException.create(
        call(attributes) + " was cut after " + cut.toMillis() + " ms, " + ANSWER.toSeconds()
            + " s before this invocation's end (the function's Timeout), to leave the answer to"
            + " CloudFormation its time",
        e);
  }

  private static String call(ExecutionAttributes attributes) {
    return InvocationDeadline.call(attributes);
  }
}
