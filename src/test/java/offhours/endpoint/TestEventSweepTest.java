package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import offhours.testing.AwsAnswers;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** The deploy-time sweep of S3's test event over a queue in memory; its long polls move a paused clock. */
class TestEventSweepTest {
  private static final Duration BUDGET = Duration.ofSeconds(240);

  private final PausedTime time = new PausedTime(Instant.parse("2026-01-14T09:00:00Z"));

  private TestEventSweep sweep(MemoryQueue queue) {
    return new TestEventSweep(
        new DisabledMapping("the sweep never switches the trigger"),
        queue,
        queue,
        time,
        "the sweeper");
  }

  @Test
  void theTestEventIsDeletedAndOneEmptyPollEndsTheSweep() {
    MemoryQueue queue = new MemoryQueue(time, MemoryQueue.TEST_EVENT);

    TestEventSweep.Swept swept = sweep(queue).sweep(false, BUDGET);

    assertThat(swept.deleted()).isEqualTo(1);
    assertThat(swept.note())
        .isEqualTo("test-event sweep: deleted 1 s3:TestEvent message; the queue is empty");
    assertThat(queue.messages).isEmpty();
    assertThat(queue.calls).containsExactly("receive 10 s", "delete", "receive 10 s");
    assertThat(time.waited()).isEqualTo(TestEventSweep.POLL);
  }

  @Test
  void anUploadIsHandedBackAtOnceWithItsOneReceiveAndTheSweepStopsThere() {
    MemoryQueue queue =
        new MemoryQueue(time, MemoryQueue.TEST_EVENT, MemoryQueue.UPLOAD, MemoryQueue.UPLOAD);

    TestEventSweep.Swept swept = sweep(queue).sweep(false, BUDGET);

    assertThat(swept.deleted()).isEqualTo(1);
    assertThat(swept.note())
        .isEqualTo(
            "test-event sweep: deleted 1 s3:TestEvent message;"
                + " stopped at a message that is no test event, visible again at once (one receive spent)");
    assertThat(queue.calls).containsExactly("receive 10 s", "delete", "receive 10 s", "release");
    assertThat(queue.messages)
        .extracting(m -> m.body, m -> m.receives, m -> m.held)
        .containsExactly(tuple(MemoryQueue.UPLOAD, 1, false), tuple(MemoryQueue.UPLOAD, 0, false));
  }

  @Test
  void anEmptyQueueEndsAfterOneLongPoll() {
    MemoryQueue queue = new MemoryQueue(time);

    TestEventSweep.Swept swept = sweep(queue).sweep(false, BUDGET);

    assertThat(swept.deleted()).isZero();
    assertThat(swept.note())
        .isEqualTo("test-event sweep: deleted 0 s3:TestEvent messages; the queue is empty");
    assertThat(queue.calls).containsExactly("receive 10 s");
    assertThat(time.waited()).isEqualTo(TestEventSweep.POLL);
  }

  @Test
  void aShortBudgetShortensThePollAndNoneIsStartedWithoutASecondLeft() {
    MemoryQueue queue = new MemoryQueue(time);
    assertThat(sweep(queue).sweep(false, Duration.ofSeconds(3)).deleted()).isZero();
    assertThat(queue.calls).containsExactly("receive 3 s");

    MemoryQueue none = new MemoryQueue(time, MemoryQueue.TEST_EVENT);
    TestEventSweep.Swept swept = sweep(none).sweep(false, Duration.ofMillis(900));
    assertThat(none.calls).isEmpty();
    assertThat(swept.note())
        .isEqualTo("test-event sweep: deleted 0 s3:TestEvent messages;"
            + " stopped after 0 s, before the queue answered empty");
  }

  @Test
  void testEventsWithoutEndStopAtTheLongestSweep() {
    List<String> calls = new ArrayList<>();
    TestEventSweep.SweptQueue endless = new TestEventSweep.SweptQueue() {
      @Override
      public Optional<TestEventSweep.Held> receive(Duration wait, Duration hold) {
        calls.add("receive");
        time.sleep(Duration.ofSeconds(1));
        return Optional.of(new TestEventSweep.Held(MemoryQueue.TEST_EVENT, "h" + calls.size()));
      }

      @Override
      public void delete(TestEventSweep.Held message) {}

      @Override
      public void release(TestEventSweep.Held message) {
        throw new AssertionError("a test event is deleted, not handed back");
      }
    };
    TestEventSweep sweep = new TestEventSweep(
        new DisabledMapping("never"), new MemoryQueue(time), endless, time, "the sweeper");

    TestEventSweep.Swept swept = sweep.sweep(false, BUDGET);

    assertThat(time.waited()).isEqualTo(TestEventSweep.LONGEST);
    assertThat(swept.deleted()).isEqualTo(60);
    assertThat(swept.note()).endsWith("stopped after 60 s, before the queue answered empty");
  }

  @Test
  void anUpdateWithUploadsWaitingReceivesNothing() {
    MemoryQueue queue =
        new MemoryQueue(time, MemoryQueue.UPLOAD, MemoryQueue.UPLOAD, MemoryQueue.TEST_EVENT);

    TestEventSweep.Swept swept = sweep(queue).sweep(true, BUDGET);

    assertThat(swept.deleted()).isZero();
    assertThat(swept.note()).startsWith("test-event sweep skipped: 3 messages wait");
    assertThat(queue.calls).containsExactly("read");
    assertThat(queue.messages).allSatisfy(m -> assertThat(m.receives).isZero());
  }

  @Test
  void anUpdateWithNothingButTheTestEventWaitingSweepsIt() {
    MemoryQueue queue = new MemoryQueue(time, MemoryQueue.TEST_EVENT);

    TestEventSweep.Swept swept = sweep(queue).sweep(true, BUDGET);

    assertThat(swept.deleted()).isEqualTo(1);
    assertThat(queue.calls).containsExactly("read", "receive 10 s", "delete", "receive 10 s");
  }

  @Test
  void whileTheTriggerPollsClassifyAcknowledgesTheTestEventAndTheSweepReceivesNothing() {
    MemoryQueue queue = new MemoryQueue(time, MemoryQueue.TEST_EVENT);
    TestEventSweep sweep = new TestEventSweep(
        new Mapping() {
          @Override
          public TriggerState state() {
            return TriggerState.ENABLED;
          }

          @Override
          public void enable() {
            throw new AssertionError("the sweep never switches the trigger");
          }

          @Override
          public void disable() {
            throw new AssertionError("the sweep never switches the trigger");
          }
        },
        queue,
        queue,
        time,
        "the sweeper");

    TestEventSweep.Swept swept = sweep.sweep(false, BUDGET);

    assertThat(swept.note())
        .isEqualTo("test-event sweep: the trigger is polling, so Classify acknowledges it");
    assertThat(queue.calls).isEmpty();
  }

  @Test
  void anAwsErrorEndsTheSweepWithANoteAndKeepsItsCount() {
    MemoryQueue queue = new MemoryQueue(time, MemoryQueue.TEST_EVENT, MemoryQueue.TEST_EVENT);
    queue.failing = "delete";
    assertThat(sweep(queue).sweep(false, BUDGET).note())
        .startsWith(
            "test-event sweep stopped (SQS answered 500 InternalError to delete)"
                + " after deleting 0 s3:TestEvent messages; one left in the queue may wake the endpoint once");

    MemoryQueue second = new MemoryQueue(time, MemoryQueue.TEST_EVENT, MemoryQueue.UPLOAD);
    second.failing = "release";
    TestEventSweep.Swept swept = sweep(second).sweep(false, BUDGET);
    assertThat(swept.deleted()).isEqualTo(1);
    assertThat(swept.note())
        .startsWith("test-event sweep stopped (SQS answered 500 InternalError to release)")
        .endsWith("a message it received is visible again within 30 s");

    MemoryQueue counted = new MemoryQueue(time, MemoryQueue.TEST_EVENT);
    counted.failing = "read";
    assertThat(sweep(counted).sweep(true, BUDGET).note())
        .startsWith("test-event sweep stopped (SQS answered 500 InternalError to read)");
    assertThat(counted.calls).containsExactly("read");
  }

  @Test
  void whatAwsAnsweredIsKeptApartFromTheNoteAndNamedByTheCall() {
    MemoryQueue queue = new MemoryQueue(time, MemoryQueue.TEST_EVENT);
    queue.failing = "delete";
    queue.failure = AwsAnswers.refusal(
        SqsException.builder(), 500, "aa11", "InternalError", "account 123456789012", "Sqs");
    TestEventSweep.Swept swept = sweep(queue).sweep(false, BUDGET);
    assertThat(swept.note()).doesNotContain("123456789012", "aa11");
    assertThat(swept.awsSaid())
        .isEqualTo("AWS's answer to the queue's receive or delete: InternalError (HTTP 500,"
            + " request aa11): account 123456789012");

    MemoryQueue counted = new MemoryQueue(time, MemoryQueue.TEST_EVENT);
    counted.failing = "read";
    counted.failure = AwsAnswers.refusal(
        SqsException.builder(), 400, "bb22", "ThrottlingException", "slow down", "Sqs");
    assertThat(sweep(counted).sweep(true, BUDGET).awsSaid())
        .isEqualTo("AWS's answer to the trigger's or the queue's read: ThrottlingException"
            + " (HTTP 400, request bb22): slow down");

    MemoryQueue denied = new MemoryQueue(time, MemoryQueue.TEST_EVENT);
    denied.failing = "read";
    denied.failure = AwsAnswers.refusal(
        SqsException.builder(),
        403,
        "cc33",
        "AccessDenied",
        "not authorized to perform: sqs:GetQueueAttributes",
        "Sqs");
    assertThat(sweep(denied).sweep(true, BUDGET).note())
        .as("the note names the call that failed, as AWS's answer does")
        .startsWith("test-event sweep stopped (the trigger's or the queue's read was refused: the"
            + " sweeper's role may not call sqs:GetQueueAttributes");

    MemoryQueue own = new MemoryQueue(time, MemoryQueue.TEST_EVENT);
    own.failing = "delete";
    assertThat(sweep(own).sweep(false, BUDGET).awsSaid())
        .as("an error that is not the SDK's has no answer from AWS")
        .isNull();
  }

  /** README's "S3's test event" gives the sweep's bounds as this class keeps them. */
  @Test
  void readmeQuotesTheSweepsLongestRunAndItsLastPoll() throws java.io.IOException {
    String readme =
        java.nio.file.Files.readString(java.nio.file.Path.of("README.md")).replaceAll("\\s+", " ");
    assertThat(TestEventSweep.LONGEST).as("README says a minute").isEqualTo(Duration.ofMinutes(1));
    assertThat(readme)
        .contains(
            "one message at a time for at most a minute",
            "an empty long poll of " + TestEventSweep.POLL.toSeconds() + " s ends it");
  }
}
