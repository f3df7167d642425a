package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import offhours.endpoint.ControlState.Override;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;

/**
 * The reconciler: each {@link #reconcile} reads the desired state (schedule, backlog, idle time, manual override) and
 * the actual state (endpoint, event source mapping, queue), takes at most ONE step toward the desired state and
 * returns. It never waits for SageMaker: the next run (a timer, a schedule boundary or an endpoint state-change event)
 * continues. Runs are idempotent, and overlapping runs are safe: a run claims its step with a conditional write of the
 * control state before acting, and the loser does nothing. The one step that waits before it acts, the test
 * invocation before enabling the trigger, writes again on the same condition before the enable, so a run that claimed
 * a step while it waited (a manual stop, say) is not undone. {@link ClaimedStep} carries the claimed step out.
 *
 * <p>The mapping is enabled only when the endpoint is InService AND a test invocation answered, because InService does
 * not prove the model answers. To stop, the mapping is disabled first, in-flight batches drain (bounded by
 * DRAIN_TIMEOUT_MINUTES), and only then is the endpoint deleted.
 */
public final class EndpointController {

  /** Delay before re-creating after the n-th consecutive failure: 5, 10, 20, 40, 60, 60 ... minutes. */
  static Duration createBackoff(int failures) {
    return createBackoff(Duration.ofMinutes(5), failures);
  }

  /** Delay before re-creating after the n-th consecutive failure: base, 2x, 4x, 8x, then 12x base. */
  static Duration createBackoff(Duration base, int failures) {
    Duration doubled = base.multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 4));
    Duration cap = base.multipliedBy(12);
    return doubled.compareTo(cap) > 0 ? cap : doubled;
  }

  private final ControllerConfig config;
  private final Endpoint endpoint;
  private final Mapping mapping;
  private final Backlog backlog;
  private final ControlStore store;
  private final RunLedger runLedger;
  private final Consumer<String> log;
  private final WakePolicy policy;
  private final HostingPolicy hosting;
  private final ClaimedStep claimedStep;

  /** {@code log} receives one EMF metrics line per run (Lambda: standard output). */
  public EndpointController(
      ControllerConfig config,
      Endpoint endpoint,
      Mapping mapping,
      Backlog backlog,
      ControlStore store,
      Ledger ledger,
      Consumer<String> log) {
    this(config, endpoint, mapping, backlog, store, ledger, log, ContainerLogs.UNMANAGED);
  }

  /**
   * As above; {@code containerLogs} get their retention each time the endpoint answered and the trigger resumed, and
   * when a run finds it serving ({@link ContainerLogs#whileServing}).
   */
  public EndpointController(
      ControllerConfig config,
      Endpoint endpoint,
      Mapping mapping,
      Backlog backlog,
      ControlStore store,
      Ledger ledger,
      Consumer<String> log,
      ContainerLogs containerLogs) {
    this.config = Objects.requireNonNull(config, "config");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.backlog = Objects.requireNonNull(backlog, "backlog");
    this.store = Objects.requireNonNull(store, "store");
    this.runLedger = new RunLedger(config, Objects.requireNonNull(ledger, "ledger"));
    this.log = Objects.requireNonNull(log, "log");
    this.policy = new WakePolicy(config);
    this.hosting = config.hosting() == offhours.stack.Hosting.SERVERLESS
        ? new ServerlessPolicy(config)
        : new ScheduledPolicy(config, policy);
    this.claimedStep = new ClaimedStep(
        config,
        endpoint,
        mapping,
        store,
        ledger,
        Objects.requireNonNull(containerLogs, "containerLogs"));
  }

  public ControllerConfig config() {
    return config;
  }

  /**
   * Records a manual override and reconciles. {@code until} null means until the next change of the schedule (so a
   * manual start in the evening lasts until the next opening, a manual stop until the next opening or closing); with a
   * schedule that never changes ("24/7", "") it lasts until {@code auto}. {@code mode} null means automatic.
   */
  public Decision override(Override.Mode mode, Instant until, Instant now) {
    Override o = mode == null
        ? null
        : new Override(
            mode, until != null ? until : config.schedule().nextChange(now).orElse(null));
    if (o != null && o.until() != null && !o.until().isAfter(now)) {
      throw new IllegalArgumentException(
          "until " + until + " is not in the future (now " + now + ")");
    }
    for (int attempt = 0; attempt < 5; attempt++) {
      boolean saved;
      try {
        ControlState current = store.load().orElse(ControlState.INITIAL);
        saved = store.save(
            current.withOverride(o).withVersion(current.version() + 1), current.version());
      } catch (RuntimeException e) {
        if (!RunDeadline.outOfTime(e)) {
          throw e;
        }
        return Decision.overrideNotRecorded(now, mode == null ? "auto" : mode.name(), e);
      }
      if (saved) {
        return reconcile(now);
      }
    }
    throw new IllegalStateException(
        "could not record the override: the control state kept changing under 5 attempts");
  }

  public Decision reconcile(Instant now) {
    ControlState before;
    Endpoint.Status ep;
    Mapping.TriggerState mp;
    Backlog.Snapshot q;
    try {
      before = store.load().orElse(ControlState.INITIAL);
      ep = endpoint.describe();
      mp = mapping.state();
      q = backlog.read();
    } catch (RuntimeException e) {
      if (!RunDeadline.outOfTime(e)) {
        throw e;
      }
      // No step on a partial or stale view: nothing was claimed or called, so the state and the
      // endpoint are as the last run left them. No EMF line either: the heartbeat counts completed
      // runs, and its alarm tells a person when reads keep running out of time.
      return Decision.outOfTime(now, e);
    }

    // After a switch of the stack's Hosting, another hosting's wake and stop times must not plan
    // this one's. A drain is measured on the instances it serves on; an endpoint on an older
    // config (a stack update, perhaps of InstanceCount) serves on a count this run cannot know.
    ControlState seen = observe(before.forHosting(config.hosting()), ep, q, now)
        .withDrain(ep, mp, q, now, ScheduledPolicy.stale(ep, config) ? 0 : policy.instances())
        .withArrivals(mp, q, now)
        .withTriggerSeen(mp, now)
        .withStopSeen(ep.state(), now)
        .withStartUncounted(false); // settled by this run: counted below if the endpoint is up
    Instant uncounted = RunLedger.uncountedStart(before, ep, now);
    Want want = hosting.want(seen, before.scheduleOpen(), ep, mp, q, now);
    long overdue = overdueSeconds(seen, now);
    // Stopping and replacing (a stack update changed the endpoint config) both drain before
    // deleting.
    if ((want.on() && !ScheduledPolicy.stale(ep, config))
        || ep.state() == State.ABSENT
        || !hosting.switchesTheEndpoint()) {
      seen = seen.withStoppingSince(null);
    } else if (seen.stoppingSince() == null) {
      seen = seen.withStoppingSince(now);
    }
    Step step = hosting.plan(want.on(), ep, mp, q, seen, now);
    boolean outside = hosting.switchesTheEndpoint()
        && ep.state() == State.IN_SERVICE
        && !ep.serverless()
        && !config.schedule().isOpen(now)
        && !want.on();

    boolean atOnce = step.action() == Action.DISABLE_MAPPING
        && seen.override() == null
        && stopAtOnce(want, ep, q);
    ControlState claimed = claim(seen, step, atOnce, ep, now);
    boolean won;
    try {
      won = store.save(claimed, before.version());
    } catch (RuntimeException e) {
      if (!RunDeadline.outOfTime(e)) {
        throw e;
      }
      // Whether the claim landed is unknown, so the step is not taken: a claim that landed says
      // what this run meant to do (a create's billing and wake, a stop), which the next run reads
      // with the endpoint and the trigger and corrects, as after a step that failed.
      log.accept(
          Emf.run(now, config.endpointName(), ep, mp, q, outside, false, false, true, overdue));
      return Decision.notClaimed(now, want, ep, mp, q, step.action(), step.why(), outside, e);
    }
    if (!won) {
      // Another run wrote since we read: it owns this step. Re-read only to report; do nothing.
      log.accept(
          Emf.run(now, config.endpointName(), ep, mp, q, outside, false, false, false, overdue));
      ControlState winner = store.load().orElse(before);
      return new Decision(
          now,
          want.on(),
          want.reason(),
          ep,
          mp,
          q,
          Action.LOST_RACE,
          "another run claimed the step (control state version " + winner.version() + ")",
          "skipped",
          outside,
          null);
    }
    List<String> notes = new ArrayList<>();
    ClaimedStep.Result r = claimedStep.run(
        step,
        atOnce,
        ep.state() == State.IN_SERVICE && mp == Mapping.TriggerState.ENABLED,
        claimed,
        now,
        notes);
    Step done = r.done();
    ControlState after = r.after();
    claimed = r.claimed();
    String outcome = r.outcome();
    // After the step, not between claim and step: the claim is what overlapping runs see, so the
    // step follows it at once (a run that loaded the claim and still saw the endpoint absent would
    // create it a second time).
    ClaimedStep.bestEffort(notes, () -> runLedger.account(before, now));
    if (uncounted != null) {
      // Counted by the run whose claim settled it, so once (a run that lost the race counts
      // nothing).
      notes.add("the start at " + uncounted + " that a run cut by its deadline may have made is"
          + " counted now: the endpoint is " + ep.state());
      ClaimedStep.bestEffort(notes, () -> runLedger.countStart(uncounted));
    }
    if (!notes.isEmpty()) {
      outcome = outcome + "; " + String.join("; ", notes);
    }
    try {
      if (after != claimed
          && !store.save(after.withVersion(claimed.version() + 1), claimed.version())
          && after.enabledAt() != null) {
        // A newer run claimed meanwhile and saw what this step did, all but the start of the
        // wake's measurement, which only this run knows: hand it on, so that the wake is not lost.
        rememberEnabled(now);
      }
    } catch (RuntimeException e) {
      if (!RunDeadline.outOfTime(e)) {
        throw e;
      }
      // The claim stands either way; what this write adds (failures reset, the wake's start, a
      // failed create's backoff) may be lost, and the next run reads the endpoint and trigger anew.
      outcome = outcome + "; state not written: " + e.getMessage()
          + "; it may have applied, and the next run reads the state again";
    }

    log.accept(Emf.run(
        now,
        config.endpointName(),
        ep,
        mp,
        q,
        outside,
        r.createFailed(),
        r.probeFailed(),
        r.stepFailed(),
        overdue));
    return new Decision(
        now,
        want.on(),
        want.reason(),
        ep,
        mp,
        q,
        done.action(),
        done.why(),
        outcome,
        outside,
        done.action() == Action.LOST_RACE
            ? null
            : policy.nextRun(
                want, done.action(), done.why(), ep.state(), after.stopSeconds(), now));
  }

  /**
   * Marks the trigger enabled at {@code at} on the newest state when a newer run won the race to write this run's
   * result; once, as best effort (a lost mark costs one wake's measurement, never a decision). A newer run that enabled
   * the trigger itself has marked it already.
   */
  private void rememberEnabled(Instant at) {
    store
        .load()
        .filter(latest -> latest.enabledAt() == null)
        .ifPresent(latest -> store.save(
            latest.withEnabledAt(at).withVersion(latest.version() + 1), latest.version()));
  }

  // ---- the step ----

  /** The one step a run takes, chosen by the {@link HostingPolicy}; a failure counts toward the create backoff. */
  record Step(Action action, String why, boolean failure) {
    Step(Action action, String why) {
      this(action, why, false);
    }
  }

  /**
   * With a latency budget, a drained endpoint stops in one run: trigger paused and endpoint deleted (a manual stop
   * keeps its two steps).
   */
  private boolean stopAtOnce(Want want, Endpoint.Status ep, Backlog.Snapshot q) {
    return hosting.switchesTheEndpoint()
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
  long overdueSeconds(ControlState seen, Instant now) {
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
  ControlState observe(ControlState s, Endpoint.Status ep, Backlog.Snapshot q, Instant now) {
    Override o = s.override() != null && s.override().activeAt(now) ? s.override() : null;
    boolean open = config.schedule().isOpen(now);
    Instant idleSince;
    if (!q.idle()) {
      idleSince = null;
    } else if (open && !s.scheduleOpen()) {
      idleSince =
          now; // an opening counts as activity: the endpoint is warm at opening time, then may
      // idle-stop
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
   * step, not written after it: a later run that sees the endpoint gone measures it ({@link ControlState#withStopSeen}),
   * one that still sees it serving (the call failed) drops it. Deleting a failed or stuck endpoint is no stop the stay
   * rule weighs. A wake is claimed the same way, from the run that issues it to the first run that sees the trigger
   * polling ({@link ControlState#withTriggerSeen}); a resume on instances still up is no wake and is not measured.
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
