package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import offhours.endpoint.Decision.Action;
import org.junit.jupiter.api.Test;

/**
 * When the controller with a latency budget starts the endpoint: a budget no longer than a wake keeps it on through
 * working hours and starts it before the opening, a burst before a next-opening opening is planned for what it will
 * have brought, uploads still arriving inside working hours do not move the start, and a drain measured on another
 * instance count is scaled to the count now. The settings of {@link BudgetDecisionTableTest} unless a test says
 * otherwise.
 */
class BudgetWakeTimingTest {

  /** A 15 minute budget on a stack that has learned 25 minute wakes. */
  private static Rig budgetShorterThanAWake() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "15"));
    rig.seed(ControlState.INITIAL.withWake(1500).withVersion(1));
    return rig;
  }

  @Test
  void aBudgetNoLongerThanAWakeKeepsTheEndpointOnThroughWorkingHoursEvenWithNothingWaiting() {
    Rig rig = budgetShorterThanAWake();
    Decision d = rig.run(); // Wednesday 10:00 in Berlin, nothing waiting, the endpoint off
    assertThat(d.action()).as(d.toString()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(d.wantReason())
        .isEqualTo("MAX_WAIT_MINUTES=15 min is no longer than a wake (about 25 min): an upload"
            + " that found the endpoint off would miss it, so it is on through working hours,"
            + " until 2026-01-14 19:00 Europe/Berlin");

    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.now = rig.now.plusSeconds(3600);
    Decision drained = rig.run();
    assertThat(drained.action()).as(drained.toString()).isEqualTo(Action.NONE);
    assertThat(drained.wantOn()).isTrue();
    assertThat(drained.nextRunAt()).isEqualTo(Instant.parse("2026-01-14T18:00:00Z"));

    rig.now = Instant.parse("2026-01-14T18:00:00Z"); // the close: the budget waits for the opening
    Decision closed = rig.run();
    assertThat(closed.action()).as(closed.toString()).isEqualTo(Action.DELETE_ENDPOINT);
  }

  @Test
  void aBudgetNoLongerThanAWakeStartsAWakeBeforeTheOpeningAndNotEarlier() {
    Rig rig = budgetShorterThanAWake();
    rig.now = Instant.parse("2026-01-15T06:30:00Z"); // Thursday 07:30 in Berlin, opens at 08:00
    assertThat(rig.run().wantOn()).as("more than a wake before the opening").isFalse();
    rig.now = Instant.parse("2026-01-15T06:35:00Z");
    Decision d = rig.run();
    assertThat(d.action()).as(d.toString()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(d.wantReason()).endsWith("until 2026-01-15 19:00 Europe/Berlin");
  }

  /** A next-opening budget on a stack that has learned {@link #BudgetDecisionTableTest.ELEVEN_MINUTE_WAKES}. */
  private static Rig nextOpeningWithElevenMinuteWakes() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "next-opening"));
    ControlState learned = ControlState.INITIAL;
    for (long w : BudgetDecisionTableTest.ELEVEN_MINUTE_WAKES) {
      learned = learned.withWake(w);
    }
    rig.seed(learned.withVersion(1));
    return rig;
  }

  /**
   * Next-opening, Thursday 07:20 in Berlin (the opening is 08:00), 1200 uploads from the night waiting: 11 min wakes
   * and 2 images/s plan the start at 07:38:50. At 07:21 the queue holds {@code atNextRun}.
   */
  private static Decision burstBeforeTheOpening(long atNextRun) {
    Rig rig = nextOpeningWithElevenMinuteWakes();
    rig.now = Instant.parse("2026-01-15T06:20:00Z");
    rig.queue = new Backlog.Snapshot(1200, 0, 0, 0);
    Decision before = rig.run();
    assertThat(before.action()).isEqualTo(Action.NONE);
    assertThat(before.nextRunAt()).isEqualTo(Instant.parse("2026-01-15T06:38:50Z"));
    rig.now = Instant.parse("2026-01-15T06:21:00Z");
    rig.queue = new Backlog.Snapshot(atNextRun, 0, 0, 0);
    return rig.run();
  }

  @Test
  void aBurstStillArrivingBeforeANextOpeningOpeningStartsTheEndpointForWhatItWillHaveBrought() {
    Decision d = burstBeforeTheOpening(1800); // 600 more in a minute, 10/s
    // 10/s for the 11 min 10 s until it would answer: 6700 more, all due at the opening.
    assertThat(d.action()).as(d.toString()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(d.wantReason())
        .contains("the oldest of 1800 waiting is due by 2026-01-15 08:00 Europe/Berlin"
            + " (MAX_WAIT_MINUTES=next-opening) with about 6700 more due by then arriving before it"
            + " would answer (600.0/min since the last run)");
  }

  @Test
  void aBurstThatHasEndedPlansForWhatWaitsOnly() {
    // The same 1800, seen twice: nothing arrived in the last minute.
    Rig rig = nextOpeningWithElevenMinuteWakes();
    rig.queue = new Backlog.Snapshot(1800, 0, 0, 0);
    rig.now = Instant.parse("2026-01-15T06:20:00Z");
    rig.run();
    rig.now = Instant.parse("2026-01-15T06:21:00Z");
    Decision d = rig.run();
    assertThat(d.action()).as(d.toString()).isEqualTo(Action.NONE);
    assertThat(d.nextRunAt())
        .as("08:00 - 11 min - 10 s - 1800 at 2/s")
        .isEqualTo(Instant.parse("2026-01-15T06:33:50Z"));
    assertThat(d.wantReason()).doesNotContain("arriving");
  }

  @Test
  void insideWorkingHoursUploadsStillArrivingAreDueLaterAndDoNotMoveTheStart() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    rig.seed(ControlState.INITIAL.withWake(660).withVersion(1));
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);
    rig.now = Instant.parse("2026-01-14T08:40:00Z");
    rig.run();
    rig.now = Instant.parse("2026-01-14T08:59:00Z");
    rig.run();
    rig.now = Instant.parse("2026-01-14T09:00:00Z");
    rig.queue = new Backlog.Snapshot(601, 0, 0, 0);
    Decision d = rig.run();
    assertThat(rig.state().arrivals().perSecond()).isEqualTo(10.0);
    assertThat(d.action()).as(d.toString()).isEqualTo(Action.NONE);
    assertThat(d.nextRunAt())
        .as("09:40 - 11 min - 10 s - 601 at 2/s: the later uploads are due after the oldest")
        .isEqualTo(Instant.parse("2026-01-14T09:23:49Z"));
    assertThat(d.wantReason()).doesNotContain("arriving");
  }

  /**
   * 3000 uploads waiting since 09:40 Berlin (due 10:40), seen at 10:00 with the endpoint off; 11 min wakes learned, and
   * drains of {@code perSecond} measured on {@code measuredOn} instances; the stack now runs {@code instances}.
   */
  private static Decision threeThousandWaiting(int instances, int measuredOn, double perSecond) {
    Rig rig =
        new Rig(Map.of("MAX_WAIT_MINUTES", "60", "INSTANCE_COUNT", Integer.toString(instances)));
    rig.seed(ControlStateBuilder.controlState()
        .wakeSeconds(BudgetDecisionTableTest.ELEVEN_MINUTE_WAKES)
        .drainRatesOn(measuredOn, List.of(perSecond, perSecond, perSecond))
        .backlogSince(Instant.parse("2026-01-14T08:40:00Z"))
        .scheduleOpen(true)
        .lastRun(rig.now.minusSeconds(60), false)
        .build());
    rig.queue = new Backlog.Snapshot(3000, 0, 0, 0);
    Decision d = rig.run();
    assertThat(d.action()).as(d.toString()).isEqualTo(Action.NONE);
    return d;
  }

  @Test
  void afterTheInstanceCountFellDrainsMeasuredOnMoreInstancesPlanAProportionallySlowerDrain() {
    assertThat(threeThousandWaiting(4, 4, 20.0).nextRunAt())
        .as("on their own 4 instances: 09:40 - 11 min - 10 s - 3000 at 20/s (150 s)")
        .isEqualTo(Instant.parse("2026-01-14T09:26:20Z"));
    Decision one = threeThousandWaiting(1, 4, 20.0);
    assertThat(one.nextRunAt())
        .as("on 1 instance: 3000 at 5/s (600 s), or the oldest misses its budget by 7.5 min")
        .isEqualTo(Instant.parse("2026-01-14T09:18:50Z"));
    assertThat(one.wantReason()).contains("and the drain 10 min");
  }

  @Test
  void afterTheInstanceCountRoseDrainsMeasuredOnFewerPlanTheirOwnRateNotAGuessedFasterOne() {
    assertThat(threeThousandWaiting(1, 1, 5.0).nextRunAt())
        .as("on their own 1 instance: 09:40 - 11 min - 10 s - 3000 at 5/s (600 s)")
        .isEqualTo(Instant.parse("2026-01-14T09:18:50Z"));
    assertThat(threeThousandWaiting(4, 1, 5.0).nextRunAt())
        .as(
            "on 4 instances the drain may be no faster (the consumer may bound it): 5/s, so as on 1,"
                + " early rather than late")
        .isEqualTo(Instant.parse("2026-01-14T09:18:50Z"));
  }

  @Test
  void aBudgetLongerThanTheLearnedWakeStopsAfterTheDrainAsBefore() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "15"));
    rig.seed(ControlState.INITIAL.withWake(600).withVersion(1));
    assertThat(rig.run().wantOn()).as("nothing waits").isFalse();
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    assertThat(rig.run().action()).isEqualTo(Action.DELETE_ENDPOINT);
  }
}
