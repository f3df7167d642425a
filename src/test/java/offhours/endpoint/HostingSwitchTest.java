package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import org.junit.jupiter.api.Test;

/**
 * A stack updated from Hosting=serverless to scheduled or scale-to-zero: the new controller runs while CloudFormation
 * still has the stack's serverless endpoint under the name the controller uses, until the update's cleanup deletes
 * it. The controller never deletes, replaces nor feeds it, bills nothing for it, and creates its own once it is gone.
 */
class HostingSwitchTest {
  private static final Map<String, String> SCALE_TO_ZERO = Rig.SCALE_TO_ZERO;

  /** The stack's serverless endpoint, tagged with the stack's id as ServerlessEndpoint is, on its old config. */
  private static Endpoint.Status serverless(State state, Instant now) {
    return Endpoint.Status.of(state, null, now.minusSeconds(86_400), now)
        .withConfig("offhours-serverless-config", false)
        .withServerless(true);
  }

  @Test
  void theStacksServerlessEndpointIsWaitedOutNeverDeletedNorFedAndTheOwnOneFollows() {
    Rig rig = new Rig();
    rig.endpoint = serverless(State.IN_SERVICE, rig.now);
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(5, 2, 0, 0);

    Decision pause = rig.run();
    assertThat(pause.wantOn()).isTrue();
    assertThat(pause.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(pause.why())
        .isEqualTo(
            "endpoint offhours-endpoint is the stack's serverless endpoint (IN_SERVICE), left"
                + " from Hosting=serverless: CloudFormation deletes it when the stack update completes,"
                + " and this hosting's endpoint is created once it is gone; uploads wait in the queue."
                + " If the update has completed and it is still there, delete it: aws sagemaker"
                + " delete-endpoint --endpoint-name offhours-endpoint");

    rig.mapping = Mapping.TriggerState.DISABLED;
    rig.queue = new Backlog.Snapshot(7, 0, 0, 0);
    assertThat(rig.runAt("2026-01-14T09:01:00Z").action())
        .as("wanted on, but not on this endpoint: no probe, no enable")
        .isEqualTo(Action.WAIT);
    rig.queue = Backlog.Snapshot.EMPTY;
    Decision offHours = rig.runAt("2026-01-14T20:00:00Z");
    assertThat(offHours.wantOn()).isFalse();
    assertThat(offHours.action()).as("wanted off: not deleted").isEqualTo(Action.WAIT);
    assertThat(offHours.runningOutsideSchedule())
        .as("it bills per invocation: nothing runs outside the schedule")
        .isFalse();
    assertThat(rig.state().billing())
        .as("no endpoint-hours for it in the ledger")
        .isFalse();

    rig.endpoint = serverless(State.DELETING, rig.now);
    assertThat(rig.runAt("2026-01-15T07:00:00Z").action()).isEqualTo(Action.WAIT);
    rig.endpoint = Endpoint.Status.ABSENT;
    assertThat(rig.runAt("2026-01-15T07:01:00Z").action())
        .as("once CloudFormation deleted it, the name is free for this hosting's endpoint")
        .isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.calls).containsExactly("disable", "create");
  }

  @Test
  void aFailedServerlessEndpointIsNotDeletedEither() {
    Rig rig = new Rig();
    rig.endpoint = serverless(State.FAILED, rig.now);
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.WAIT);
    assertThat(d.why())
        .startsWith("endpoint offhours-endpoint is the stack's serverless endpoint" + " (FAILED)");
    assertThat(rig.state().createFailures())
        .as("no failed wake of this hosting's")
        .isZero();
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void withALatencyBudgetADrainedStopPausesTheTriggerButDeletesNothing() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    rig.endpoint = serverless(State.IN_SERVICE, rig.now);
    rig.mapping = Mapping.TriggerState.ENABLED;
    Decision d = rig.runAt("2026-01-14T20:00:00Z"); // 21:00 in Berlin, nothing waiting
    assertThat(d.wantOn()).isFalse();
    assertThat(d.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(rig.calls).containsExactly("disable");
  }

  @Test
  void scaleToZeroLeavesItAloneTooAndCreatesItsEndpointOnceItIsGone() {
    Rig rig = new Rig(new HashMap<>(SCALE_TO_ZERO));
    rig.endpoint = serverless(State.IN_SERVICE, rig.now);
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.WAIT);
    assertThat(d.why()).contains("the stack's serverless endpoint");
    rig.endpoint = Endpoint.Status.ABSENT;
    assertThat(rig.runAt("2026-01-14T09:05:00Z").action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.calls).containsExactly("create");
  }
}
