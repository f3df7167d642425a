package offhours.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import offhours.inference.AwsFailures;

/**
 * A run's two writes of the control state, on the version it read: the claim before it acts, which ends the run when
 * another run wrote first or the write ran out of the run's time, and what its step changed after it. The claim counts
 * in the same write what it ends: the seconds billed since the last claim, and the start or the stop it sees ({@link
 * RunLedger#claimed}, {@link ControlStore#save(ControlState, long, List)}).
 */
final class RunWrites {
  private final ControlStore store;
  private final String endpointName;
  private final Consumer<String> log;

  RunWrites(ControlStore store, String endpointName, Consumer<String> log) {
    this.store = Objects.requireNonNull(store, "store");
    this.endpointName = endpointName;
    this.log = Objects.requireNonNull(log, "log");
  }

  /**
   * Claims the plan's step: empty when this run won it, else the run's decision, its metrics line logged.
   */
  Optional<Decision> claim(RunPlan plan) {
    boolean won;
    try {
      long read = plan.seen().before().version();
      List<Ledger.Day> counted = plan.counted();
      won = counted.isEmpty()
          ? store.save(plan.claimed(), read)
          : store.save(plan.claimed(), read, counted);
    } catch (RuntimeException e) {
      if (!RunDeadline.outOfTime(e)) {
        throw e;
      }
      // Whether the claim landed is unknown, so the step is not taken: a claim that landed says
      // what this run meant to do (a create's billing and wake, a stop), which the next run reads
      // with the endpoint and the trigger and corrects, as after a step that failed. What it
      // counts (billed seconds, a start, a stop) landed with it or not at all. There is no AWS
      // answer to log here: the deadline ends the claim before it is sent or with the SDK's
      // ApiCallTimeoutException, which keeps no earlier attempt's answer (a 500 retried and then
      // cut is lost to it); the decision's reason carries the cut's message.
      log.accept(plan.metrics(endpointName, false, false, true));
      return Optional.of(plan.notClaimed(e));
    }
    if (!won) {
      // Another run wrote since we read: it owns this step. Re-read only to report; do nothing.
      log.accept(plan.metrics(endpointName, false, false, false));
      ControlState winner = store.load().orElse(plan.seen().before());
      return Optional.of(plan.lostRace(winner.version()));
    }
    return Optional.empty();
  }

  /**
   * Writes what the step changed after its claim, if anything; returns {@code outcome}, with a note when the write ran
   * out of the run's time, whose answer from AWS goes to {@code awsSaid}.
   */
  String stepResult(ClaimedStep.Result r, String outcome, Instant now, List<String> awsSaid) {
    ControlState after = r.after();
    ControlState claimed = r.claimed();
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
      ClaimedStep.answerTo("the control state's write", e, awsSaid);
      return outcome + "; state not written: "
          + AwsFailures.words("the control state's write", QuotaRefusal.CALLER, e)
          + "; it may have applied, and the next run reads the state again";
    }
    return outcome;
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
}
