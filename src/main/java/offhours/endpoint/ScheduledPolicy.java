package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import offhours.endpoint.ControlState.Override;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import offhours.endpoint.EndpointController.Step;
import offhours.units.Plurals;

/**
 * Hosting {@code scheduled} (and scale-to-zero): the schedule, the budget and the backlog switch the endpoint. What it
 * wants ({@link #want}) and the one step toward it ({@link #plan}) are pure; {@link EndpointController} observes,
 * claims, acts and records.
 */
final class ScheduledPolicy implements HostingPolicy {
  private final ControllerConfig config;
  private final WakePolicy policy;

  ScheduledPolicy(ControllerConfig config, WakePolicy policy) {
    this.config = config;
    this.policy = policy;
  }

  /**
   * ON or OFF, and why. The age of the oldest message is estimated from {@code backlogSince}, the last run before the
   * first run that saw the queue non-empty: SQS has no attribute for it, and the CloudWatch metric
   * ApproximateAgeOfOldestMessage arrives minutes late
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html).
   * The estimate is at most one run early for a new backlog (never late, so the budget is never overrun by it), and
   * overstates the age while a backlog is being drained (harmless: the endpoint is then already on). {@code wasOpen} is
   * what the previous run saw: the first run after the close still serves uploads that arrived during working hours,
   * and once the endpoint is up the backlog is finished before it stops.
   */
  @java.lang.Override
  public Want want(
      ControlState s,
      boolean wasOpen,
      Endpoint.Status ep,
      Mapping.TriggerState mp,
      Backlog.Snapshot q,
      Instant now) {
    ZoneId zone = config.zone();
    if (s.override() != null) {
      String until = s.override().until() == null
          ? "until auto"
          : "until " + WakePolicy.local(s.override().until(), zone);
      return s.override().mode() == Override.Mode.START
          ? new Want(true, "manual start " + until)
          : new Want(false, "manual stop " + until);
    }
    String work =
        q.visible() + " waiting, " + q.inFlight() + " in flight, " + q.delayed() + " deferred";
    if (!config.maxWait().off()) {
      return policy.want(s, ep, mp, q, now, work);
    }
    if (s.scheduleOpen()) {
      if (!q.idle()) {
        return new Want(true, "working hours; " + work);
      }
      if (config.idleStop().isZero()) {
        return new Want(true, "working hours");
      }
      Duration idle = Duration.between(s.idleSince(), now);
      if (idle.compareTo(config.idleStop()) < 0) {
        return new Want(
            true,
            "working hours; idle " + idle.toMinutes() + " of "
                + config.idleStop().toMinutes() + " min (IDLE_STOP_MINUTES)");
      }
      return new Want(
          false,
          "working hours but idle " + idle.toMinutes() + " min >= IDLE_STOP_MINUTES="
              + config.idleStop().toMinutes() + "; the next upload wakes it");
    }
    if (config.wakeBacklogMessages() > 0 && q.visible() >= config.wakeBacklogMessages()) {
      return new Want(
          true,
          "backlog: " + q.visible() + " visible >= WAKE_BACKLOG_MESSAGES="
              + config.wakeBacklogMessages());
    }
    if (!config.wakeBacklogAge().isZero()
        && s.backlogSince() != null
        && Duration.between(s.backlogSince(), now).compareTo(config.wakeBacklogAge()) >= 0) {
      return new Want(
          true,
          "backlog: oldest message about "
              + Duration.between(s.backlogSince(), now).toMinutes()
              + " min old >= WAKE_BACKLOG_AGE_MINUTES="
              + config.wakeBacklogAge().toMinutes());
    }
    boolean up = ep.state() == State.CREATING
        || ep.state() == State.IN_SERVICE
        || ep.state() == State.UPDATING;
    if (up && !q.idle()) {
      return new Want(
          true, "outside working hours; finishing the backlog before stopping (" + work + ")");
    }
    if (wasOpen && !q.idle()) {
      // The previous run saw working hours: these uploads arrived (or were first seen) before the
      // close and are owed.
      return new Want(
          true,
          "just closed; starting for uploads that arrived during working hours (" + work + ")");
    }
    return new Want(false, "outside working hours");
  }

  /**
   * The decision table (pure); see the README for the table in prose. An endpoint this stack did not create (no stack
   * tag) is never fed nor deleted; one that runs another endpoint config than the stack's (a stack update replaced the
   * Model or EndpointConfig) is replaced: consumption paused, in-flight work drained, deleted, created again from the
   * stack's config, and fed only after a test invocation, as any new endpoint. A serverless endpoint is the stack's
   * own from Hosting=serverless ({@link #leftServerless}): waited out, never deleted nor fed.
   */
  @java.lang.Override
  public Step plan(
      boolean on,
      Endpoint.Status ep,
      Mapping.TriggerState mp,
      Backlog.Snapshot q,
      ControlState s,
      Instant now) {
    State st = ep.state();
    boolean serving =
        st == State.IN_SERVICE || st == State.UPDATING; // SageMaker keeps serving during an update
    if (st != State.ABSENT && ep.foreign()) {
      String foreign = SageMakerEndpoint.notThisStacks(config.endpointName())
          + ": it is neither fed nor deleted; delete or rename it by hand";
      return mp.polling()
          ? new Step(Action.DISABLE_MAPPING, foreign + "; pausing consumption")
          : new Step(Action.NONE, foreign);
    }
    if (st != State.ABSENT && ep.serverless()) {
      return new Step(mp.polling() ? Action.DISABLE_MAPPING : Action.WAIT, leftServerless(ep));
    }
    boolean replacing = stale(ep, config);
    String stop = !replacing
        ? "stop"
        : "replace: the endpoint runs config " + ep.configName() + ", the stack's is "
            + config.endpointConfigName();
    if (on && !replacing) {
      if (mp.polling() && !serving) {
        return new Step(
            Action.DISABLE_MAPPING, "drift: mapping " + mp + " while the endpoint is " + st);
      }
      return switch (st) {
        case ABSENT ->
          s.createNotBefore() != null && now.isBefore(s.createNotBefore())
              ? new Step(
                  Action.WAIT,
                  "create backoff after " + Plurals.of(s.createFailures(), "failure") + " until "
                      + s.createNotBefore()
                      + (s.createFailure() == null ? "" : "; the last: " + s.createFailure()))
              : new Step(Action.CREATE_ENDPOINT, "endpoint absent");
        case CREATING ->
          stuck(ep, now)
              ? new Step(
                  Action.DELETE_ENDPOINT,
                  "stuck in Creating for " + age(ep, now) + " min >= CREATE_TIMEOUT_MINUTES="
                      + config.createTimeout().toMinutes(),
                  true)
              : new Step(Action.WAIT, "endpoint creating for " + age(ep, now) + " min");
        case UPDATING -> new Step(Action.WAIT, "endpoint updating");
        case DELETING ->
          ep.resumable()
              ? new Step(
                  Action.CREATE_ENDPOINT,
                  ep.needsStop()
                      ? "no inference component yet on the endpoint's instances; creating it wakes it"
                          + " on those"
                      : "copies at 0 on instances not yet removed; setting them back wakes it on those")
              : new Step(Action.WAIT, "endpoint deleting; create once it is gone");
        case FAILED ->
          new Step(Action.DELETE_ENDPOINT, "endpoint failed: " + ep.failureReason(), true);
        case IN_SERVICE ->
          switch (mp) {
            case ENABLED -> new Step(Action.NONE, "serving");
            case DISABLED ->
              new Step(Action.ENABLE_MAPPING, "endpoint InService; test invocation, then enable");
            case ABSENT ->
              new Step(
                  Action.NONE, "endpoint InService but the event source mapping does not exist");
            default -> new Step(Action.WAIT, "mapping " + mp);
          };
      };
    }
    if (mp.polling()) {
      return new Step(Action.DISABLE_MAPPING, stop + ": pause consumption first");
    }
    boolean drainOver =
        s.stoppingSince() != null && !now.isBefore(s.stoppingSince().plus(config.drainTimeout()));
    if (mp.transitional() && st != State.ABSENT && !drainOver) {
      return new Step(Action.WAIT, "mapping " + mp);
    }
    return switch (st) {
      case ABSENT -> new Step(Action.NONE, "off");
      case DELETING ->
        ep.needsStop()
            ? new Step(
                Action.DELETE_ENDPOINT,
                "stop: instances without an inference component, which SageMaker never scales to"
                    + " zero; the component is created with 0 copies so that they go")
            : new Step(Action.WAIT, "endpoint deleting");
      case CREATING ->
        stuck(ep, now)
            ? new Step(
                Action.DELETE_ENDPOINT, "stuck in Creating for " + age(ep, now) + " min", true)
            // DeleteEndpoint is refused while Creating; delete once it settles.
            : new Step(Action.WAIT, "endpoint creating; delete once it is InService");
      case UPDATING -> new Step(Action.WAIT, "endpoint updating; delete once it is InService");
      case FAILED ->
        new Step(Action.DELETE_ENDPOINT, "endpoint failed: " + ep.failureReason(), true);
      case IN_SERVICE ->
        q.inFlight() > 0 && !drainOver
            ? new Step(
                Action.WAIT,
                (replacing ? stop + ": " : "") + "draining "
                    + Plurals.of(q.inFlight(), "in-flight message")
                    + ", at most until "
                    + s.stoppingSince().plus(config.drainTimeout()))
            : new Step(
                Action.DELETE_ENDPOINT,
                q.inFlight() > 0
                    ? "drain timeout (DRAIN_TIMEOUT_MINUTES="
                        + config.drainTimeout().toMinutes() + ") with " + q.inFlight()
                        + " in flight; the consumer defers them"
                    : stop + ": nothing in flight");
    };
  }

  /**
   * Why the controller leaves a serverless endpoint of its name alone: it is the stack's ServerlessEndpoint from
   * Hosting=serverless, which CloudFormation deletes once the update to this hosting completes (the removed resource
   * goes in UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, after every new and changed resource,
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-monitor-stack.html).
   * Deleting it would make the stack's cleanup delete the endpoint created in its place (the resource's physical id is
   * the shared name); feeding it would send this hosting's requests (a component's name, up to 6 MB) to a serverless
   * endpoint. So consumption waits in the queue and the endpoint of this hosting is created once the name is free.
   */
  private String leftServerless(Endpoint.Status ep) {
    return "endpoint " + config.endpointName() + " is the stack's serverless endpoint ("
        + ep.state() + "), left from Hosting=serverless: CloudFormation deletes it when the stack"
        + " update completes, and this hosting's endpoint is created once it is gone; uploads wait"
        + " in the queue. If the update has completed and it is still there, delete it: aws"
        + " sagemaker delete-endpoint --endpoint-name " + config.endpointName();
  }

  /** A serverless endpoint bills per invocation, not for its time (a stack update from serverless leaves one). */
  @java.lang.Override
  public boolean billsWhileItExists(Endpoint.Status ep, Action step) {
    return step == Action.CREATE_ENDPOINT || ep.billing() && !ep.serverless();
  }

  /** The endpoint runs another config than the stack's (names compare without case, as SageMaker's do). */
  static boolean stale(Endpoint.Status ep, ControllerConfig config) {
    return ep.state() != State.ABSENT
        && !ep.foreign()
        && !ep.serverless()
        && ep.configName() != null
        && !ep.configName().equalsIgnoreCase(config.endpointConfigName());
  }

  private boolean stuck(Endpoint.Status ep, Instant now) {
    return ep.createdAt() != null
        && Duration.between(ep.createdAt(), now).compareTo(config.createTimeout()) >= 0;
  }

  private static long age(Endpoint.Status ep, Instant now) {
    return ep.createdAt() == null ? 0 : Duration.between(ep.createdAt(), now).toMinutes();
  }

  /**
   * The budget's due time ({@link WaitBudget#due}: the budget from the upload or the next opening, or the next opening
   * with next-opening), the one the endpoint's start is planned for. Without a budget (MAX_WAIT_MINUTES 0) nothing is
   * due: the endpoint starts at the upload or the next opening and is served a wake later, a wait nobody stated.
   */
  @java.lang.Override
  public Optional<Instant> due(Instant upload) {
    return config.maxWait().off()
        ? Optional.empty()
        : config.maxWait().due(config.schedule(), upload);
  }
}
