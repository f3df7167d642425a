package offhours.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import offhours.aws.SqsCounts;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ResourceNotFoundException;

/**
 * SQS's own move of the DLQ's messages back to the queue: starting one (StartMessageMoveTask) and reading the latest
 * one (ListMessageMoveTasks). SQS runs one task at a time per source queue
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html).
 */
final class MoveTasks {

  /** What starting SQS's move needs, for a refusal that names a missing permission. */
  static final String PERMISSIONS =
      "SQS's move needs sqs:StartMessageMoveTask, sqs:ReceiveMessage, sqs:DeleteMessage and"
          + " sqs:GetQueueAttributes on the DLQ and sqs:SendMessage and sqs:GetQueueAttributes on the"
          + " queue; --id or --key-prefix moves messages without sqs:StartMessageMoveTask";

  /**
   * A move task as ListMessageMoveTasks reports it.
   *
   * @param status RUNNING, COMPLETED, CANCELLING, CANCELLED or FAILED
   * @param moved messages moved so far, or null
   * @param toMove messages to move (SQS counts them when the task starts), or null
   * @param failureReason why it failed (FAILED only), or null
   * @param handle its handle (RUNNING only, for CancelMessageMoveTask), or null
   * @param destination the queue it moves to, or null: each message's own source queue
   */
  record Task(
      String status,
      Instant started,
      Long moved,
      Long toMove,
      String failureReason,
      String handle,
      String destination) {

    private static Task of(ListMessageMoveTasksResultEntry e) {
      return new Task(
          e.status(),
          e.startedTimestamp() == null ? null : Instant.ofEpochMilli(e.startedTimestamp()),
          e.approximateNumberOfMessagesMoved(),
          e.approximateNumberOfMessagesToMove(),
          e.failureReason(),
          e.taskHandle(),
          e.destinationArn());
    }

    private boolean running() {
      return "RUNNING".equals(status);
    }

    /** Still holding the DLQ's one task: running, or being cancelled (SQS cancels only a RUNNING task). */
    private boolean active() {
      return running() || "CANCELLING".equals(status);
    }

    /** One line: "RUNNING since T: 120 of 500 moved", "FAILED (started T, 3 of 9 moved): reason". */
    private String describe() {
      String progress = (moved == null ? "?" : moved.toString())
          + (toMove == null ? "" : " of " + toMove) + " moved";
      String when = started == null ? "" : started.toString();
      String text = running()
          ? "RUNNING" + (when.isEmpty() ? "" : " since " + when) + ": " + progress
          : status + " (" + (when.isEmpty() ? "" : "started " + when + ", ") + progress + ")";
      return Terminal.printable(
          text + (failureReason == null ? "" : ": " + Format.fit(failureReason, 300)));
    }

    ObjectNode json() {
      ObjectNode json = Json.object()
          .put("status", status)
          .put("startedAt", started == null ? null : started.toString());
      json.put("moved", moved).put("toMove", toMove);
      return json.put("failureReason", failureReason).put("taskHandle", handle);
    }
  }

  /** The latest task of a DLQ, null if it has none; or, with a null task, why it could not be read. */
  record Latest(Task task, String unreadable) {

    /** The line {@code offhours queue} prints. */
    String describe() {
      return "last move task of the dead-letter queue: "
          + (task != null ? task.describe() : unreadable != null ? unreadable : "none");
    }
  }

  /** A started task's handle; or, with a null handle, why this SQS offers no move task. */
  record Start(String handle, String unsupported) {}

  /**
   * The DLQ as a task's source: its ARN, and the messages SQS counts in it, visible and held hidden by a reader
   * ({@code atStart}), and delayed (approximate counts, which may lag behind a change by a minute).
   */
  record SourceQueue(String arn, DlqPass.StartCounts atStart, long delayed) {

    /** Every message SQS counts in the DLQ: visible, hidden or delayed. */
    long counted() {
      return atStart.visible() + atStart.hidden() + delayed;
    }
  }

  private final SqsClient sqs;
  private final String dlqUrl;
  private final boolean local;

  /** {@code local}: the SQS is the local stack's, where a missing move API is expected rather than an error. */
  MoveTasks(SqsClient sqs, String dlqUrl, boolean local) {
    this.sqs = sqs;
    this.dlqUrl = dlqUrl;
    this.local = local;
  }

  /** The DLQ's most recent move task (ListMessageMoveTasks, MaxResults 1: the latest). */
  Latest latest(String dlqArn) {
    if (dlqArn == null) {
      return new Latest(null, "unknown (SQS did not report the DLQ's QueueArn)");
    }
    try {
      List<ListMessageMoveTasksResultEntry> tasks =
          sqs.listMessageMoveTasks(r -> r.sourceArn(dlqArn).maxResults(1)).results();
      return new Latest(tasks.isEmpty() ? null : Task.of(tasks.getFirst()), null);
    } catch (AwsServiceException e) {
      if (local && unsupported(e)) {
        return new Latest(
            null,
            "none in local mode (this SQS has no ListMessageMoveTasks; 'offhours dlq redrive'"
                + " moves the messages itself and is done when it returns)");
      }
      return new Latest(
          null,
          "unknown (ListMessageMoveTasks: " + detail(e) + ")"
              + (accessDenied(e) ? "; reading it needs sqs:ListMessageMoveTasks on the DLQ" : ""));
    }
  }

  /**
   * Asks SQS to move every message of the DLQ, whose ARN is {@code source}, to the queue whose ARN is {@code
   * destination} ({@link #arn} reads both), in the background. Throws a {@link CliException} that says why if SQS
   * refuses (a task already running, a missing permission); returns a {@link Start} without a handle only where a
   * local SQS does not offer the API, so that the caller moves the messages itself. When SQS says a queue of the two
   * does not exist (deleted since its ARN was read), {@code gone} is run first, to name it.
   */
  Start start(String source, String destination, Runnable gone) {
    try {
      return new Start(
          sqs.startMessageMoveTask(r -> r.sourceArn(source).destinationArn(destination))
              .taskHandle(),
          null);
    } catch (AwsServiceException e) {
      if (e instanceof ResourceNotFoundException || NotFound.QUEUE.test(e)) {
        gone.run();
      }
      Task latest = latest(source).task();
      if ((latest != null && latest.active()) || saysRunning(e)) {
        throw CliException.failure(
            alreadyRunning(latest != null && latest.active() ? latest : null, source, e));
      }
      if (local && unsupported(e)) {
        return new Start(
            null,
            "this SQS does not offer StartMessageMoveTask: it answered HTTP " + e.statusCode());
      }
      throw CliException.failure("SQS did not start the move task (StartMessageMoveTask, HTTP "
          + e.statusCode() + ", " + detail(e) + "); nothing was moved"
          + (accessDenied(e) ? ". " + PERMISSIONS : ""));
    }
  }

  /**
   * The refusal of a second task while one holds the DLQ: what runs (its progress and where it moves to, when
   * ListMessageMoveTasks could say), that nothing new started, and what to do: wait and redrive again, or cancel it (a
   * RUNNING task only), with the commands that show and cancel it.
   */
  private static String alreadyRunning(Task task, String dlqArn, AwsServiceException refusal) {
    String arn = Terminal.printable(String.valueOf(dlqArn));
    String wait =
        "wait for it to end ('offhours queue' shows its progress), then run 'offhours dlq redrive'"
            + " again for what is left";
    if (task == null) {
      return "SQS refused to start a move task: one is already running on the dead-letter queue "
          + arn
          + " (" + detail(refusal)
          + "), and offhours could not read it; nothing new was started. To go on, "
          + wait + "; to see it, or cancel it, 'aws sqs list-message-move-tasks --source-arn " + arn
          + "' names its TaskHandle, then 'aws sqs cancel-message-move-task --task-handle HANDLE'";
    }
    String what = "a move task already holds the dead-letter queue " + arn + ": " + task.describe()
        + ", moving to "
        + (task.destination() == null
            ? "each message's source queue"
            : Terminal.printable(task.destination()))
        + "; SQS runs one task per queue at a time, so nothing new was started. To go on, ";
    if (!task.running()) {
      return what + wait + " (it is being cancelled; only a RUNNING task can be cancelled)";
    }
    return what + wait + "; or cancel it: 'aws sqs cancel-message-move-task --task-handle "
        + Terminal.printable(String.valueOf(task.handle()))
        + "' (the messages it moved stay moved)";
  }

  /**
   * Whether a failed call means the SQS at hand does not implement it (moto_server 5.2.1 answers 500 with an HTML
   * page), rather than that it refused this call (access denied, a task already running).
   */
  static boolean unsupported(AwsServiceException e) {
    String code = code(e);
    return e.statusCode() >= 500
        || code != null
            && Set.of(
                    "InvalidAction",
                    "UnsupportedOperation",
                    "NotImplemented",
                    "UnknownOperationException")
                .contains(code);
  }

  private static boolean accessDenied(AwsServiceException e) {
    String code = code(e);
    return e.statusCode() == 403 || (code != null && code.contains("AccessDenied"));
  }

  /** The refusal of a second task while one runs; its error code is not documented, its message says so. */
  private static boolean saysRunning(AwsServiceException e) {
    String message =
        e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    String text = String.valueOf(message).toLowerCase(Locale.ROOT);
    return text.contains("already") && (text.contains("running") || text.contains("task"));
  }

  /**
   * The ARN of the queue at {@code url}, the {@code which} ("queue", "dead-letter queue") a move task names. A queue
   * that does not exist ({@link NotFound#QUEUE}) is thrown as SQS said it, for the caller to name by the
   * stack's output ({@link Target#on}); any other refusal says which queue and what it needs.
   */
  String arn(String url, String which) {
    return attributes(url, which, QueueAttributeName.QUEUE_ARN).get(QueueAttributeName.QUEUE_ARN);
  }

  /** The DLQ at {@code url} as a task's source: its ARN and counts in one GetQueueAttributes call, as {@link #arn}. */
  SourceQueue source(String url) {
    Map<QueueAttributeName, String> attributes = attributes(
        url,
        "dead-letter queue",
        QueueAttributeName.QUEUE_ARN,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
    return new SourceQueue(
        attributes.get(QueueAttributeName.QUEUE_ARN),
        new DlqPass.StartCounts(
            SqsCounts.of(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
            SqsCounts.of(
                attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)),
        SqsCounts.of(attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
  }

  private Map<QueueAttributeName, String> attributes(
      String url, String which, QueueAttributeName... names) {
    try {
      return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(names)).attributes();
    } catch (AwsServiceException e) {
      if (NotFound.QUEUE.test(e)) {
        throw e;
      }
      throw CliException.failure("could not read the ARN of the " + which + " "
          + Terminal.printable(url) + " (GetQueueAttributes, HTTP " + e.statusCode() + ", "
          + detail(e) + ")"
          + (accessDenied(e)
              ? "; it needs sqs:GetQueueAttributes on the DLQ and on the queue"
              : ""));
    }
  }

  private static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }

  static String detail(AwsServiceException e) {
    String detail = e.awsErrorDetails() == null
        ? e.getMessage()
        : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    return Format.fit(String.valueOf(detail), 200);
  }
}
