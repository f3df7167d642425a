package offhours.endpoint;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.util.List;
import java.util.Map;
import offhours.testing.AwsAnswers;
import offhours.testing.FakeDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * A controller's call AWS refused: the outcome the control table keeps (what `endpoint status`, GET /status and the
 * page show) says it in offhours' words, with the call, the error code and what to do; AWS's own answer, which names
 * the account and the controller's role, is in the run's log line only.
 */
class ControllerFailureWordsTest {

  private static final String ACCOUNT = "123456789012";

  private final Rig rig = new Rig();

  private static String denied(String action, String resource) {
    return AwsAnswers.denied("offhours-ControllerRole-X1", action, resource);
  }

  @Test
  void aCreateEndpointDeniedIsShownInOffhoursWordsAndLoggedWhole() {
    String said = denied(
        "sagemaker:CreateEndpoint",
        "arn:aws:sagemaker:us-east-1:" + ACCOUNT + ":endpoint/offhours-endpoint");
    rig.createError = AwsAnswers.refusal(
        SageMakerException.builder(), 400, "8d2a", "AccessDeniedException", said, "SageMaker");
    ControllerHandlerTest.RecordedTick tick = ControllerHandlerTest.recordedTick(rig);
    List<String> logged = tick.logged();
    Map<String, Object> out = tick.out();
    FakeDynamoDb dynamo = tick.dynamo();
    DynamoControlTable control = tick.control();

    assertThat(logged)
        .singleElement(as(STRING))
        .endsWith(
            "; no timer queue; AWS's answer to CreateEndpoint: AccessDeniedException (HTTP 400,"
                + " request 8d2a): " + said);
    assertThat(List.of(
            out.toString(),
            dynamo.items.get("controller|decision").toString(),
            control.lastRecorded().orElseThrow().toString(),
            rig.state().lastAction()))
        .as("the function's answer, the recorded decision, what the status pages read back, the"
            + " control state")
        .allSatisfy(shown -> assertThat(shown)
            .contains("CreateEndpoint was refused: the controller's role may not call"
                + " sagemaker:CreateEndpoint (AccessDeniedException, HTTP 400); check its policy")
            .contains("the controller's log has AWS's answer")
            .doesNotContainPattern("(?<!\\d)\\d{12}(?!\\d)")
            .doesNotContain("arn:", "ControllerRole"));
  }

  @Test
  void aRetentionDeniedAfterAWakeIsLoggedWithAwsAnswerAndShownInOffhoursWordsOnly() {
    rig.inService();
    String said = "AWS's answer to PutRetentionPolicy 30 days on /aws/sagemaker/Endpoints/e:"
        + " AccessDeniedException (HTTP 400, request 5c1d): "
        + denied("logs:PutRetentionPolicy", "arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:e");
    rig.retentionProblems = List.of("log group /aws/sagemaker/Endpoints/e keeps its events as"
        + " before (PutRetentionPolicy 30 days was refused); the next wake tries again");
    rig.retentionSaid = List.of(said);
    ControllerHandlerTest.RecordedTick tick = ControllerHandlerTest.recordedTick(rig);

    assertThat(tick.logged()).singleElement(as(STRING)).endsWith("; no timer queue; " + said);
    assertThat(List.of(
            tick.out().toString(),
            tick.dynamo().items.get("controller|decision").toString(),
            tick.control().lastRecorded().orElseThrow().toString()))
        .allSatisfy(shown -> assertThat(shown)
            .contains("PutRetentionPolicy 30 days was refused")
            .doesNotContain(ACCOUNT, "5c1d", "AWS's answer"));
  }

  @Test
  void aTriggerPauseDeniedNamesLambdasActionAndKeepsTheRoleOut() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    String said = denied(
        "lambda:UpdateEventSourceMapping",
        "arn:aws:lambda:us-east-1:" + ACCOUNT + ":event-source-mapping:1f2e");
    rig.disableError = AwsAnswers.refusal(
        LambdaException.builder(), 403, "77aa", "AccessDeniedException", said, "Lambda");

    Decision d = rig.runAt("2026-01-14T20:00:00Z");

    assertThat(d.outcome())
        .startsWith("DISABLE_MAPPING failed, retry next run: UpdateEventSourceMapping was refused:"
            + " the controller's role may not call lambda:UpdateEventSourceMapping"
            + " (AccessDeniedException, HTTP 403)")
        .doesNotContainPattern("(?<!\\d)\\d{12}(?!\\d)")
        .doesNotContain("arn:");
    assertThat(d.awsSaid())
        .isEqualTo("AWS's answer to UpdateEventSourceMapping: AccessDeniedException (HTTP 403,"
            + " request 77aa): " + said);
  }

  @Test
  void aQuotaRefusalThatNamesAnArnDoesNotShowIt() {
    rig.createError = AwsAnswers.refusal(
        SageMakerException.builder(),
        400,
        null,
        "ResourceLimitExceeded",
        "The account-level service limit 'arn:aws:sagemaker:us-east-1:" + ACCOUNT + ":x' is 0"
            + " Instances",
        "SageMaker");

    Decision d = rig.run();

    assertThat(d.outcome())
        .contains("CreateEndpoint was refused for an account quota"
            + " (ResourceLimitExceeded, HTTP 400)")
        .doesNotContainPattern("(?<!\\d)\\d{12}(?!\\d)")
        .doesNotContain("arn:");
    assertThat(d.awsSaid()).contains(ACCOUNT);
  }
}
