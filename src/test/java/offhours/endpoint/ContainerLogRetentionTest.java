package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

class ContainerLogRetentionTest {

  /** Answers PutRetentionPolicy as CloudWatch Logs would for these groups: a group without an answer succeeds. */
  private static final class Logs implements CloudWatchLogsClient {
    final List<String> calls = new ArrayList<>();
    final Map<String, RuntimeException> errors;

    Logs(Map<String, RuntimeException> errors) {
      this.errors = errors;
    }

    @Override
    public PutRetentionPolicyResponse putRetentionPolicy(PutRetentionPolicyRequest request) {
      calls.add(request.logGroupName() + " " + request.retentionInDays());
      RuntimeException error = errors.get(request.logGroupName());
      if (error != null) {
        throw error;
      }
      return PutRetentionPolicyResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "logs";
    }

    @Override
    public void close() {}
  }

  @Test
  void theGroupsAreTheEndpointsAndWithScaleToZeroItsComponentsToo() {
    assertThat(ContainerLogRetention.groups(Hosting.SCHEDULED, "offhours-endpoint-abc", null))
        .containsExactly("/aws/sagemaker/Endpoints/offhours-endpoint-abc");
    assertThat(ContainerLogRetention.groups(Hosting.SERVERLESS, "offhours-endpoint-abc", null))
        .as("a serverless endpoint logs to the same group")
        .containsExactly("/aws/sagemaker/Endpoints/offhours-endpoint-abc");
    assertThat(ContainerLogRetention.groups(
            Hosting.SCALE_TO_ZERO, "offhours-endpoint-abc", "offhours-component-abc"))
        .containsExactly(
            "/aws/sagemaker/InferenceComponents/offhours-component-abc",
            "/aws/sagemaker/Endpoints/offhours-endpoint-abc");
  }

  @Test
  void everyGroupGetsTheStacksRetention() {
    Logs logs = new Logs(Map.of());
    List<String> problems = new ContainerLogRetention(
            logs, List.of("/aws/sagemaker/InferenceComponents/c", "/aws/sagemaker/Endpoints/e"), 14)
        .afterWake(new ArrayList<>());
    assertThat(problems).isEmpty();
    assertThat(logs.calls)
        .containsExactly(
            "/aws/sagemaker/InferenceComponents/c 14", "/aws/sagemaker/Endpoints/e 14");
  }

  @Test
  void aGroupSageMakerHasNotCreatedIsPassedOverAndTheOthersStillGetIt() {
    Logs logs = new Logs(Map.of(
        "/aws/sagemaker/Endpoints/e",
        ResourceNotFoundException.builder()
            .message("The specified log group does not exist.")
            .build()));
    List<String> problems = new ContainerLogRetention(
            logs, List.of("/aws/sagemaker/Endpoints/e", "/aws/sagemaker/InferenceComponents/c"), 30)
        .afterWake(new ArrayList<>());
    assertThat(problems).as("nothing is stored in a group that does not exist").isEmpty();
    assertThat(logs.calls).hasSize(2);
  }

  @Test
  void aServingEndpointsGroupsAreSetOncePerProcessUntilItSucceeded() {
    Map<String, RuntimeException> errors = new java.util.HashMap<>();
    errors.put(
        "/aws/sagemaker/Endpoints/e",
        CloudWatchLogsException.builder()
            .message("Rate exceeded")
            .statusCode(400)
            .build());
    Logs logs = new Logs(errors);
    ContainerLogRetention retention =
        new ContainerLogRetention(logs, List.of("/aws/sagemaker/Endpoints/e"), 30);

    assertThat(retention.whileServing(new ArrayList<>())).hasSize(1);
    assertThat(retention.whileServing(new ArrayList<>()))
        .as("tried again after a failure")
        .hasSize(1);
    errors.clear();
    assertThat(retention.whileServing(new ArrayList<>())).isEmpty();
    assertThat(retention.whileServing(new ArrayList<>()))
        .as("set in this process: no further call")
        .isEmpty();
    assertThat(logs.calls).hasSize(3);
    retention.afterWake(new ArrayList<>());
    assertThat(logs.calls).as("a wake sets it again").hasSize(4);
  }

  @Test
  void aGroupThatDoesNotExistSettlesTheServingRunsToo() {
    Logs logs = new Logs(Map.of(
        "/aws/sagemaker/Endpoints/e",
        ResourceNotFoundException.builder().message("does not exist").build()));
    ContainerLogRetention retention =
        new ContainerLogRetention(logs, List.of("/aws/sagemaker/Endpoints/e"), 30);
    retention.whileServing(new ArrayList<>());
    retention.whileServing(new ArrayList<>());
    assertThat(logs.calls)
        .as(
            "the endpoint's group under scale-to-zero never exists: one call per process, not per run")
        .hasSize(1);
  }

  @Test
  void anyOtherFailureIsReportedWithTheGroupAndNeverThrown() {
    Logs logs = new Logs(Map.of(
        "/aws/sagemaker/Endpoints/e",
        CloudWatchLogsException.builder()
            .message("User is not authorized to perform: logs:PutRetentionPolicy")
            .awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("AccessDeniedException")
                .serviceName("CloudWatchLogs")
                .build())
            .statusCode(400)
            .requestId("r-1")
            .build()));
    List<String> awsSaid = new ArrayList<>();
    List<String> problems = new ContainerLogRetention(
            logs, List.of("/aws/sagemaker/Endpoints/e"), 30)
        .afterWake(awsSaid);
    assertThat(awsSaid)
        .as("AWS's own answer, for the run's log line only")
        .containsExactly(
            "AWS's answer to PutRetentionPolicy 30 days on /aws/sagemaker/Endpoints/e:"
                + " AccessDeniedException (HTTP 400, request r-1): User is not authorized to perform:"
                + " logs:PutRetentionPolicy (Service: CloudWatchLogs, Status Code: 400, Request ID: r-1)");
    assertThat(problems)
        .containsExactly("log group /aws/sagemaker/Endpoints/e keeps its events as before"
            + " (PutRetentionPolicy 30 days was refused: the controller's role may not call"
            + " logs:PutRetentionPolicy (AccessDeniedException, HTTP 400); check its policy in the"
            + " stack's template and that the resource is the stack's; the controller's log has AWS's"
            + " answer); the next wake tries again");
  }

  @Test
  void aRetentionOfOneDayIsSaidInTheSingular() {
    Logs logs = new Logs(Map.of(
        "/aws/sagemaker/Endpoints/e",
        CloudWatchLogsException.builder().message("denied").build()));
    List<String> problems = new ContainerLogRetention(
            logs, List.of("/aws/sagemaker/Endpoints/e"), 1)
        .afterWake(new ArrayList<>());
    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst()).contains("(PutRetentionPolicy 1 day was answered HTTP 0");
  }
}
