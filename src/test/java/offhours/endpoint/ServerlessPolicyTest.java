package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import offhours.endpoint.ControlState.Override.Mode;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import org.junit.jupiter.api.Test;

/** Hosting serverless: the controller keeps the trigger on while the stack's endpoint serves, and never switches it. */
class ServerlessPolicyTest {
  private final Rig rig = new Rig(Map.of("HOSTING", "serverless"));

  @Test
  void anInServiceEndpointGetsTheTriggerAfterATestInvocationEvenAtNightWithNothingQueued() {
    rig.inService();
    Decision d = rig.runAt("2026-01-17T02:00:00Z"); // Saturday 03:00 in Berlin, queue empty
    assertThat(d.wantOn()).isTrue();
    assertThat(d.wantReason()).isEqualTo("serverless: always available, billed per invocation");
    assertThat(d.action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.calls).containsExactly("probe", "enable", "retention");
    assertThat(d.runningOutsideSchedule()).isFalse();
  }

  @Test
  void aServingEndpointIsLeftAloneOutsideHoursAndWhenIdleForDays() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    for (String at :
        new String[] {"2026-01-14T09:00:00Z", "2026-01-14T22:00:00Z", "2026-01-17T12:00:00Z"}) {
      Decision d = rig.runAt(at);
      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.why()).isEqualTo("serving (serverless)");
      assertThat(d.runningOutsideSchedule()).isFalse();
    }
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void theControllerNeverCreatesNorDeletesTheStacksEndpoint() {
    rig.queue = new Backlog.Snapshot(40, 0, 0, 0);
    Decision absent = rig.run();
    assertThat(absent.action()).isEqualTo(Action.NONE);
    assertThat(absent.why())
        .startsWith("the stack's serverless endpoint offhours-endpoint does not exist");
    rig.endpoint =
        Endpoint.Status.of(State.FAILED, "image not found", rig.now.minusSeconds(60), rig.now);
    Decision failed = rig.run();
    assertThat(failed.action()).isEqualTo(Action.NONE);
    assertThat(failed.why()).contains("the serverless endpoint failed: image not found");
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void consumptionPausesWhileTheEndpointCannotServeAtAll() {
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.endpoint = Endpoint.Status.of(State.CREATING, null, rig.now, null);
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(d.why())
        .isEqualTo("the stack is creating the serverless endpoint: pausing consumption");
    assertThat(rig.calls).containsExactly("disable");
  }

  @Test
  void anUpdateByTheStackKeepsServing() {
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.endpoint = Endpoint.Status.of(State.UPDATING, null, rig.now.minusSeconds(3600), rig.now)
        .withConfig("other-config", false);
    assertThat(rig.run().action()).isEqualTo(Action.NONE);
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void aManualStopPausesConsumptionAndAutoResumesItBehindATestInvocation() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    Decision stop = rig.controller.override(Mode.STOP, null, rig.now);
    assertThat(stop.wantOn()).isFalse();
    assertThat(stop.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(rig.calls).containsExactly("disable");
    rig.mapping = Mapping.TriggerState.DISABLED;
    Decision auto = rig.controller.override(null, null, rig.now.plusSeconds(60));
    assertThat(auto.action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.calls).containsExactly("disable", "probe", "enable", "retention");
  }

  @Test
  void aForeignEndpointOfThatNameIsNeverFed() {
    rig.endpoint =
        Endpoint.Status.of(State.IN_SERVICE, null, rig.now, rig.now).withConfig("x", true);
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.why()).contains("was not created by this stack");
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void theLedgerCountsNoEndpointTimeForAnEndpointBilledPerInvocation() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.runAt("2026-01-14T09:00:00Z");
    rig.runAt("2026-01-14T15:00:00Z");
    assertThat(rig.state().billing()).isFalse();
    assertThat(rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")))
        .isEmpty();
    assertThat(rig.metrics)
        .isNotEmpty()
        .allSatisfy(line -> assertThat(line).contains("\"EndpointRunningOutsideSchedule\":0.0"));
  }

  @Test
  void theScheduledPolicyIsTheDefault() {
    Rig scheduled = new Rig();
    scheduled.now = Instant.parse("2026-01-14T09:00:00Z");
    scheduled.queue = new Backlog.Snapshot(1, 0, 0, 0);
    assertThat(scheduled.run().action()).isEqualTo(Action.CREATE_ENDPOINT);
  }
}
