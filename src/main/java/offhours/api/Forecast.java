package offhours.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControlState;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.Decision;
import offhours.endpoint.DrainMeter;
import offhours.endpoint.Endpoint;
import offhours.endpoint.LearnedTimes;
import offhours.endpoint.WakePolicy;
import offhours.units.Plurals;
import offhours.units.Times;

/**
 * When an upload made now will be classified, by the controller's own policy and with what it has learned: a manual
 * override wins; then {@link WakePolicy#wakeFor} (the latency budget, working hours, the wake thresholds), the very
 * method the controller decides with. A start is as late as the controller's next tick (it sees a new upload there
 * and runs at a later planned instant through its timer); from the start, the endpoint takes the controller's expected
 * wake ({@link LearnedTimes#expectedWake} of its measured wakes, CreateEndpoint to a polling trigger) and then the
 * drain of what waits at its measured rate ({@link WakePolicy#drain}, the controller's). So with a latency budget the
 * forecast is the oldest waiting upload's due time, as the controller plans it. An endpoint being started takes the
 * rest of its expected wake, then that drain; a serving one classifies the upload once the queue ahead has drained and
 * its batch has run, so Retry-After is the floor only when little waits ahead.
 *
 * @param startsAt when the controller will (or did) decide to start the endpoint; null when nothing will start it
 * @param expectedAt when the upload's result is expected; null when nothing will start the endpoint
 * @param reason in words, with local times
 */
public record Forecast(Instant startsAt, Instant expectedAt, String reason) {

  /**
   * The shortest wait a Retry-After with a forecast asks for: even a serving endpoint writes a result only after the
   * trigger's batching window and a batch, so asking sooner only costs the client and the API a request.
   */
  static final long MIN_RETRY_AFTER_SECONDS = 5;

  /** The longest: a forecast hours ahead can move (an override, a wake threshold); asking hourly sees it move. */
  private static final long MAX_RETRY_AFTER_SECONDS = 3600;

  /**
   * How many seconds after {@code now} a client should ask for the upload's result again: until {@link #expectedAt},
   * rounded up, since Retry-After is a whole number of seconds (RFC 9110, section 10.2.3:
   * https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3), within {@value #MIN_RETRY_AFTER_SECONDS} s and an hour;
   * an hour when nothing will start the endpoint.
   */
  long retryAfterSeconds(Instant now) {
    if (expectedAt == null) {
      return MAX_RETRY_AFTER_SECONDS;
    }
    Duration left = Duration.between(now, expectedAt);
    long seconds = left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0);
    return Math.max(MIN_RETRY_AFTER_SECONDS, Math.min(MAX_RETRY_AFTER_SECONDS, seconds));
  }

  /** The forecast for an upload that joins the queue now: all that waits is ahead of it. */
  public static Forecast of(ApiConfig config, StackObserver.Observed seen) {
    return ofUploadNow(
        config.controller(),
        config.controllerInterval(),
        seen.at(),
        seen.decision(),
        seen.control(),
        seen.queue(),
        seen.zone());
  }

  /**
   * As {@link #of(ApiConfig, StackObserver.Observed)}, from the parts of the observation a forecast reads: for a reader
   * that has the controller's policy and tick without the API function's settings, and reads the control table and the
   * queue itself (the command line's {@code endpoint status}).
   *
   * @param policy the controller's settings (its schedule, latency budget, wake thresholds, batching window, hosting
   *     and instance count: what {@link WakePolicy} decides with)
   * @param tick how often the controller runs (CONTROLLER_INTERVAL_SECONDS)
   * @param last the controller's last decision, empty before its first run
   * @param control the controller's state as stored, {@link ControlState#INITIAL} before its first run
   * @param queue the queue's counts at {@code now}
   * @param zone the stack's zone, in which the reason names times
   */
  public static Forecast ofUploadNow(
      ControllerConfig policy,
      Duration tick,
      Instant now,
      Optional<Decision> last,
      ControlState control,
      Backlog.Snapshot queue,
      ZoneId zone) {
    return forecast(policy, tick, now, last, control, zone, queue.visible() + queue.delayed());
  }

  /**
   * The forecast for an object that waits in the queue already (GET /results of an object without its result): it is
   * one of the messages the queue counts (visible, or deferred), so one fewer is ahead of it, and the drain counts it
   * once, with its own batch. The counts do not say which message is whose: an object Classify already has (in flight)
   * has nothing ahead, however many wait, and one the counts do not show yet (they may lag until at least a minute
   * after the last send:
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html) has one more
   * ahead than counted.
   */
  public static Forecast ofQueued(ApiConfig config, StackObserver.Observed seen) {
    return forecast(
        config.controller(),
        config.controllerInterval(),
        seen.at(),
        seen.decision(),
        seen.control(),
        seen.zone(),
        Math.max(0, seen.queue().visible() + seen.queue().delayed() - 1));
  }

  /** The forecast for an upload with {@code ahead} messages before it in the queue (visible and deferred). */
  private static Forecast forecast(
      ControllerConfig controller,
      Duration tick,
      Instant now,
      Optional<Decision> last,
      ControlState stored,
      ZoneId zone,
      long ahead) {
    WakePolicy wakes = new WakePolicy(controller);
    Duration firstBatch = wakes.firstBatch();
    // What the controller will plan with: after a switch of Hosting, none of the other hosting's
    // times and rates.
    ControlState control = stored.forHosting(controller.hosting());
    if (last.isPresent() && last.get().wantOn()) {
      Decision d = last.get();
      Endpoint.State state = d.endpoint().state();
      if (state == Endpoint.State.IN_SERVICE && (d.mapping().polling() || enabledTrigger(d))) {
        return serving(d, now, ahead, wakes, control, firstBatch);
      }
    }
    if (controller.hosting() == offhours.stack.Hosting.SERVERLESS) {
      // Nothing schedules a serverless endpoint: no working hours or wake-up ever starts it.
      return new Forecast(
          null,
          null,
          "the serverless endpoint is not taking uploads now ("
              + last.map(Decision::why).orElse("the controller has not run yet")
              + "); they wait in the queue");
    }
    if (last.isPresent() && last.get().wantOn()) {
      Decision d = last.get();
      Endpoint.State state = d.endpoint().state();
      if (state == Endpoint.State.CREATING
          || state == Endpoint.State.IN_SERVICE
          || state == Endpoint.State.UPDATING) {
        return starting(d, now, tick, ahead, wakes, control, firstBatch, zone);
      }
    }
    return policy(controller, control, ahead, now, zone)
        .map(w -> {
          // A new upload is seen at the controller's next tick; a stop in progress ends first.
          Instant start = later(later(w.at(), now.plus(tick)), stopEnds(control, now));
          return new Forecast(
              start,
              start
                  .plus(wake(control))
                  .plus(wakes.drain(control.drain(), ahead + 1))
                  .plus(firstBatch),
              w.why() + defaultWake(control));
        })
        .orElseGet(() -> new Forecast(
            null,
            null,
            stoppedUntilAuto(control)
                ? "the endpoint was stopped by hand until 'offhours endpoint auto', which gives it"
                    + " back to the schedule and the wake-up thresholds; start it with 'offhours"
                    + " endpoint start'"
                : "the endpoint is off and nothing will start it: no working hours"
                    + " ahead and no wake-up threshold; start it with 'offhours endpoint start'"));
  }

  /**
   * Whether the last run enabled the trigger after its test invocation: it saw it Disabled and left it Enabling, so the
   * endpoint serves from then on, before a run sees it polling (and measures the wake).
   */
  private static boolean enabledTrigger(Decision d) {
    return d.action() == Decision.Action.ENABLE_MAPPING && Decision.OK.equals(d.outcome());
  }

  /**
   * A serving endpoint (InService, the trigger polling or enabled by the last run) classifies an upload joining now
   * once the queue ahead of it has drained, at the rate the controller measured ({@link WakePolicy#drain}), and its
   * own batch has run ({@link WakePolicy#firstBatch}: the batching window and the batch). Messages in flight are
   * already being classified and do not count.
   */
  private static Forecast serving(
      Decision d,
      Instant now,
      long ahead,
      WakePolicy wakes,
      ControlState control,
      Duration firstBatch) {
    Duration drain = wakes.drain(control.drain(), ahead);
    Duration wait = drain.plus(firstBatch);
    String queue = ahead == 0
        ? "nothing ahead in the queue"
        : ahead + " ahead in the queue, which drain in about " + WakePolicy.minutes(drain) + " at "
            + rate(wakes, control);
    return new Forecast(
        d.at(),
        now.plus(wait),
        "the endpoint is serving; " + queue + ", then this upload's batch: expected in about "
            + WakePolicy.minutes(wait));
  }

  /**
   * An endpoint the controller is starting (Creating, or up with the trigger not yet polling: its test invocation and
   * the trigger's start are still to come) takes what is left of its expected wake, counted from when the controller
   * issued it ({@link ControlState#wakeIssuedAt}) as the wakes it learned were, and not before the controller's next
   * run; then the first batch and the drain of what waits, this upload included. An endpoint that is up with no wake
   * in progress (a resume, a trigger paused and wanted again) starts polling at the controller's next run.
   */
  private static Forecast starting(
      Decision d,
      Instant now,
      Duration tick,
      long ahead,
      WakePolicy wakes,
      ControlState control,
      Duration firstBatch,
      ZoneId zone) {
    Endpoint.State state = d.endpoint().state();
    Instant began = control.wakeIssuedAt();
    if (began == null && state == Endpoint.State.CREATING) {
      began = d.endpoint().createdAt() != null ? d.endpoint().createdAt() : d.at();
    }
    Instant polls =
        began == null ? now.plus(tick) : later(began.plus(wake(control)), now.plus(tick));
    Duration drain = wakes.drain(control.drain(), ahead + 1);
    String head = state == Endpoint.State.CREATING
        ? "the endpoint is starting (Creating since " + local(began, zone) + "); " + d.wantReason()
        : "the endpoint is up; the controller resumes consumption after a test invocation";
    String wake = began == null
        ? " at its next run"
        : "; the trigger is expected to poll by " + local(polls, zone) + " ("
            + (control.wakeSeconds().isEmpty()
                ? "the default wake before one is measured, "
                : "the 90th percentile of the measured wakes, ")
            + WakePolicy.minutes(wake(control)) + " from " + local(began, zone) + ")";
    return new Forecast(
        began != null ? began : d.at(),
        polls.plus(firstBatch).plus(drain),
        head + wake + "; then the first batch, and " + (ahead + 1) + " in the queue (this upload"
            + " included) drain in about " + WakePolicy.minutes(drain) + " at "
            + rate(wakes, control));
  }

  /**
   * "2 images/s (2 per instance until a drain is measured)", "4.1 images/s (the median of the measured drains)", "8
   * images/s (the median of the drains measured on another instance count, for 4 instances)".
   */
  private static String rate(WakePolicy wakes, ControlState control) {
    DrainMeter drains = control.drain();
    String perSecond = decimal(wakes.drainRate(drains)) + " images/s";
    if (drains.rates().isEmpty()) {
      return perSecond + " (" + decimal(DrainMeter.DEFAULT_PER_SECOND)
          + " per instance until a drain is measured)";
    }
    int instances = wakes.instances();
    return drains.measuredOn(instances)
        ? perSecond + " (the median of the measured drains)"
        : perSecond + " (the median of the drains measured on another instance count, for "
            + Plurals.of(instances, "instance") + ")";
  }

  /** "2", "4.1": a rate to one decimal. */
  private static String decimal(double d) {
    return BigDecimal.valueOf(d)
        .setScale(1, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }

  /** A manual stop without an end ('endpoint stop'): the policy would start the endpoint, the override forbids it. */
  private static boolean stoppedUntilAuto(ControlState state) {
    ControlState.Override override = state.override();
    return override != null
        && override.mode() == ControlState.Override.Mode.STOP
        && override.until() == null;
  }

  /**
   * When the controller's policy turns the endpoint on for one more waiting upload: a manual override first, then
   * {@link WakePolicy#wakeFor}, the very method the controller decides with (working hours, the latency budget, the
   * wake thresholds).
   */
  private static Optional<WakePolicy.Wake> policy(
      ControllerConfig config, ControlState state, long ahead, Instant now, ZoneId zone) {
    ControlState.Override override = state.override();
    boolean active =
        override != null && (override.until() == null || now.isBefore(override.until()));
    if (active && override.mode() == ControlState.Override.Mode.START) {
      return Optional.of(new WakePolicy.Wake(
          now, "started by hand; the controller creates the endpoint at its next run"));
    }
    if (active && override.until() == null) {
      return Optional.empty();
    }
    Instant from = active ? override.until() : now;
    String prefix = active ? "stopped by hand until " + local(from, zone) + ", then: " : "";
    Instant oldest = state.backlogSince() != null ? state.backlogSince() : now;
    return new WakePolicy(config)
        .wakeFor(oldest, ahead + 1, state.wakeSeconds(), state.drain(), state.arrivals(), from)
        .map(w -> new WakePolicy.Wake(later(w.at(), from), prefix + w.why()));
  }

  /** When a stop in progress is expected to have ended (the controller starts only a gone endpoint); now if none. */
  private static Instant stopEnds(ControlState control, Instant now) {
    return control.stopIssuedAt() == null
        ? now
        : control.stopIssuedAt().plus(LearnedTimes.expectedStop(control.stopSeconds()));
  }

  /**
   * What the reason adds when the result is expected after {@link LearnedTimes#DEFAULT_WAKE}, before the controller
   * measured a wake: that the wake is counted at that default, which is AWS's slow end and far from what a local
   * stack's wake takes (seconds), so that a fresh stack's forecast is not read as a measure; nothing once one is
   * measured, when the expected wake is the stack's own.
   */
  private static String defaultWake(ControlState control) {
    return control.wakeSeconds().isEmpty()
        ? "; a wake counted as " + WakePolicy.minutes(wake(control))
            + ", the default until one is measured"
        : "";
  }

  /** The wake the controller plans with: the 90th percentile of its measured wakes, or the default before one. */
  private static Duration wake(ControlState control) {
    return LearnedTimes.expectedWake(control.wakeSeconds());
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** "2026-11-26 08:00 Europe/Berlin". */
  private static String local(Instant t, ZoneId zone) {
    return Times.at(t, zone);
  }
}
