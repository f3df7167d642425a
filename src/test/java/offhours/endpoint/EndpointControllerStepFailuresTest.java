package offhours.endpoint;

import static offhours.endpoint.EndpointControllerTest.metric;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import offhours.endpoint.Decision.Action;
import offhours.stack.StackSpec;
import org.junit.jupiter.api.Test;

/**
 * A step that throws (a refused DeleteEndpoint, disable, enable or log retention) is caught, retried by the next run
 * and counted in ControllerStepFailures, never as a failed test invocation.
 */
class EndpointControllerStepFailuresTest {
  private final Rig rig = new Rig();

  @Test
  void aRefusedDeleteEndpointCountsAsAFailedStepUntilARunDeletesTheEndpoint() {
    rig.inService();
    rig.deleteError = new IllegalStateException(
        "AccessDeniedException: not authorized to perform sagemaker:DeleteEndpoint");
    Decision d = rig.runAt("2026-01-14T19:00:00Z"); // 20:00 in Berlin, after working hours
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.outcome())
        .isEqualTo("DELETE_ENDPOINT failed, retry next run: AccessDeniedException: not authorized"
            + " to perform sagemaker:DeleteEndpoint");
    assertThat(rig.stepFailures()).isEqualTo(1.0);
    assertThat(metric(rig.metrics.getLast(), StackSpec.METRICS.endpointCreateFailures()))
        .isEqualTo(0.0);

    rig.deleteError = null;
    assertThat(rig.runAt("2026-01-14T19:01:00Z").outcome()).isEqualTo("ok");
    assertThat(rig.calls).containsExactly("delete", "delete");
    assertThat(rig.stepFailures()).isEqualTo(0.0);
  }

  @Test
  void aRefusedDisableOfTheTriggerCountsAsAFailedStep() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.disableError = new IllegalStateException("TooManyRequestsException: Rate exceeded");
    Decision d = rig.runAt("2026-01-14T19:00:00Z");
    assertThat(d.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(d.outcome())
        .isEqualTo(
            "DISABLE_MAPPING failed, retry next run: TooManyRequestsException: Rate exceeded");
    assertThat(rig.stepFailures()).isEqualTo(1.0);

    rig.disableError = null;
    rig.runAt("2026-01-14T19:01:00Z");
    assertThat(rig.calls).containsExactly("disable", "disable");
    assertThat(rig.stepFailures()).isEqualTo(0.0);
  }

  @Test
  void aRefusedDeleteInTheRunThatPausedTheTriggerCountsAsAFailedStep() {
    Rig budget = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    budget.inService();
    budget.mapping = Mapping.TriggerState.ENABLED;
    budget.deleteError = new IllegalStateException("ThrottlingException: Rate exceeded");
    Decision d = budget.runAt("2026-01-14T19:00:00Z");
    assertThat(budget.calls).containsExactly("disable", "delete");
    assertThat(d.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(d.outcome())
        .as("the trigger did pause: the outcome names the call that failed")
        .isEqualTo("DELETE_ENDPOINT failed, retry next run: ThrottlingException: Rate exceeded");
    assertThat(metric(budget.metrics.getLast(), StackSpec.METRICS.controllerStepFailures()))
        .isEqualTo(1.0);
  }

  @Test
  void aWakeThatCouldNotLimitTheContainerLogsRetentionSaysSoAndStillResumes() {
    rig.inService();
    rig.retentionProblems = List.of("log group /aws/sagemaker/Endpoints/offhours-endpoint keeps its"
        + " events as before (PutRetentionPolicy 30 days failed: AccessDenied); the next wake tries"
        + " again");
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(d.outcome()).isEqualTo("ok; " + rig.retentionProblems.getFirst());
    assertThat(rig.calls).containsExactly("probe", "enable", "retention");
    assertThat(rig.stepFailures()).isEqualTo(0.0);
    assertThat(rig.table.load().orElseThrow().enabledAt()).isEqualTo(rig.now);
  }

  @Test
  void aRunThatFindsTheEndpointServingAsksForTheContainerLogsRetentionAndReportsAProblem() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    rig.retentionProblems = List.of("log group /aws/sagemaker/Endpoints/offhours-endpoint keeps its"
        + " events as before (PutRetentionPolicy 30 days failed: AccessDenied); the next wake tries"
        + " again");
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.outcome()).isEqualTo("ok; " + rig.retentionProblems.getFirst());
    assertThat(rig.servingRetentions).isEqualTo(1);
    assertThat(rig.calls).isEmpty();

    rig.mapping = Mapping.TriggerState.DISABLED;
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.queue = Backlog.Snapshot.EMPTY;
    rig.now = Instant.parse("2026-01-14T20:00:00Z");
    assertThat(rig.run().action()).isEqualTo(Action.NONE);
    assertThat(rig.servingRetentions).as("nothing serves: not asked").isEqualTo(1);
  }

  @Test
  void theContainerLogsAreLeftAloneWhileTheModelDoesNotAnswer() {
    rig.inService();
    rig.probe = new Endpoint.Probe(false, "ModelError 424");
    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.calls).containsExactly("probe");
  }

  @Test
  void aRefusedEnableAfterAGoodTestInvocationCountsAsAFailedStepNotAFailedProbe() {
    rig.inService();
    rig.enableError = new IllegalStateException(
        "ResourceConflictException: the event source mapping is being updated");
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(d.outcome())
        .isEqualTo("ENABLE_MAPPING failed, retry next run: ResourceConflictException: the event"
            + " source mapping is being updated");
    assertThat(rig.calls).containsExactly("probe", "enable");
    assertThat(rig.stepFailures()).isEqualTo(1.0);
    assertThat(metric(rig.metrics.getLast(), StackSpec.METRICS.testInvocationFailures()))
        .isEqualTo(0.0);

    rig.enableError = null;
    rig.now = rig.now.plusSeconds(60);
    assertThat(rig.run().outcome()).isEqualTo("ok");
    assertThat(rig.stepFailures()).isEqualTo(0.0);
  }
}
