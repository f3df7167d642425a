package offhours.testing;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** An AWS service's error answer as the SDK builds it, for tests of what offhours shows and logs of it. */
public final class AwsAnswers {

  private AwsAnswers() {}

  /**
   * {@code builder} (SageMakerException.builder(), SqsException.builder() ...) with the status, request id, error code,
   * message and service name the SDK reads from an answer.
   */
  public static AwsServiceException refusal(
      AwsServiceException.Builder builder,
      int status,
      String requestId,
      String code,
      String message,
      String service) {
    return builder
        .statusCode(status)
        .requestId(requestId)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode(code)
            .errorMessage(message)
            .serviceName(service)
            .build())
        .build();
  }

  /**
   * What AWS answers a role without the permission: its message names the account and the caller's role, as
   * "User: arn:aws:sts::123456789012:assumed-role/ROLE/SESSION is not authorized to perform: ACTION on resource:
   * RESOURCE because no identity-based policy allows the ACTION action".
   */
  public static String denied(String role, String action, String resource) {
    return "User: arn:aws:sts::123456789012:assumed-role/" + role + "/session is not authorized to"
        + " perform: " + action + " on resource: " + resource + " because no identity-based policy"
        + " allows the " + action + " action";
  }
}
