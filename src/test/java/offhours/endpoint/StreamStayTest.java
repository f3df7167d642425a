package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import offhours.endpoint.Decision.Action;
import org.junit.jupiter.api.Test;

/**
 * The stay after a drain for uploads still arriving: a stream (two uploads a minute or more) keeps the endpoint on until
 * half a minute after the queue was last seen busy, and only while its measurement is less than a wake and a stop old;
 * the longer of that stay and a budget's own is kept; no stay outside working hours, for a trickle or with a
 * next-opening budget, and none that undoes a stop that paused the trigger. The settings of
 * {@link BudgetDecisionTableTest} unless a test says otherwise.
 */
class StreamStayTest {

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
        .wakeSeconds(BudgetDecisionTableTest.ELEVEN_MINUTE_WAKES)
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
        .wakeSeconds(BudgetDecisionTableTest.ELEVEN_MINUTE_WAKES)
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
        .wakeSeconds(BudgetDecisionTableTest.ELEVEN_MINUTE_WAKES)
        .arrivals(new Arrivals(rig.now.minusSeconds(10), 0, 0, measured, perMinute / 60))
        .build());
    return rig.run();
  }
}
