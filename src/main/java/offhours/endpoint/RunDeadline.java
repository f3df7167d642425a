package offhours.endpoint;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import offhours.aws.InvocationDeadline;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Every AWS call of a controller run ends before the run's deadline: an interceptor on each client the controller
 * builds ({@link ControllerHandler}; its modifyRequest hook rewrites the SDK request before it is sent,
 * https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/interceptors.html) gives each call, as it starts, the
 * time the run has left less what the steps after it keep ({@link InvocationDeadline#timeout}: at least {@link
 * InvocationDeadline#FLOOR}, else the call is not started and {@link InvocationDeadline.NoTimeLeft} says so). Lambda
 * ends an invocation at the function's Timeout ({@link offhours.stack.StackSpec#CONTROLLER_TIMEOUT_SECONDS} for the
 * controller) whatever it is doing (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html), and a
 * request's apiCallTimeout bounds its attempts and the pauses between them
 * (https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/timeouts.html). A call that has a shorter timeout
 * of its own (the probe's {@link TestInvocation#PROBE_TIMEOUT}) keeps it. Without a Lambda context ({@link
 * InvocationDeadline#NONE}: local mode, the command line, tests) nothing is changed.
 *
 * <p>What each call keeps, in the order a run makes them (each later call is a single request of milliseconds; a share
 * is room for the SDK's retries of a slow one):
 *
 * <pre>
 * call                                                   keeps   for
 * reads: DescribeEndpoint, ListTags,                     8 s     the claim's PutItem (1 s), the step's call (2 s),
 *   DescribeInferenceComponent, GetEventSourceMapping,           and what the step keeps (5 s)
 *   GetQueueAttributes (and any call not named here)
 * the probe: InvokeEndpoint                              10 s    its ledger write (2 s), the second claim (1 s), the
 *                                                                enable (1 s), the log retention (1 s), and 5 s
 * the step: CreateEndpoint, DeleteEndpoint,              5 s     the state write (2 s), and what it keeps (3 s)
 *   Create/DeleteInferenceComponent,
 *   UpdateInferenceComponentRuntimeConfig,
 *   UpdateEventSourceMapping, PutRetentionPolicy,
 *   TransactWriteItems (the ledger; a claim that counts
 *   billed seconds, a start or a stop)
 * the control table: GetItem, PutItem, Query (the state  3 s     the timer's SendMessage (1.5 s), the decision's
 *   read, the claims, the state write, the timer's claim,        PutItem (1 s), and the 0.5 s kept at the end
 *   the decision; the ledger's start and first day once
 *   a container)
 * the timer: SendMessage                                 1.5 s   the decision's PutItem (1 s) and the 0.5 s at the end
 * the decision: PutItem (its record, the run's last     0.5 s   the end
 *   call; it names its keep, {@link OwnKeep#KEEP})
 * </pre>
 *
 * So after a probe or a describe that stalls, the state write that records what the run did still has 2 s or more,
 * and the decision's record, after a SendMessage cut at its deadline, 1 s. The interceptor tells calls apart by their
 * operation, not by where the run stands, except for a request that names what it keeps ({@link OwnKeep#KEEP}): the
 * decision's PutItem is a control-table PutItem, but nothing follows it, so the 3 s the others keep would only cut it
 * early (to the 250 ms floor on a run with less than 3.25 s left).
 */
final class RunDeadline implements ExecutionInterceptor {

  /** Kept by the timer's SendMessage: the decision's PutItem, and the end. */
  static final Duration AFTER_TIMER = Duration.ofMillis(1_000).plus(InvocationDeadline.END);

  /** Kept by the control table's reads and writes: the timer's SendMessage, and what it keeps. */
  static final Duration AFTER_STATE = Duration.ofMillis(1_500).plus(AFTER_TIMER);

  /** Kept by the step's calls and the ledger's writes: the state write, and what it keeps. */
  static final Duration AFTER_STEP = Duration.ofMillis(2_000).plus(AFTER_STATE);

  /** Kept by the reads a run decides on: the claim, the step's call, and what it keeps. */
  static final Duration AFTER_READS = Duration.ofMillis(3_000).plus(AFTER_STEP);

  /**
   * Kept by the probe's ledger write ({@link ControllerHandler#probeLedger}, which cuts it there): the second claim,
   * the enable and the log retention (1 s each), and what the step keeps. Uncut, the probe's
   * {@link TestInvocation#PROBE_TIMEOUT} and the write's first call and resend (up to 60 s more) would outlast the
   * function's Timeout; cut, the write is logged as
   * unconfirmed or not counted and the run still ends.
   */
  static final Duration AFTER_PROBE_LEDGER = Duration.ofMillis(3_000).plus(AFTER_STEP);

  /** Kept by the probe: its ledger write, and what that keeps. */
  static final Duration AFTER_PROBE = Duration.ofMillis(2_000).plus(AFTER_PROBE_LEDGER);

  /** Kept by the decision's PutItem, the run's last call: the end only. */
  static final Duration AFTER_DECISION = OwnKeep.LAST_CALL;

  private static final Map<String, Duration> KEEPS = Map.ofEntries(
      Map.entry("InvokeEndpoint", AFTER_PROBE),
      Map.entry("CreateEndpoint", AFTER_STEP),
      Map.entry("DeleteEndpoint", AFTER_STEP),
      Map.entry("CreateInferenceComponent", AFTER_STEP),
      Map.entry("DeleteInferenceComponent", AFTER_STEP),
      Map.entry("UpdateInferenceComponentRuntimeConfig", AFTER_STEP),
      Map.entry("UpdateEventSourceMapping", AFTER_STEP),
      Map.entry("PutRetentionPolicy", AFTER_STEP),
      Map.entry("TransactWriteItems", AFTER_STEP),
      Map.entry("GetItem", AFTER_STATE),
      Map.entry("PutItem", AFTER_STATE),
      Map.entry("Query", AFTER_STATE),
      Map.entry("SendMessage", AFTER_TIMER));

  /** The cut this interceptor gave a call, for the message when it ends it. */
  private static final ExecutionAttribute<Duration> CUT =
      new ExecutionAttribute<>("offhours.RunDeadline.cut");

  private final Supplier<InvocationDeadline> run;

  /** {@code run}: the deadline of the run in progress ({@link InvocationDeadline#NONE} between runs). */
  RunDeadline(Supplier<InvocationDeadline> run) {
    this.run = Objects.requireNonNull(run, "run");
  }

  /** What a call of {@code operation} keeps for the steps after it. */
  static Duration keep(String operation) {
    return KEEPS.getOrDefault(operation, AFTER_READS);
  }

  /**
   * Whether {@code error} says a call had no time: not started ({@link InvocationDeadline.NoTimeLeft}) or given no
   * answer in its time ({@link ApiCallTimeoutException}, {@link ApiCallAttemptTimeoutException}), however the SDK
   * wrapped it. A write that ends so may have applied or not; a read that ends so saw nothing.
   */
  static boolean outOfTime(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof InvocationDeadline.NoTimeLeft
          || e instanceof ApiCallTimeoutException
          || e instanceof ApiCallAttemptTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code error} is this interceptor's doing: a call it did not start ({@link InvocationDeadline.NoTimeLeft})
   * or cut at the run's deadline, not one that ran out of a shorter timeout of its own (the probe's
   * {@link TestInvocation#PROBE_TIMEOUT}, which says
   * the endpoint did not answer in time), however the SDK wrapped it.
   */
  static boolean cutByRun(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e instanceof InvocationDeadline.NoTimeLeft || e instanceof Cut) {
        return true;
      }
    }
    return false;
  }

  /** The cause of the ApiCallTimeoutException this interceptor ends a call with: marks the run's cut. */
  private static final class Cut extends RuntimeException {
    Cut(ApiCallTimeoutException sdks) {
      super("the controller run's deadline", sdks, false, false);
    }
  }

  @Override
  public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
    InvocationDeadline deadline = run.get();
    Duration cut = deadline == null
        ? null
        : deadline.timeout(kept(attributes), call(attributes) + " of this controller run");
    Optional<SdkRequest> cutRequest = InvocationDeadline.cut(context.request(), cut);
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
        call(attributes) + " was cut after " + cut.toMillis() + " ms, "
            + kept(attributes).toMillis()
            + " ms before this controller run's deadline (the function's Timeout), to leave the"
            + " run's later steps their time",
        new Cut(e));
  }

  private static Duration kept(ExecutionAttributes attributes) {
    Duration named = attributes.getAttribute(OwnKeep.KEEP);
    return named != null
        ? named
        : keep(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
  }

  private static String call(ExecutionAttributes attributes) {
    return InvocationDeadline.call(attributes);
  }
}
