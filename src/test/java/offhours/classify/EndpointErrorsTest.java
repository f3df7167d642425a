package offhours.classify;

import static org.assertj.core.api.Assertions.assertThat;

import offhours.classify.EndpointErrors.Decision;
import offhours.classify.Outcome.Kind;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalDependencyException;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalFailureException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sagemakerruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

class EndpointErrorsTest {

  private static AwsErrorDetails details(String code, String message) {
    return AwsErrorDetails.builder().errorCode(code).errorMessage(message).build();
  }

  private static Decision classify(Exception e) {
    return EndpointErrors.classify((software.amazon.awssdk.core.exception.SdkException) e, 1);
  }

  @Test
  void anAbsentEndpointDefersTheWholeBatch() {
    // The exact text SageMaker gives for a deleted or never-created endpoint.
    Decision d = classify(ValidationErrorException.builder().statusCode(400)
        .awsErrorDetails(details("ValidationError", "Endpoint offhours-endpoint of account 123456789012 not found.")).build());

    assertThat(d).isEqualTo(new Decision(Kind.DEFERRED, true,
        "endpoint unavailable (ValidationError): Endpoint offhours-endpoint of account 123456789012 not found."));
  }

  @Test
  void theValidationExceptionSpellingOfEmulatorsIsUnderstoodToo() {
    Decision d = classify(SageMakerRuntimeException.builder().statusCode(400)
        .awsErrorDetails(details("ValidationException", "Endpoint x of account y not found.")).build());

    assertThat(d.kind()).isEqualTo(Kind.DEFERRED);
    assertThat(d.endpointDown()).isTrue();
  }

  @Test
  void anEndpointThatIsNotInServiceDefers() {
    for (String message : new String[] {
        "Endpoint offhours-endpoint of account 123456789012 is not in service.",
        "Endpoint offhours-endpoint is in Creating status",
        "Endpoint offhours-endpoint is being updated"}) {
      assertThat(classify(ValidationErrorException.builder().statusCode(400)
          .awsErrorDetails(details("ValidationError", message)).build()).kind()).as(message).isEqualTo(Kind.DEFERRED);
    }
  }

  @Test
  void anyOtherValidationErrorIsAVerdictOnTheImage() {
    Decision d = classify(ValidationErrorException.builder().statusCode(400)
        .awsErrorDetails(details("ValidationError", "Request body too large")).build());

    assertThat(d).isEqualTo(new Decision(Kind.REJECTED, false, "the endpoint rejected the image: Request body too large"));
  }

  @Test
  void notReadyUnavailableAndInternalFailuresDefer() {
    assertThat(classify(ModelNotReadyException.builder().statusCode(429)
        .awsErrorDetails(details("ModelNotReadyException", "Model is loading")).build()))
        .isEqualTo(new Decision(Kind.DEFERRED, true, "endpoint unavailable (ModelNotReadyException): Model is loading"));
    assertThat(classify(ServiceUnavailableException.builder().statusCode(503).build()).kind()).isEqualTo(Kind.DEFERRED);
    assertThat(classify(InternalFailureException.builder().statusCode(500).build()).kind()).isEqualTo(Kind.DEFERRED);
    assertThat(classify(InternalDependencyException.builder().statusCode(530).build()).kind()).isEqualTo(Kind.DEFERRED);
  }

  @Test
  void throttlingAndUnmodelled5xxDefer() {
    assertThat(classify(SageMakerRuntimeException.builder().statusCode(400)
        .awsErrorDetails(details("ThrottlingException", "Rate exceeded")).build()).endpointDown()).isTrue();
    assertThat(classify(SageMakerRuntimeException.builder().statusCode(429).build()).kind()).isEqualTo(Kind.DEFERRED);
    assertThat(classify(SageMakerRuntimeException.builder().statusCode(502).build()).kind()).isEqualTo(Kind.DEFERRED);
  }

  @Test
  void nothingAnsweringDefers() {
    assertThat(classify(SdkClientException.create("Unable to execute HTTP request: Connection refused")))
        .isEqualTo(new Decision(Kind.DEFERRED, true,
            "endpoint unavailable (SdkClientException): Unable to execute HTTP request: Connection refused"));
    assertThat(classify(ApiCallTimeoutException.create(60_000)).kind()).isEqualTo(Kind.DEFERRED);
  }

  @Test
  void aModel4xxIsAVerdictQuotingTheModel() {
    Decision d = classify(ModelErrorException.builder().statusCode(424).originalStatusCode(400)
        .originalMessage("cannot identify image file").message("Received client error (400) from model").build());

    assertThat(d).isEqualTo(new Decision(Kind.REJECTED, false, "the model could not read the image: cannot identify image file"));
  }

  @Test
  void aModelCrashIsRetriedUntilItsThirdReceiveThenRejected() {
    ModelErrorException crash = ModelErrorException.builder().statusCode(424).originalStatusCode(500)
        .originalMessage("worker died").build();

    assertThat(EndpointErrors.classify(crash, 2)).isEqualTo(new Decision(Kind.RETRY, false,
        "the model failed (status 500) on receive 2, retrying: worker died"));
    assertThat(EndpointErrors.classify(crash, 3)).isEqualTo(new Decision(Kind.REJECTED, false,
        "the model failed on this image 3 times (status 500): worker died"));
  }

  @Test
  void accessDeniedIsTheDeploymentsProblemAndRetried() {
    AwsServiceException denied = SageMakerRuntimeException.builder().statusCode(403)
        .awsErrorDetails(details("AccessDeniedException", "not authorized to perform: sagemaker:InvokeEndpoint")).build();

    assertThat(classify(denied)).isEqualTo(new Decision(Kind.RETRY, false,
        "InvokeEndpoint failed with AccessDeniedException: not authorized to perform: sagemaker:InvokeEndpoint"));
  }
}
