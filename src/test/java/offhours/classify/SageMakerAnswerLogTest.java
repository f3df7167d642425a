package offhours.classify;

import static offhours.classify.ClassifyHandlerTest.event;
import static offhours.classify.ClassifyHandlerTest.failures;
import static offhours.classify.ClassifyHandlerTest.message;
import static offhours.classify.ClassifyHandlerTest.notification;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;

/**
 * When InvokeEndpoint fails, what users read (a result's reason, a deferral's reason, which `dlq` shows) is in
 * offhours' words, and the record's `service` field in the Classify log keeps what SageMaker itself answered, in the
 * controller's form (code, HTTP status, request id, message): its message names the account and the function's role.
 */
class SageMakerAnswerLogTest extends ClassifyRig {

  private static final String ACCOUNT = "123456789012";

  private JsonNode firstRecord() throws IOException {
    return logLines().getFirst().get("records").get(0);
  }

  @Test
  void anAccessDeniedIsRetriedInOffhoursWordsAndTheLogKeepsSageMakersAnswer() throws IOException {
    String said =
        "User: arn:aws:sts::" + ACCOUNT + ":assumed-role/offhours-ClassifyRole/offhours-Classify"
            + " is not authorized to perform: sagemaker:InvokeEndpoint on resource: arn:aws:sagemaker:"
            + "us-east-1:" + ACCOUNT
            + ":endpoint/offhours-endpoint because no identity-based policy allows"
            + " the sagemaker:InvokeEndpoint action";
    runtime.answer = r -> {
      throw SageMakerRuntimeException.builder()
          .statusCode(400)
          .requestId("5c1e7d2a")
          .awsErrorDetails(AwsErrorDetails.builder()
              .errorCode("AccessDeniedException")
              .errorMessage(said)
              .build())
          .build();
    };

    SQSBatchResponse response = run(event(message("m1", notification("a.jpg", 112525L, "e1", ""))));

    assertThat(failures(response)).containsExactly("m1");
    assertThat(firstRecord().get("detail").asText())
        .doesNotContainPattern("\\d{12}")
        .doesNotContain("arn:")
        .startsWith("the function's role may not call sagemaker:InvokeEndpoint on this endpoint");
    assertThat(firstRecord().get("service").asText())
        .isEqualTo("AccessDeniedException (HTTP 400, request 5c1e7d2a): " + said);
  }

  @Test
  void
      aCrashSettledAgainstTheBatchKeepsSageMakersAnswerInTheLogAndOnlyTheContainersWordsInTheReason()
          throws IOException {
    runtime.answer = r -> {
      throw ModelErrorException.builder()
          .statusCode(424)
          .originalStatusCode(500)
          .originalMessage("worker died")
          .awsErrorDetails(AwsErrorDetails.builder()
              .errorCode("ModelError")
              .errorMessage("Received server error (500) from primary with message \"worker died\"."
                  + " See https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"
                  + "#logEventViewer:group=/aws/sagemaker/Endpoints/offhours-endpoint in account "
                  + ACCOUNT + " for more information.")
              .build())
          .build();
    };

    run(twoImages(), "BATCH_CONCURRENCY", "1");

    assertThat(sqs.sent)
        .extracting(c -> c.messageAttributes().get("offhours-deferral-reason").stringValue())
        .first()
        .isEqualTo("the model failed on other images of this batch too (status 500): worker died;"
            + " the endpoint is at fault, not this image");
    assertThat(firstRecord().get("service").asText())
        .as("the crash, settled once the batch is known, still logs SageMaker's answer")
        .isEqualTo("ModelError (HTTP 424): Received server error (500) from primary with message"
            + " \"worker died\". See https://us-east-1.console.aws.amazon.com/cloudwatch/home?region"
            + "=us-east-1#logEventViewer:group=/aws/sagemaker/Endpoints/offhours-endpoint in account "
            + ACCOUNT + " for more information.");
  }
}
