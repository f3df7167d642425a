package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import offhours.endpoint.ControlState.Override.Mode;
import org.junit.jupiter.api.Test;

/**
 * README's "`endpoint start` or `endpoint stop` without `--until` lasts until the schedule next changes": a stop inside
 * working hours lasts until they close, uploads waiting or not, and the schedule decides again from then on; with a
 * schedule that never changes (the local stack's) it lasts until `endpoint auto`. Working hours Mon-Fri 08:00-19:00
 * Europe/Berlin, no latency budget (the start's are EndpointControllerTest's).
 */
class ManualStopTest {

  @Test
  void aStopInsideWorkingHoursWithoutAnEndLastsUntilTheyCloseThenTheScheduleDecides() {
    Rig rig = new Rig(); // Wednesday 10:00 in Berlin
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    Decision stop = rig.controller.override(Mode.STOP, null, rig.now);
    assertThat(stop.wantOn()).isFalse();
    assertThat(stop.wantReason()).isEqualTo("manual stop until 2026-01-14 19:00 Europe/Berlin");

    rig.endpoint = Endpoint.Status.ABSENT;
    rig.mapping = Mapping.TriggerState.DISABLED;
    Decision beforeTheClose = rig.runAt("2026-01-14T17:59:00Z");
    assertThat(beforeTheClose.wantOn())
        .as("5 uploads wait, inside working hours")
        .isFalse();
    assertThat(beforeTheClose.wantReason()).startsWith("manual stop until");

    Decision closed = rig.runAt("2026-01-14T18:00:00Z");
    assertThat(closed.wantReason()).doesNotContain("manual");
    assertThat(rig.runAt("2026-01-15T07:00:00Z").wantOn())
        .as("Thursday's opening, 5 uploads waiting: the schedule's again")
        .isTrue();
  }

  @Test
  void withoutWorkingHoursAStopWithoutAnEndLastsUntilAuto() {
    Rig rig = new Rig(Map.of("WORKING_HOURS", "", "WAKE_BACKLOG_MESSAGES", "1"));
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    Decision stop = rig.controller.override(Mode.STOP, null, rig.now);
    assertThat(stop.wantReason())
        .as("the command line words it as 'until 'offhours endpoint auto' gives the endpoint back'")
        .isEqualTo("manual stop until auto");

    assertThat(rig.runAt("2026-01-21T09:00:00Z").wantOn()).as("a week later").isFalse();
    Decision auto = rig.controller.override(null, null, rig.now);
    assertThat(auto.wantOn()).as(auto.wantReason()).isTrue();
  }
}
