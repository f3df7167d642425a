package offhours.inference;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalDependencyException;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalFailureException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.sagemakerruntime.model.ServiceUnavailableException;

/**
 * What a SageMaker error means, decided in this one place: for InvokeEndpoint (the consumer and the readiness
 * probe), and whether a control-plane answer says the endpoint does not exist. The error shapes are those of the
 * SageMaker Runtime model (ValidationError 400, ModelError 424, ModelNotReadyException 429, InternalFailure 500,
 * ServiceUnavailable 503, InternalDependencyException 530):
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html#API_runtime_InvokeEndpoint_Errors
 */
public final class InvocationErrors {

  /**
   * How the reason begins when the model refused the request's Content-Type or Accept: the deployment's headers are
   * wrong, so no image will ever be read until the settings change.
   */
  public static final String TYPE_REFUSED = "the model refused the request's ";

  /** What an InvokeEndpoint failure is. */
  public enum Cause {
    /** The endpoint cannot answer now (absent, not in service, no capacity, not ready, 5xx, unreachable): wait. */
    UNAVAILABLE,
    /**
     * The endpoint is in service but turned the request away as over its rate or concurrency (ThrottlingException,
     * HTTP 429; a serverless endpoint at its MaxConcurrency): it is alive and busy. Wait, as for UNAVAILABLE, but
     * this says nothing against the message, so waiting for it never counts toward giving up.
     */
    THROTTLED,
    /** The endpoint refused the request for a reason offhours does not know: not this image's fault; wait. */
    ENDPOINT,
    /**
     * The model refused this image as too large (413): the image's own fault, as much as an object over
     * MAX_IMAGE_BYTES is.
     */
    IMAGE,
    /**
     * SageMaker refused the request body as over the endpoint's own payload limit (ValidationError "Request ... has
     * oversize body", what a serverless endpoint, limited to 4 MB, answers a larger body) although the caller checked
     * the image against the stack's limit (MAX_IMAGE_BYTES) first: the endpoint is not of the stack's hosting. That is
     * the stack's serverless endpoint for the minutes after a switch to another hosting, until CloudFormation deletes
     * it. Not the image's fault, and the endpoint still serves smaller images: this message waits.
     */
    OVERSIZE,
    /**
     * The model answered a 4xx other than 413, 415 and 406, and other than one whose message says the content or
     * accept type is not supported: it says it could not read this image, but that is no proof by itself. A container
     * may answer 400 for any failure of its own: the Hugging Face inference toolkit answers every exception (CUDA out
     * of memory, a bug in the model) with 400. So the claim is checked with {@link ProbeImage}: if the model reads
     * that, the image is at fault; if not, the endpoint is.
     */
    UNREADABLE,
    /** The model failed on this image (5xx, or no answer within its time): maybe the image, maybe the model. */
    CRASH,
    /** The deployment is wrong (permissions, headers the model refuses, an error without a code): fix it. */
    DEPLOYMENT
  }

  /**
   * @param cause what the failure is
   * @param reason what happened and what to do, in offhours' words: what users read (a result's verdict, a deferral's
   *     reason, POST /classify's answer, the controller's outcome). Never SageMaker's own message, which may name the
   *     account and the caller's role ({@link AwsFailures#said} keeps it for an operator's log); a ModelError's reason
   *     quotes the container's own message as {@link ContainerText} shows it
   * @param originalStatus the container's own HTTP status for a ModelError (0 when it did not answer), else null
   * @param message the container's own message for a ModelError, as {@link ContainerText} shows it (null when it
   *     sent none), else null
   */
  public record Failure(Cause cause, String reason, Integer originalStatus, String message) {

    /** For a ModelError, the container's status and its message: "(status 500): worker died". */
    public String containerSaid() {
      return InvocationErrors.containerSaid(originalStatus, message);
    }
  }

  /**
   * The messages SageMaker gives while an endpoint cannot serve, e.g. "Endpoint x of account 123 not found."
   * (ValidationError), an endpoint being created, updated or deleted, one that failed, and an inference component
   * scaled to zero ("Inference Component has no capacity to process this request. ..."): the controller's
   * business, never the image's.
   */
  private static final Pattern UNAVAILABLE = Pattern.compile(
      "endpoint.*(not found|could not be found|not in service|not inservice|creating|being created|updating"
          + "|being updated|deleting|being deleted|failed state|status failed)|could not find endpoint"
          + "|inference component.*(no capacity|not found|could not be found)",
      Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  /**
   * SageMaker's answer to a body over a serverless endpoint's 4 MB: ValidationError "Request {request-id} has oversize
   * body." (https://github.com/aws/sagemaker-python-sdk/issues/4271; the limit:
   * https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-invoke.html).
   */
  private static final Pattern OVERSIZE_BODY =
      Pattern.compile("\\boversize body\\b", Pattern.CASE_INSENSITIVE);

  /**
   * A container's message that the request's media type is not supported, read in any 4xx: the Hugging Face toolkit
   * answers 400 "Content type application/x-image is not supported by this framework. ..." (the inference toolkit's
   * UnsupportedFormatError, raised for the Content-Type and for the Accept alike). Group 1 or 3 says which type the
   * message names.
   */
  private static final Pattern TYPE_NOT_SUPPORTED = Pattern.compile(
      "\\b(content|accept)[-_ ]?type\\b[^\\r\\n]{0,200}?\\b(is not|isn't|not) supported"
          + "|\\bunsupported (content|accept)[-_ ]?type\\b",
      Pattern.CASE_INSENSITIVE);

  /**
   * DescribeEndpoint and DeleteEndpoint answer a missing endpoint with ValidationException "Could not find endpoint
   * "arn..."." (not a 404); "Could not find endpoint configuration" is another resource.
   */
  private static final Pattern ENDPOINT_ABSENT =
      Pattern.compile("Could not find endpoint(?! configuration)");

  private InvocationErrors() {}

  /** Whether a control-plane error says that the endpoint does not exist. */
  public static boolean endpointAbsent(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return (code == null || code.equals("ValidationException") || code.equals("ResourceNotFound"))
        && ENDPOINT_ABSENT.matcher(message(e)).find();
  }

  /**
   * The bytes of the error body InvokeEndpoint answered, as the SDK received it (a ModelError's JSON carries the
   * container's status and message), 0 without one. A serverless endpoint bills a ModelError, and its data charge is
   * for data processed in and out (https://aws.amazon.com/sagemaker/pricing/, "Serverless Inference").
   */
  public static long responseBytes(SdkException error) {
    return error instanceof AwsServiceException service
            && service.awsErrorDetails() != null
            && service.awsErrorDetails().rawResponse() != null
        ? service.awsErrorDetails().rawResponse().asByteArrayUnsafe().length
        : 0;
  }

  /** What {@code error}, thrown by InvokeEndpoint, means. */
  public static Failure of(SdkException error) {
    if (error instanceof ModelErrorException model) {
      return modelError(model);
    }
    if (error instanceof ModelNotReadyException
        || error instanceof ServiceUnavailableException
        || error instanceof InternalFailureException
        || error instanceof InternalDependencyException) {
      return unavailable(error);
    }
    if (error instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      boolean coded = code != null && !code.isBlank();
      // The SDK models the shape as ValidationErrorException (code "ValidationError"); emulators
      // and other SDKs say "ValidationException". Both are matched by code, not class.
      if ("ValidationError".equals(code) || "ValidationException".equals(code)) {
        if (OVERSIZE_BODY.matcher(message(service)).find()) {
          return new Failure(
              Cause.OVERSIZE,
              "the endpoint refused the image as over its payload limit, though it is within the"
                  + " stack's (MAX_IMAGE_BYTES): the endpoint is not of the stack's hosting (a"
                  + " serverless one, which takes 4 MB, left from Hosting=serverless until the stack"
                  + " update deletes it), so the image is not to blame and waits",
              null,
              null);
        }
        return UNAVAILABLE.matcher(message(service)).find()
            ? unavailable(error)
            : new Failure(
                Cause.ENDPOINT,
                "the endpoint refused the request with a " + code + " whose message offhours does"
                    + " not know, so the image is not to blame and waits; " + IN_THE_LOG,
                null,
                null);
      }
      if (throttled(service)) {
        return unavailable(error, Cause.THROTTLED);
      }
      if (service.statusCode() >= 500) {
        return unavailable(error);
      }
      // AccessDenied, an unknown endpoint region, bad credentials, an answer without SageMaker's
      // error contract: a deployment problem, not the image's.
      return new Failure(
          Cause.DEPLOYMENT, deploymentWords(service, coded ? code : null), null, null);
    }
    if (error instanceof SdkClientException) {
      return unavailable(error); // connection refused, timeouts: nothing answered
    }
    // Not SageMaker's answer but the SDK's own failure, which may still quote an ARN.
    String sdk = ContainerText.shown(message(error));
    return new Failure(
        Cause.DEPLOYMENT,
        "InvokeEndpoint failed in the AWS SDK (" + error.getClass().getSimpleName() + ")"
            + (sdk == null ? "" : ": " + sdk),
        null,
        null);
  }

  /** Where a reason that does not quote SageMaker sends an operator for what SageMaker answered. */
  private static final String IN_THE_LOG = "what SageMaker answered is in the function's log";

  /**
   * A deployment's error in offhours' words. SageMaker's AccessDeniedException names the caller's role and the
   * endpoint's ARN, both with the account id ("User: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION is not authorized
   * to perform: sagemaker:InvokeEndpoint on resource: arn:aws:sagemaker:REGION:ACCOUNT:endpoint/NAME because no
   * identity-based policy allows the sagemaker:InvokeEndpoint action"): the reason says what to check instead.
   */
  private static String deploymentWords(AwsServiceException service, String code) {
    if (code == null) {
      return "InvokeEndpoint answered HTTP " + service.statusCode()
          + " without an error code, which"
          + " is not SageMaker's error contract: something else answered (a proxy, or an endpoint URL"
          + " that is not SageMaker's), so the image is not to blame; its answer is in the function's"
          + " log";
    }
    if (code.equals("AccessDeniedException") || code.equals("AccessDenied")) {
      return "the function's role may not call sagemaker:InvokeEndpoint on this endpoint ("
          + code + ", HTTP " + service.statusCode() + "): check that the role's policy allows it on"
          + " the endpoint's ARN and that the endpoint name is the stack's; the image is not to"
          + " blame";
    }
    return "InvokeEndpoint was refused with " + code + " (HTTP " + service.statusCode()
        + "), which offhours does not know: the deployment is at fault, not the image; "
        + IN_THE_LOG;
  }

  /**
   * The container answered with an error (ModelError only says that the container answered non-2xx). 415 and 406 are
   * about the request's Content-Type and Accept, which the deployment chose, and so is any 4xx whose message says the
   * content or accept type is not supported (the Hugging Face toolkit's 400); 413 is the image's size; any other 4xx
   * is the model saying it could not read the image, which a broken deployment says too (UNREADABLE); 5xx (and 0: no
   * answer within the model's time) is a crash.
   */
  private static Failure modelError(ModelErrorException error) {
    Integer status = error.originalStatusCode();
    // The container's own text only: SageMaker's message around it names the account and the
    // endpoint's CloudWatch log ("Received client error (400) from primary with message "...". See
    // https://...#logEventViewer:group=/aws/sagemaker/Endpoints/NAME in account ACCOUNT for more
    // information."), which sageMakerSaid keeps for the log.
    String original = error.originalMessage() != null ? error.originalMessage() : "";
    String shown = ContainerText.shown(original);
    Matcher unsupported = TYPE_NOT_SUPPORTED.matcher(original);
    boolean typeRefused =
        status != null && status >= 400 && status < 500 && status != 413 && unsupported.find();
    String said = containerSaid(status, shown);
    if (status != null && (status == 415 || status == 406 || typeRefused)) {
      boolean accept = status == 406
          || (status != 415
              && typeRefused
              && "accept".equalsIgnoreCase(acceptOrContent(unsupported)));
      return new Failure(
          Cause.DEPLOYMENT,
          TYPE_REFUSED + (accept ? "Accept" : "Content-Type") + " " + said
              + "; set the content type (auto sends image/jpeg or image/png) and accept settings"
              + " to what the container takes",
          status,
          shown);
    }
    if (status != null && status == 413) {
      return new Failure(
          Cause.IMAGE, "the model refused the image as too large " + said, status, shown);
    }
    if (status != null && status >= 400 && status < 500) {
      return new Failure(
          Cause.UNREADABLE, "the model could not read the image " + said, status, shown);
    }
    return new Failure(Cause.CRASH, "the model failed " + said, status, shown);
  }

  /** "(status 500): worker died", or "(status 500, without a message of its own)". */
  private static String containerSaid(Integer status, String shown) {
    return "(status " + (status == null ? "unknown" : status)
        + (shown == null ? ", without a message of its own)" : "): " + shown);
  }

  /** "content" or "accept", as the message that matched {@link #TYPE_NOT_SUPPORTED} named it. */
  private static String acceptOrContent(Matcher unsupported) {
    return unsupported.group(1) != null ? unsupported.group(1) : unsupported.group(3);
  }

  /**
   * A throttle: an error code of the SDK's throttling family (ThrottlingException, which is what SageMaker sends, with
   * HTTP 400, for a serverless endpoint at its MaxConcurrency) or HTTP 429. ModelNotReadyException is a 429 too, but
   * is matched before this as an endpoint that cannot serve yet.
   */
  private static boolean throttled(AwsServiceException service) {
    return service.isThrottlingException() || service.statusCode() == 429;
  }

  private static Failure unavailable(SdkException error) {
    return unavailable(error, Cause.UNAVAILABLE);
  }

  private static Failure unavailable(SdkException error, Cause cause) {
    return new Failure(cause, unavailableWords(error, cause), null, null);
  }

  /**
   * Why the endpoint cannot answer, in offhours' words: what users read (POST /classify's 202, a deferred message's
   * reason, the controller's test invocation). The service's own text names the account and the SDK's error codes,
   * which say nothing to them; {@link AwsFailures#said} keeps it for an operator's log.
   */
  private static String unavailableWords(SdkException error, Cause cause) {
    if (cause == Cause.THROTTLED) {
      return "the endpoint is busy: it turned the request away as over its rate or concurrency";
    }
    if (error instanceof ModelNotReadyException) {
      return "the endpoint's model is not ready yet";
    }
    if (error instanceof ApiCallTimeoutException
        || error instanceof ApiCallAttemptTimeoutException) {
      return "the endpoint did not answer in time";
    }
    if (error instanceof SdkClientException) {
      return "the endpoint could not be reached";
    }
    String text = message(error);
    for (int i = 0; i < STATES.length; i++) {
      if (STATES[i].matcher(text).find()) {
        return STATE_WORDS[i];
      }
    }
    return error instanceof AwsServiceException service && service.statusCode() >= 500
        ? "SageMaker could not serve the request now (HTTP " + service.statusCode() + ")"
        : "the endpoint cannot answer now";
  }

  /**
   * What the messages {@link #UNAVAILABLE} matches say, in order: the inference component's messages before the
   * endpoint's (a component's "not found" is not the endpoint's).
   */
  private static final Pattern[] STATES = Stream.of(
          "inference component.*no capacity",
          "inference component.*(not found|could not be found)",
          "endpoint.*(creating|being created)",
          "endpoint.*(updating|being updated)",
          "endpoint.*(deleting|being deleted)",
          "endpoint.*(failed state|status failed)",
          "endpoint.*(not found|could not be found)|could not find endpoint",
          "endpoint.*(not in service|not inservice)")
      .map(p -> Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.DOTALL))
      .toArray(Pattern[]::new);

  private static final String[] STATE_WORDS = {
    "the endpoint's inference component has no capacity now (scaled to zero, or still scaling out)",
    "the endpoint's inference component does not exist",
    "the endpoint is being created",
    "the endpoint is being updated",
    "the endpoint is being deleted",
    "the endpoint failed",
    "the endpoint is off: it does not exist now",
    "the endpoint is not in service"
  };

  private static String message(SdkException error) {
    return AwsFailures.message(error);
  }
}
