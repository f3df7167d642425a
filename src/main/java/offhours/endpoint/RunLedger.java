package offhours.endpoint;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import offhours.endpoint.Endpoint.State;

/**
 * What a run adds to the ledger: what its claim ends ({@link #claimed}: the seconds billed since the last claim, and
 * the start or the stop of the endpoint it sees, {@link #observe}), which the claim counts in its own write ({@link
 * RunWrites#claim}); and after its step, when the ledger starts ({@link Ledger#start}, until this container has seen it
 * recorded).
 */
final class RunLedger {
  private final ControllerConfig config;
  private final Ledger ledger;

  /**
   * Whether this container has seen the ledger's start recorded. The item is written once and never changed, so one
   * read per container is enough (a GetItem at its first run that claims); until then each run asks again, so a write
   * that failed, or a stack that a controller of an older version started, gets its start at a later run.
   */
  private boolean startRecorded;

  RunLedger(ControllerConfig config, Ledger ledger) {
    this.config = Objects.requireNonNull(config, "config");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
  }

  /**
   * The run's ledger start, after its step, not between claim and step: the claim is what overlapping runs see, so the
   * step follows it at once (a run that loaded the claim and still saw the endpoint absent would create it a second
   * time). Best effort: a write that fails is a note in {@code notes}, never a failed run, and a later run asks again.
   */
  void afterStep(ControlState before, Instant now, List<String> notes) {
    if (!startRecorded) {
      ClaimedStep.bestEffort(notes, () -> recordStart(before, now));
    }
  }

  /** Records the ledger's start ({@link #startOf}) unless it is recorded already. */
  private void recordStart(ControlState before, Instant now) {
    if (ledger.started().isEmpty()) {
      ledger.start(startOf(before, now, ledger::firstDay, config.zone()));
    }
    startRecorded = true;
  }

  /**
   * The instant to record as the ledger's start, found unrecorded by a run at {@code now}, after its step. With no run
   * before it ({@code before} has no {@code lastRunAt}), this is the stack's first run that claims: the ledger counts
   * from here. With runs before it, the stack's controller first ran under an older version (or its first run could
   * not write the start): recording {@code now} would credit always-on only from the upgrade, and understate every
   * saving day before it. Its ledger has counted since a first run nobody recorded; the earliest instant it is known to
   * cover is midnight of its first day (the ledger counts by day, and that day's item proves it counted then) when that
   * day is before the last run's, else the last run itself: a ledger with no day yet (the endpoint never billed), or
   * whose first day is the last run's, which this run's own step may have written. {@code firstDay} is asked only then
   * (one Query).
   */
  private static Instant startOf(
      ControlState before, Instant now, Supplier<Optional<LocalDate>> firstDay, ZoneId zone) {
    Instant previous = before.lastRunAt();
    if (previous == null) {
      return now;
    }
    LocalDate previousDay = LocalDate.ofInstant(previous, zone);
    return firstDay
        .get()
        .filter(d -> d.isBefore(previousDay))
        .map(d -> d.atStartOfDay(zone).toInstant())
        .orElse(previous);
  }

  /**
   * The most days one claim counts: a TransactWriteItems holds at most 100 actions
   * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html), one of them the
   * state's Put. The billed interval keeps one day less, for a stop dated on a day before it.
   */
  static final int MAX_DAYS = 99;

  /**
   * What the claim of a run at {@code now} that read {@code before} counts, one increment per local day, oldest first:
   * the time since the last claim if the endpoint was billing then, and {@code sighting}, the start or the stop it saw
   * ({@link #observe}; null: neither). Counted in the claim's own write, as starts and stops are: the claim moves
   * {@code lastRunAt} to {@code now}, so a run cut after it (its Lambda timeout, before the end of its step) leaves no
   * interval that nobody counts, and a claim that loses the race counts nothing the winner does not.
   *
   * <p>Billing is counted from CreateEndpoint until the endpoint is seen gone, Creating and Deleting included:
   * SageMaker bills provisioned instances, and counting the whole life cycle makes the ledger an upper bound of the
   * bill, so "saved" is never overstated (https://aws.amazon.com/sagemaker/pricing/). The interval is split at local
   * midnight and at schedule changes, so each day gets its own seconds and its outside-schedule share ({@link
   * Ledger.Day#split}). Only its last {@code MAX_DAYS - 1} days are counted: a controller that claimed nothing for
   * over three months while its endpoint billed has a heartbeat alarm that said so long before.
   */
  static List<Ledger.Day> claimed(
      ControlState before, Ledger.Day sighting, Instant now, Schedule schedule) {
    Map<LocalDate, Ledger.Day> days = new TreeMap<>();
    Instant last = before.lastRunAt();
    if (before.billing() && last != null && now.isAfter(last)) {
      Instant earliest = LocalDate.ofInstant(now, schedule.zone())
          .minusDays(MAX_DAYS - 2)
          .atStartOfDay(schedule.zone())
          .toInstant();
      for (Ledger.Day piece :
          Ledger.Day.split(schedule, last.isBefore(earliest) ? earliest : last, now)) {
        days.put(piece.date(), piece);
      }
    }
    if (sighting != null) {
      // One operation per item in a transaction: a start or a stop on a billed day joins its
      // seconds.
      days.merge(sighting.date(), sighting, Ledger.Day::plus);
    }
    return List.copyOf(days.values());
  }

  /**
   * What the ledger has counted of the endpoint's life after a claim that read {@code before} and saw {@code ep}, and
   * the start or the stop that claim counts (null: neither).
   */
  record Sighting(ControlState.Counted counted, Ledger.Day day) {}

  /**
   * The one rule that counts starts and stops: by what a run sees, not by the calls it makes. A call's run can be cut
   * after SageMaker acted and before the run recorded it (its Lambda timeout, a cut write of its result, a newer run's
   * claim overtaking that write); every run after it describes the endpoint, and its claim, a conditional write of the
   * state, counts the start of an endpoint it sees up whose start is not counted yet ({@link ControlState#counted}),
   * or the stop of one it sees going or gone whose start is, in the same write ({@link RunWrites#claim}). A claim that
   * loses the race counts nothing, one that lands counts with it, and the state it writes says so to the next: each
   * start and stop is counted once. The controller's own calls are always seen: it deletes only an endpoint a run saw
   * up and creates only one a run saw absent, and that run's claim counts the change before the call.
   *
   * <p>Up is Creating, InService or Failed (SageMaker created it: a failed create is a start, as its delete is a stop),
   * and with scale-to-zero the instances of an endpoint without its component ({@link Endpoint.Status#needsStop}: the
   * middle of a wake from nothing, which is one start, or capacity still to stop). Going is Deleting (copies scaling in
   * and instances going) and gone is absent, or asleep; but an endpoint that reads absent while a wake is under way
   * ({@link ControlState#wakeIssuedAt}) is a scale-to-zero endpoint whose component is still to be created on it, no
   * stop. Updating is neither, nor is an endpoint another owner's ({@link Endpoint.Status#foreign}) or serverless. A
   * state that has counted nothing yet ({@link ControlState.Counted#UNSEEN}) takes what it sees as counted.
   *
   * <p>A start is dated at the endpoint's CreationTime as DescribeEndpoint reports it
   * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html; for a component's copies,
   * when the wake began: {@link ComponentEndpoint}), which the run already read: no call, and no permission, is added.
   * It is held between the last claim, which the call followed, and now, so a component created long ago dates its
   * wake no earlier than the run that woke it. A stop is dated at the last claim, which the call followed at once: a
   * Deleting endpoint's LastModifiedTime is no date of the call, and a gone one has none. The time it billed is not
   * counted here: the run that issued it claimed it billing ({@link HostingPolicy#billsWhileItExists}), and {@link
   * #claimed} counts from that claim on.
   */
  static Sighting observe(ControlState before, Endpoint.Status ep, Instant now, ZoneId zone) {
    ControlState.Counted counted = before.counted();
    if (ep.foreign() || ep.serverless()) {
      return new Sighting(counted, null);
    }
    State state = ep.state();
    boolean up = state == State.CREATING
        || state == State.IN_SERVICE
        || state == State.FAILED
        || state == State.DELETING && ep.needsStop();
    boolean down = state == State.DELETING && !ep.needsStop()
        || state == State.ABSENT && before.wakeIssuedAt() == null;
    Instant last =
        before.lastRunAt() != null && before.lastRunAt().isBefore(now) ? before.lastRunAt() : now;
    if (up && counted == ControlState.Counted.DOWN) {
      Instant at = ep.createdAt() == null || ep.createdAt().isBefore(last) ? last : ep.createdAt();
      return new Sighting(ControlState.Counted.UP, start(at.isAfter(now) ? now : at, zone));
    }
    if (down && counted == ControlState.Counted.UP) {
      return new Sighting(ControlState.Counted.DOWN, stop(last, zone));
    }
    if (counted == ControlState.Counted.UNSEEN && (up || down)) {
      return new Sighting(up ? ControlState.Counted.UP : ControlState.Counted.DOWN, null);
    }
    return new Sighting(counted, null);
  }

  /** A start at {@code at}, on its local day in {@code zone}. */
  static Ledger.Day start(Instant at, ZoneId zone) {
    return new Ledger.Day(LocalDate.ofInstant(at, zone), 0, 0, 1, 0);
  }

  /** A stop at {@code at}, on its local day in {@code zone}. */
  static Ledger.Day stop(Instant at, ZoneId zone) {
    return new Ledger.Day(LocalDate.ofInstant(at, zone), 0, 0, 0, 1);
  }
}
