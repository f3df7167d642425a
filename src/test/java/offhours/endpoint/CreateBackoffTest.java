package offhours.endpoint;

import static offhours.endpoint.EndpointControllerTest.metric;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * A start that fails: a FAILED endpoint is deleted and created again after a backoff that doubles up to an hour (the
 * series README quotes), a refused CreateEndpoint backs off and says which quota when it is one, and an endpoint stuck
 * creating past the timeout is deleted; each counted in EndpointCreateFailures. The settings of {@link Rig}.
 */
class CreateBackoffTest {
  private final Rig rig = new Rig();

  @Test
  void aFailedEndpointIsDeletedWithAMetricAndRecreatedAfterABackoff() {
    rig.endpoint = Endpoint.Status.of(
        State.FAILED, "CapacityError: insufficient ml.m5.large", rig.now, rig.now);
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.why()).isEqualTo("endpoint failed: CapacityError: insufficient ml.m5.large");
    assertThat(metric(rig.metrics.getLast(), "EndpointCreateFailures")).isEqualTo(1.0);
    assertThat(rig.state().createFailures()).isEqualTo(1);

    rig.endpoint = Endpoint.Status.ABSENT;
    Decision waiting = rig.runAt("2026-01-14T09:03:00Z");
    assertThat(waiting.action()).isEqualTo(Action.WAIT);
    assertThat(waiting.why())
        .as("the backoff names the failure, which lastAction no longer holds")
        .isEqualTo("create backoff after 1 failure until 2026-01-14T09:05:00Z; the last: endpoint"
            + " failed: CapacityError: insufficient ml.m5.large");
    assertThat(metric(rig.metrics.getLast(), "EndpointCreateFailures")).isEqualTo(0.0);

    assertThat(rig.runAt("2026-01-14T09:05:00Z").action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.calls).containsExactly("delete", "create");
  }

  @Test
  void createFailsOnceThenIsRetriedWhileMessagesWaitAndTheMappingStaysOff() {
    rig.queue = new Backlog.Snapshot(40, 0, 0, 0);
    rig.runAt("2026-01-14T09:00:00Z"); // create
    rig.endpoint = Endpoint.Status.of(State.FAILED, "image pull failed", rig.now, rig.now);
    rig.runAt("2026-01-14T09:10:00Z"); // delete, backoff 5 min
    rig.endpoint = Endpoint.Status.ABSENT;
    assertThat(rig.runAt("2026-01-14T09:12:00Z").action()).isEqualTo(Action.WAIT);
    rig.runAt("2026-01-14T09:15:00Z"); // create again
    rig.inService();
    Decision enabled = rig.runAt("2026-01-14T09:25:00Z");
    assertThat(enabled.action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.calls)
        .containsExactly("create", "delete", "create", "probe", "enable", "retention");
    assertThat(rig.state().createFailures())
        .isZero(); // a successful test invocation ends the backoff series
  }

  @Test
  void backoffDoublesUpToAnHour() {
    Duration base = Duration.ofMinutes(5); // CREATE_BACKOFF_SECONDS' default
    assertThat(RunPlanner.createBackoff(base, 1)).isEqualTo(Duration.ofMinutes(5));
    assertThat(RunPlanner.createBackoff(base, 2)).isEqualTo(Duration.ofMinutes(10));
    assertThat(RunPlanner.createBackoff(base, 4)).isEqualTo(Duration.ofMinutes(40));
    assertThat(RunPlanner.createBackoff(base, 5)).isEqualTo(Duration.ofMinutes(60));
    assertThat(RunPlanner.createBackoff(base, 50)).isEqualTo(Duration.ofMinutes(60));
  }

  /**
   * README's table of failed steps, and its runbook for EndpointCreateFailuresAlarm, give the create backoff's series
   * as the template's base and RunPlanner make it.
   */
  @Test
  void readmeQuotesTheCreateBackoffSeries() throws java.io.IOException {
    Duration base = Duration.ofSeconds(Long.parseLong(
        offhours.stack.FunctionVariables.CONTROLLER_ENV.get("CREATE_BACKOFF_SECONDS")));
    List<String> minutes = new ArrayList<>();
    for (int failures = 1; failures <= 5; failures++) {
      minutes.add(String.valueOf(RunPlanner.createBackoff(base, failures).toMinutes()));
    }
    assertThat(RunPlanner.createBackoff(base, 6)).isEqualTo(RunPlanner.createBackoff(base, 5));
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
    assertThat(readme).contains("delete, back off (" + String.join(", ", minutes) + " min)");
    String runbook = "tries again, backing off " + String.join(", ", minutes) + " minutes";
    assertThat(readme.replaceAll("\\s+", " ").contains(runbook))
        .as("README's When an alarm fires says %s", runbook)
        .isTrue();
  }

  @Test
  void aShorterBackoffBaseKeepsTheSameSeries() {
    Duration base = Duration.ofSeconds(2);
    assertThat(RunPlanner.createBackoff(base, 1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RunPlanner.createBackoff(base, 3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(RunPlanner.createBackoff(base, 5)).isEqualTo(Duration.ofSeconds(24));
  }

  @Test
  void aRefusedCreateEndpointCallBacksOffAndEmitsTheMetric() {
    rig.createError =
        new IllegalStateException("ResourceLimitExceeded: account quota for ml.g4dn.xlarge is 0");
    Decision d = rig.run();
    assertThat(d.outcome())
        .isEqualTo(
            "CREATE_ENDPOINT failed, retry next run: ResourceLimitExceeded: account quota for ml.g4dn.xlarge is 0");
    assertThat(metric(rig.metrics.getLast(), "EndpointCreateFailures")).isEqualTo(1.0);
    assertThat(rig.stepFailures())
        .as("EndpointCreateFailuresAlarm tells of it already: one cause, one alarm")
        .isEqualTo(0.0);
    assertThat(rig.state().createNotBefore()).isEqualTo(rig.now.plus(Duration.ofMinutes(5)));
    assertThat(rig.state().billing()).isFalse();
    assertThat(rig.state().wakeIssuedAt())
        .as("the retry's wake is measured from the retry, not through the backoff")
        .isNull();
  }

  @Test
  void aCreateEndpointRefusedForAQuotaNamesTheQuotaAndTheCommandThatChecksIt() {
    // As SageMaker answers a young account (aws-samples/sagemaker-custom-project-templates#51).
    rig.createError = SageMakerException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ResourceLimitExceeded")
            .errorMessage(
                "The account-level service limit 'ml.m5.large for endpoint usage' is 0"
                    + " Instances, with current utilization of 0 Instances and a request delta of 1"
                    + " Instances. Please use AWS Service Quotas to request an increase for this quota.")
            .serviceName("SageMaker")
            .build())
        .build();
    Decision d = rig.run();
    String hint = "CreateEndpoint was refused for the account's quota 'ml.m5.large for endpoint"
        + " usage' (ResourceLimitExceeded, HTTP 400), too low for this stack: compare the stack's"
        + " needs with the account's quotas and request an increase with 'scripts/offhours quotas"
        + " --stack STACK'; the controller retries after its backoff";
    assertThat(d.outcome())
        .startsWith("CREATE_ENDPOINT failed, retry next run: ")
        .endsWith(hint);
    assertThat(rig.state().lastAction())
        .as("said once, beginning with the call")
        .isEqualTo(hint);
    assertThat(rig.state().createNotBefore()).isEqualTo(rig.now.plus(Duration.ofMinutes(5)));
  }

  @Test
  void anotherRefusalOfCreateEndpointGetsNoQuotaHint() {
    rig.createError = SageMakerException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ValidationException")
            .errorMessage("Could not find model 'm'.")
            .build())
        .build();
    assertThat(rig.run().outcome()).doesNotContain("quota");
  }

  @Test
  void anEndpointStuckInCreatingPastTheTimeoutIsDeletedAndCountedAsAFailure() {
    rig.endpoint =
        Endpoint.Status.of(State.CREATING, null, rig.now.minus(Duration.ofMinutes(45)), null);
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.why()).isEqualTo("stuck in Creating for 45 min >= CREATE_TIMEOUT_MINUTES=45");
    assertThat(rig.state().createFailures()).isEqualTo(1);
    assertThat(metric(rig.metrics.getLast(), "EndpointCreateFailures")).isEqualTo(1.0);
  }
}
