package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import offhours.cli.Target.Name;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * A queue that does not exist is said naming it, the output it came from and what to do, whichever code SQS answers it
 * with: moto_server answers AWS.SimpleQueueService.NonExistentQueue, which the SDK maps to no
 * QueueDoesNotExistException, and 'queue' and 'dlq list' said "Sqs answered AWS.SimpleQueueService.NonExistentQueue"
 * naming no queue.
 */
class MissingQueueTest {

  private static final String DLQ = "http://localhost:4566/000000000000/offhours-dlq";

  @Test
  void bothCodesNameTheQueueItsOutputAndWhatToDo() {
    for (SqsException missing : new SqsException[] {
      error("AWS.SimpleQueueService.NonExistentQueue"),
      error("QueueDoesNotExist"),
      QueueDoesNotExistException.builder().build()
    }) {
      assertThatThrownBy(() -> QueueCommand.onQueue(deployed(), Name.DLQ_URL, () -> {
            throw missing;
          }))
          .as(String.valueOf(missing.awsErrorDetails()))
          .isInstanceOf(CliException.class)
          .hasMessage("queue " + DLQ
              + " (DeadLetterQueueUrl of stack prod) does not exist; check that --stack names"
              + " the stack you mean; a queue deleted outside CloudFormation is not created again by an update that"
              + " changes nothing");
    }
    assertThatThrownBy(() ->
            QueueCommand.onQueue(TestTargets.local(Map.of(Name.DLQ_URL, DLQ)), Name.DLQ_URL, () -> {
              throw error("AWS.SimpleQueueService.NonExistentQueue");
            }))
        .hasMessageEndingWith(
            "does not exist; restart the local stack ('scripts/offhours local stop', then"
                + " 'scripts/offhours local start'), which creates its queues again");
  }

  @Test
  void anyOtherErrorIsThrownAsItCame() {
    SqsException denied = error("AccessDenied");
    assertThatThrownBy(() -> QueueCommand.onQueue(deployed(), Name.DLQ_URL, () -> {
          throw denied;
        }))
        .isSameAs(denied);
    assertThat(QueueCommand.onQueue(deployed(), Name.DLQ_URL, () -> "read")).isEqualTo("read");
  }

  private static Target deployed() {
    return TestTargets.deployed(Map.of(Name.DLQ_URL, DLQ), Map.of());
  }

  private static SqsException error(String code) {
    return (SqsException) SqsException.builder()
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode(code).serviceName("Sqs").build())
        .build();
  }
}
