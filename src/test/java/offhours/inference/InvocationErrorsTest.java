package offhours.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import offhours.inference.InvocationErrors.Cause;
import offhours.inference.InvocationErrors.Failure;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalDependencyException;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalFailureException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sagemakerruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

class InvocationErrorsTest {

  private static AwsErrorDetails details(String code, String message) {
    return AwsErrorDetails.builder().errorCode(code).errorMessage(message).build();
  }

  private static AwsServiceException validation(String message) {
    return ValidationErrorException.builder()
        .statusCode(400)
        .awsErrorDetails(details("ValidationError", message))
        .build();
  }

  @Test
  void anAbsentEndpointIsUnavailable() {
    // The exact text SageMaker gives for a deleted or never-created endpoint: the reason says it
    // in offhours' words (no account id, no error code); sageMakerSaid keeps the text for the log.
    assertThat(InvocationErrors.of(
            validation("Endpoint offhours-endpoint of account 123456789012 not found.")))
        .isEqualTo(new Failure(
            Cause.UNAVAILABLE, "the endpoint is off: it does not exist now", null, null));
  }

  @Test
  void anEndpointThatCannotAnswerIsSaidInOffhoursWordsWhateverSageMakerSaid() {
    assertThat(InvocationErrors.of(validation(
                "Endpoint arn:aws:sagemaker:us-east-1:123456789012:endpoint/e is in Creating status"
                    + " and is being created."))
            .reason())
        .isEqualTo("the endpoint is being created");
    assertThat(
            InvocationErrors.of(validation("Endpoint e of account 123456789012 is being deleted."))
                .reason())
        .isEqualTo("the endpoint is being deleted");
    assertThat(InvocationErrors.of(validation("Inference Component has no capacity to process this"
                + " request. ApplicationAutoScaling may be in-progress (if configured) or try to"
                + " increase the capacity by invoking UpdateInferenceComponentRuntimeConfig API."))
            .reason())
        .isEqualTo("the endpoint's inference component has no capacity now (scaled to zero, or"
            + " still scaling out)");
    assertThat(InvocationErrors.of(
                validation("Inference component c of account 123456789012 not found."))
            .reason())
        .isEqualTo("the endpoint's inference component does not exist");
    assertThat(InvocationErrors.of(
                ServiceUnavailableException.builder().statusCode(503).build())
            .reason())
        .isEqualTo("SageMaker could not serve the request now (HTTP 503)");
    assertThat(InvocationErrors.of(ApiCallTimeoutException.create(60_000)).reason())
        .isEqualTo("the endpoint did not answer in time");
  }

  @Test
  void theValidationExceptionSpellingOfEmulatorsIsUnderstoodToo() {
    assertThat(InvocationErrors.of(SageMakerRuntimeException.builder()
                .statusCode(400)
                .awsErrorDetails(
                    details("ValidationException", "Endpoint x of account y not found."))
                .build())
            .cause())
        .isEqualTo(Cause.UNAVAILABLE);
  }

  @Test
  void anEndpointThatIsNotInServiceOrAComponentWithoutCapacityIsUnavailable() {
    for (String message : new String[] {
      "Endpoint offhours-endpoint of account 123456789012 is not in service.",
      "Endpoint offhours-endpoint is in Creating status",
      "Endpoint offhours-endpoint is being updated",
      // Scale-to-zero hosting: the component has 0 copies (ValidationError, HTTP 400).
      "Inference Component has no capacity to process this request. ApplicationAutoScaling may be in-progress (if"
          + " configured) or try to increase the capacity by invoking UpdateInferenceComponentRuntimeConfig API."
    }) {
      assertThat(InvocationErrors.of(validation(message)).cause())
          .as(message)
          .isEqualTo(Cause.UNAVAILABLE);
    }
  }

  @Test
  void aValidationErrorOfUnknownWordingIsTheEndpointsNotTheImages() {
    assertThat(InvocationErrors.of(validation("Request body too large")))
        .isEqualTo(new Failure(
            Cause.ENDPOINT,
            "the endpoint refused the request with a ValidationError whose message offhours does"
                + " not know, so the image is not to blame and waits; what SageMaker answered is in"
                + " the function's log",
            null,
            null));
  }

  @Test
  void notReadyUnavailableAndInternalFailuresAreUnavailable() {
    assertThat(InvocationErrors.of(ModelNotReadyException.builder()
                .statusCode(429)
                .awsErrorDetails(details("ModelNotReadyException", "Model is loading"))
                .build())
            .reason())
        .isEqualTo("the endpoint's model is not ready yet");
    assertThat(InvocationErrors.of(
                ServiceUnavailableException.builder().statusCode(503).build())
            .cause())
        .isEqualTo(Cause.UNAVAILABLE);
    assertThat(InvocationErrors.of(
                InternalFailureException.builder().statusCode(500).build())
            .cause())
        .isEqualTo(Cause.UNAVAILABLE);
    assertThat(InvocationErrors.of(
                InternalDependencyException.builder().statusCode(530).build())
            .cause())
        .isEqualTo(Cause.UNAVAILABLE);
  }

  @Test
  void throttlingIsTheEndpointBusyNotUnavailable() {
    // What SageMaker sends for a serverless endpoint at its MaxConcurrency: HTTP 400, no message.
    Failure busy = InvocationErrors.of(SageMakerRuntimeException.builder()
        .statusCode(400)
        .awsErrorDetails(details("ThrottlingException", null))
        .build());
    assertThat(busy.cause()).isEqualTo(Cause.THROTTLED);
    assertThat(busy.reason())
        .isEqualTo(
            "the endpoint is busy: it turned the request away as over its rate or concurrency");
    assertThat(InvocationErrors.of(SageMakerRuntimeException.builder()
                .statusCode(400)
                .awsErrorDetails(details("ThrottlingException", "Rate exceeded"))
                .build())
            .cause())
        .isEqualTo(Cause.THROTTLED);
    assertThat(InvocationErrors.of(
                SageMakerRuntimeException.builder().statusCode(429).build())
            .cause())
        .isEqualTo(Cause.THROTTLED);
  }

  @Test
  void aModelNotReadyIsA429ButNotAThrottle() {
    assertThat(InvocationErrors.of(ModelNotReadyException.builder()
                .statusCode(429)
                .awsErrorDetails(details("ModelNotReadyException", "Model is loading"))
                .build())
            .cause())
        .isEqualTo(Cause.UNAVAILABLE);
  }

  @Test
  void unmodelled5xxAreUnavailable() {
    assertThat(InvocationErrors.of(
                SageMakerRuntimeException.builder().statusCode(502).build())
            .cause())
        .isEqualTo(Cause.UNAVAILABLE);
    assertThat(InvocationErrors.of(SageMakerRuntimeException.builder()
                .statusCode(503)
                .awsErrorDetails(details("SomethingNew", "down"))
                .build())
            .cause())
        .isEqualTo(Cause.UNAVAILABLE);
  }

  @Test
  void anErrorWithoutAnErrorCodeIsAClearContractErrorNotANullPointer() {
    Failure failure = InvocationErrors.of(SageMakerRuntimeException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder().errorMessage("bad request").build())
        .build());

    assertThat(failure.cause()).isEqualTo(Cause.DEPLOYMENT);
    assertThat(failure.reason())
        .isEqualTo("InvokeEndpoint answered HTTP 400 without an error code, which is not"
            + " SageMaker's error contract: something else answered (a proxy, or an endpoint URL"
            + " that is not SageMaker's), so the image is not to blame; its answer is in the"
            + " function's log");
    assertThat(InvocationErrors.of(SageMakerRuntimeException.builder()
                .statusCode(400)
                .message("no details")
                .build())
            .reason())
        .startsWith("InvokeEndpoint answered HTTP 400 without an error code");
  }

  /**
   * The reason says it in offhours' words; an operator's log keeps what SageMaker itself said: the code AWS's error
   * list knows, the status, the request id support asks for, the message, on one line.
   */
  @Test
  void whatSageMakerSaidKeepsItsCodeStatusRequestIdAndMessageOnOneLine() {
    assertThat(AwsFailures.said(InternalFailureException.builder()
            .statusCode(500)
            .requestId("7f3c")
            .awsErrorDetails(details("InternalFailure", "An internal error occurred.\nRetry."))
            .build()))
        .isEqualTo(
            "InternalFailure (HTTP 500, request 7f3c): An internal error occurred.\\x0aRetry.");
    assertThat(AwsFailures.said(
            validation("Endpoint offhours-endpoint of account 123456789012 not found.")))
        .isEqualTo("ValidationError (HTTP 400): Endpoint offhours-endpoint of account 123456789012"
            + " not found.");
    assertThat(AwsFailures.said(SageMakerRuntimeException.builder()
            .statusCode(502)
            .message("Bad Gateway")
            .build()))
        .as("no error code: the exception's class names it")
        .isEqualTo("SageMakerRuntimeException (HTTP 502): Bad Gateway");
    assertThat(AwsFailures.said(
            SdkClientException.create("Unable to execute HTTP request: Connection refused")))
        .isEqualTo("nothing (SdkClientException: Unable to execute HTTP request: Connection"
            + " refused)");
  }

  @Test
  void nothingAnsweringIsUnavailable() {
    assertThat(InvocationErrors.of(
                SdkClientException.create("Unable to execute HTTP request: Connection refused"))
            .reason())
        .isEqualTo("the endpoint could not be reached");
    assertThat(InvocationErrors.of(ApiCallTimeoutException.create(60_000)).cause())
        .isEqualTo(Cause.UNAVAILABLE);
  }

  @Test
  void aModel4xxSaysTheModelCouldNotReadTheImageButIsNoVerdictByItself() {
    assertThat(InvocationErrors.of(ModelErrorException.builder()
            .statusCode(424)
            .originalStatusCode(400)
            .originalMessage("cannot identify image file")
            .message("Received client error (400) from model")
            .build()))
        .isEqualTo(new Failure(
            Cause.UNREADABLE,
            "the model could not read the image (status 400): cannot identify image file",
            400,
            "cannot identify image file"));
    // The Hugging Face toolkit's answer to a CUDA out-of-memory: a 400 like any other failure.
    assertThat(InvocationErrors.of(ModelErrorException.builder()
                .statusCode(424)
                .originalStatusCode(400)
                .originalMessage("{\"code\": 400, \"type\": \"InternalServerException\","
                    + " \"message\": \"CUDA out of memory.\"}")
                .build())
            .cause())
        .isEqualTo(Cause.UNREADABLE);
    assertThat(InvocationErrors.of(ModelErrorException.builder()
                .statusCode(424)
                .originalStatusCode(422)
                .originalMessage("no")
                .build())
            .cause())
        .isEqualTo(Cause.UNREADABLE);
  }

  /**
   * A serverless endpoint (4 MB) answers a larger body with ValidationError "Request ... has oversize body."
   * (https://github.com/aws/sagemaker-python-sdk/issues/4271): an endpoint of another hosting than the stack's, whose
   * limit let the image through; never the image's fault, and no "too large" verdict.
   */
  @Test
  void anOversizeBodyIsTheEndpointsLimitNotTheImages() {
    Failure failure = InvocationErrors.of(ValidationErrorException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ValidationError")
            .errorMessage("Request 7c3f0e2a has oversize body.")
            .build())
        .build());
    assertThat(failure.cause()).isEqualTo(Cause.OVERSIZE);
    assertThat(failure.reason())
        .startsWith("the endpoint refused the image as over its payload limit, though it is within"
            + " the stack's (MAX_IMAGE_BYTES)");
  }

  @Test
  void aModel413IsAboutTheImagesSize() {
    assertThat(InvocationErrors.of(ModelErrorException.builder()
            .statusCode(424)
            .originalStatusCode(413)
            .originalMessage("image of 20000 x 20000 pixels needs 1.6 GB to decode")
            .build()))
        .isEqualTo(new Failure(
            Cause.IMAGE,
            "the model refused the image as too large (status 413): image of 20000 x 20000 pixels"
                + " needs 1.6 GB to decode",
            413,
            "image of 20000 x 20000 pixels needs 1.6 GB to decode"));
  }

  @Test
  void aModelRefusingTheContentTypeOrAcceptIsTheDeploymentsFaultNotTheImages() {
    Failure failure = InvocationErrors.of(ModelErrorException.builder()
        .statusCode(424)
        .originalStatusCode(415)
        .originalMessage("Content type application/x-image is not supported by this deployment")
        .build());

    assertThat(failure.cause()).isEqualTo(Cause.DEPLOYMENT);
    assertThat(failure.reason())
        .isEqualTo("the model refused the request's Content-Type (status 415): Content type"
            + " application/x-image is not supported by this deployment; set the content type (auto sends image/jpeg or"
            + " image/png) and accept settings to what the container takes");
    assertThat(InvocationErrors.of(ModelErrorException.builder()
                .statusCode(424)
                .originalStatusCode(406)
                .originalMessage("no")
                .build())
            .reason())
        .startsWith("the model refused the request's Accept (status 406)");
  }

  @Test
  void aModel4xxSayingTheContentOrAcceptTypeIsNotSupportedIsTheDeploymentsFaultNotTheImages() {
    // The Hugging Face toolkit answers the inference toolkit's UnsupportedFormatError with 400, in
    // the model server's JSON error body.
    String toolkit =
        "{\"code\": 400, \"type\": \"InternalServerException\", \"message\": \"Content type"
            + " application/x-image is not supported by this framework.\\n\\n    Please implement input_fn"
            + " to deserialize the request data or an output_fn to serialize the response.\"}";
    Failure failure = InvocationErrors.of(ModelErrorException.builder()
        .statusCode(424)
        .originalStatusCode(400)
        .originalMessage(toolkit)
        .build());

    // Shown on one line, its blanks as one space.
    String shown = toolkit.replace("\\n\\n    Please", "\\n\\n Please");
    assertThat(failure)
        .isEqualTo(new Failure(
            Cause.DEPLOYMENT,
            "the model refused the request's Content-Type (status 400): " + shown
                + "; set the content type (auto sends image/jpeg or image/png) and accept settings to"
                + " what the container takes",
            400,
            shown));
    for (String message : List.of(
        "CONTENT-TYPE image/vnd.ms-photo IS NOT SUPPORTED",
        "content_type image/webp isn't supported",
        "Unsupported content type: application/x-image")) {
      assertThat(reason(400, message))
          .as(message)
          .startsWith("the model refused the request's Content-Type (status 400): ");
    }
    assertThat(reason(422, "Accept type application/xml is not supported"))
        .startsWith("the model refused the request's Accept (status 422): ");
    assertThat(reason(400, "unsupported accept-type text/csv"))
        .startsWith("the model refused the request's Accept (status 400): ");
    assertThat(InvocationErrors.of(ModelErrorException.builder()
                .statusCode(424)
                .originalStatusCode(400)
                .originalMessage("cannot identify image file; this content is not supported")
                .build())
            .cause())
        .as("not supported, but not about the content type")
        .isEqualTo(Cause.UNREADABLE);
    assertThat(InvocationErrors.of(ModelErrorException.builder()
                .statusCode(424)
                .originalStatusCode(500)
                .originalMessage("Content type application/x-image is not supported")
                .build())
            .cause())
        .as("a 5xx stays a crash")
        .isEqualTo(Cause.CRASH);
  }

  private static String reason(int status, String message) {
    Failure failure = InvocationErrors.of(ModelErrorException.builder()
        .statusCode(424)
        .originalStatusCode(status)
        .originalMessage(message)
        .build());
    assertThat(failure.cause()).as(message).isEqualTo(Cause.DEPLOYMENT);
    return failure.reason();
  }

  @Test
  void aModel5xxOrNoAnswerIsACrash() {
    assertThat(InvocationErrors.of(ModelErrorException.builder()
            .statusCode(424)
            .originalStatusCode(500)
            .originalMessage("worker died")
            .build()))
        .isEqualTo(new Failure(
            Cause.CRASH, "the model failed (status 500): worker died", 500, "worker died"));
    assertThat(InvocationErrors.of(ModelErrorException.builder()
                .statusCode(424)
                .message("Received server error (500) from primary and could not load the entire"
                    + " response body.")
                .build())
            .reason())
        .as("SageMaker's message is not the container's")
        .isEqualTo("the model failed (status unknown, without a message of its own)");
  }

  @Test
  void accessDeniedIsTheDeploymentsProblem() {
    AwsServiceException denied = SageMakerRuntimeException.builder()
        .statusCode(403)
        .awsErrorDetails(
            details("AccessDeniedException", "not authorized to perform: sagemaker:InvokeEndpoint"))
        .build();

    assertThat(InvocationErrors.of(denied).reason())
        .startsWith("the function's role may not call sagemaker:InvokeEndpoint on this endpoint"
            + " (AccessDeniedException, HTTP 403)");
    assertThat(InvocationErrors.of(denied).cause()).isEqualTo(Cause.DEPLOYMENT);
  }

  @Test
  void anAbsentEndpointOnTheControlPlaneIsTheOneMessageAndNotAMissingConfig() {
    assertThat(
            InvocationErrors.endpointAbsent(
                control(
                    "ValidationException",
                    "Could not find endpoint \"arn:aws:sagemaker:us-east-1:1:endpoint/offhours-endpoint\".")))
        .isTrue();
    assertThat(
            InvocationErrors.endpointAbsent(
                control(
                    "ValidationException",
                    "Could not find endpoint configuration \"arn:aws:sagemaker:us-east-1:1:endpoint-config/c\".")))
        .isFalse();
    assertThat(InvocationErrors.endpointAbsent(
            control("AccessDeniedException", "Could not find endpoint x")))
        .isFalse();
    assertThat(InvocationErrors.endpointAbsent(
            control("ValidationException", "Endpoint name too long")))
        .isFalse();
  }

  private static SageMakerException control(String code, String message) {
    return (SageMakerException) SageMakerException.builder()
        .statusCode(400)
        .awsErrorDetails(details(code, message))
        .build();
  }
}
