package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import offhours.endpoint.Endpoint.State;
import offhours.stack.Hosting;
import offhours.units.Times;

/**
 * When the endpoint must start for what waits, and how long it stays on after a drain: the one home of the latency
 * budget's arithmetic, used by {@link EndpointController} to decide and by the API to forecast.
 *
 * <p>With a budget (MAX_WAIT_MINUTES, {@link WaitBudget}) the endpoint starts at the last moment that still classifies
 * the oldest waiting upload by its due time: due - expected wake - drain, where the drain begins with the first
 * batch's own time ({@link #firstBatch}). The expected wake is the 90th percentile of the measured wakes
 * ({@link LearnedTimes#expectedWake}: the endpoint's start, the probe and the event source mapping's own start, all
 * measured), {@link LearnedTimes#DEFAULT_WAKE} until there is one. A resume on instances still up is not a wake: it
 * is not measured, so the budget plans every start as a wake from nothing. The drain is the waiting messages at the
 * rate the controller measured on earlier drains ({@link DrainMeter}), {@link DrainMeter#DEFAULT_PER_SECOND} per
 * instance until it has ({@link #drain}), and with them the uploads still arriving, at the rate the paused queue grew
 * since the last run, before the endpoint would answer, where they are due by the same time ({@link Arrivals}).
 *
 * <p>After a drain the endpoint stops at once unless staying on is cheaper than stopping and waking again. Take the
 * next upload t after the drain, due at t + budget. Staying on, the endpoint is on from the drain to that due time:
 * t + budget. Stopped, it pays the stop and, for that upload, a wake (up to a polling trigger) before the due time:
 * stop + wake; from the due time on both are on alike. So staying pays only for uploads within
 * {@code wake + stop - budget} of the drain ({@link #stayUntil}): a positive time only for budgets shorter than a wake
 * and a stop. The stop is learned as the wake is, all of it billed: the mean of the measured stops
 * ({@link LearnedTimes#expectedStop}; {@link NextRun} looks at a stop in progress often enough to measure it). With
 * scale-to-zero, staying weighs only the copies' part of the stop ({@link #COPIES_STOP}): the instances stay minutes
 * longer, billed either way, and a wake then resumes on them.
 *
 * <p>That weighs one upload. A stream still arriving when the endpoint came up is another matter: folders are dropped
 * over minutes, and a stop in a lull between two of its uploads leaves the rest of it a wake and a stop of its own.
 * So when the paused queue last grew at {@link #STREAM_PER_MINUTE} or faster ({@link Arrivals}, measured at most a
 * wake and a stop ago, about when the trigger began polling), a drained endpoint stays on {@link #STREAM_GRACE} after
 * the first run that saw the queue drained (an upload a run sees waiting or in flight starts it again; one served
 * between two runs goes unseen), and the grace ends a wake and a stop after that measurement: the most it spends
 * staying is what the stop it tries to spare would cost. No stay undoes a stop that has paused the trigger: the
 * batches that stop drains are no upload.
 *
 * <p>A budget no longer than the expected wake cannot be met by an endpoint that is off when the upload comes: then
 * the endpoint is on through working hours, from an expected wake before they open ({@link #throughWorkingHours}),
 * and every decision says so.
 */
public final class WakePolicy {

  /**
   * With scale-to-zero, the part of a stop a wake must wait for: the copies going to 0 after the count is set
   * directly (UpdateInferenceComponentRuntimeConfig; an assumption of about two minutes, not measured on AWS). After it
   * a wake is a resume on the instances still up ({@link Endpoint.Status#resumable}) until managed instance scaling
   * removes them.
   */
  private static final Duration COPIES_STOP = Duration.ofMinutes(2);

  /**
   * The slowest growth of the paused queue that counts as a stream: two uploads a minute. A folder dropped over minutes
   * comes faster; single uploads rarely come two in a minute (at one every 5 minutes on average, about 2% of minutes),
   * and staying on for them is not worth it: on a steady trickle, serving an upload at once does not spare a wake, it
   * only moves the next one (at one a minute the always trace's weeks were billed up to 0.7% more).
   */
  static final double STREAM_PER_MINUTE = 2;

  /**
   * How long a drained endpoint waits for the next upload of a stream still arriving ({@link #stayUntil}): the mean
   * gap at {@link #STREAM_PER_MINUTE}. On the 28 goal weeks ({@code simulate --goals}) half a minute billed 0.23
   * endpoint-hours less in all than no stay; a minute billed 0.04 more.
   */
  static final Duration STREAM_GRACE = Duration.ofSeconds(30);

  /** A start of the endpoint and why it is needed. */
  public record Wake(Instant at, String why) {}

  /**
   * The first batch's own time once the trigger polls, beyond its batching window: Classify's start and one invocation
   * (seconds; not measured, the drain rate counts images, not this latency).
   */
  static final Duration FIRST_BATCH = Duration.ofSeconds(5);

  private final ControllerConfig config;

  public WakePolicy(ControllerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * From a polling trigger to the first result: the trigger's batching window (BATCHING_WINDOW_SECONDS; a backlog
   * under a batch waits all of it) and {@link #FIRST_BATCH}. The drain a start plans for begins with it, so the
   * oldest upload is not classified seconds past its due time.
   */
  public Duration firstBatch() {
    return config.batchingWindow().plus(FIRST_BATCH);
  }

  /**
   * How long {@code waiting} messages take to drain once the trigger polls: at the rate measured on this endpoint's
   * earlier drains on its {@link #instances} (or those on another count, scaled: {@link DrainMeter#expectedPerSecond}),
   * or before one at {@link DrainMeter#DEFAULT_PER_SECOND} on each of its instances.
   */
  public Duration drain(DrainMeter drains, long waiting) {
    return drains.drain(waiting, instances());
  }

  /** The rate {@link #drain} drains at, images per second. */
  public double drainRate(DrainMeter drains) {
    return drains.expectedPerSecond(instances());
  }

  /**
   * What the endpoint serves on, as drain rates are counted: INSTANCE_COUNT; with scale-to-zero its copies when awake,
   * one per instance; a serverless endpoint has none and counts as one.
   */
  public int instances() {
    return config.hosting() == Hosting.SERVERLESS ? 1 : config.instanceCount();
  }

  /**
   * When the endpoint must start for {@code waiting} messages (visible and deferred) of which the oldest arrived at
   * {@code oldest} at the latest, and for those {@code arrivals} will add before the endpoint would answer if it
   * started now, as far as they are due by the oldest's due time (uploads before the opening with next-opening or
   * outside working hours; none inside working hours with a budget in minutes, where each later upload has a later due
   * time): the earliest of the budget's start and the wake thresholds
   * (WAKE_BACKLOG_MESSAGES, WAKE_BACKLOG_AGE_MINUTES). Without a budget the endpoint starts at the upload inside
   * working hours and at the next opening outside them. Empty when nothing will start it.
   */
  public Optional<Wake> wakeFor(
      Instant oldest,
      long waiting,
      List<Long> wakeSeconds,
      DrainMeter drains,
      Arrivals arrivals,
      Instant now) {
    WaitBudget budget = config.maxWait();
    Wake wake = null;
    Optional<Instant> due = budget.due(config.schedule(), oldest);
    if (due.isPresent() && budget.off()) {
      wake = new Wake(
          due.get(),
          config.schedule().isOpen(due.get()) && !due.get().isAfter(now)
              ? "working hours; " + waiting + " waiting"
              : "the endpoint is off outside working hours (" + config.schedule()
                  + "); they open at " + local(due.get()));
    } else if (due.isPresent()) {
      Duration wakeTime = LearnedTimes.expectedWake(wakeSeconds);
      // Uploads made before this instant are due by the oldest's due time as well.
      Instant sameDue = due.get().minus(budget.max());
      Instant answers = now.plus(wakeTime).plus(firstBatch());
      long coming = arrivals.between(now, answers.isBefore(sameDue) ? answers : sameDue);
      Duration drain = drain(drains, waiting + coming);
      Instant at = due.get().minus(wakeTime).minus(firstBatch()).minus(drain);
      wake = new Wake(
          at,
          "the oldest of " + waiting + " waiting is due by " + local(due.get())
              + " (MAX_WAIT_MINUTES="
              + budget + ")"
              + (coming > 0
                  ? " with about " + coming + " more due by then arriving before it would answer ("
                      + arrivals.perMinute() + " since the last run)"
                  : "")
              + "; starting takes about " + minutes(wakeTime)
              + ", the first batch " + minutes(firstBatch()) + " and the drain "
              + minutes(drain) + ", so it starts at " + local(at));
    }
    if (config.wakeBacklogMessages() > 0
        && waiting >= config.wakeBacklogMessages()
        && (wake == null || wake.at().isAfter(now))) {
      wake = new Wake(
          now, "the backlog reaches WAKE_BACKLOG_MESSAGES=" + config.wakeBacklogMessages());
    }
    if (!config.wakeBacklogAge().isZero()) {
      Instant old = oldest.plus(config.wakeBacklogAge());
      if (wake == null || old.isBefore(wake.at())) {
        wake = new Wake(
            old,
            "the oldest upload will be " + config.wakeBacklogAge().toMinutes()
                + " min old (WAKE_BACKLOG_AGE_MINUTES) at " + local(old));
      }
    }
    return Optional.ofNullable(wake);
  }

  /** Until when a drained endpoint stays on, and why (the instant it drained: it stops). */
  private record Stay(Instant until, String why) {}

  /**
   * Until when an endpoint whose queue drained at {@code idleSince} stays on for the next upload:
   * {@code wake + stop - budget} after the drain inside working hours with a budget in minutes (see the class
   * comment; the expected wake and stop of {@code wakeSeconds} and {@code stopSeconds}; with scale-to-zero the stop is
   * only the copies' part, {@link #COPIES_STOP}: the rest of a scale-in is billed whether the endpoint stays or not,
   * and a wake during it is a resume), or {@link #STREAM_GRACE} while a stream measured by {@code arrivals} may still
   * be arriving, whichever is later; with next-opening, until an opening nearer than a wake and a stop (an upload
   * before it is due at it); otherwise not at all (without a budget IDLE_STOP_MINUTES decides).
   */
  private Stay stayUntil(
      Instant idleSince,
      List<Long> wakeSeconds,
      List<Long> stopSeconds,
      Arrivals arrivals,
      Instant now) {
    WaitBudget budget = config.maxWait();
    Duration wake = LearnedTimes.expectedWake(wakeSeconds);
    Duration stop = LearnedTimes.expectedStop(stopSeconds);
    String oneUpload = "an upload before then costs less than a stop (about " + minutes(stop)
        + ") and a wake (about " + minutes(wake) + "; MAX_WAIT_MINUTES=" + budget + ")";
    if (budget.nextOpening() && !config.schedule().isOpen(now)) {
      Duration cost = wake.plus(stop);
      Instant until = config
          .schedule()
          .nextOpening(now)
          .filter(open -> Duration.between(idleSince, open).compareTo(cost) <= 0)
          .orElse(idleSince);
      return new Stay(until, oneUpload);
    }
    if (budget.off() || budget.nextOpening() || !config.schedule().isOpen(now)) {
      return new Stay(idleSince, "");
    }
    if (config.hosting() == Hosting.SCALE_TO_ZERO) {
      // The instances stay, billed, minutes after the copies go, and a wake then is a resume on
      // them: stopping costs nothing that staying would not, once the copies are down.
      stop = COPIES_STOP;
    }
    Duration cycle = wake.plus(stop);
    Duration stay = cycle.minus(budget.max());
    Instant one = stay.isNegative() ? idleSince : idleSince.plus(stay);
    double stream = arrivals.lastPerSecondSince(now.minus(cycle));
    Instant graceEnds = idleSince.plus(STREAM_GRACE);
    Instant capped =
        arrivals.lastRateAt() == null ? idleSince : arrivals.lastRateAt().plus(cycle);
    Instant streamUntil = stream * 60 >= STREAM_PER_MINUTE
        ? (graceEnds.isBefore(capped) ? graceEnds : capped)
        : idleSince;
    if (streamUntil.isAfter(one)) {
      return new Stay(
          streamUntil,
          "uploads were arriving at " + Arrivals.perMinute(stream) + " when last measured ("
              + local(arrivals.lastRateAt()) + "), and a stop in a lull would leave the rest of"
              + " them a stop (about " + minutes(stop) + ") and a wake (about " + minutes(wake)
              + ") of their own");
    }
    return new Stay(one, oneUpload);
  }

  /**
   * With a latency budget: an endpoint that is up finishes what waits; once drained it stays on only while that is
   * cheaper than a stop and a wake ({@link WakePolicy#stayUntil}); an endpoint that is off starts when the oldest
   * waiting upload would otherwise miss its budget ({@link WakePolicy#wakeFor}).
   */
  Want want(
      ControlState s,
      Endpoint.Status ep,
      Mapping.TriggerState mp,
      Backlog.Snapshot q,
      Instant now,
      String work) {
    Optional<Want> hours = throughWorkingHours(s.wakeSeconds(), now);
    if (hours.isPresent()) {
      return hours.get();
    }
    State st = ep.state();
    boolean up = st == State.CREATING || st == State.IN_SERVICE || st == State.UPDATING;
    // In-flight batches alone keep it on while the trigger polls, and while it is paused with no
    // stop under way: a stack update that changes the trigger may send the template's Enabled:
    // false, and that pause is no stop. Paused by the controller to stop (stoppingSince), they are
    // that stop's drain.
    boolean pending = q.visible() + q.delayed() > 0
        || q.inFlight() > 0 && (mp.polling() || s.stoppingSince() == null);
    if (up && pending) {
      // Looked at again soon: the drain's end is when it stops.
      return new Want(true, "serving what waits (" + work + ")", now.plus(NextRun.STOP_RECHECK));
    }
    if (up && q.inFlight() == 0) {
      // A stop that paused the trigger goes on: the batches it drained made the queue look busy,
      // but they were no upload, and a stay counted from them would enable the trigger it paused.
      boolean stopping = s.stoppingSince() != null && !mp.polling();
      Stay stay = stopping
          ? new Stay(now, "")
          : stayUntil(
              s.idleSince() != null ? s.idleSince() : now,
              s.wakeSeconds(),
              s.stopSeconds(),
              s.arrivals(),
              now);
      if (now.isBefore(stay.until())) {
        // The time left as well: reasons name times to the minute, and a half-minute stay's end is
        // often the minute of the run itself.
        return new Want(
            true,
            "drained; staying on until " + local(stay.until()) + " ("
                + minutes(Duration.between(now, stay.until())) + " more): " + stay.why(),
            stay.until());
      }
      return new Want(
          false,
          "drained; stopping (the next upload waits within MAX_WAIT_MINUTES=" + config.maxWait()
              + ")");
    }
    if (up) {
      return new Want(false, "stopping; " + work);
    }
    long waiting = q.visible() + q.delayed();
    if (waiting == 0) {
      return new Want(false, q.inFlight() > 0 ? "off; " + work : "nothing waiting");
    }
    Instant oldest = s.backlogSince() != null ? s.backlogSince() : now;
    return wakeFor(oldest, waiting, s.wakeSeconds(), s.drain(), s.arrivals(), now)
        .map(w -> w.at().isAfter(now)
            ? new Want(false, work + "; " + w.why(), w.at())
            : new Want(true, w.why()))
        .orElseGet(() -> new Want(
            false,
            work + "; nothing starts the endpoint: no working hours ahead and no wake"
                + " threshold"));
  }

  /**
   * A budget in minutes no longer than the expected wake is out of reach for an endpoint that is off: an upload that
   * finds it off misses the budget whenever it comes. The only way an upload in working hours meets it is an endpoint
   * on through them, so from an expected wake before they open until they close the endpoint is on, and the reason
   * says why. Empty otherwise, and outside that time (uploads then are due an expected wake after the opening).
   */
  private Optional<Want> throughWorkingHours(List<Long> wakeSeconds, Instant now) {
    WaitBudget budget = config.maxWait();
    Duration wake = LearnedTimes.expectedWake(wakeSeconds);
    if (budget.off() || budget.nextOpening() || wake.compareTo(budget.max()) < 0) {
      return Optional.empty();
    }
    Optional<Instant> opening = config.schedule().nextOpening(now);
    if (opening.isEmpty() || opening.get().minus(wake).isAfter(now)) {
      return Optional.empty();
    }
    Optional<Instant> close = config.schedule().nextChange(opening.get());
    return Optional.of(new Want(
        true,
        "MAX_WAIT_MINUTES=" + budget + " is no longer than a wake (about " + minutes(wake)
            + "): an upload that found the endpoint off would miss it, so it is on through"
            + " working hours" + close.map(c -> ", until " + local(c)).orElse(""),
        close.orElse(null)));
  }

  /** "2026-11-26 08:00 Europe/Berlin". */
  private String local(Instant t) {
    return local(t, config.zone());
  }

  /**
   * "2026-11-26 08:00 Europe/Berlin", as every reason names a time of day: a ZonedDateTime's own text
   * ("2026-11-26T08:00+01:00[Europe/Berlin]", "18:00Z[Etc/UTC]") reads as a Java value in a reason.
   */
  static String local(Instant t, ZoneId zone) {
    return Times.at(t, zone);
  }

  /** "95 s", "30 min". */
  public static String minutes(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + " s" : (s + 30) / 60 + " min";
  }
}
