package offhours.endpoint;

import java.time.Instant;
import java.util.List;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.EndpointController.Step;

/**
 * What a run decided from what it read ({@link RunObservation}), before it acts ({@link RunPlanner}): what it wants,
 * its one step, the control state that claims the step, and what it reports with: its metrics line and its
 * {@link Decision}. {@code counted}: what its claim counts ({@link RunLedger#claimed}), per day; empty: nothing.
 */
record RunPlan(
    RunObservation seen,
    Instant now,
    Want want,
    Step step,
    boolean atOnce,
    boolean outside,
    long overdueSeconds,
    ControlState claimed,
    List<Ledger.Day> counted) {

  /** The run's one EMF metrics line. */
  String metrics(
      String endpointName, boolean createFailed, boolean probeFailed, boolean stepFailed) {
    return Emf.run(
        now,
        endpointName,
        seen.ep(),
        seen.mp(),
        seen.q(),
        outside,
        createFailed,
        probeFailed,
        stepFailed,
        overdueSeconds);
  }

  /** The step not taken: whether its claim landed is unknown. */
  Decision notClaimed(RuntimeException e) {
    return Decision.notClaimed(
        now, want, seen.ep(), seen.mp(), seen.q(), step.action(), step.why(), outside, e);
  }

  /** The step left to the run that claimed it first. */
  Decision lostRace(long winnerVersion) {
    Step skipped = new Step(
        Action.LOST_RACE,
        "another run claimed the step (control state version " + winnerVersion + ")",
        false);
    return done(skipped, "skipped", null, null);
  }

  /**
   * The step {@code done} (the claimed one, or what it became) with its outcome, and AWS's own answer to a call it
   * failed ({@link Decision#awsSaid}, else null).
   */
  Decision done(Step done, String outcome, Instant nextRunAt, String awsSaid) {
    return new Decision(
        now,
        want.on(),
        want.reason(),
        seen.ep(),
        seen.mp(),
        seen.q(),
        done.action(),
        done.why(),
        outcome,
        outside,
        nextRunAt,
        awsSaid);
  }
}
