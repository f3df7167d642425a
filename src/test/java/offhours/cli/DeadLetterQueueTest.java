package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.model.SqsException;

class DeadLetterQueueTest {

  @TempDir Path dir;

  @Test
  void theLastLoggedErrorOfEachMessageIsItsReasonAndOtherLinesAreIgnored() throws IOException {
    Path log = Files.writeString(dir.resolve("stack.log"), String.join("\n",
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

    assertThat(DeadLetterQueue.loggedErrors(log)).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
        "m1", "s3://b/a.png: second", "m2", "java.lang.IllegalStateException: bug"));
    assertThat(DeadLetterQueue.loggedErrors(dir.resolve("absent.log"))).isEmpty();
  }

  @Test
  void onlyAnSqsThatDoesNotKnowTheMoveApiCountsAsUnsupported() {
    assertThat(DeadLetterQueue.unsupported(error(500, null))).as("moto_server's HTML 500").isTrue();
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

  private static SqsException error(int status, String code) {
    return (SqsException) SqsException.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("x").build()).build();
  }
}
