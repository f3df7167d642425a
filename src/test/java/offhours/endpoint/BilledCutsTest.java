package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import offhours.endpoint.Decision.Action;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * The ledger's billed seconds when a run is cut between its claim and the end of its step: it died (its Lambda
 * timeout), its claim was cut by the run's deadline after it landed or before, or another run claimed first. The
 * ledger counts every second the endpoint billed, once: the interval since the last claim is counted by the claim that
 * ends it ({@link RunLedger#claimed}), as its starts and stops are.
 */
class BilledCutsTest {
  private static final LocalDate DAY = LocalDate.parse("2026-01-14");

  private final Rig rig = new Rig();

  private Ledger.Day on(LocalDate date) {
    return rig.table.days(date, date).stream().findFirst().orElse(new Ledger.Day(date, 0, 0, 0, 0));
  }

  /** Run 1 at 09:00 creates the endpoint for uploads that wait; the endpoint bills from its claim. */
  private void created() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    assertThat(rig.run().action()).isEqualTo(Action.CREATE_ENDPOINT);
    rig.inService();
  }

  /** The rig's table, whose claim that counts is cut by the run's deadline after it {@code landed} or before. */
  private EndpointController countingClaimCut(boolean landed) {
    return rig.countingThrough((next, expectedVersion, counted) -> {
      if (landed) {
        rig.table.save(next, expectedVersion, counted);
      }
      throw ApiCallTimeoutException.create(
          "DynamoDb's TransactWriteItems was cut after 300 ms, 5000 ms before this controller run's"
              + " deadline",
          null);
    });
  }

  @Test
  void aRunThatDiesAfterItsClaimLosesNoneOfTheSecondsBeforeIt() {
    created();
    rig.onProbe = () -> {
      throw new Error("the run timed out");
    };

    assertThatThrownBy(() -> rig.runAt("2026-01-14T09:05:00Z")).hasMessage("the run timed out");

    assertThat(on(DAY).endpointSeconds()).as("counted by its claim").isEqualTo(300);
    rig.runAt("2026-01-14T09:10:00Z");
    assertThat(on(DAY).endpointSeconds()).as("09:00 to 09:10, once").isEqualTo(600);
    assertThat(rig.calls).containsExactly("create", "probe", "probe", "enable", "retention");
  }

  @Test
  void runsThatCompleteCountEachSecondOnce() {
    created();
    rig.runAt("2026-01-14T09:05:00Z");
    rig.runAt("2026-01-14T09:10:00Z");
    rig.runAt("2026-01-14T09:10:00Z");

    assertThat(on(DAY).endpointSeconds()).isEqualTo(600);
    assertThat(on(DAY).starts()).isEqualTo(1);
  }

  @Test
  void anIntervalAcrossMidnightThatADeadRunClaimedSplitsAcrossItsTwoDays() {
    rig.now = Instant.parse("2026-01-14T22:30:00Z"); // 23:30 in Berlin, after hours
    assertThat(rig.controller
            .override(ControlState.Override.Mode.START, null, rig.now)
            .action())
        .isEqualTo(Action.CREATE_ENDPOINT);
    rig.inService();
    rig.onProbe = () -> {
      throw new Error("the run timed out");
    };

    assertThatThrownBy(() -> rig.runAt("2026-01-14T23:20:00Z")).hasMessage("the run timed out");
    rig.runAt("2026-01-14T23:30:00Z");

    assertThat(on(DAY).endpointSeconds()).as("to midnight in Berlin").isEqualTo(1800);
    assertThat(on(DAY).outsideScheduleSeconds()).isEqualTo(1800);
    assertThat(on(DAY.plusDays(1)).endpointSeconds()).as("from it").isEqualTo(1800);
  }

  @Test
  void aClaimThatLandedWhenTheDeadlineCutItHasCountedTheSecondsItEnds() {
    created();
    rig.now = Instant.parse("2026-01-14T09:05:00Z");

    Decision cut = countingClaimCut(true).reconcile(rig.now);

    assertThat(cut.action()).isEqualTo(Action.OUT_OF_TIME);
    assertThat(on(DAY).endpointSeconds()).as("counted in the same write").isEqualTo(300);
    rig.runAt("2026-01-14T09:10:00Z");
    assertThat(on(DAY).endpointSeconds()).as("once").isEqualTo(600);
  }

  @Test
  void aClaimThatDidNotLandWhenTheDeadlineCutItLeavesItsSecondsToTheNextClaim() {
    created();
    rig.now = Instant.parse("2026-01-14T09:05:00Z");

    Decision cut = countingClaimCut(false).reconcile(rig.now);

    assertThat(cut.action()).isEqualTo(Action.OUT_OF_TIME);
    assertThat(on(DAY).endpointSeconds()).isZero();
    rig.runAt("2026-01-14T09:10:00Z");
    assertThat(on(DAY).endpointSeconds()).isEqualTo(600);
  }

  @Test
  void aRunWhoseClaimLosesTheRaceCountsNoneOfTheSecondsTheWinnerCounted() {
    created();
    rig.now = Instant.parse("2026-01-14T09:05:00Z");
    Decision[] first = new Decision[1];

    // The losing run has read the state and the endpoint; the other completes before it claims.
    Decision lost = rig.countingThrough((next, expectedVersion, counted) -> {
          first[0] = rig.controller.reconcile(rig.now);
          return rig.table.save(next, expectedVersion, counted);
        })
        .reconcile(rig.now);

    assertThat(first[0].action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(lost.action()).isEqualTo(Action.LOST_RACE);
    assertThat(on(DAY).endpointSeconds()).as("the winner's").isEqualTo(300);
    rig.runAt("2026-01-14T09:10:00Z");
    assertThat(on(DAY).endpointSeconds()).isEqualTo(600);
  }

  // ---- what a claim counts ----

  private final Schedule schedule = rig.controller.config().schedule();

  private static ControlState billingSince(String lastRun) {
    return ControlState.INITIAL
        .withRun(Instant.parse(lastRun), true, "CREATE_ENDPOINT")
        .withVersion(1);
  }

  @Test
  void aClaimCountsAStartOnABilledDayWithItsSecondsAsOneIncrement() {
    Ledger.Day start = RunLedger.start(
        Instant.parse("2026-01-14T09:02:00Z"), rig.controller.config().zone());

    assertThat(RunLedger.claimed(
            billingSince("2026-01-14T09:00:00Z"),
            start,
            Instant.parse("2026-01-14T09:05:00Z"),
            schedule))
        .as("a transaction touches each item once")
        .containsExactly(new Ledger.Day(DAY, 300, 0, 1, 0));
  }

  @Test
  void aClaimAfterARunThatLeftNothingBillingCountsOnlyWhatItSaw() {
    ControlState notBilling = ControlState.INITIAL
        .withRun(Instant.parse("2026-01-14T09:00:00Z"), false, "NONE")
        .withVersion(1);
    Instant now = Instant.parse("2026-01-14T09:05:00Z");

    assertThat(RunLedger.claimed(notBilling, null, now, schedule)).isEmpty();
    assertThat(RunLedger.claimed(ControlState.INITIAL, null, now, schedule))
        .as("no run before it")
        .isEmpty();
    assertThat(RunLedger.claimed(billingSince("2026-01-14T09:05:00Z"), null, now, schedule))
        .as("no time since")
        .isEmpty();
  }

  @Test
  void aClaimAfterMonthsWithoutOneCountsNoMoreDaysThanOneTransactionHolds() {
    Instant now = Instant.parse("2026-06-01T10:00:00Z");
    Ledger.Day stop = RunLedger.stop(
        Instant.parse("2026-01-14T09:00:00Z"), rig.controller.config().zone());

    List<Ledger.Day> counted =
        RunLedger.claimed(billingSince("2026-01-14T09:00:00Z"), stop, now, schedule);

    assertThat(counted).hasSize(RunLedger.MAX_DAYS);
    assertThat(counted.getFirst()).as("the stop's day").isEqualTo(stop);
    assertThat(counted.get(1).date())
        .isEqualTo(LocalDate.parse("2026-06-01").minusDays(RunLedger.MAX_DAYS - 2));
    assertThat(counted.get(1).endpointSeconds()).as("from its midnight").isEqualTo(86_400);
    assertThat(counted.getLast().date()).isEqualTo(LocalDate.parse("2026-06-01"));
  }
}
