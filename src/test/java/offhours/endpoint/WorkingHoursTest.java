package offhours.endpoint;

import static offhours.endpoint.EndpointControllerTest.metric;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import offhours.endpoint.ControlState.Override.Mode;
import offhours.endpoint.Decision.Action;
import org.junit.jupiter.api.Test;

/**
 * The controller around working hours: a stop drains the in-flight batches first, within the drain timeout; outside
 * hours an idle endpoint stops and a backlog waits for the opening or a wake threshold; inside them an idle endpoint
 * stops after IDLE_STOP_MINUTES; the opening starts it, at eight local time across both daylight-saving changes. The
 * settings of {@link Rig}.
 */
class WorkingHoursTest {
  private final Rig rig = new Rig();

  @Test
  void stoppingWhileABacklogIsProcessedDisablesFirstAndDeletesOnlyAfterTheInFlightBatchesDrain() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(300, 10, 0, 0);
    Decision first = rig.controller.override(Mode.STOP, null, rig.now);
    assertThat(first.wantReason()).isEqualTo("manual stop until 2026-01-14 19:00 Europe/Berlin");
    assertThat(first.action()).isEqualTo(Action.DISABLE_MAPPING);

    rig.mapping = Mapping.TriggerState.DISABLED;
    Decision draining = rig.runAt("2026-01-14T09:01:00Z");
    assertThat(draining.action()).isEqualTo(Action.WAIT);
    assertThat(draining.why())
        .isEqualTo("draining 10 in-flight messages, at most until 2026-01-14T09:10:00Z");
    rig.queue = new Backlog.Snapshot(300, 1, 0, 0);
    assertThat(rig.runAt("2026-01-14T09:01:30Z").why())
        .isEqualTo("draining 1 in-flight message, at most until 2026-01-14T09:10:00Z");

    rig.queue = new Backlog.Snapshot(300, 0, 0, 0);
    Decision delete = rig.runAt("2026-01-14T09:02:00Z");
    assertThat(delete.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(delete.why()).isEqualTo("stop: nothing in flight");
    assertThat(rig.calls).containsExactly("disable", "delete");
  }

  @Test
  void theDrainIsBoundedByTheDrainTimeout() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(0, 3, 0, 0);
    rig.controller.override(Mode.STOP, null, rig.now);
    rig.mapping = Mapping.TriggerState.DISABLED;
    assertThat(rig.runAt("2026-01-14T09:09:59Z").action()).isEqualTo(Action.WAIT);
    Decision d = rig.runAt("2026-01-14T09:10:00Z");
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.why())
        .isEqualTo(
            "drain timeout (DRAIN_TIMEOUT_MINUTES=10) with 3 in flight; the consumer defers them");
  }

  @Test
  void aMappingStuckDisablingIsBoundedByTheDrainTimeoutToo() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.controller.override(Mode.STOP, null, rig.now);
    rig.mapping = Mapping.TriggerState.DISABLING;
    assertThat(rig.runAt("2026-01-14T09:05:00Z").why()).isEqualTo("mapping DISABLING");
    assertThat(rig.runAt("2026-01-14T09:10:00Z").action()).isEqualTo(Action.DELETE_ENDPOINT);
  }

  @Test
  void outsideHoursAnIdleEndpointIsStoppedAndReportedAsRunningOutsideSchedule() {
    rig.inService();
    Decision d = rig.runAt("2026-01-14T19:00:00Z"); // 20:00 local
    assertThat(d.wantReason()).isEqualTo("outside working hours");
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.runningOutsideSchedule()).isTrue();
    assertThat(metric(rig.metrics.getLast(), "EndpointRunningOutsideSchedule")).isEqualTo(1.0);
    assertThat(rig.state().billing()).isTrue(); // Deleting is still billed until it is gone
  }

  @Test
  void outsideHoursABacklogBeingProcessedIsFinishedFirst() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(50, 10, 0, 0);
    Decision d = rig.runAt("2026-01-14T18:05:00Z");
    assertThat(d.wantOn()).isTrue();
    assertThat(d.wantReason())
        .isEqualTo(
            "outside working hours; finishing the backlog before stopping (50 waiting, 10 in flight, 0 deferred)");
    assertThat(d.runningOutsideSchedule()).isFalse();
  }

  @Test
  void outsideHoursMessagesWaitForTheNextOpeningWhenWakeThresholdsAreOff() {
    rig.queue = new Backlog.Snapshot(5000, 0, 0, 0);
    Decision d = rig.runAt("2026-01-17T12:00:00Z"); // Saturday
    assertThat(d.wantOn()).isFalse();
    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.why()).isEqualTo("off");
  }

  @Test
  void uploadsThatArriveJustBeforeTheCloseWhileTheEndpointIsOffAreStillServed() {
    rig.runAt("2026-01-14T17:00:00Z");
    rig.endpoint = Endpoint.Status.ABSENT;
    assertThat(rig.runAt("2026-01-14T17:55:00Z").wantOn())
        .isFalse(); // 18:55 local, idle for 55 min: off
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    Decision d = rig.runAt("2026-01-14T18:00:00Z"); // 19:00 local: closed
    assertThat(d.wantReason())
        .isEqualTo(
            "just closed; starting for uploads that arrived during working hours (3 waiting, 0 in flight, 0 deferred)");
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
    // The next run is no longer "just closed", but the endpoint is up with work: the backlog is
    // finished.
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    assertThat(rig.runAt("2026-01-14T18:05:00Z").wantReason())
        .startsWith("outside working hours; finishing the backlog");
  }

  @Test
  void insideHoursAnIdleEndpointStopsAfterIdleStopMinutesAndTheNextUploadWakesIt() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    assertThat(rig.runAt("2026-01-14T09:00:00Z").wantOn()).isTrue();
    assertThat(rig.runAt("2026-01-14T09:29:00Z").wantReason())
        .isEqualTo("working hours; idle 29 of 30 min (IDLE_STOP_MINUTES)");
    Decision stop = rig.runAt("2026-01-14T09:30:00Z");
    assertThat(stop.wantReason())
        .isEqualTo(
            "working hours but idle 30 min >= IDLE_STOP_MINUTES=30; the next upload wakes it");
    assertThat(stop.action()).isEqualTo(Action.DISABLE_MAPPING);
    rig.mapping = Mapping.TriggerState.DISABLED;
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);
    assertThat(rig.runAt("2026-01-14T11:00:00Z").action()).isEqualTo(Action.CREATE_ENDPOINT);
  }

  @Test
  void theEndpointIsStartedAtTheOpeningEvenWithAnEmptyQueue() {
    assertThat(rig.runAt("2026-01-14T06:55:00Z").wantOn()).isFalse();
    Decision d = rig.runAt("2026-01-14T07:00:00Z"); // 08:00 local
    assertThat(d.wantReason()).isEqualTo("working hours; idle 0 of 30 min (IDLE_STOP_MINUTES)");
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);

    // No upload all morning: the idleness counts from the opening, as README says.
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    assertThat(rig.runAt("2026-01-14T07:29:00Z").wantOn()).isTrue();
    assertThat(rig.runAt("2026-01-14T07:30:00Z").wantReason())
        .isEqualTo(
            "working hours but idle 30 min >= IDLE_STOP_MINUTES=30; the next upload wakes it");
  }

  @Test
  void afterTheSpringChangeTheControllerStartsAtEightLocalWhichIsSixUtc() {
    assertThat(rig.runAt("2026-03-30T05:59:00Z").wantOn()).isFalse(); // Monday 07:59 CEST
    Decision d = rig.runAt("2026-03-30T06:00:00Z");
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
  }

  @Test
  void afterTheAutumnChangeTheControllerStartsAtEightLocalWhichIsSevenUtcAndStopsAtNineteenLocal() {
    assertThat(rig.runAt("2026-10-26T06:59:00Z").wantOn()).isFalse(); // Monday 07:59 CET
    assertThat(rig.runAt("2026-10-26T07:00:00Z").action()).isEqualTo(Action.CREATE_ENDPOINT);
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(0, 0, 1, 0);
    assertThat(rig.runAt("2026-10-26T17:59:00Z").wantReason()).startsWith("working hours");
    rig.queue = Backlog.Snapshot.EMPTY;
    Decision close = rig.runAt("2026-10-26T18:00:00Z"); // 19:00 CET
    assertThat(close.wantReason()).isEqualTo("outside working hours");
    assertThat(close.action()).isEqualTo(Action.DISABLE_MAPPING);
  }

  @Test
  void idleStopZeroKeepsTheEndpointOnThroughWorkingHours() {
    Rig always = new Rig(Map.of("IDLE_STOP_MINUTES", "0"));
    always.runAt("2026-01-14T07:00:00Z");
    assertThat(always.runAt("2026-01-14T17:59:00Z").wantReason()).isEqualTo("working hours");
  }

  @Test
  void wakeOnBacklogCountStartsTheEndpointOutsideHours() {
    Rig wake = new Rig(Map.of("WAKE_BACKLOG_MESSAGES", "100"));
    wake.queue = new Backlog.Snapshot(99, 0, 0, 0);
    assertThat(wake.runAt("2026-01-14T22:00:00Z").wantOn()).isFalse();
    wake.queue = new Backlog.Snapshot(100, 0, 0, 0);
    Decision d = wake.runAt("2026-01-14T22:05:00Z");
    assertThat(d.wantReason()).isEqualTo("backlog: 100 visible >= WAKE_BACKLOG_MESSAGES=100");
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
  }

  @Test
  void wakeOnBacklogAgeUsesTheFirstRunThatSawTheQueueNonEmpty() {
    Rig wake = new Rig(Map.of("WAKE_BACKLOG_AGE_MINUTES", "60"));
    wake.queue = new Backlog.Snapshot(1, 0, 0, 0);
    wake.runAt("2026-01-14T22:00:00Z");
    assertThat(wake.state().backlogSince()).isEqualTo(Instant.parse("2026-01-14T22:00:00Z"));
    assertThat(wake.runAt("2026-01-14T22:59:00Z").wantOn()).isFalse();
    Decision d = wake.runAt("2026-01-14T23:00:00Z");
    assertThat(d.wantReason())
        .isEqualTo("backlog: oldest message about 60 min old >= WAKE_BACKLOG_AGE_MINUTES=60");
  }
}
