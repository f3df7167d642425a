package offhours.classify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;

class InvokeContractTest {

  @Test
  void theApiSendsImagesAsTheConsumerDoes() {
    assertThat(InvokeContract.CONTENT_TYPE).isEqualTo(MessageClassifier.CONTENT_TYPE);
  }

  @Test
  void anAbsentEndpointIsUnavailableAndAValidationErrorAboutTheImageARejection() {
    assertThat(InvokeContract.failure(validation("Endpoint e of account 1 not found.")).meaning())
        .isEqualTo(InvokeContract.Meaning.UNAVAILABLE);
    assertThat(InvokeContract.failure(validation("Request body is too large")))
        .isEqualTo(new InvokeContract.Failure(InvokeContract.Meaning.REJECTED,
            "the endpoint rejected the image: Request body is too large"));
  }

  @Test
  void accessDeniedIsNeitherTheImagesFaultNorAWait() {
    SageMakerRuntimeException denied = (SageMakerRuntimeException) SageMakerRuntimeException.builder().statusCode(403)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").errorMessage("not allowed")
            .build()).build();

    assertThat(InvokeContract.failure(denied).meaning()).isEqualTo(InvokeContract.Meaning.FAILED);
  }

  private static SageMakerRuntimeException validation(String message) {
    return (SageMakerRuntimeException) SageMakerRuntimeException.builder().statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationError").errorMessage(message).build()).build();
  }
}
