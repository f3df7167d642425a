package offhours.endpoint;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import offhours.endpoint.Endpoint.State;

/**
 * What a run adds to the ledger besides its step's own start or stop ({@link ClaimedStep}): when it starts ({@link
 * Ledger#start}, until this container has seen it recorded), the billed time since the last run, and the note of a
 * start or a stop that a call cut by its run's deadline may have made ({@link ControlState#startUncounted}, {@link
 * ControlState#stopUncounted}), which its claim counted ({@link RunWrites#claim}).
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
   * The run's ledger part, after its step, not between claim and step: the claim is what overlapping runs see, so the
   * step follows it at once (a run that loaded the claim and still saw the endpoint absent would create it a second
   * time). Each write is best effort: one that fails is a note in {@code notes}, never a failed run.
   */
  void afterStep(
      ControlState before,
      Instant uncounted,
      Instant uncountedStop,
      Endpoint.Status ep,
      Instant now,
      List<String> notes) {
    if (!startRecorded) {
      ClaimedStep.bestEffort(notes, () -> recordStart(before, now));
    }
    ClaimedStep.bestEffort(notes, () -> account(before, now));
    if (uncounted != null) {
      // Counted by the claim that settled it, in the same write (RunWrites), so once: a run that
      // lost the race counts nothing, and one cut after its claim has counted it already.
      notes.add("the start at " + uncounted + " that a run cut by its deadline may have made is"
          + " counted now: the endpoint is " + ep.state());
    }
    if (uncountedStop != null) {
      notes.add("the stop at " + uncountedStop + " that a run cut by its deadline may have made is"
          + " counted now: the endpoint is " + ep.state());
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
  static Instant startOf(
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
   * Adds the time since the last run to the ledger if the endpoint was billing then. Billing is counted from
   * CreateEndpoint until the endpoint is seen gone, Creating and Deleting included: SageMaker bills provisioned
   * instances, and counting the whole life cycle makes the ledger an upper bound of the bill, so "saved" is never
   * overstated (https://aws.amazon.com/sagemaker/pricing/). The interval is split at local midnight and at schedule
   * changes, so each day gets its own seconds and its outside-schedule share.
   */
  void account(ControlState before, Instant now) {
    if (!before.billing() || before.lastRunAt() == null || !now.isAfter(before.lastRunAt())) {
      return;
    }
    for (Ledger.Day piece : Ledger.Day.split(config.schedule(), before.lastRunAt(), now)) {
      ledger.add(piece);
    }
  }

  /**
   * When the start that the last run's cut call may have made happened, if {@code ep} shows it did: the endpoint (or,
   * with scale-to-zero, its component's copies) Creating, InService, Updating or Failed, and this stack's. Null when
   * there is none to count: no cut start, or the endpoint absent or going (the call did not apply; a scale-to-zero
   * endpoint whose component the cut call was to create shows as going), or not this stack's.
   *
   * <p>The start is dated at the endpoint's CreationTime as DescribeEndpoint reports it
   * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html; for a component's copies,
   * when the wake began: {@link ComponentEndpoint}), which the run already read: no call, and no permission, is added. It is held between
   * the cut run's claim, which the call followed, and now, so a component created long ago dates its wake no earlier
   * than the run that woke it. The time it billed is counted already: the cut run claimed its create as billing
   * ({@link HostingPolicy#billsWhileItExists}) before it sent it, so {@link #account} counts from that claim on.
   */
  static Instant uncountedStart(ControlState before, Endpoint.Status ep, Instant now) {
    boolean up = ep.state() == State.CREATING
        || ep.state() == State.IN_SERVICE
        || ep.state() == State.UPDATING
        || ep.state() == State.FAILED;
    if (!before.startUncounted() || !up || ep.foreign() || ep.serverless()) {
      return null;
    }
    Instant from = before.lastRunAt() != null ? before.lastRunAt() : now;
    Instant at = ep.createdAt() != null ? ep.createdAt() : from;
    if (at.isBefore(from)) {
      return from;
    }
    return at.isAfter(now) ? now : at;
  }

  /**
   * When the stop that the last run's cut call may have made happened, if {@code ep} shows it did: the endpoint (with
   * scale-to-zero, its copies) Deleting or gone. Null when there is none to count: no cut stop, or the endpoint
   * anything else (the call did not apply, and the step that stops it counts its own stop), or another's. Dated at the
   * cut run's claim, which the call followed at once: a Deleting endpoint's LastModifiedTime is no date of the call
   * (copies scaling in, instances going), and a gone one has none.
   */
  static Instant uncountedStop(ControlState before, Endpoint.Status ep, Instant now) {
    boolean going = ep.state() == State.DELETING || ep.state() == State.ABSENT;
    if (!before.stopUncounted() || !going || ep.foreign() || ep.serverless()) {
      return null;
    }
    return before.lastRunAt() != null && before.lastRunAt().isBefore(now)
        ? before.lastRunAt()
        : now;
  }

  /**
   * What a claim counts of a start or a stop a cut run left uncounted, or null: neither. At most one is there: a run
   * flags the one call its deadline cut, and every claim clears both.
   */
  static Ledger.Day settled(Instant start, Instant stop, ZoneId zone) {
    if (start != null) {
      return start(start, zone);
    }
    return stop == null ? null : stop(stop, zone);
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
