package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.StartMessageMoveTaskRequest;
import software.amazon.awssdk.services.sqs.model.StartMessageMoveTaskResponse;

class DeadLetterQueueTest {

  @TempDir
  Path dir;

  @Test
  void theLastLoggedErrorOfEachMessageIsItsReasonAndOtherLinesAreIgnored() throws IOException {
    Path log = Files.writeString(
        dir.resolve("stack.log"),
        String.join(
            "\n",
            "INFO local stack started",
            "{\"level\":\"WARN\",\"messageId\":\"m1\",\"outcome\":\"RETRY\",\"attempts\":1,\"records\":[{\"subject\":"
                + "\"s3://b/a.png\",\"outcome\":\"RETRY\",\"detail\":\"first\"}]}",
            "{\"level\":\"WARN\",\"messageId\":\"m1\",\"outcome\":\"RETRY\",\"attempts\":2,\"records\":[{\"subject\":"
                + "\"s3://b/a.png\",\"outcome\":\"RETRY\",\"detail\":\"second\"}]}",
            "{\"level\":\"ERROR\",\"messageId\":\"m2\",\"outcome\":\"RETRY\",\"error\":\"java.lang.IllegalStateException:"
                + " bug\",\"stackTrace\":\"...\"}",
            "{\"level\":\"INFO\",\"messageId\":\"m3\",\"outcome\":\"CLASSIFIED\",\"records\":[]}",
            "{\"messageId\": broken RETRY",
            ""));

    assertThat(DeadLetterQueue.loggedErrors(log))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("m1", "s3://b/a.png: second", "m2", "java.lang.IllegalStateException: bug"));
    assertThat(DeadLetterQueue.loggedErrors(dir.resolve("absent.log"))).isEmpty();
  }

  @Test
  void onlyAnSqsThatDoesNotKnowTheMoveApiCountsAsUnsupported() {
    assertThat(DeadLetterQueue.unsupported(error(500, null)))
        .as("moto_server's HTML 500")
        .isTrue();
    assertThat(DeadLetterQueue.unsupported(error(400, "InvalidAction"))).isTrue();
    assertThat(DeadLetterQueue.unsupported(error(403, "AccessDenied"))).isFalse();
    assertThat(DeadLetterQueue.unsupported(error(400, "UnsupportedOperation"))).isTrue();
    assertThat(DeadLetterQueue.unsupported(error(400, "InvalidParameterValue"))).isFalse();
  }

  @Test
  void agesReadInTheLargestWholeUnit() {
    assertThat(DlqCommand.age(Duration.ofSeconds(-3))).isEqualTo("0 s");
    assertThat(DlqCommand.age(Duration.ofSeconds(119))).isEqualTo("119 s");
    assertThat(DlqCommand.age(Duration.ofMinutes(90))).isEqualTo("90 min");
    assertThat(DlqCommand.age(Duration.ofHours(30))).isEqualTo("30 h");
    assertThat(DlqCommand.age(Duration.ofDays(13))).isEqualTo("13 d");
  }

  @Test
  void redrivingEverythingAsksSqsToMoveFromTheDlqsArnToTheQueuesArn() {
    List<StartMessageMoveTaskRequest> asked = new ArrayList<>();
    SqsClient sqs = new SqsClient() {
      @Override
      public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
        String name = request.queueUrl().substring(request.queueUrl().lastIndexOf('/') + 1);
        assertThat(request.attributeNames()).containsExactly(QueueAttributeName.QUEUE_ARN);
        return GetQueueAttributesResponse.builder()
            .attributes(
                Map.of(QueueAttributeName.QUEUE_ARN, "arn:aws:sqs:eu-west-1:123456789012:" + name))
            .build();
      }

      @Override
      public StartMessageMoveTaskResponse startMessageMoveTask(
          StartMessageMoveTaskRequest request) {
        asked.add(request);
        return StartMessageMoveTaskResponse.builder().taskHandle("handle-1").build();
      }

      @Override
      public String serviceName() {
        return "sqs";
      }

      @Override
      public void close() {}
    };

    String handle = new DeadLetterQueue(
            sqs, "https://sqs.eu-west-1.amazonaws.com/123456789012/offhours-dlq", Map.of())
        .startMoveTask("https://sqs.eu-west-1.amazonaws.com/123456789012/offhours-queue");

    assertThat(handle).isEqualTo("handle-1");
    assertThat(asked).singleElement().satisfies(r -> {
      assertThat(r.sourceArn()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:offhours-dlq");
      assertThat(r.destinationArn()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:offhours-queue");
    });
  }

  private static SqsException error(int status, String code) {
    return (SqsException) SqsException.builder()
        .statusCode(status)
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode(code).errorMessage("x").build())
        .build();
  }
}
