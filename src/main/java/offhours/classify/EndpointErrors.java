package offhours.classify;

import java.util.Locale;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalDependencyException;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalFailureException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.sagemakerruntime.model.ServiceUnavailableException;

/**
 * Decides what an InvokeEndpoint failure means for the message. The error shapes are those of the
 * SageMaker Runtime model (ValidationError 400, ModelError 424, ModelNotReadyException 429,
 * InternalFailure 500, ServiceUnavailable 503, InternalDependencyException 530):
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html#API_runtime_InvokeEndpoint_Errors
 */
final class EndpointErrors {

  /** A model that crashes (5xx) on the same image on this many receives has found a poison image. */
  static final int MODEL_CRASH_RECEIVES = 3;

  /**
   * The messages SageMaker gives while an endpoint is absent or not serving, e.g. "Endpoint x of
   * account 123 not found." (ValidationError); an endpoint being created, updated or deleted, or one
   * that failed, is the controller's business, never the image's.
   */
  private static final Pattern ENDPOINT_UNAVAILABLE = Pattern.compile(
      "endpoint.*(not found|could not be found|not in service|not inservice|creating|being created|updating"
          + "|being updated|deleting|being deleted|failed state|status failed)|could not find endpoint",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private EndpointErrors() {}

  /**
   * What to do about {@code error}.
   *
   * @param endpointDown whether the rest of the batch should be deferred without invoking too
   */
  record Decision(Outcome.Kind kind, boolean endpointDown, String reason) {}

  /**
   * @param receives the SQS receive count of this copy of the message (deferrals reset it, so it counts
   *     only deliveries that reached the model or failed otherwise)
   */
  static Decision classify(SdkException error, int receives) {
    if (error instanceof ModelErrorException model) {
      return modelError(model, receives);
    }
    if (error instanceof ModelNotReadyException
        || error instanceof ServiceUnavailableException
        || error instanceof InternalFailureException
        || error instanceof InternalDependencyException) {
      return unavailable(error);
    }
    if (error instanceof AwsServiceException service) {
      String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode();
      String message = message(service);
      // The SDK models the shape as ValidationErrorException (code "ValidationError"); emulators and
      // other SDKs say "ValidationException". Both are matched by code, not class.
      if ("ValidationError".equals(code) || "ValidationException".equals(code)) {
        return ENDPOINT_UNAVAILABLE.matcher(message).find()
            ? unavailable(error)
            : new Decision(Outcome.Kind.REJECTED, false, "the endpoint rejected the image: " + message);
      }
      if (service.isThrottlingException() || service.statusCode() == 429 || service.statusCode() >= 500) {
        return unavailable(error);
      }
      // AccessDenied, an unknown endpoint region, bad credentials: a deployment problem, not the image's.
      return new Decision(Outcome.Kind.RETRY, false,
          "InvokeEndpoint failed with " + (code.isEmpty() ? "HTTP " + service.statusCode() : code) + ": " + message);
    }
    if (error instanceof SdkClientException) {
      return unavailable(error); // connection refused, timeouts: nothing answered
    }
    return new Decision(Outcome.Kind.RETRY, false, "InvokeEndpoint failed: " + error.getMessage());
  }

  /**
   * The container answered with an error. 4xx: it could not read this image, a verdict. 5xx: it crashed.
   * The endpoint is up, so this is not a deferral (the rest of the batch goes on); the message is retried
   * through SQS (its visibility timeout is the back-off), and on its {@value #MODEL_CRASH_RECEIVES}rd
   * receive it is poison and gets a verdict, before maxReceiveCount (5) would move it to the DLQ. The
   * receive count is used, not the deferral count, so hours spent waiting for the endpoint never count
   * as crashes.
   */
  private static Decision modelError(ModelErrorException error, int receives) {
    Integer status = error.originalStatusCode();
    String original = error.originalMessage() != null ? error.originalMessage() : message(error);
    if (status != null && status >= 400 && status < 500) {
      return new Decision(Outcome.Kind.REJECTED, false, "the model could not read the image: " + original);
    }
    if (receives >= MODEL_CRASH_RECEIVES) {
      return new Decision(Outcome.Kind.REJECTED, false, String.format(Locale.ROOT,
          "the model failed on this image %d times (status %s): %s", receives, status, original));
    }
    return new Decision(Outcome.Kind.RETRY, false,
        "the model failed (status " + status + ") on receive " + receives + ", retrying: " + original);
  }

  private static Decision unavailable(SdkException error) {
    String name = error instanceof AwsServiceException s && s.awsErrorDetails() != null
        && s.awsErrorDetails().errorCode() != null ? s.awsErrorDetails().errorCode() : error.getClass().getSimpleName();
    return new Decision(Outcome.Kind.DEFERRED, true, "endpoint unavailable (" + name + "): " + message(error));
  }

  private static String message(SdkException error) {
    if (error instanceof AwsServiceException s && s.awsErrorDetails() != null
        && s.awsErrorDetails().errorMessage() != null) {
      return s.awsErrorDetails().errorMessage();
    }
    return String.valueOf(error.getMessage());
  }
}
