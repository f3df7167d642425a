package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import offhours.endpoint.Backlog;
import offhours.endpoint.DisabledMapping;
import offhours.endpoint.TestEventSweep;
import offhours.testing.AwsAnswers;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** What local mode's start says of its sweep of S3's test event, on the stack's stderr (its log). */
class DeploymentWiringTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream progress = new PrintStream(out, true, StandardCharsets.UTF_8);

  /** A sweep of a queue whose every receive {@code failure} ends; the trigger is disabled, as at a local start. */
  private static TestEventSweep failingReceives(RuntimeException failure) {
    TestEventSweep.SweptQueue queue = new TestEventSweep.SweptQueue() {
      @Override
      public Optional<TestEventSweep.Held> receive(Duration wait, Duration hold) {
        throw failure;
      }

      @Override
      public void delete(TestEventSweep.Held message) {}

      @Override
      public void release(TestEventSweep.Held message) {}
    };
    Backlog unread = () -> {
      throw new AssertionError("a new queue's sweep reads no counters");
    };
    return DeploymentWiring.testEventSweep(
        new DisabledMapping("the sweep never switches the trigger"),
        unread,
        queue,
        Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC));
  }

  @Test
  void aCallAwsFailedIsPrintedWithAwsOwnAnswerAfterTheNote() {
    RuntimeException refused = AwsAnswers.refusal(
        SqsException.builder(),
        400,
        "r-9",
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.",
        "Sqs");

    DeploymentWiring.sweepTestEvent(failingReceives(refused), progress);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("test-event sweep stopped (the queue's receive or delete was refused"
            + " (AWS.SimpleQueueService.NonExistentQueue, HTTP 400)")
        .as("the local stack ran the sweep and its log has the line: not the controller's")
        .contains("; the local stack's log has AWS's answer")
        .doesNotContain("controller")
        .endsWith("; AWS's answer to the queue's receive or delete:"
            + " AWS.SimpleQueueService.NonExistentQueue (HTTP 400, request r-9): The specified"
            + " queue does not exist.\n");
  }

  @Test
  void aFailureThatIsNotAwssPrintsTheNoteAlone() {
    DeploymentWiring.sweepTestEvent(
        failingReceives(new IllegalStateException("the receipt was malformed")), progress);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("test-event sweep stopped (the receipt was malformed) after deleting")
        .doesNotContain("AWS's answer")
        .endsWith(" s\n");
  }
}
