package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import offhours.endpoint.Decision.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The controller with a latency budget (MAX_WAIT_MINUTES), one row per situation. Unless a row says otherwise: working
 * hours Mon-Fri 08:00-19:00 Europe/Berlin, budget 60 min, the last wakes took 11 min (CreateEndpoint to a polling
 * trigger), a drain of 2 images/s and a stop of 2 min (none measured yet), and the controller last ran a minute before.
 */
class BudgetDecisionTableTest {

  private static final List<Long> ELEVEN_MINUTE_WAKES = List.of(660L, 650L, 660L);

  /** A situation: what the controller remembers and sees at {@code now}, and the step and wish it must come to. */
  record Row(
      String situation,
      String budget,
      String now,
      Endpoint.State endpoint,
      Mapping.TriggerState mapping,
      long waiting,
      long inFlight,
      String backlogSince,
      String idleSince,
      List<Long> wakes,
      Action action,
      boolean wantOn,
      String nextRunAt) {
    @Override
    public String toString() {
      return situation;
    }
  }

  static Stream<Row> table() {
    Endpoint.State absent = Endpoint.State.ABSENT;
    Endpoint.State up = Endpoint.State.IN_SERVICE;
    Mapping.TriggerState off = Mapping.TriggerState.DISABLED;
    Mapping.TriggerState on = Mapping.TriggerState.ENABLED;
    // 09:00Z is Wednesday 10:00 in Berlin.
    return Stream.of(
        new Row(
            "an upload 20 min old waits: due 09:40, starting takes 11 min, the first batch 10 s (a 5 s"
                + " batching window and 5 s) and its drain 1 s",
            "60",
            "2026-01-14T09:00:00Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:40:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            false,
            "2026-01-14T09:28:49Z"),
        new Row(
            "one second before the last moment it still waits",
            "60",
            "2026-01-14T09:28:48Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:40:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            false,
            "2026-01-14T09:28:49Z"),
        new Row(
            "at the last moment it starts",
            "60",
            "2026-01-14T09:28:49Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:40:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.CREATE_ENDPOINT,
            true,
            null),
        new Row(
            "1200 waiting drain in 10 min at 2/s: it starts 10 min earlier",
            "60",
            "2026-01-14T09:19:00Z",
            absent,
            off,
            1200,
            0,
            "2026-01-14T08:40:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.CREATE_ENDPOINT,
            true,
            null),
        new Row(
            "without wake history it expects 30 min: the same upload starts at 09:09:49",
            "60",
            "2026-01-14T09:09:49Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:40:00Z",
            null,
            List.of(),
            Action.CREATE_ENDPOINT,
            true,
            null),
        new Row(
            "outside hours an upload is due 60 min after the next opening (Thursday 09:00 Berlin)",
            "60",
            "2026-01-14T20:00:00Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T19:30:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            false,
            "2026-01-15T07:48:49Z"),
        new Row(
            "next-opening: an upload during working hours is due at the next day's opening",
            "next-opening",
            "2026-01-14T09:00:00Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:40:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            false,
            "2026-01-15T06:48:49Z"),
        new Row(
            "no budget (0): inside working hours an upload starts the endpoint at once",
            "0",
            "2026-01-14T09:00:00Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:59:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.CREATE_ENDPOINT,
            true,
            null),
        new Row(
            "serving what waits: nothing to do, looked at again in 10 s",
            "60",
            "2026-01-14T09:00:00Z",
            up,
            on,
            40,
            10,
            "2026-01-14T08:20:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            true,
            "2026-01-14T09:00:10Z"),
        new Row(
            "drained with a 60 min budget: it stops at once, trigger paused and endpoint deleted in one run (a wake"
                + " costs less than staying); looked at again after a tenth of the 2 min stop, to see it gone",
            "60",
            "2026-01-14T09:00:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-14T09:00:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.DELETE_ENDPOINT,
            false,
            "2026-01-14T09:00:12Z"),
        new Row(
            "drained with a 15 min budget and 11 min wakes: it stops at once (a stop and a wake, 13 min, cost"
                + " less than the 15 min an upload's budget adds to a stay)",
            "15",
            "2026-01-14T09:00:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-14T09:00:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.DELETE_ENDPOINT,
            false,
            "2026-01-14T09:00:12Z"),
        new Row(
            "drained 30 s ago with a 12 min budget and 11 min wakes: it stays 11 + 2 - 12 = 1 min",
            "12",
            "2026-01-14T09:00:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-14T08:59:30Z",
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            true,
            "2026-01-14T09:00:30Z"),
        new Row(
            "drained 1 min ago with a 12 min budget: it stops",
            "12",
            "2026-01-14T09:00:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-14T08:59:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.DELETE_ENDPOINT,
            false,
            "2026-01-14T09:00:12Z"),
        new Row(
            "the last batches are in flight with the trigger on: it serves on, looked at again in 10 s",
            "60",
            "2026-01-14T09:00:00Z",
            up,
            on,
            0,
            2,
            null,
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            true,
            "2026-01-14T09:00:10Z"),
        new Row(
            "stopping: the trigger is off and nothing is in flight, so the endpoint is deleted; looked at again in"
                + " 12 s",
            "60",
            "2026-01-14T09:00:00Z",
            up,
            off,
            0,
            0,
            null,
            "2026-01-14T08:59:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.DELETE_ENDPOINT,
            false,
            "2026-01-14T09:00:12Z"),
        new Row(
            "stopping: batches in flight are drained first, looked at again in 10 s",
            "60",
            "2026-01-14T09:00:00Z",
            up,
            off,
            0,
            3,
            null,
            null,
            ELEVEN_MINUTE_WAKES,
            Action.WAIT,
            false,
            "2026-01-14T09:00:10Z"),
        new Row(
            "next-opening: drained 10 min before the opening, it stays until the opening (an upload then is due"
                + " at it)",
            "next-opening",
            "2026-01-15T06:50:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-15T06:50:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            true,
            "2026-01-15T07:00:00Z"),
        new Row(
            "next-opening: drained 20 min before the opening, farther than a wake and a stop (13 min), it stops",
            "next-opening",
            "2026-01-15T06:40:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-15T06:40:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.DELETE_ENDPOINT,
            false,
            "2026-01-15T06:40:12Z"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void theControllerDecidesByTheBudget(Row row) {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", row.budget()));
    rig.now = Instant.parse(row.now());
    rig.endpoint = row.endpoint() == Endpoint.State.ABSENT
        ? Endpoint.Status.ABSENT
        : Endpoint.Status.of(
            row.endpoint(), null, rig.now.minusSeconds(3600), rig.now.minusSeconds(3000));
    rig.mapping = row.mapping();
    rig.queue = new Backlog.Snapshot(row.waiting(), row.inFlight(), 0, 0);
    Instant lastRun = rig.now.minusSeconds(60);
    // A trigger off under a serving endpoint: the rows' stops, which paused it the run before. (A
    // pause that is no stop of the controller's: TriggerPausedByAStackUpdateTest.)
    boolean stopping = row.endpoint() == Endpoint.State.IN_SERVICE
        && row.mapping() == Mapping.TriggerState.DISABLED;
    rig.seed(ControlStateBuilder.controlState()
        .stoppingSince(stopping ? lastRun : null)
        .idleSince(instant(row.idleSince()))
        .backlogSince(instant(row.backlogSince()))
        .scheduleOpen(rig.controller.config().schedule().isOpen(lastRun))
        .lastRun(lastRun, row.endpoint() != Endpoint.State.ABSENT)
        .lastAction("none")
        .wakeSeconds(row.wakes())
        .build());

    Decision d = rig.run();
    if (d.action() == Action.DELETE_ENDPOINT && row.mapping() == Mapping.TriggerState.ENABLED) {
      assertThat(rig.calls)
          .as("the trigger is paused before the endpoint goes")
          .containsExactly("disable", "delete");
    }

    assertThat(d.action()).as(d.toString()).isEqualTo(row.action());
    assertThat(d.wantOn()).as(d.wantReason()).isEqualTo(row.wantOn());
    assertThat(d.nextRunAt()).as(d.wantReason()).isEqualTo(instant(row.nextRunAt()));
  }

  /**
   * A rig whose controller issued CreateEndpoint 12 minutes ago for 5 uploads waiting since 50 minutes ago (60 minute
   * budget, the 30 minute default wake), now in service. Its CreationTime is an hour old, as a scale-to-zero
   * component's is (created once, woken many times): the wake is measured from the run that issued it, not from that.
   */
  private static Rig wokenTwelveMinutesAgo() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    Instant now = rig.now;
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    rig.now = now.minus(Duration.ofMinutes(50));
    assertThat(rig.run().wantOn()).isFalse();
    rig.now = now.minus(Duration.ofMinutes(12));
    assertThat(rig.run().action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.state().wakeIssuedAt()).isEqualTo(rig.now);
    rig.now = now;
    rig.endpoint =
        Endpoint.Status.of(Endpoint.State.IN_SERVICE, null, now.minus(Duration.ofHours(1)), now);
    return rig;
  }

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

  /** A next-opening budget on a stack that has learned {@link #ELEVEN_MINUTE_WAKES}. */
  private static Rig nextOpeningWithElevenMinuteWakes() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "next-opening"));
    ControlState learned = ControlState.INITIAL;
    for (long w : ELEVEN_MINUTE_WAKES) {
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
        .wakeSeconds(ELEVEN_MINUTE_WAKES)
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

  @Test
  void aWakeIsRememberedFromCreateEndpointToTheFirstRunThatSeesTheTriggerPolling() {
    Rig rig = wokenTwelveMinutesAgo();

    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.state().wakeSeconds()).as("the trigger is not polling yet").isEmpty();
    assertThat(rig.state().enabledAt()).isEqualTo(rig.now);

    rig.now = rig.now.plusSeconds(30); // still Enabling
    rig.run();
    assertThat(rig.state().wakeSeconds()).isEmpty();

    rig.now = rig.now.plusSeconds(30);
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.run();
    assertThat(rig.state().wakeSeconds()).containsExactly(780L); // 12 min + 1 min to polling
    assertThat(rig.state().enabledAt()).isNull();
    assertThat(rig.state().wakeIssuedAt()).isNull();
    assertThat(LearnedTimes.expectedWake(rig.state().wakeSeconds()))
        .isEqualTo(Duration.ofMinutes(13));

    rig.now = rig.now.plusSeconds(30);
    rig.run();
    assertThat(rig.state().wakeSeconds()).as("measured once").containsExactly(780L);
  }

  @Test
  void aWakeIsMeasuredEvenWhenAnOverlappingRunWinsTheWriteOfTheEnablingRunsResult() {
    Rig rig = wokenTwelveMinutesAgo();
    Instant enabled = rig.now;
    rig.onEnable = () -> { // a tick while the enabling run is still finishing
      Decision overlapping = rig.controller.reconcile(enabled.plusSeconds(2));
      assertThat(overlapping.action()).isEqualTo(Action.WAIT);
    };

    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.state().enabledAt())
        .as("handed on to the state the overlapping run wrote")
        .isEqualTo(enabled);

    rig.now = rig.now.plusSeconds(60);
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.run();
    assertThat(rig.state().wakeSeconds()).containsExactly(780L);
  }

  @Test
  void aTriggerPausedBeforeItWasSeenPollingEndsTheWakeUnmeasured() {
    Rig rig = wokenTwelveMinutesAgo();
    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);

    rig.now = rig.now.plusSeconds(30);
    rig.mapping = Mapping.TriggerState.DISABLED; // paused by hand, say, and nothing waits any more
    rig.queue = Backlog.Snapshot.EMPTY;
    assertThat(rig.run().action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(rig.state().enabledAt()).isNull();
    assertThat(rig.state().wakeIssuedAt()).isNull();
    assertThat(rig.state().wakeSeconds()).isEmpty();
  }

  @Test
  void aStopIsRememberedFromTheDeleteToTheFirstRunThatSeesTheEndpointGone() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    Instant deleted = rig.now;

    Decision stop = rig.run();
    assertThat(stop.action()).as(stop.toString()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(rig.state().stopIssuedAt()).isEqualTo(deleted);
    assertThat(stop.nextRunAt())
        .as("a tenth of the 2 min default stop")
        .isEqualTo(deleted.plusSeconds(12));

    rig.now = deleted.plusSeconds(12); // still Deleting: looked at again as soon
    rig.mapping = Mapping.TriggerState.DISABLED;
    Decision deleting = rig.run();
    assertThat(deleting.action()).isEqualTo(Action.WAIT);
    assertThat(deleting.nextRunAt()).isEqualTo(rig.now.plusSeconds(12));
    assertThat(rig.state().stopSeconds()).isEmpty();

    rig.now = deleted.plusSeconds(156);
    rig.endpoint = Endpoint.Status.ABSENT;
    Decision gone = rig.run();
    assertThat(rig.state().stopSeconds()).containsExactly(156L);
    assertThat(rig.state().stopIssuedAt()).isNull();
    assertThat(gone.nextRunAt()).as("nothing in progress").isNull();
    assertThat(LearnedTimes.expectedStop(rig.state().stopSeconds()))
        .isEqualTo(Duration.ofSeconds(156));

    rig.now = rig.now.plusSeconds(60);
    rig.run();
    assertThat(rig.state().stopSeconds()).as("measured once").containsExactly(156L);
  }

  @Test
  void aStopThatEndsInAnythingButGoneIsUnmeasuredAndAFailedEndpointsDeletionIsNoStop() {
    for (Endpoint.State after : List.of(Endpoint.State.FAILED, Endpoint.State.CREATING)) {
      Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
      rig.inService();
      rig.mapping = Mapping.TriggerState.ENABLED;
      assertThat(rig.run().action()).isEqualTo(Action.DELETE_ENDPOINT);

      // The deletion failed, or the endpoint was created again by hand before a run saw it gone.
      rig.now = rig.now.plusSeconds(60);
      rig.mapping = Mapping.TriggerState.DISABLED;
      rig.endpoint = Endpoint.Status.of(after, "by hand", rig.now, rig.now);
      rig.run();
      assertThat(rig.state().stopIssuedAt()).as("%s", after).isNull();
      assertThat(rig.state().stopSeconds()).as("%s", after).isEmpty();
    }

    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    rig.endpoint = Endpoint.Status.of(Endpoint.State.FAILED, "capacity", rig.now, rig.now);
    assertThat(rig.run().action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(rig.state().stopIssuedAt()).isNull();
  }

  @Test
  void aStopIsMeasuredFromTheDeleteCallThatSucceeded() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    rig.inService();
    rig.mapping = Mapping.TriggerState.DISABLED;
    rig.deleteError = new IllegalStateException("ThrottlingException: Rate exceeded");
    Decision refused = rig.run();
    assertThat(refused.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(refused.outcome()).startsWith("DELETE_ENDPOINT failed, retry next run");

    rig.deleteError = null;
    rig.now =
        rig.now.plusSeconds(60); // still serving: the claimed stop is dropped, this run's counts
    Instant deleted = rig.now;
    assertThat(rig.run().outcome()).isEqualTo("ok");
    assertThat(rig.state().stopIssuedAt()).isEqualTo(deleted);

    rig.now = deleted.plusSeconds(100);
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.run();
    assertThat(rig.state().stopSeconds()).containsExactly(100L);
  }

  @Test
  void aLearnedFiveMinuteStopKeepsTheEndpointOnWhereTheTwoMinuteDefaultStopsIt() {
    // A 12 min budget and 11 min wakes, drained 3 min ago: the default stays 11 + 2 - 12 = 1 min
    // (over now), five-minute stops stay 11 + 5 - 12 = 4 min.
    Decision byDefault = drainedThreeMinutesAgo(List.of());
    assertThat(byDefault.action()).isEqualTo(Action.DELETE_ENDPOINT);

    Decision learned = drainedThreeMinutesAgo(List.of(290L, 300L, 310L));
    assertThat(learned.action()).as(learned.toString()).isEqualTo(Action.NONE);
    assertThat(learned.wantOn()).isTrue();
    assertThat(learned.nextRunAt()).isEqualTo(Instant.parse("2026-01-14T09:01:00Z"));
    assertThat(learned.wantReason())
        .contains("costs less than a stop (about 5 min) and a wake (about 11 min;");
  }

  @Test
  void aStreamStillArrivingWhenTheEndpointCameUpKeepsItOnHalfAMinuteAfterTheQueueWasLastSeenBusy() {
    // 3 uploads a minute when the paused queue was last measured, 3 min ago; drained 20 s ago.
    Decision d = drained("60", 20, 180, 3);
    assertThat(d.action()).as(d.toString()).isEqualTo(Action.NONE);
    assertThat(d.wantOn()).isTrue();
    assertThat(d.nextRunAt())
        .as("half a minute after it drained")
        .isEqualTo(Instant.parse("2026-01-14T09:00:10Z"));
    assertThat(d.wantReason())
        .as("the end's minute is the run's own: the time left says it is ahead")
        .contains("staying on until 2026-01-14 10:00 Europe/Berlin (10 s more): uploads were")
        .contains(
            "uploads were arriving at 3.0/min when last measured (2026-01-14 09:57 Europe/Berlin)")
        .contains(
            "a stop in a lull would leave the rest of them a stop (about 2 min) and a wake (about 11 min)");

    assertThat(drained("15", 20, 180, 3).nextRunAt())
        .as("whatever the budget in minutes")
        .isEqualTo(Instant.parse("2026-01-14T09:00:10Z"));
  }

  @Test
  void theStayForAStreamEndsHalfAMinuteAfterTheLastBusyRunAndAWakeAndAStopAfterTheMeasurement() {
    assertThat(drained("60", 31, 180, 3).action())
        .as("no upload for half a minute: the stream has ended")
        .isEqualTo(Action.DELETE_ENDPOINT);
    // Drained 5 s ago and measured 12 min 50 s ago: 11 + 2 min after it is 10 s from now, before
    // the half minute's end.
    Decision capped = drained("60", 5, 770, 3);
    assertThat(capped.nextRunAt()).isEqualTo(Instant.parse("2026-01-14T09:00:10Z"));
    assertThat(drained("60", 5, 781, 3).action())
        .as(
            "measured more than a wake and a stop ago: the stay would cost more than the stop it spares")
        .isEqualTo(Action.DELETE_ENDPOINT);
  }

  @Test
  void twoUploadsAMinuteAreAStreamAndTheLongerOfTheTwoStaysIsTheOneItKeeps() {
    assertThat(drained("60", 20, 180, 2).nextRunAt())
        .as("the slowest stream, STREAM_PER_MINUTE")
        .isEqualTo(Instant.parse("2026-01-14T09:00:10Z"));

    // A 12 min budget with 11 min wakes and 2 min stops stays a minute for one upload, longer than
    // the stream's half minute: that stay, and its reason.
    Decision one = drained("12", 20, 180, 3);
    assertThat(one.nextRunAt()).isEqualTo(Instant.parse("2026-01-14T09:00:40Z"));
    assertThat(one.wantReason())
        .contains("an upload before then costs less than a stop (about 2 min) and a wake")
        .doesNotContain("uploads were arriving");
  }

  @Test
  void outsideWorkingHoursAStreamKeepsNoDrainedEndpointOn() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    rig.now = Instant.parse("2026-01-14T18:30:00Z"); // 19:30 in Berlin, closed since 19:00
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.seed(ControlStateBuilder.controlState()
        .idleSince(rig.now.minusSeconds(20))
        .scheduleOpen(false)
        .lastRun(rig.now.minusSeconds(10), true)
        .lastAction("none")
        .wakeSeconds(ELEVEN_MINUTE_WAKES)
        .arrivals(new Arrivals(rig.now.minusSeconds(10), 0, 0, rig.now.minusSeconds(180), 0.05))
        .build());
    Decision d = rig.run();
    assertThat(d.action()).as(d.toString()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.wantOn()).isFalse();
  }

  @Test
  void aTrickleOrANextOpeningBudgetStopsAtOnceAfterTheDrainAsBefore() {
    assertThat(drained("60", 20, 180, 1.5).action())
        .as("one and a half uploads a minute: a trickle, not a stream")
        .isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(drained("next-opening", 20, 180, 3).action())
        .as("inside working hours an upload is due at the next opening: no stop to spare")
        .isEqualTo(Action.DELETE_ENDPOINT);
  }

  @Test
  void theStayForAStreamDoesNotUndoAStopThatPausedTheTriggerAndDrainedItsLastBatches() {
    // The stay is over (drained 31 s ago), but the delete of the stop is throttled: the trigger is
    // paused and the endpoint still in service.
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.seed(ControlStateBuilder.controlState()
        .idleSince(rig.now.minusSeconds(31))
        .scheduleOpen(true)
        .lastRun(rig.now.minusSeconds(10), true)
        .lastAction("none")
        .wakeSeconds(ELEVEN_MINUTE_WAKES)
        .arrivals(new Arrivals(rig.now.minusSeconds(10), 0, 0, rig.now.minusSeconds(180), 0.05))
        .build());
    rig.deleteError = new IllegalStateException("ThrottlingException: Rate exceeded");
    Decision stop = rig.run();
    assertThat(stop.wantOn()).as(stop.toString()).isFalse();
    rig.deleteError = null;

    // The batches the trigger took before it paused are the stop's drain ...
    rig.mapping = Mapping.TriggerState.DISABLED;
    rig.queue = new Backlog.Snapshot(0, 2, 0, 0);
    rig.now = rig.now.plusSeconds(10);
    Decision draining = rig.run();
    assertThat(draining.wantOn()).as(draining.toString()).isFalse();

    // ... and once they are done the stop goes on: the stream's half minute is not counted from
    // them, which would enable the trigger the stop paused.
    rig.queue = Backlog.Snapshot.EMPTY;
    rig.now = rig.now.plusSeconds(10);
    Decision drained = rig.run();
    assertThat(drained.action()).as(drained.toString()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(drained.wantOn()).isFalse();
  }

  /**
   * An endpoint in service at 09:00Z (Wednesday 10:00 in Berlin) with 11 min wakes, drained {@code idleSeconds} ago;
   * the paused queue last grew at {@code perMinute}, measured {@code measuredSecondsAgo}.
   */
  private static Decision drained(
      String budget, long idleSeconds, long measuredSecondsAgo, double perMinute) {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", budget));
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    Instant measured = rig.now.minusSeconds(measuredSecondsAgo);
    rig.seed(ControlStateBuilder.controlState()
        .idleSince(rig.now.minusSeconds(idleSeconds))
        .scheduleOpen(true)
        .lastRun(rig.now.minusSeconds(10), true)
        .lastAction("none")
        .wakeSeconds(ELEVEN_MINUTE_WAKES)
        .arrivals(new Arrivals(rig.now.minusSeconds(10), 0, 0, measured, perMinute / 60))
        .build());
    return rig.run();
  }

  private static Decision drainedThreeMinutesAgo(List<Long> stops) {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "12"));
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    ControlState s = ControlStateBuilder.controlState()
        .idleSince(Instant.parse("2026-01-14T08:57:00Z"))
        .scheduleOpen(true)
        .lastRun(rig.now.minusSeconds(60), true)
        .lastAction("none")
        .wakeSeconds(ELEVEN_MINUTE_WAKES)
        .build();
    for (long stop : stops) {
      s = s.withStop(stop);
    }
    rig.seed(s);
    return rig.run();
  }

  @Test
  void theExpectedStopIsTheMeanOfTheLastTenStopsAndADeletingEndpointIsLookedAtAfterATenthOfIt() {
    ControlState s = ControlState.INITIAL;
    for (long stop = 100; stop <= 1500; stop += 100) {
      s = s.withStop(stop); // 15 stops: the first five are forgotten
    }
    assertThat(s.stopSeconds()).hasSize(LearnedTimes.HISTORY).startsWith(600L).endsWith(1500L);
    assertThat(LearnedTimes.expectedStop(s.stopSeconds())).isEqualTo(Duration.ofSeconds(1050));
    assertThat(LearnedTimes.expectedStop(List.of(100L, 101L))).isEqualTo(Duration.ofSeconds(101));
    assertThat(LearnedTimes.expectedStop(List.of())).isEqualTo(LearnedTimes.DEFAULT_STOP);

    assertThat(NextRun.deleteRecheck(s.stopSeconds())).isEqualTo(Duration.ofSeconds(105));
    assertThat(NextRun.deleteRecheck(List.of(60L))).isEqualTo(NextRun.STOP_RECHECK);
  }

  @Test
  void theExpectedWakeIsTheNinetiethPercentileOfTheLastTenWakes() {
    ControlState s = ControlState.INITIAL;
    for (long w = 100; w <= 1500; w += 100) {
      s = s.withWake(w); // 15 wakes: the first five are forgotten
    }
    assertThat(s.wakeSeconds()).hasSize(LearnedTimes.HISTORY).startsWith(600L).endsWith(1500L);
    assertThat(LearnedTimes.expectedWake(s.wakeSeconds())).isEqualTo(Duration.ofSeconds(1400));
    assertThat(LearnedTimes.expectedWake(List.of())).isEqualTo(LearnedTimes.DEFAULT_WAKE);
  }

  @Test
  void theBudgetIsParsedWithClearErrors() {
    // The default is the caller's (the controller's is FunctionVariables'), never a blank's.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WaitBudget.parse("--max-wait", " "))
        .hasMessageStartingWith("--max-wait ' ' is not a number of minutes");
    assertThat(WaitBudget.parse("MAX_WAIT_MINUTES", "60")).isEqualTo(WaitBudget.minutes(60));
    assertThat(WaitBudget.parse("MAX_WAIT_MINUTES", "0").off()).isTrue();
    assertThat(WaitBudget.parse("MAX_WAIT_MINUTES", "next-opening").nextOpening())
        .isTrue();
    Map<String, String> env = new HashMap<>(Rig.ENV);
    env.put("MAX_WAIT_MINUTES", "an hour");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env))
        .hasMessage(
            "MAX_WAIT_MINUTES 'an hour' is not a number of minutes 0..20160 (0: no budget, serve at once"
                + " inside working hours) or next-opening");
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
