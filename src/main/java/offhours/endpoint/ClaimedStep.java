package offhours.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import offhours.aws.InvocationDeadline;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import offhours.endpoint.EndpointController.Step;
import offhours.inference.AwsFailures;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Carries out the step a run has claimed ({@link EndpointController#reconcile}): the SageMaker or Lambda call (two when
 * a drained endpoint stops in one run), the second claim between the test invocation and the enable, and what a
 * failure leaves behind: the create backoff, or a failed step that ControllerStepFailures counts. The claim is written
 * before this runs, so the call follows it at once. The start or the stop a call makes is counted by the claim of the
 * run that sees it ({@link RunLedger#observe}), never here: this run may be cut before it could record it.
 */
final class ClaimedStep {

  /**
   * What the step did. {@code claimed} is the claim as last written (the test invocation's second claim moves it on),
   * {@code after} the state to write on top of it ({@code claimed} itself: nothing to add); {@code awsSaid}: for a call
   * AWS failed, the test invocation's included, what AWS itself answered and to which call ({@link #answerTo}), which
   * the run's log line carries and {@code outcome} never does; else null.
   */
  record Result(
      Step done,
      String outcome,
      ControlState claimed,
      ControlState after,
      boolean createFailed,
      boolean probeFailed,
      boolean stepFailed,
      String awsSaid) {}

  private final ControllerConfig config;
  private final Endpoint endpoint;
  private final Mapping mapping;
  private final ControlStore store;
  private final ContainerLogs containerLogs;

  ClaimedStep(
      ControllerConfig config,
      Endpoint endpoint,
      Mapping mapping,
      ControlStore store,
      ContainerLogs containerLogs) {
    this.config = Objects.requireNonNull(config, "config");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.store = Objects.requireNonNull(store, "store");
    this.containerLogs = Objects.requireNonNull(containerLogs, "containerLogs");
  }

  /**
   * Takes {@code step}, claimed as {@code claimed}; {@code atOnce}: a trigger pause that deletes the endpoint in the
   * same run; {@code serving}: the run found the endpoint InService and the trigger enabled. What setting the
   * container's log retention reports adds lines to {@code notes}, and what AWS answered its calls that failed to
   * {@code othersSaid} (the step's own is the result's).
   */
  Result run(
      Step step,
      boolean atOnce,
      boolean serving,
      ControlState claimed,
      Instant now,
      List<String> notes,
      List<String> othersSaid) {
    String outcome = Decision.OK;
    Step done = step;
    ControlState after = claimed;
    boolean createFailed = step.failure();
    boolean probeFailed = false;
    boolean stepFailed = false;
    String awsSaid = null;
    Action calling = step.action(); // what a failure's outcome names
    try {
      switch (step.action()) {
        case CREATE_ENDPOINT -> {
          boolean[] created = {true};
          String repeat = repeat(() -> created[0] = endpoint.create(), this::waking);
          if (repeat != null || !created[0]) {
            // A duplicate event, or a tick with a timer: both runs saw the endpoint absent.
            outcome = "an overlapping run created the endpoint first; its start is counted once"
                + (repeat == null ? "" : " (" + repeat + ")");
          }
        }
        case DELETE_ENDPOINT -> {
          String repeat = repeat(endpoint::delete, this::going);
          outcome = repeat == null ? outcome : deletedBefore(repeat);
        }
        case DISABLE_MAPPING -> {
          String repeat = repeat(mapping::disable, this::pausing);
          if (repeat != null) {
            outcome = "an overlapping run is pausing the trigger already (" + repeat + ")";
          }
          if (atOnce) {
            // Nothing waits or is in flight: no drain to wait for. An upload polled in the seconds
            // the trigger takes to pause finds the endpoint going and is deferred by Classify,
            // never lost.
            calling = Action.DELETE_ENDPOINT; // the trigger is paused: a failure is the delete's
            String deleteRepeat = repeat(endpoint::delete, this::going);
            if (deleteRepeat != null) {
              outcome = (repeat == null ? "" : outcome + "; ") + deletedBefore(deleteRepeat);
            }
            done = new Step(
                Action.DELETE_ENDPOINT,
                step.why() + "; nothing waits or is in flight, so the endpoint"
                    + " is deleted in the same run");
          }
        }
        case ENABLE_MAPPING -> {
          Endpoint.Probe probe = endpoint.probe();
          if (probe.ok()
              && !store.save(claimed.withVersion(claimed.version() + 1), claimed.version())) {
            // The test invocation takes up to TestInvocation.PROBE_TIMEOUT. A run that claimed a
            // step meanwhile decided on a newer reading (a manual stop, the close, its own test
            // invocation): enabling now would undo its stop or repeat its enable. The newer run
            // decides; this one only reports.
            outcome = "skipped";
            done = new Step(
                Action.LOST_RACE,
                "another run claimed a step during the test invocation (" + probe.detail()
                    + "); the trigger stays as that run leaves it");
          } else if (probe.ok()) {
            // The fence above holds the claim from here to the enable.
            claimed = claimed.withVersion(claimed.version() + 1);
            after = claimed;
            String repeat = repeat(mapping::enable, () -> mapping.state().polling());
            if (repeat != null) {
              // That run marks the wake's start and resets the failures: nothing to add.
              outcome = "an overlapping run is enabling the trigger already (" + repeat + ")";
            } else {
              after = claimed.withFailures(
                  0, null, "enabled mapping after test invocation: " + probe.detail());
              // The wake ends when a later run sees the trigger polling
              // (ControlState.withTriggerSeen).
              after = after.withEnabledAt(now);
              // The model answered, so its container has run and logged.
              notes.addAll(containerLogs.afterWake(othersSaid));
            }
          } else if (probe.cut()) {
            // The run's deadline ended it, not the endpoint: no answer, so no
            // TestInvocationFailures (whose alarm says the model does not answer), no enable and
            // no reset of the create failures. As every step the deadline cuts, it counts in
            // ControllerStepFailures, which tells a person when runs keep running out of time.
            stepFailed = true;
            outcome = "test invocation did not finish before the run's deadline, which is no"
                + " answer from the endpoint: mapping stays disabled, the next run tests again: "
                + probe.detail();
          } else {
            // Retried every run; TestInvocationFailures tells a person (template.yaml alarm).
            probeFailed = true;
            outcome =
                "test invocation failed, mapping stays disabled, retry next run: " + probe.detail();
            awsSaid = probe.sageMakerSaid() == null
                ? null
                : ControllerHandler.SAGEMAKER_SAID + probe.sageMakerSaid();
          }
        }
        case NONE -> {
          if (serving) {
            notes.addAll(containerLogs.whileServing(othersSaid));
          }
        }
        case WAIT, LOST_RACE -> {}
      }
    } catch (RuntimeException e) {
      String call = callName(calling);
      String reason = QuotaRefusal.reason(call, e);
      outcome = calling + " failed, retry next run: " + reason;
      awsSaid = answerTo(call, e);
      if (RunDeadline.outOfTime(e)) {
        // The run's deadline ended the call, or left it no time to start. Sent and cut, it may
        // have applied: the claim, written before it, says what it meant to do (a create billing,
        // a stop issued), and the next run reads the endpoint and the trigger, sees what happened
        // and corrects the claim as it does after any step. No failure is counted toward the
        // create backoff: the endpoint may well be creating. ControllerStepFailures tells a person
        // when runs keep running out of time. Whatever it started or stopped is counted by the
        // claim of the run that sees it (RunLedger.observe).
        outcome = calling
            + (e instanceof InvocationDeadline.NoTimeLeft
                ? " not started"
                : " did not finish in time and may have applied")
            + ": " + e.getMessage() + "; the next run reads the endpoint and the trigger again";
        stepFailed = true;
      } else if (step.action() == Action.CREATE_ENDPOINT) {
        createFailed = true;
        int n = claimed.createFailures() + 1;
        after = claimed
            .withFailures(
                n,
                now.plus(RunPlanner.createBackoff(config.createBackoff(), n)),
                // AWS's failures are said beginning with the call; offhours' own (a timeout's)
                // are not.
                reason.startsWith(call) ? reason : call + " failed: " + reason)
            .withBilling(false)
            .withWakeIssuedAt(null); // the retry after the backoff is measured on its own
      } else {
        // Caught, so the function's Errors never count it: ControllerStepFailures tells a person
        // (template.yaml alarm). A failed create has EndpointCreateFailures and its own alarm.
        stepFailed = true;
      }
    }
    return new Result(
        done, outcome, claimed, after, createFailed, probeFailed, stepFailed, awsSaid);
  }

  /**
   * The AWS call behind {@code action}, as a failure's words name it. A hosting may make more than one call for a step
   * (an endpoint configuration, an inference component); an AccessDenied's words name the very action refused.
   */
  private static String callName(Action action) {
    return switch (action) {
      case CREATE_ENDPOINT -> "CreateEndpoint";
      case DELETE_ENDPOINT -> "DeleteEndpoint";
      case ENABLE_MAPPING, DISABLE_MAPPING -> "UpdateEventSourceMapping";
      default -> action.toString();
    };
  }

  /**
   * How the run's log line carries what AWS answered {@code call} ("AWS's answer to CreateEndpoint: CODE (HTTP n,
   * request id): message", {@link AwsFailures#said}); null for a failure that is not the SDK's, whose message is
   * offhours' own and in the outcome already.
   */
  static String answerTo(String call, RuntimeException e) {
    return e instanceof SdkException sdk
        ? "AWS's answer to " + call + ": " + AwsFailures.said(sdk)
        : null;
  }

  /** Adds {@link #answerTo} {@code call} to {@code awsSaid} when AWS answered it. */
  static void answerTo(String call, RuntimeException e, List<String> awsSaid) {
    String said = answerTo(call, e);
    if (said != null) {
      awsSaid.add(said);
    }
  }

  // ---- a call an overlapping run made first ----

  /**
   * Makes {@code call}. Two runs can take the same step: the second loaded the first one's claim but read the endpoint
   * or the trigger a few milliseconds before the first one's call landed. Its call then meets a resource already on
   * its way, which SageMaker or Lambda may refuse (Lambda answers ResourceInUseException or ResourceConflictException
   * while a mapping changes state:
   * https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html#API_UpdateEventSourceMapping_Errors;
   * what SageMaker answers for an endpoint already Deleting or a component already Updating is not documented, so any
   * error is read the same way). When {@code call} throws, the state is read again: already going where the call
   * would take it, the step is done by the other run and this returns why this call was a repeat; otherwise the
   * error stands. Null: this call did it.
   */
  private static String repeat(Runnable call, BooleanSupplier alreadyGoing) {
    try {
      call.run();
      return null;
    } catch (RuntimeException e) {
      if (RunDeadline.outOfTime(e)) {
        throw e; // no time to read the state again: the next run does
      }
      boolean going;
      try {
        going = alreadyGoing.getAsBoolean();
      } catch (RuntimeException reread) {
        e.addSuppressed(reread);
        throw e;
      }
      if (!going) {
        throw e;
      }
      return "the call answered: " + AwsFailures.words("the call", QuotaRefusal.CALLER, e);
    }
  }

  /** Created, creating or serving: a wake is under way (for the scale-to-zero hosting, copies are being set up). */
  private boolean waking() {
    Endpoint.Status ep = endpoint.describe();
    return !ep.foreign()
        && (ep.state() == State.CREATING
            || ep.state() == State.IN_SERVICE
            || ep.state() == State.UPDATING);
  }

  /** Deleting or gone (for the scale-to-zero hosting: copies scaling in, or asleep). */
  private boolean going() {
    State state = endpoint.describe().state();
    return state == State.DELETING || state == State.ABSENT;
  }

  /** Pausing, paused, or gone with its stack: nothing will poll. */
  private boolean pausing() {
    Mapping.TriggerState state = mapping.state();
    return state == Mapping.TriggerState.DISABLING
        || state == Mapping.TriggerState.DISABLED
        || state == Mapping.TriggerState.ABSENT;
  }

  private static String deletedBefore(String repeat) {
    return "an overlapping run is deleting the endpoint already; its stop is counted once ("
        + repeat + ")";
  }

  /**
   * The ledger's start informs; it never blocks a step. A failed write says so, and a later run writes it
   * ({@link RunLedger#afterStep}); the billed seconds are no such write: the claim counts them ({@link
   * RunLedger#claimed}).
   */
  static void bestEffort(List<String> notes, Runnable ledgerWrite) {
    try {
      ledgerWrite.run();
    } catch (RuntimeException e) {
      notes.add(
          "ledger not updated: " + AwsFailures.words("the ledger's write", QuotaRefusal.CALLER, e));
    }
  }
}
