package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import offhours.endpoint.ControlState.Override;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import offhours.endpoint.EndpointController.Step;

/**
 * A run's decision, pure: from what it read ({@link RunObservation}) to what it remembers, wants and does, and the
 * control state that claims its step ({@link RunPlan}). It calls nothing; the {@link HostingPolicy} chooses the step.
 */
final class RunPlanner {

  /** Delay before re-creating after the n-th consecutive failure: base, 2x, 4x, 8x, then 12x base. */
  static Duration createBackoff(Duration base, int failures) {
    Duration doubled = base.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 4));
    Duration cap = base.multipliedBy(12);
    return doubled.compareTo(cap) > 0 ? cap : doubled;
  }

  private final ControllerConfig config;
  private final WakePolicy policy;
  private final HostingPolicy hosting;

  RunPlanner(ControllerConfig config, WakePolicy policy, HostingPolicy hosting) {
    this.config = Objects.requireNonNull(config, "config");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.hosting = Objects.requireNonNull(hosting, "hosting");
  }

  RunPlan plan(RunObservation o, Instant now) {
    ControlState before = o.before();
    Endpoint.Status ep = o.ep();
    Mapping.TriggerState mp = o.mp();
    Backlog.Snapshot q = o.q();
    // After a switch of the stack's Hosting, another hosting's wake and stop times must not plan
    // this one's. A drain is measured on the instances it serves on; an endpoint on an older
    // config (a stack update, perhaps of InstanceCount) serves on a count this run cannot know.
    ControlState seen = observe(before.forHosting(config.hosting()), ep, q, now)
        .withDrain(ep, mp, q, now, ScheduledPolicy.stale(ep, config) ? 0 : policy.instances())
        .withArrivals(mp, q, now)
        .withTriggerSeen(mp, now)
        .withStopSeen(ep.state(), now);
    // Counted with the claim (RunWrites); a serverless endpoint is CloudFormation's, never started
    // nor stopped by the controller.
    RunLedger.Sighting counted = config.hosting().switchesTheEndpoint()
        ? RunLedger.observe(before, ep, now, config.zone())
        : new RunLedger.Sighting(before.counted(), null);
    seen = seen.withCounted(counted.counted());
    Want want = hosting.want(seen, before.scheduleOpen(), ep, mp, q, now);
    long overdue = overdueSeconds(seen, now);
    // Stopping and replacing (a stack update changed the endpoint config) both drain before
    // deleting.
    if ((want.on() && !ScheduledPolicy.stale(ep, config))
        || ep.state() == State.ABSENT
        || !config.hosting().switchesTheEndpoint()) {
      seen = seen.withStoppingSince(null);
    } else if (seen.stoppingSince() == null) {
      seen = seen.withStoppingSince(now);
    }
    Step step = hosting.plan(want.on(), ep, mp, q, seen, now);
    boolean outside = config.hosting().switchesTheEndpoint()
        && ep.state() == State.IN_SERVICE
        && !ep.serverless()
        && !config.schedule().isOpen(now)
        && !want.on();

    boolean atOnce = step.action() == Action.DISABLE_MAPPING
        && seen.override() == null
        && stopAtOnce(want, ep, q);
    ControlState claimed = claim(seen, step, atOnce, ep, now);
    return new RunPlan(
        o,
        now,
        want,
        step,
        atOnce,
        outside,
        overdue,
        claimed,
        RunLedger.claimed(before, counted.day(), now, config.schedule()));
  }

  /**
   * With a latency budget, a drained endpoint stops in one run: trigger paused and endpoint deleted (a manual stop
   * keeps its two steps).
   */
  private boolean stopAtOnce(Want want, Endpoint.Status ep, Backlog.Snapshot q) {
    return config.hosting().switchesTheEndpoint()
        && !config.maxWait().off()
        && !want.on()
        && ep.state() == State.IN_SERVICE
        && !ep.foreign()
        && !ep.serverless()
        && !ScheduledPolicy.stale(ep, config)
        && q.idle();
  }

  /**
   * How many seconds the oldest waiting upload (visible or deferred) is past its due time ({@link HostingPolicy#due});
   * 0 when nothing waits, nothing is due yet, or the hosting has no due time. Its arrival is taken as
   * {@code backlogSince}, the last run that saw the queue empty: never later than the upload, so the figure may be up
   * to a run early but is never late. A message Classify hands back is a new copy whose SQS age starts again, but the
   * copy keeps the queue from looking empty, so the upload keeps its place here.
   */
  private long overdueSeconds(ControlState seen, Instant now) {
    if (seen.backlogSince() == null) {
      return 0;
    }
    return hosting
        .due(seen.backlogSince())
        .filter(due -> due.isBefore(now))
        .map(due -> Duration.between(due, now).toSeconds())
        .orElse(0L);
  }

  /** Updates what the controller remembers from this run's observations (pure). */
  private ControlState observe(
      ControlState s, Endpoint.Status ep, Backlog.Snapshot q, Instant now) {
    Override o = s.override() != null && s.override().activeAt(now) ? s.override() : null;
    boolean open = config.schedule().isOpen(now);
    Instant idleSince;
    if (!q.idle()) {
      idleSince = null;
    } else if (open && !s.scheduleOpen()) {
      // An opening counts as activity: the endpoint is warm at opening time, then may idle-stop.
      idleSince = now;
    } else {
      idleSince = s.idleSince() != null ? s.idleSince() : now;
    }
    // The oldest message arrived after the last run that saw the queue empty: the age is never
    // understated, but for SQS's count lag (its approximate counts may take up to a minute).
    Instant firstSeen = s.lastRunAt() != null && s.lastRunAt().isBefore(now) ? s.lastRunAt() : now;
    Instant backlogSince = q.visible() + q.delayed() > 0
        ? (s.backlogSince() != null ? s.backlogSince() : firstSeen)
        : null;
    return s.withObserved(o, idleSince, backlogSince, open);
  }

  /**
   * The state this run writes before acting: the step, its backoff bookkeeping, the ledger cursor, and a stop of a
   * serving endpoint ({@code atOnce}: deleted in the same run as the trigger is paused). The stop is claimed with the
   * step, not written after it: a later run that sees the endpoint gone measures it ({@link
   * ControlState#withStopSeen}), one that still sees it serving (the call failed) drops it. Deleting a failed or stuck
   * endpoint is no stop the stay rule weighs. A wake is claimed the same way, from the run that issues it to the first
   * run that sees the trigger polling ({@link ControlState#withTriggerSeen}); a resume on instances still up is no wake
   * and is not measured.
   */
  private ControlState claim(
      ControlState s, Step step, boolean atOnce, Endpoint.Status ep, Instant now) {
    ControlState c = s;
    if ((step.action() == Action.DELETE_ENDPOINT || atOnce) && ep.state() == State.IN_SERVICE) {
      c = c.withStopIssuedAt(now);
    }
    if (step.action() == Action.CREATE_ENDPOINT) {
      // A wake may take more than one step (a component's endpoint, then the component): it began
      // at the first. A resume is no wake, unless it continues one (the component created on the
      // endpoint's first instances).
      Instant began = s.wakeIssuedAt() != null ? s.wakeIssuedAt() : now;
      c = c.withWakeIssuedAt(ep.resumable() && s.wakeIssuedAt() == null ? null : began);
    } else if (step.action() == Action.DELETE_ENDPOINT || atOnce) {
      c = c.withWakeIssuedAt(null); // a wake given up before its trigger polled
    }
    if (step.failure()) {
      int n = s.createFailures() + 1;
      c = c.withFailures(n, now.plus(createBackoff(config.createBackoff(), n)), step.why());
    }
    boolean billingAfter = hosting.billsWhileItExists(ep, step.action());
    return c.withRun(now, billingAfter, step.action() + ": " + step.why())
        .withVersion(s.version() + 1);
  }
}
