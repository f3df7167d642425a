package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import org.junit.jupiter.api.Test;

/**
 * The endpoint behind the trigger is this stack's, on this stack's config: one this stack did not create is never
 * fed nor deleted, and one on an old config is replaced once it settles.
 */
class EndpointControllerOwnershipTest {
  private final Rig rig = new Rig();

  private Endpoint.Status onConfig(State state, String configName, boolean foreign) {
    // Created ten minutes ago: not yet stuck in Creating.
    return Endpoint.Status.of(state, null, rig.now.minusSeconds(600), rig.now)
        .withConfig(configName, foreign);
  }

  @Test
  void anEndpointThisStackDidNotCreateIsNeverFedNorDeletedAndIsReported() {
    rig.endpoint = onConfig(State.IN_SERVICE, "offhours-endpoint-config", true);
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    Decision d = rig.run();
    assertThat(d.wantOn()).isTrue();
    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.why())
        .isEqualTo(
            "endpoint offhours-endpoint was not created by this stack (no offhours:stack-id tag"
                + " with its id): it is neither fed nor deleted; delete or rename it by hand");
    assertThat(d.toMap()).containsEntry("foreignEndpoint", true);
    assertThat(rig.calls).as("no probe, no enable, no create, no delete").isEmpty();

    rig.queue = Backlog.Snapshot.EMPTY;
    Decision offHours = rig.runAt("2026-01-14T20:00:00Z");
    assertThat(offHours.wantOn()).isFalse();
    assertThat(offHours.action())
        .as("outside hours it is not deleted either")
        .isEqualTo(Action.NONE);
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void aTriggerFeedingAForeignEndpointIsPausedAndNothingElse() {
    rig.endpoint = onConfig(State.IN_SERVICE, "offhours-endpoint-config", true);
    rig.mapping = Mapping.TriggerState.ENABLED;
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(d.why()).endsWith("delete or rename it by hand; pausing consumption");
    rig.mapping = Mapping.TriggerState.DISABLED;
    assertThat(rig.runAt("2026-01-14T09:05:00Z").action()).isEqualTo(Action.NONE);
    assertThat(rig.calls).containsExactly("disable");
  }

  @Test
  void
      afterAStackUpdateReplacedTheConfigTheTriggerPausesAndTheEndpointIsReplacedBehindTheReadinessGate() {
    rig.endpoint = onConfig(State.IN_SERVICE, "offhours-endpoint-config-old", false);
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(20, 4, 0, 0);
    Decision pause = rig.run();
    assertThat(pause.wantOn()).isTrue();
    assertThat(pause.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(pause.why())
        .isEqualTo("replace: the endpoint runs config offhours-endpoint-config-old, the stack's is"
            + " offhours-endpoint-config: pause consumption first");
    assertThat(pause.toMap()).containsEntry("endpointConfig", "offhours-endpoint-config-old");

    rig.mapping = Mapping.TriggerState.DISABLED;
    Decision drain = rig.runAt("2026-01-14T09:01:00Z");
    assertThat(drain.action()).isEqualTo(Action.WAIT);
    assertThat(drain.why())
        .isEqualTo(
            "replace: the endpoint runs config offhours-endpoint-config-old, the stack's is"
                + " offhours-endpoint-config: draining 4 in-flight messages, at most until 2026-01-14T09:10:00Z");

    rig.queue = new Backlog.Snapshot(24, 0, 0, 0);
    Decision delete = rig.runAt("2026-01-14T09:02:00Z");
    assertThat(delete.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(delete.why()).endsWith("the stack's is offhours-endpoint-config: nothing in flight");

    rig.endpoint = Endpoint.Status.ABSENT;
    assertThat(rig.runAt("2026-01-14T09:03:00Z").action()).isEqualTo(Action.CREATE_ENDPOINT);
    rig.endpoint = onConfig(State.IN_SERVICE, "OFFHOURS-ENDPOINT-CONFIG", false);
    rig.probe = new Endpoint.Probe(false, "ModelNotReadyException: loading");
    Decision gate = rig.runAt("2026-01-14T09:20:00Z");
    assertThat(gate.action())
        .as("names compare without case: the new endpoint is current")
        .isEqualTo(Action.ENABLE_MAPPING);
    assertThat(gate.outcome()).startsWith("test invocation failed, mapping stays disabled");
    assertThat(rig.calls).containsExactly("disable", "delete", "create", "probe");
  }

  @Test
  void anEndpointStillCreatingFromTheOldConfigIsReplacedOnceItSettles() {
    rig.endpoint = onConfig(State.CREATING, "offhours-endpoint-config-old", false);
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.WAIT);
    assertThat(d.why()).isEqualTo("endpoint creating; delete once it is InService");
    rig.endpoint = onConfig(State.IN_SERVICE, "offhours-endpoint-config-old", false);
    assertThat(rig.runAt("2026-01-14T09:05:00Z").action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(rig.calls).containsExactly("delete");
  }

  /**
   * A stack update replaced the config while the endpoint on the old one was being deleted (a stop): it is waited out,
   * never probed with the new settings, and the next wake creates it from the new config.
   */
  @Test
  void anEndpointOnTheOldConfigStillDeletingIsWaitedOutThenCreatedFromTheNewConfig() {
    rig.endpoint = onConfig(State.DELETING, "offhours-endpoint-config-old", false);
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    Decision waiting = rig.run();
    assertThat(waiting.wantOn()).isTrue();
    assertThat(waiting.action()).isEqualTo(Action.WAIT);
    assertThat(waiting.why()).isEqualTo("endpoint deleting");

    rig.endpoint = Endpoint.Status.ABSENT;
    assertThat(rig.runAt("2026-01-14T09:03:00Z").action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.calls).containsExactly("create");
  }

  @Test
  void outsideHoursAnEndpointOnTheOldConfigIsSimplyStopped() {
    rig.endpoint = onConfig(State.IN_SERVICE, "offhours-endpoint-config-old", false);
    Decision d = rig.runAt("2026-01-14T20:00:00Z");
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(rig.calls).containsExactly("delete");
  }
}
