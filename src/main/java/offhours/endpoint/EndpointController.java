package offhours.endpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import offhours.endpoint.ControlState.Override;
import offhours.endpoint.Decision.Action;

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

  private final ControllerConfig config;
  private final Endpoint endpoint;
  private final Mapping mapping;
  private final Backlog backlog;
  private final ControlStore store;
  private final RunLedger runLedger;
  private final Consumer<String> log;
  private final WakePolicy policy;
  private final RunPlanner planner;
  private final RunWrites writes;
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
    this.planner = new RunPlanner(
        config,
        policy,
        config.hosting().switchesTheEndpoint()
            ? new ScheduledPolicy(config, policy)
            : new ServerlessPolicy(config));
    this.writes = new RunWrites(store, config.endpointName(), log);
    this.claimedStep = new ClaimedStep(
        config, endpoint, mapping, store, Objects.requireNonNull(containerLogs, "containerLogs"));
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
        saved = store.save(current.nextWithOverride(o), current.version());
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

  /**
   * One run, in order: read ({@link RunObservation}), decide ({@link RunPlanner}), claim ({@link RunWrites}), act
   * ({@link ClaimedStep}), account ({@link RunLedger}), save the step's result ({@link RunWrites}), report. Each part's
   * rule lives in its own class.
   */
  public Decision reconcile(Instant now) {
    RunObservation seen;
    try {
      seen = RunObservation.read(store, endpoint, mapping, backlog);
    } catch (RuntimeException e) {
      if (!RunDeadline.outOfTime(e)) {
        throw e;
      }
      // No step on a partial or stale view: nothing was claimed or called, so the state and the
      // endpoint are as the last run left them. No EMF line either: the heartbeat counts completed
      // runs, and its alarm tells a person when reads keep running out of time.
      return Decision.outOfTime(now, e);
    }
    RunPlan plan = planner.plan(seen, now);
    Optional<Decision> notClaimed = writes.claim(plan);
    if (notClaimed.isPresent()) {
      return notClaimed.get();
    }
    List<String> notes = new ArrayList<>();
    List<String> awsSaid = new ArrayList<>(); // each call AWS failed besides the step's
    ClaimedStep.Result r = claimedStep.run(
        plan.step(), plan.atOnce(), seen.serving(), plan.claimed(), now, notes, awsSaid);
    runLedger.afterStep(seen.before(), now, notes);
    String outcome = writes.stepResult(
        r,
        notes.isEmpty() ? r.outcome() : r.outcome() + "; " + String.join("; ", notes),
        now,
        awsSaid);
    if (r.awsSaid() != null) {
      awsSaid.addFirst(r.awsSaid());
    }
    log.accept(
        plan.metrics(config.endpointName(), r.createFailed(), r.probeFailed(), r.stepFailed()));
    Step done = r.done();
    return plan.done(
        done,
        outcome,
        done.action() == Action.LOST_RACE
            ? null
            : NextRun.after(
                plan.want(),
                done.action(),
                done.why(),
                seen.ep().state(),
                r.after().stopSeconds(),
                now),
        awsSaid.isEmpty() ? null : String.join("; ", awsSaid));
  }

  // ---- the step ----

  /** The one step a run takes, chosen by the {@link HostingPolicy}; a failure counts toward the create backoff. */
  record Step(Action action, String why, boolean failure) {
    Step(Action action, String why) {
      this(action, why, false);
    }
  }
}
