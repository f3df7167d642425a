package offhours.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import offhours.stack.Hosting;

/**
 * What the controller remembers between runs (the control table item pk "controller", sk "state").
 *
 * @param version optimistic-locking version; 0 means "never written"
 * @param override a manual start/stop, or null for automatic
 * @param idleSince first run that saw the queue empty with nothing in flight (reset when the schedule opens)
 * @param backlogSince when the oldest waiting message arrived at the latest: the last run that saw the queue empty
 *     before a run saw it non-empty (an upload seen at a run arrived after the previous run)
 * @param stoppingSince when the controller started to stop the endpoint: the first run that wanted it off, which
 *     pauses the trigger (bounds the drain; the stop's cost is measured from {@code stopIssuedAt})
 * @param scheduleOpen whether the schedule was open at the last run (to detect an opening)
 * @param lastRunAt the last run that claimed a step (the ledger accumulates from here)
 * @param billing whether the endpoint was billing after the last run (the ledger counts the interval if so)
 * @param createFailures consecutive failed creations (reset by a successful test invocation)
 * @param createNotBefore backoff: no CreateEndpoint before this instant
 * @param createFailure why the last creation failed, as the run that saw it said it; null before a failure and after
 *     a successful test invocation. The create backoff's reason names it: {@code lastAction} moves on with the next run
 * @param lastAction a human-readable summary of the last step
 * @param wakeSeconds the last wakes' durations, oldest first: the run that issued the wake ({@code wakeIssuedAt}) to
 *     the first run that saw the trigger polling after the test invocation answered; {@link WakePolicy} expects the
 *     next wake from them
 * @param drain the drain rates measured so far and the drain being measured ({@link DrainMeter})
 * @param timerAt the instant the run timer is armed for (a delayed message on the timer queue, {@link TimerArming}),
 *     or null: a run arms no second message for the same or a later instant while this one is still ahead
 * @param enabledAt when the controller enabled the trigger after a wake, until a run sees it polling (then the wake,
 *     from {@code wakeIssuedAt} to a polling trigger, joins {@code wakeSeconds}); null otherwise
 * @param stopSeconds the last stops' durations, oldest first: the run that issued the stop of a serving endpoint
 *     (DeleteEndpoint; with scale-to-zero the component's copies set to 0) to the first run that saw it gone (ABSENT:
 *     deleted, or 0 copies on 0 instances), all of it billed; {@link LearnedTimes#expectedStop} costs the next stop
 *     from them
 * @param stopIssuedAt when the controller issued a stop of a serving endpoint, until a run sees it gone (then the
 *     stop joins {@code stopSeconds}) or sees anything but Deleting (then it ends unmeasured); null otherwise
 * @param wakeIssuedAt when the controller issued the wake in progress (CreateEndpoint; with scale-to-zero, the
 *     component created or its copies set back on no instance; its first step where it takes two, the endpoint and
 *     then its component), until a run sees the trigger polling; null otherwise, and after a failed call (the retry is
 *     measured on its own). Claimed with the step, as {@code stopIssuedAt}. Neither the endpoint's CreationTime nor
 *     the component's tells when a wake began: a component is created once and woken many times. A resume (copies set
 *     back on instances still up, {@link Endpoint.Status#resumable}) takes a fraction of a wake and is not measured:
 *     the budget plans every start as a wake from nothing, so a history of resumes never makes it start late.
 * @param arrivals the messages in the queue at the last run and how fast they grew while nothing consumed them
 *     ({@link Arrivals}): the uploads a start plans for beyond those already waiting
 * @param hosting the hosting (HOSTING) the learned times and rates ({@code wakeSeconds}, {@code stopSeconds}, the drain
 *     rates) and the wake, stop and drain being measured belong to ({@link #forHosting}); null in a state no controller
 *     of this version has run on: {@link #INITIAL}, or one written before the hosting was recorded
 * @param counted what the ledger has counted of the endpoint's life so far ({@link RunLedger#observe}): its start
 *     and not yet its stop, or its stop (or nothing started), or nothing yet. Every claim compares it with the endpoint
 *     it read and counts the start or the stop it sees in the same conditional write, so each is counted once however
 *     the runs that made them were cut
 */
public record ControlState(
    long version,
    Override override,
    Instant idleSince,
    Instant backlogSince,
    Instant stoppingSince,
    boolean scheduleOpen,
    Instant lastRunAt,
    boolean billing,
    int createFailures,
    Instant createNotBefore,
    String createFailure,
    String lastAction,
    List<Long> wakeSeconds,
    DrainMeter drain,
    Instant timerAt,
    Instant enabledAt,
    List<Long> stopSeconds,
    Instant stopIssuedAt,
    Instant wakeIssuedAt,
    Arrivals arrivals,
    Hosting hosting,
    Counted counted) {

  public static final ControlState INITIAL = new ControlState(
      0,
      null,
      null,
      null,
      null,
      false,
      null,
      false,
      0,
      null,
      null,
      "none",
      List.of(),
      DrainMeter.NONE,
      null,
      null,
      List.of(),
      null,
      null,
      Arrivals.NONE,
      null,
      Counted.UNSEEN);

  public ControlState {
    wakeSeconds = wakeSeconds == null ? List.of() : List.copyOf(wakeSeconds);
    drain = drain == null ? DrainMeter.NONE : drain;
    stopSeconds = stopSeconds == null ? List.of() : List.copyOf(stopSeconds);
    arrivals = arrivals == null ? Arrivals.NONE : arrivals;
    counted = counted == null ? Counted.UNSEEN : counted;
  }

  /** What the ledger has counted of the endpoint's life ({@link RunLedger#observe}). */
  public enum Counted {
    /**
     * Nothing yet: a state no controller of this version has claimed on ({@link #INITIAL}, or an item written before
     * this was recorded, whose controller counted by the calls it made). The first claim takes the endpoint as it sees
     * it as counted, so an endpoint up when this version is deployed is not counted a second time.
     */
    UNSEEN,
    /** Its start is in the ledger and its stop is not. */
    UP,
    /** Its stop is in the ledger, or it never started. */
    DOWN
  }

  /** A manual override: START or STOP until {@code until} (null: until "auto"). */
  public record Override(Mode mode, Instant until) {
    public enum Mode {
      START,
      STOP
    }

    boolean activeAt(Instant now) {
      return until == null || now.isBefore(until);
    }
  }

  /** A copy of this state with what {@code change} sets on its fields ({@link StateCopy}). */
  private ControlState with(Consumer<StateCopy> change) {
    StateCopy c = new StateCopy(this);
    change.accept(c);
    return c.build();
  }

  ControlState withVersion(long v) {
    return with(c -> c.version = v);
  }

  ControlState withOverride(Override o) {
    return with(c -> c.override = o);
  }

  /**
   * This state's next version with the manual override {@code o}: what recording an override writes, on top of the
   * version it loaded ({@link EndpointController#override}, and the stack-delete cleanup's stop in
   * {@code offhours.endpoint.cfn}).
   */
  public ControlState nextWithOverride(Override o) {
    return withOverride(o).withVersion(version + 1);
  }

  /** What a run observed: the override still active, idle and backlog times, whether the schedule is open. */
  ControlState withObserved(Override o, Instant idle, Instant backlog, boolean open) {
    return with(c -> {
      c.override = o;
      c.idleSince = idle;
      c.backlogSince = backlog;
      c.scheduleOpen = open;
    });
  }

  ControlState withStoppingSince(Instant since) {
    return with(c -> c.stoppingSince = since);
  }

  /** The step a run claims: when it ran, whether the endpoint bills after it, and what it did. */
  ControlState withRun(Instant at, boolean billingAfter, String action) {
    return with(c -> {
      c.lastRunAt = at;
      c.billing = billingAfter;
      c.lastAction = action;
    });
  }

  ControlState withBilling(boolean b) {
    return with(c -> c.billing = b);
  }

  ControlState withFailures(int n, Instant notBefore, String action) {
    return with(c -> {
      c.createFailures = n;
      c.createNotBefore = notBefore;
      c.createFailure = n == 0 ? null : action;
      c.lastAction = action;
    });
  }

  /**
   * What this run adds to the drain measurements, on {@code instances} (0: the endpoint runs another config than the
   * stack's, measured on nothing; {@link DrainMeter#observe}).
   */
  ControlState withDrain(
      Endpoint.Status ep, Mapping.TriggerState mp, Backlog.Snapshot q, Instant now, int instances) {
    return with(c -> c.drain = drain.observe(ep, mp, q, now, instances));
  }

  /** What this run sees of the uploads arriving ({@link Arrivals#observe}). */
  ControlState withArrivals(Mapping.TriggerState mp, Backlog.Snapshot q, Instant now) {
    return with(c -> c.arrivals = arrivals.observe(mp, q, now));
  }

  /** Remembers one more wake, keeping the last {@link LearnedTimes#HISTORY}. */
  ControlState withWake(long seconds) {
    return with(c -> c.wakeSeconds = lastOf(wakeSeconds, seconds));
  }

  /** Remembers one more stop, keeping the last {@link LearnedTimes#HISTORY}. */
  ControlState withStop(long seconds) {
    return with(c -> c.stopSeconds = lastOf(stopSeconds, seconds));
  }

  /** {@code history} and then {@code seconds}, the last {@link LearnedTimes#HISTORY} of them. */
  private static List<Long> lastOf(List<Long> history, long seconds) {
    List<Long> all = new java.util.ArrayList<>(history);
    all.add(seconds);
    return all.subList(Math.max(0, all.size() - LearnedTimes.HISTORY), all.size());
  }

  /**
   * What this run sees of a wake in progress: the trigger, enabled at {@link #enabledAt}, polls now, so the wake
   * issued at {@link #wakeIssuedAt} ends here and joins the history (a resume, issued at none, is not measured); a
   * trigger that is off again ends it unmeasured.
   */
  ControlState withTriggerSeen(Mapping.TriggerState mp, Instant now) {
    if (enabledAt == null) {
      return this;
    }
    if (mp == Mapping.TriggerState.ENABLED) {
      ControlState measured = wakeIssuedAt != null && now.isAfter(wakeIssuedAt)
          ? withWake(java.time.Duration.between(wakeIssuedAt, now).toSeconds())
          : this;
      return measured.withEnabledAt(null).withWakeIssuedAt(null);
    }
    return mp.polling() ? this : withEnabledAt(null).withWakeIssuedAt(null);
  }

  /**
   * What this run sees of a stop in progress, issued at {@link #stopIssuedAt}: an endpoint gone (ABSENT) ends it here
   * and it joins the history; one still Deleting goes on; anything else (created again by hand, failed) ends it
   * unmeasured.
   */
  ControlState withStopSeen(Endpoint.State st, Instant now) {
    if (stopIssuedAt == null || st == Endpoint.State.DELETING) {
      return this;
    }
    ControlState measured = st == Endpoint.State.ABSENT && now.isAfter(stopIssuedAt)
        ? withStop(java.time.Duration.between(stopIssuedAt, now).toSeconds())
        : this;
    return measured.withStopIssuedAt(null);
  }

  /** A stop of a serving endpoint issued at {@code at}, not yet seen gone (null: none). */
  ControlState withStopIssuedAt(Instant at) {
    return with(c -> c.stopIssuedAt = at);
  }

  /** A wake issued at {@code at}, its trigger not yet seen polling (null: none, or a resume, which is not measured). */
  ControlState withWakeIssuedAt(Instant at) {
    return with(c -> c.wakeIssuedAt = at);
  }

  /** The trigger enabled at {@code at} after a wake, not yet seen polling (null: none). */
  ControlState withEnabledAt(Instant at) {
    return with(c -> c.enabledAt = at);
  }

  /** What the ledger has counted of the endpoint's life, after this run's claim. */
  ControlState withCounted(Counted c) {
    return with(x -> x.counted = c);
  }

  /** The run timer armed for {@code at} (null: none armed). */
  ControlState withTimerAt(Instant at) {
    return with(c -> c.timerAt = at);
  }

  /**
   * This state for a controller of {@code current} hosting: unchanged if it was learned with that hosting; otherwise
   * (the stack switched its Hosting parameter) without what another hosting's endpoint taught: a scheduled endpoint's
   * CreateEndpoint, a scale-to-zero component's copies and a serverless endpoint's concurrency wake, stop and drain at
   * their own speeds, so their wake and stop times and drain rates are dropped and the budget plans with the defaults
   * ({@link LearnedTimes#DEFAULT_WAKE}, {@link LearnedTimes#DEFAULT_STOP}, {@link DrainMeter#DEFAULT_PER_SECOND}, all
   * on the slow side: the first wakes start early, never late) until this hosting has its own. The wake, stop and drain
   * that hosting had in progress end unmeasured, and its create backoff ends (its failures were another hosting's
   * calls).
   * A state without a hosting (written before it was recorded) is treated as another hosting's: its history may be
   * that of the hosting the upgrade's stack update switched from.
   */
  public ControlState forHosting(Hosting current) {
    if (current == hosting) {
      return this;
    }
    return with(c -> {
      c.hosting = current;
      c.wakeSeconds = List.of();
      c.stopSeconds = List.of();
      c.drain = DrainMeter.NONE;
      c.wakeIssuedAt = null;
      c.stopIssuedAt = null;
      c.createFailures = 0;
      c.createNotBefore = null;
      c.createFailure = null;
    });
  }

  /**
   * A fresh state (version 1) that keeps only what {@code s} has learned: its wake and stop times and its drain rates,
   * and the hosting they belong to (the simulator's warm-up hands them to the measured pass).
   */
  public static ControlState learnedFrom(ControlState s) {
    StateCopy c = new StateCopy(INITIAL);
    c.version = 1;
    c.lastAction = "learned";
    c.wakeSeconds = s.wakeSeconds();
    c.drain = new DrainMeter(null, 0, s.drain().rates());
    c.stopSeconds = s.stopSeconds();
    c.hosting = s.hosting();
    return c.build();
  }
}
