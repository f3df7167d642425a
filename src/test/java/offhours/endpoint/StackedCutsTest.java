package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * Starts in the ledger when the deadline cuts runs one after another ({@link RunLedger#observe}): a create cut after it
 * was sent, then a run that sees it whose own claim, reads or step are cut, or that overlaps another. Each start
 * SageMaker made is counted once, never lost to a second cut and never counted by two runs. Stops the same: a
 * DeleteEndpoint cut that applied, or did not.
 */
class StackedCutsTest {
  private final Rig rig = new Rig();

  private static ApiCallTimeoutException cut(String call) {
    return ApiCallTimeoutException.create(
        call + " was cut after 300 ms, 5000 ms before this controller run's deadline", null);
  }

  private Ledger.Day today() {
    return rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")).stream()
        .findFirst()
        .orElse(new Ledger.Day(LocalDate.parse("2026-01-14"), 0, 0, 0, 0));
  }

  /** Run 1 at 09:00: uploads wait, its CreateEndpoint is cut, and SageMaker created the endpoint or not. */
  private void createCut(boolean applied) {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    Instant created = rig.now.plusMillis(200);
    if (applied) {
      rig.onCall = () -> rig.endpoint = Endpoint.Status.of(State.CREATING, null, created, created);
    }
    rig.createError = cut("SageMaker's CreateEndpoint");
    rig.run();
    rig.createError = null;
    assertThat(today().starts()).isZero();
  }

  /**
   * The rig's table, whose claim that counts a start is cut by the run's deadline after it {@code landed} or before.
   */
  private EndpointController countingClaimCut(boolean landed) {
    return rig.countingThrough((next, expectedVersion, counted) -> {
      if (landed) {
        rig.table.save(next, expectedVersion, counted);
      }
      throw cut("DynamoDb's TransactWriteItems");
    });
  }

  @Test
  void aClaimThatLandedWhenTheDeadlineCutItHasCountedTheStartItSettled() {
    createCut(true);
    rig.now = Instant.parse("2026-01-14T09:01:00Z");

    Decision cutAgain = countingClaimCut(true).reconcile(rig.now);

    assertThat(cutAgain.action()).isEqualTo(Action.OUT_OF_TIME);
    assertThat(rig.state().counted())
        .as("the claim that landed")
        .isEqualTo(ControlState.Counted.UP);
    assertThat(today().starts()).as("counted in the same write").isEqualTo(1);

    rig.runAt("2026-01-14T09:02:00Z");
    rig.inService();
    rig.runAt("2026-01-14T09:03:00Z");
    assertThat(today().starts()).as("once").isEqualTo(1);
  }

  @Test
  void aClaimThatDidNotLandWhenTheDeadlineCutItLeavesTheStartToTheNextRun() {
    createCut(true);
    rig.now = Instant.parse("2026-01-14T09:01:00Z");

    assertThat(countingClaimCut(false).reconcile(rig.now).action()).isEqualTo(Action.OUT_OF_TIME);
    assertThat(today().starts()).isZero();

    rig.runAt("2026-01-14T09:02:00Z");
    assertThat(today().starts()).isEqualTo(1);
    rig.runAt("2026-01-14T09:03:00Z");
    assertThat(today().starts()).as("once").isEqualTo(1);
  }

  @Test
  void aRunWhoseReadsAreCutLeavesTheStartToTheRunAfterIt() {
    createCut(true);
    rig.describeError = cut("SageMaker's DescribeEndpoint");

    assertThat(rig.runAt("2026-01-14T09:01:00Z").action()).isEqualTo(Action.OUT_OF_TIME);

    rig.describeError = null;
    rig.runAt("2026-01-14T09:02:00Z");
    rig.runAt("2026-01-14T09:03:00Z");
    assertThat(today().starts()).isEqualTo(1);
    assertThat(today().endpointSeconds())
        .as("billed from the cut run's claim; the run that read nothing claimed nothing")
        .isEqualTo(180);
  }

  @Test
  void twoCreatesCutInARowCountTheOneThatAppliedOnce() {
    createCut(false);
    rig.now = Instant.parse("2026-01-14T09:01:00Z");
    Instant created = rig.now.plusMillis(300);
    rig.onCall = () -> rig.endpoint = Endpoint.Status.of(State.CREATING, null, created, created);
    rig.createError = cut("SageMaker's CreateEndpoint");

    Decision second = rig.run();

    assertThat(second.action()).as("the first did not apply").isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(today().starts()).isZero();

    rig.createError = null;
    rig.runAt("2026-01-14T09:02:00Z");
    assertThat(today().starts()).as("the second's, seen creating").isEqualTo(1);
    rig.inService();
    rig.runAt("2026-01-14T09:03:00Z");
    assertThat(today().starts()).isEqualTo(1);
  }

  @Test
  void aCutStartThenACutStopCountTheStartOnceAndTheStopWhenItIsMade() {
    createCut(true);
    rig.inService();
    rig.deleteError = cut("SageMaker's DeleteEndpoint");

    Decision stop = rig.controller.override(
        ControlState.Override.Mode.STOP, null, Instant.parse("2026-01-14T09:01:00Z"));

    assertThat(stop.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(stop.outcome())
        .startsWith("DELETE_ENDPOINT did not finish in time and may have applied");
    assertThat(today().starts()).as("seen up by the stop's claim").isEqualTo(1);
    assertThat(today().stops()).isZero();

    rig.deleteError = null;
    assertThat(rig.runAt("2026-01-14T09:02:00Z").action())
        .as("the cut delete did not apply: this run deletes")
        .isEqualTo(Action.DELETE_ENDPOINT);
    rig.runAt("2026-01-14T09:03:00Z");
    assertThat(today().starts()).isEqualTo(1);
    assertThat(today().stops()).isEqualTo(1);
  }

  @Test
  void twoOverlappingRunsThatBothReadTheCutStartCountItOnce() {
    createCut(true);
    rig.now = Instant.parse("2026-01-14T09:01:00Z");
    // The second run has read the state and the endpoint; the first completes before it claims.
    Decision[] first = new Decision[1];
    EndpointController second = rig.countingThrough((next, expectedVersion, counted) -> {
      if (first[0] == null) {
        first[0] = rig.controller.reconcile(rig.now);
      }
      return rig.table.save(next, expectedVersion, counted);
    });

    Decision lost = second.reconcile(rig.now);

    assertThat(first[0].action()).isEqualTo(Action.WAIT);
    assertThat(lost.action()).isEqualTo(Action.LOST_RACE);
    assertThat(today().starts()).isEqualTo(1);
  }

  /**
   * Run 1 at 20:00 in Berlin, after hours: the trigger is off, its DeleteEndpoint is cut, and SageMaker began to
   * delete the endpoint or not.
   */
  private void deleteCut(boolean applied) {
    rig.inService();
    Instant created = rig.endpoint.createdAt();
    if (applied) {
      rig.onCall = () -> rig.endpoint =
          Endpoint.Status.of(State.DELETING, null, created, Instant.parse("2026-01-14T19:00:00Z"));
    }
    rig.deleteError = cut("SageMaker's DeleteEndpoint");
    assertThat(rig.runAt("2026-01-14T19:00:00Z").action()).isEqualTo(Action.DELETE_ENDPOINT);
    rig.deleteError = null;
    assertThat(today().stops()).isZero();
  }

  @Test
  void aDeleteCutThatAppliedIsOneStopCountedByTheRunThatSeesTheEndpointGoing() {
    deleteCut(true);

    Decision next = rig.runAt("2026-01-14T19:01:00Z");

    assertThat(next.action()).isEqualTo(Action.WAIT);
    assertThat(today().stops()).isEqualTo(1);
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.runAt("2026-01-14T19:10:00Z");
    assertThat(today().stops()).as("once").isEqualTo(1);
    assertThat(rig.calls).containsExactly("delete");
  }

  @Test
  void aDeleteCutThatDidNotApplyIsOneStopCountedByTheRetry() {
    deleteCut(false);

    Decision retry = rig.runAt("2026-01-14T19:01:00Z");

    assertThat(retry.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(retry.outcome()).isEqualTo("ok");
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.runAt("2026-01-14T19:10:00Z");
    assertThat(today().stops()).as("the retry's, not two").isEqualTo(1);
  }

  @Test
  void aClaimThatLandedWhenTheDeadlineCutItHasCountedTheStopItSettled() {
    deleteCut(true);
    rig.now = Instant.parse("2026-01-14T19:01:00Z");

    assertThat(countingClaimCut(true).reconcile(rig.now).action()).isEqualTo(Action.OUT_OF_TIME);
    assertThat(today().stops()).as("counted in the same write").isEqualTo(1);

    rig.runAt("2026-01-14T19:02:00Z");
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.runAt("2026-01-14T19:10:00Z");
    assertThat(today().stops()).as("once").isEqualTo(1);
  }
}
