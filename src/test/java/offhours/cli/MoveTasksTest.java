package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksRequest;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResponse;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.StartMessageMoveTaskRequest;
import software.amazon.awssdk.services.sqs.model.StartMessageMoveTaskResponse;

class MoveTasksTest {

  static final String DLQ = "https://sqs.eu-west-1.amazonaws.com/123456789012/offhours-dlq";
  static final String QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/offhours-queue";
  static final String DLQ_ARN = "arn:aws:sqs:eu-west-1:123456789012:offhours-dlq";

  /** An SQS whose move-task calls answer as set; GetQueueAttributes gives each queue's ARN unless it is set to fail. */
  static final class Sqs implements SqsClient {
    final List<StartMessageMoveTaskRequest> started = new ArrayList<>();
    final List<ListMessageMoveTasksRequest> listed = new ArrayList<>();
    final List<List<QueueAttributeName>> attributesAsked = new ArrayList<>();
    SqsException startFails;
    SqsException listFails;
    SqsException attributesFail;
    List<ListMessageMoveTasksResultEntry> tasks = List.of();

    @Override
    public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
      if (attributesFail != null) {
        throw attributesFail;
      }
      attributesAsked.add(request.attributeNames());
      String name = request.queueUrl().substring(request.queueUrl().lastIndexOf('/') + 1);
      Map<QueueAttributeName, String> all = Map.of(
          QueueAttributeName.QUEUE_ARN, "arn:aws:sqs:eu-west-1:123456789012:" + name,
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "7",
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "2",
          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "1");
      Map<QueueAttributeName, String> asked = new EnumMap<>(QueueAttributeName.class);
      request.attributeNames().forEach(a -> asked.put(a, all.get(a)));
      return GetQueueAttributesResponse.builder().attributes(asked).build();
    }

    @Override
    public StartMessageMoveTaskResponse startMessageMoveTask(StartMessageMoveTaskRequest request) {
      started.add(request);
      if (startFails != null) {
        throw startFails;
      }
      return StartMessageMoveTaskResponse.builder().taskHandle("handle-1").build();
    }

    @Override
    public ListMessageMoveTasksResponse listMessageMoveTasks(ListMessageMoveTasksRequest request) {
      listed.add(request);
      if (listFails != null) {
        throw listFails;
      }
      return ListMessageMoveTasksResponse.builder().results(tasks).build();
    }

    @Override
    public String serviceName() {
      return "sqs";
    }

    @Override
    public void close() {}
  }

  /** A redrive of everything as {@code dlq redrive} asks it: the ARNs of the DLQ and the queue, then the move task. */
  static MoveTasks.Start start(Sqs sqs, boolean local) {
    MoveTasks tasks = new MoveTasks(sqs, DLQ, local);
    return tasks.start(tasks.source(DLQ).arn(), tasks.arn(QUEUE, "queue"), () -> {});
  }

  static SqsException error(int status, String code, String message) {
    return (SqsException) SqsException.builder()
        .statusCode(status)
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  static ListMessageMoveTasksResultEntry task(String status, Long moved, Long toMove, String why) {
    return ListMessageMoveTasksResultEntry.builder()
        .status(status)
        .startedTimestamp(Instant.parse("2026-12-01T09:00:00Z").toEpochMilli())
        .approximateNumberOfMessagesMoved(moved)
        .approximateNumberOfMessagesToMove(toMove)
        .failureReason(why)
        .taskHandle(status.equals("RUNNING") ? "handle-9" : null)
        .sourceArn("arn:aws:sqs:eu-west-1:123456789012:offhours-dlq")
        .build();
  }

  @Test
  void redrivingEverythingAsksSqsToMoveFromTheDlqsArnToTheQueuesArn() {
    Sqs sqs = new Sqs();

    MoveTasks.Start start = start(sqs, false);

    assertThat(start.handle()).isEqualTo("handle-1");
    assertThat(sqs.started).singleElement().satisfies(r -> {
      assertThat(r.sourceArn()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:offhours-dlq");
      assertThat(r.destinationArn()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:offhours-queue");
    });
  }

  @Test
  void aSecondRedriveWhileATaskRunsSaysWhatRunsAndHowToWaitOrCancelIt() {
    Sqs sqs = new Sqs();
    sqs.startFails = error(400, "UnsupportedOperation", "Only one active task is supported");
    sqs.tasks = List.of(task("RUNNING", 120L, 500L, null));

    assertThatThrownBy(() -> start(sqs, false))
        .isInstanceOf(CliException.class)
        .hasMessage("a move task already holds the dead-letter queue"
            + " arn:aws:sqs:eu-west-1:123456789012:offhours-dlq: RUNNING since 2026-12-01T09:00:00Z:"
            + " 120 of 500 moved, moving to each message's source queue; SQS runs one task per queue at"
            + " a time, so nothing new was started. To go on, wait for it to end ('offhours queue'"
            + " shows its progress), then run 'offhours dlq redrive' again for what is left; or cancel"
            + " it: 'aws sqs cancel-message-move-task --task-handle handle-9' (the messages it moved"
            + " stay moved)")
        .hasMessageNotContaining("sqs:StartMessageMoveTask");
    assertThat(sqs.listed)
        .singleElement()
        .satisfies(r ->
            assertThat(r.sourceArn()).isEqualTo("arn:aws:sqs:eu-west-1:123456789012:offhours-dlq"));
  }

  @Test
  void aTaskStartedElsewhereNamesWhereItMoves() {
    Sqs sqs = new Sqs();
    sqs.startFails = error(400, "InvalidParameterValue", "There is already a task running.");
    sqs.tasks = List.of(task("RUNNING", 3L, 9L, null).toBuilder()
        .destinationArn("arn:aws:sqs:eu-west-1:123456789012:elsewhere")
        .build());

    assertThatThrownBy(() -> start(sqs, false))
        .hasMessageContaining(
            "3 of 9 moved, moving to arn:aws:sqs:eu-west-1:123456789012:elsewhere;");
  }

  @Test
  void aTaskBeingCancelledIsWaitedForNotCancelledAgain() {
    Sqs sqs = new Sqs();
    sqs.startFails = error(400, "InvalidParameterValue", "There is already a task running.");
    sqs.tasks = List.of(task("CANCELLING", 40L, 500L, null));

    assertThatThrownBy(() -> start(sqs, false))
        .hasMessageContaining(
            ": CANCELLING (started 2026-12-01T09:00:00Z, 40 of 500 moved), moving to")
        .hasMessageEndingWith("then run 'offhours dlq redrive' again for what is left (it is being"
            + " cancelled; only a RUNNING task can be cancelled)")
        .hasMessageNotContaining("cancel-message-move-task");
  }

  @Test
  void aRunningTaskThatCannotBeListedIsRecognisedFromSqsWordsWithTheCommandsToFindIt() {
    Sqs unlisted = new Sqs();
    unlisted.startFails = error(400, "InvalidParameterValue", "There is already a task running");
    unlisted.listFails = error(403, "AccessDenied", "no");

    assertThatThrownBy(() -> start(unlisted, false))
        .hasMessage(
            "SQS refused to start a move task: one is already running on the dead-letter queue"
                + " arn:aws:sqs:eu-west-1:123456789012:offhours-dlq (InvalidParameterValue: There is already"
                + " a task running), and offhours could not read it; nothing new was started. To go on, wait"
                + " for it to end ('offhours queue' shows its progress), then run 'offhours dlq redrive'"
                + " again for what is left; to see it, or cancel it, 'aws sqs list-message-move-tasks"
                + " --source-arn arn:aws:sqs:eu-west-1:123456789012:offhours-dlq' names its TaskHandle,"
                + " then 'aws sqs cancel-message-move-task --task-handle HANDLE'")
        .hasMessageNotContaining("sqs:StartMessageMoveTask");
  }

  @Test
  void onlyAnAccessDeniedRefusalNamesThePermissionsBothQueuesNeed() {
    Sqs denied = new Sqs();
    denied.startFails = error(403, "AccessDenied", "not allowed");

    assertThatThrownBy(() -> start(denied, false))
        .hasMessage("SQS did not start the move task (StartMessageMoveTask, HTTP 403, AccessDenied:"
            + " not allowed); nothing was moved. " + MoveTasks.PERMISSIONS);
    assertThat(MoveTasks.PERMISSIONS)
        .contains("sqs:SendMessage and sqs:GetQueueAttributes on the queue");

    Sqs throttled = new Sqs();
    throttled.startFails = error(400, "RequestThrottled", "slow down");
    assertThatThrownBy(() -> start(throttled, false))
        .hasMessage("SQS did not start the move task (StartMessageMoveTask, HTTP 400,"
            + " RequestThrottled: slow down); nothing was moved");
  }

  @Test
  void theDlqsArnAndTheMessagesSqsCountsInItComeInOneCall() {
    Sqs sqs = new Sqs();

    MoveTasks.SourceQueue source = new MoveTasks(sqs, DLQ, false).source(DLQ);

    assertThat(source)
        .as("visible, hidden by a reader and delayed: 7 + 2 + 1")
        .isEqualTo(new MoveTasks.SourceQueue(DLQ_ARN, new DlqPass.StartCounts(7, 2), 1));
    assertThat(source.counted()).isEqualTo(10);
    assertThat(sqs.attributesAsked).hasSize(1);
    assertThat(new MoveTasks(sqs, DLQ, false).arn(QUEUE, "queue"))
        .isEqualTo("arn:aws:sqs:eu-west-1:123456789012:offhours-queue");
    assertThat(sqs.attributesAsked.getLast())
        .as("the queue's ARN alone")
        .containsExactly(QueueAttributeName.QUEUE_ARN);
  }

  @Test
  void aFailedArnLookupIsNamedAsTheGetQueueAttributesCallItIs() {
    Sqs sqs = new Sqs();
    sqs.attributesFail = error(403, "AccessDenied", "no");

    assertThatThrownBy(() -> start(sqs, false))
        .hasMessage("could not read the ARN of the dead-letter queue " + DLQ
            + " (GetQueueAttributes, HTTP 403, AccessDenied: no); it needs sqs:GetQueueAttributes"
            + " on the DLQ and on the queue");
    assertThat(sqs.started).as("nothing started").isEmpty();
  }

  @Test
  void aQueueThatDoesNotExistIsThrownAsSqsSaidItForTheCommandToName() {
    Sqs sqs = new Sqs();
    sqs.attributesFail = error(400, "AWS.SimpleQueueService.NonExistentQueue", "gone");

    assertThatThrownBy(() -> new MoveTasks(sqs, DLQ, false).arn(DLQ, "dead-letter queue"))
        .isSameAs(sqs.attributesFail);
  }

  @Test
  void onlyTheLocalSqsFallsBackWhereItLacksTheMoveApi() {
    Sqs local = new Sqs();
    local.startFails = error(500, null, "<html>");
    local.listFails = error(500, null, "<html>");

    assertThat(start(local, true))
        .isEqualTo(new MoveTasks.Start(
            null, "this SQS does not offer StartMessageMoveTask: it answered HTTP 500"));
    assertThat(new MoveTasks(local, DLQ, true).latest(DLQ_ARN).describe())
        .isEqualTo("last move task of the dead-letter queue: none in local mode (this SQS has no"
            + " ListMessageMoveTasks; 'offhours dlq redrive' moves the messages itself and is done"
            + " when it returns)");
    assertThatThrownBy(() -> start(local, false))
        .hasMessageStartingWith("SQS did not start the move task (StartMessageMoveTask, HTTP 500");
  }

  @Test
  void theLatestTaskReadsWithItsProgressAndWhyItFailed() {
    Sqs sqs = new Sqs();
    sqs.tasks = List.of(task("FAILED", 3L, 9L, "AccessDenied on the destination \u001b[31m"));

    MoveTasks.Latest latest = new MoveTasks(sqs, DLQ, false).latest(DLQ_ARN);

    assertThat(latest.describe())
        .isEqualTo(
            "last move task of the dead-letter queue: FAILED (started 2026-12-01T09:00:00Z, 3"
                + " of 9 moved): AccessDenied on the destination \\x1b[31m");
    assertThat(sqs.listed)
        .singleElement()
        .satisfies(r -> assertThat(r.maxResults()).isEqualTo(1));
    assertThat(latest.task().json().toString())
        .isEqualTo("{\"status\":\"FAILED\",\"startedAt\":\"2026-12-01T09:00:00Z\",\"moved\":3,"
            + "\"toMove\":9,\"failureReason\":\"AccessDenied on the destination \\u001B[31m\","
            + "\"taskHandle\":null}");
    sqs.tasks = List.of(task("COMPLETED", 9L, null, null));
    assertThat(new MoveTasks(sqs, DLQ, false).latest(DLQ_ARN).describe())
        .endsWith(": COMPLETED (started 2026-12-01T09:00:00Z, 9 moved)");
    sqs.tasks = List.of();
    assertThat(new MoveTasks(sqs, DLQ, false).latest(DLQ_ARN).describe())
        .isEqualTo("last move task of the dead-letter queue: none");
    sqs.listFails = error(403, "AccessDeniedException", "no");
    assertThat(new MoveTasks(sqs, DLQ, true).latest(DLQ_ARN).describe())
        .isEqualTo("last move task of the dead-letter queue: unknown (ListMessageMoveTasks:"
            + " AccessDeniedException: no); reading it needs sqs:ListMessageMoveTasks on the DLQ");
  }

  @Test
  void onlyAnSqsThatDoesNotKnowTheMoveApiCountsAsUnsupported() {
    assertThat(MoveTasks.unsupported(error(500, null, "x")))
        .as("moto_server's HTML 500")
        .isTrue();
    assertThat(MoveTasks.unsupported(error(400, "InvalidAction", "x"))).isTrue();
    assertThat(MoveTasks.unsupported(error(403, "AccessDenied", "x"))).isFalse();
    assertThat(MoveTasks.unsupported(error(400, "UnsupportedOperation", "x"))).isTrue();
    assertThat(MoveTasks.unsupported(error(400, "InvalidParameterValue", "x"))).isFalse();
  }
}
