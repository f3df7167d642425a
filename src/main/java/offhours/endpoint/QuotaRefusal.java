package offhours.endpoint;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.inference.AwsFailures;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * SageMaker's refusal of a call for an account quota: ResourceLimitExceeded, e.g. "The account-level service limit
 * 'ml.m5.large for endpoint usage' is 0 Instances, with current utilization of 0 Instances and a request delta of 1
 * Instances. Please use AWS Service Quotas to request an increase for this quota."
 * (https://github.com/aws-samples/aws-genai-llm-chatbot/issues/244). A young account's quota for many instance types
 * is 0, so this is what a first deploy meets; the controller's reason names the quota and the command that checks it.
 * Any other failure of a controller's call is said by {@link AwsFailures#words}.
 */
final class QuotaRefusal {

  private static final String ERROR_CODE = "ResourceLimitExceeded";

  /** The quota's name between the message's first quotes. */
  private static final Pattern QUOTED = Pattern.compile("'([^']{1,200})'");

  /** An ARN or a 12-digit account id. */
  private static final Pattern NAMES_ACCOUNT =
      Pattern.compile("arn:|(?<!\\d)\\d{12}(?!\\d)", Pattern.CASE_INSENSITIVE);

  /** Whose role and whose log {@link AwsFailures#words} names. */
  static final String CALLER = "the controller";

  private QuotaRefusal() {}

  /** The quota SageMaker named, if {@code e} is such a refusal ("a SageMaker quota" when it named none). */
  private static Optional<String> quota(RuntimeException e) {
    if (!(e instanceof AwsServiceException aws)
        || aws.awsErrorDetails() == null
        || !ERROR_CODE.equals(aws.awsErrorDetails().errorCode())) {
      return Optional.empty();
    }
    String message = String.valueOf(aws.awsErrorDetails().errorMessage());
    Matcher quoted = QUOTED.matcher(message);
    return Optional.of(quoted.find() ? "'" + quoted.group(1) + "'" : "a SageMaker quota");
  }

  /**
   * {@code e}, thrown by {@code call}, in offhours' words ({@link AwsFailures#words}); for a quota refusal, which quota
   * and what to do. The quota's name is SageMaker's, and carries no account; one that looks as if it did is not named.
   */
  static String reason(String call, RuntimeException e) {
    return quota(e)
        .map(q -> q.startsWith("'") && !NAMES_ACCOUNT.matcher(q).find()
            ? "the account's quota " + q
            : "an account quota")
        .map(q -> call + " was refused for " + q + " ("
            + ERROR_CODE + ", HTTP " + ((AwsServiceException) e).statusCode() + "), too low"
            + " for this stack: compare the stack's needs with the account's quotas and request an"
            + " increase with 'scripts/offhours quotas --stack STACK'; the controller retries after"
            + " its backoff")
        .orElseGet(() -> AwsFailures.words(call, CALLER, e));
  }
}
