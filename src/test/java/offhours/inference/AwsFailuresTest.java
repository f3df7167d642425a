package offhours.inference;

import static org.assertj.core.api.Assertions.assertThat;

import offhours.testing.AwsAnswers;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** A failed AWS call in offhours' words for what is shown, and AWS's own answer for the log. */
class AwsFailuresTest {

  /** What SageMaker answers a role without the permission (its message names the account and the role). */
  static final String DENIED =
      "User: arn:aws:sts::123456789012:assumed-role/offhours-ControllerRole-X1/"
          + "offhours-Controller is not authorized to perform: sagemaker:CreateEndpoint on resource:"
          + " arn:aws:sagemaker:us-east-1:123456789012:endpoint/offhours-endpoint because no"
          + " identity-based policy allows the sagemaker:CreateEndpoint action";

  static AwsServiceException answered(int status, String code, String message) {
    return AwsAnswers.refusal(
        AwsServiceException.builder(), status, "5c1e", code, message, "SageMaker");
  }

  @Test
  void anAccessDeniedNamesTheCallTheActionTheCodeAndTheAdviceButNeitherAccountNorRole() {
    String words = AwsFailures.words(
        "CreateEndpoint", "the controller", answered(400, "AccessDeniedException", DENIED));

    assertThat(words)
        .isEqualTo("CreateEndpoint was refused: the controller's role may not call"
            + " sagemaker:CreateEndpoint (AccessDeniedException, HTTP 400); check its policy in the"
            + " stack's template and that the resource is the stack's; the controller's log has AWS's"
            + " answer")
        .doesNotContainPattern("\\d{12}")
        .doesNotContain("arn:", "ControllerRole");
  }

  @Test
  void theLogGetsAwsOwnAnswerWhole() {
    assertThat(AwsFailures.said(answered(400, "AccessDeniedException", DENIED)))
        .isEqualTo("AccessDeniedException (HTTP 400, request 5c1e): " + DENIED);
    assertThat(
            AwsFailures.said(SdkClientException.create("Connect to localhost:1 failed\nrefused")))
        .isEqualTo("nothing (SdkClientException: Connect to localhost:1 failed\\x0arefused)");
  }

  @Test
  void eachKindOfFailureHasItsOwnWords() {
    assertThat(AwsFailures.words(
            "DeleteEndpoint",
            "the controller",
            answered(400, "ThrottlingException", "Rate exceeded")))
        .startsWith(
            "DeleteEndpoint was throttled (ThrottlingException, HTTP 400): AWS turned it away"
                + " as over its rate for now");
    assertThat(AwsFailures.words(
            "CreateEndpoint",
            "the controller",
            answered(
                400,
                "ValidationException",
                "Could not find model \"arn:aws:sagemaker:" + "us-east-1:123456789012:model/m\".")))
        .startsWith(
            "CreateEndpoint was refused as invalid (ValidationException, HTTP 400): AWS found"
                + " a parameter, or the resource's state, wrong for it")
        .doesNotContain("arn:", "123456789012");
    assertThat(AwsFailures.words(
            "UpdateEventSourceMapping",
            "the controller",
            answered(409, "ResourceConflictException", "The operation cannot be performed")))
        .startsWith(
            "UpdateEventSourceMapping was refused (ResourceConflictException, HTTP 409): the"
                + " resource is changing already");
    assertThat(AwsFailures.words(
            "CreateEndpoint", "the controller", answered(500, "InternalFailure", "oops")))
        .startsWith("CreateEndpoint failed on AWS's side (InternalFailure, HTTP 500)");
    assertThat(AwsFailures.words(
            "CreateEndpoint",
            "the controller",
            answered(400, "SomethingNew", "account 123456789012")))
        .isEqualTo(
            "CreateEndpoint was refused (SomethingNew, HTTP 400), which offhours does not know;"
                + " the controller's log has AWS's answer");
    assertThat(AwsFailures.words(
            "a DynamoDb call for GET /status",
            "the API function",
            SdkClientException.create("Unable to execute HTTP request: 123456789012")))
        .isEqualTo("a DynamoDb call for GET /status could not reach AWS (SdkClientException: no"
            + " answer, or not one the SDK could read); the API function's log has AWS's answer");
    assertThat(AwsFailures.words(
            "CreateEndpoint",
            "the controller",
            AwsServiceException.builder()
                .statusCode(403)
                .message("<html>arn:x</html>")
                .build()))
        .startsWith("CreateEndpoint was answered HTTP 403 without an error code");
  }

  @Test
  void offhoursOwnExceptionKeepsItsMessage() {
    assertThat(AwsFailures.words(
            "CreateEndpoint", "the controller", new IllegalStateException("no model set")))
        .isEqualTo("no model set");
  }
}
