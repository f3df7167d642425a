package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import offhours.local.StateFile;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dlq redrive} of a queue deleted after it read both queues' ARNs, while it starts the move task or moves the
 * messages itself: the queue is named by its output as when the ARN reads find it missing, where the DLQ's reads
 * reached Main's catch-all ("internal error") and the queue's sends failed message by message in SQS's words; and
 * the calls a redrive makes of queues that stay.
 */
class DlqRedriveGoneTest {

  private static final String BODY = "{\"Records\":[]}";

  @TempDir
  Path cache;

  /** The move task SQS refuses as its source or destination is gone: the one that is gone is named. */
  @Test
  void aQueueGoneWhenTheMoveTaskStartsIsNamed() throws IOException {
    for (String gone : List.of("offhours-queue", "offhours-dlq")) {
      CliRun run = redrive(gone, "start", 0);

      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.err())
          .as(gone)
          .contains("queue " + url(gone) + " ("
              + (gone.equals("offhours-dlq") ? "DeadLetterQueueUrl" : "QueueUrl")
              + " of the local stack) does not exist; restart the local stack");
    }
  }

  /** The local SQS has no move task: redrive moves each message itself, and a queue gone meanwhile is named. */
  @Test
  void aQueueGoneWhenRedriveMovesTheMessagesItselfIsNamed() throws IOException {
    for (String gone : List.of("offhours-queue", "offhours-dlq")) {
      CliRun run = redrive(gone, "move", 0);

      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.err())
          .as(gone)
          .doesNotContain("internal error")
          .doesNotContain("not sent")
          .contains("queue " + url(gone) + " ("
              + (gone.equals("offhours-dlq") ? "DeadLetterQueueUrl" : "QueueUrl")
              + " of the local stack) does not exist; restart the local stack");
    }
    assertThat(redrive("offhours-queue", "move", 0).err())
        .contains("No message had been moved to it: every message stays in the dead-letter queue");
  }

  /**
   * A queue gone after one message was moved: the report says so, and where that message is: gone with the queue it
   * was sent to, or in the queue where the DLQ went (and the others with the DLQ).
   */
  @Test
  void aQueueGoneAfterAMessageWasMovedSaysWhereThatMessageIs() throws IOException {
    CliRun queue = redrive("offhours-queue", "move", 1);

    assertThat(queue.exitCode()).as(queue.err()).isEqualTo(1);
    assertThat(queue.err())
        .contains(
            "queue " + url("offhours-queue") + " (QueueUrl of the local stack) does not exist;")
        .contains(
            ". Before it went, 1 message had been moved to it (sent, then deleted from the dead-letter"
                + " queue), and went with it: m-1");

    CliRun dlq = redrive("offhours-dlq", "move", 1);

    assertThat(dlq.exitCode()).as(dlq.err()).isEqualTo(1);
    assertThat(dlq.err())
        .contains("queue " + url("offhours-dlq")
            + " (DeadLetterQueueUrl of the local stack) does not exist;")
        .contains(". Before it went, 1 message had been moved from it to the queue, which has it")
        .contains(
            ". 1 message sent to the queue, which has it, could not then be deleted from the"
                + " dead-letter queue, which was gone: m-2. Any other message of the dead-letter queue went with it")
        .doesNotContain("and went with");
  }

  /**
   * Both queues gone during the move: both are named, and what became of every message, where the queue alone was
   * named, the message sent but not deleted was left out, and the rest were said to stay in a DLQ that was gone.
   */
  @Test
  void bothQueuesGoneDuringTheMoveAreNamedWithWhatBecameOfEveryMessage() throws IOException {
    CliRun run = redrive("both", "move", 1);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "queue " + url("offhours-queue") + " (QueueUrl of the local stack) does not exist,"
                + " nor does queue " + url("offhours-dlq")
                + " (DeadLetterQueueUrl of the local stack); restart the local stack")
        .contains(
            ". Before they went, 1 message had been moved to the queue (sent, then deleted from the"
                + " dead-letter queue), and went with the queue: m-1. 1 message sent to the queue could not then"
                + " be deleted from the dead-letter queue, which was gone, and went with both queues: m-2. Any"
                + " other message of the dead-letter queue went with it\n")
        .doesNotContain("stays in the dead-letter queue");
  }

  /**
   * A DLQ that SQS said was gone when the move deleted a message it had sent, and that still answered the read after
   * (a queue just deleted may, for up to 60 s): it is named, with what became of every message, where SQS's answer
   * alone was said and neither the moved message nor the one sent but not deleted was named.
   */
  @Test
  void aDlqGoneAtADeleteIsNamedThoughItStillAnswersAReadAfter() throws IOException {
    CliRun run = redrive("dlq-deletes", "move", 1);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("offhours: queue " + url("offhours-dlq")
            + " (DeadLetterQueueUrl of the local stack) does not exist; restart the local stack"
            + " ('scripts/offhours local stop', then 'scripts/offhours local start'), which creates its queues"
            + " again. Before it went, 1 message had been moved from it to the queue, which has it. 1 message"
            + " sent to the queue, which has it, could not then be deleted from the dead-letter queue, which was"
            + " gone: m-2. Any other message of the dead-letter queue went with it\n");
  }

  /**
   * A queue that SQS said was gone at a send to it, or a DLQ it said so of at a receive, each still answering the read
   * after: the one SQS said so of is named, with what became of the messages, where SQS's bare QueueDoesNotExist was
   * printed.
   */
  @Test
  void aQueueGoneAtASendOrADlqGoneAtAReceiveIsNamedThoughItStillAnswersAReadAfter()
      throws IOException {
    CliRun queue = redrive("queue-sends", "move", 1);

    assertThat(queue.exitCode()).as(queue.err()).isEqualTo(1);
    assertThat(queue.err())
        .startsWith("offhours: queue " + url("offhours-queue")
            + " (QueueUrl of the local stack) does not exist; restart the local stack")
        .endsWith(
            ". Before it went, 1 message had been moved to it (sent, then deleted from the dead-letter"
                + " queue), and went with it: m-1. The others stay in the dead-letter queue\n");

    CliRun dlq = redrive("dlq-receives", "move", 0);

    assertThat(dlq.exitCode()).as(dlq.err()).isEqualTo(1);
    assertThat(dlq.err())
        .startsWith("offhours: queue " + url("offhours-dlq")
            + " (DeadLetterQueueUrl of the local stack) does not exist; restart the local stack")
        .endsWith(
            ". No message had been moved from it: every message of the dead-letter queue went with it\n");
  }

  /**
   * A queue that SQS said was gone at a send, whose DLQ the read after finds gone too: both are named, and the DLQ's
   * other messages are said to have gone with it, not to stay in it (the DLQ's read is what tells the two apart).
   */
  @Test
  void aQueueGoneAtASendWithItsDlqGoneByTheReadAfterNamesBoth() throws IOException {
    CliRun run = redrive("queue-sends-then-dlq", "move", 1);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("offhours: queue " + url("offhours-queue")
            + " (QueueUrl of the local stack) does not exist, nor does queue " + url("offhours-dlq")
            + " (DeadLetterQueueUrl of the local stack); restart the local stack")
        .endsWith(
            ". Before they went, 1 message had been moved to the queue (sent, then deleted from the"
                + " dead-letter queue), and went with the queue: m-1. Any other message of the dead-letter"
                + " queue went with it\n");
  }

  /**
   * A queue that SQS said was gone at a send, whose DLQ the read after could not read (here refused): the queue is
   * named with what became of the messages, and the report says whether the DLQ went too is not known and why, where
   * the read's error replaced the whole report, the message already moved included.
   */
  @Test
  void aQueueGoneAtASendWhoseDlqCannotBeReadAfterIsStillReported() throws IOException {
    CliRun run = redrive("queue-sends-dlq-refused", "move", 1);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("offhours: queue " + url("offhours-queue")
            + " (QueueUrl of the local stack) does not exist; restart the local stack")
        .contains(
            ". Before it went, 1 message had been moved to it (sent, then deleted from the dead-letter"
                + " queue), and went with it: m-1. The others stay in the dead-letter queue. Whether the"
                + " dead-letter queue went too is not known, as reading it failed: could not read the ARN of the"
                + " dead-letter queue " + url("offhours-dlq")
                + " (GetQueueAttributes, HTTP 403, AccessDenied:")
        .endsWith("it needs sqs:GetQueueAttributes on the DLQ and on the queue\n");
  }

  /** What became of the messages, for each queue that went and each kind of message the move had met. */
  @Test
  void theFatesOfTheMessagesFollowWhichQueueWent() {
    assertThat(DlqRedrive.fates(true, true, List.of(), List.of()))
        .isEqualTo(
            "No message had been moved to the queue: every message of the dead-letter queue went"
                + " with it");
    assertThat(DlqRedrive.fates(false, true, List.of(), List.of()))
        .isEqualTo(
            "No message had been moved from it: every message of the dead-letter queue went with it");
    assertThat(DlqRedrive.fates(true, false, List.of("m-1", "m-2"), List.of()))
        .isEqualTo(
            "Before it went, 2 messages had been moved to it (sent, then deleted from the dead-letter"
                + " queue), and went with it: m-1, m-2. The others stay in the dead-letter queue");
    assertThat(DlqRedrive.fates(false, true, List.of("m-1"), List.of("m-2")))
        .isEqualTo(
            "Before it went, 1 message had been moved from it to the queue, which has it. 1 message"
                + " sent to the queue, which has it, could not then be deleted from the dead-letter queue, which"
                + " was gone: m-2. Any other message of the dead-letter queue went with it");
  }

  /**
   * A redrive that moves the messages itself reads each queue's attributes once: the DLQ's ARN with its counts, which
   * size the pass's hide period (where the pass read the counts again), and the queue's ARN.
   */
  @Test
  void aRedriveOfItsOwnReadsEachQueuesAttributesOnce() throws IOException {
    for (String selection : List.of("all", "--id")) {
      CliRun run = selection.equals("all")
          ? redrive("no-queue", "move", 0)
          : redrive("no-queue", "move", 0, "--id", "m-1");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out())
          .contains(selection.equals("all") ? "moved 2 messages" : "moved 1 message");
      assertThat(calls).as(selection).filteredOn("GetQueueAttributes"::equals).hasSize(2);
    }
  }

  /** The SQS calls of the last {@link #redrive}, by name ("GetQueueAttributes"), in order. */
  private final List<String> calls = new CopyOnWriteArrayList<>();

  /** The stub SQS's address, which the queues' URLs start with. */
  private String base;

  private String url(String queue) {
    return base + "/000000000000/" + queue;
  }

  /**
   * {@code dlq redrive} on the local stack whose SQS answers both ARN reads and then says {@code gone} does not exist;
   * its StartMessageMoveTask answers as SQS does for a queue that is gone ({@code when} "start"), or as a local SQS
   * without the API ("move"). Its DLQ holds two messages; {@code gone} goes once {@code deletes} of them were deleted
   * from the DLQ. "both": the DLQ goes then, and the queue after the next send. "dlq-deletes", "queue-sends",
   * "dlq-receives": only those calls say so then, as a queue just deleted may still answer reads for up to 60 s.
   * "queue-sends-then-dlq": the queue's sends, then, once one was refused, every call on the DLQ, its read too.
   * "queue-sends-dlq-refused": the queue's sends, then the DLQ's read is refused (AccessDenied).
   */
  private CliRun redrive(String gone, String when, int deletes, String... options)
      throws IOException {
    AtomicInteger arns = new AtomicInteger();
    AtomicInteger receives = new AtomicInteger();
    AtomicInteger deleted = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    AtomicBoolean sendRefused = new AtomicBoolean();
    calls.clear();
    try (StubHttpServer sqs = StubHttpServer.start(request -> {
      String target = request.header("X-Amz-Target");
      calls.add(target.substring(target.indexOf('.') + 1));
      String text = request.text();
      boolean away = arns.get() >= 2
          && switch (gone) {
            case "both" ->
              (deleted.get() >= deletes && text.contains("/offhours-dlq\""))
                  || (sent.get() > deletes && text.contains("/offhours-queue\""));
            case "dlq-deletes" -> deleted.get() >= deletes && target.endsWith(".DeleteMessage");
            case "queue-sends", "queue-sends-dlq-refused" ->
              deleted.get() >= deletes && target.endsWith(".SendMessage");
            case "dlq-receives" -> target.endsWith(".ReceiveMessage");
            case "queue-sends-then-dlq" -> {
              boolean send = deleted.get() >= deletes && target.endsWith(".SendMessage");
              sendRefused.compareAndSet(false, send);
              yield send || (sendRefused.get() && text.contains("/offhours-dlq\""));
            }
            default -> deleted.get() >= deletes && text.contains("/" + gone + "\"");
          };
      if (gone.equals("queue-sends-dlq-refused")
          && deleted.get() >= deletes
          && text.contains("/offhours-dlq\"")
          && target.endsWith(".GetQueueAttributes")) {
        return Reply.json(
            403,
            "{\"__type\":\"AccessDenied\",\"message\":\"not authorized to GetQueueAttributes\"}");
      }
      if (away && !target.endsWith("StartMessageMoveTask")) {
        return Reply.json(
            400,
            "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\","
                + "\"message\":\"The specified queue does not exist.\"}");
      }
      return switch (target) {
        case "AmazonSQS.GetQueueAttributes" -> {
          if (text.contains("QueueArn")) {
            arns.incrementAndGet();
            String name = text.contains("/offhours-dlq\"") ? "offhours-dlq" : "offhours-queue";
            // the ARN, and the DLQ's two messages for the read of its counts with it
            yield Reply.json(
                200,
                "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:us-east-1:000000000000:" + name
                    + "\",\"ApproximateNumberOfMessages\":\"2\","
                    + "\"ApproximateNumberOfMessagesNotVisible\":\"0\"}}");
          }
          yield Reply.json(
              200,
              "{\"Attributes\":{\"ApproximateNumberOfMessages\":\"2\","
                  + "\"ApproximateNumberOfMessagesNotVisible\":\"0\"}}");
        }
        case "AmazonSQS.StartMessageMoveTask" ->
          when.equals("start")
              ? Reply.json(
                  400,
                  "{\"__type\":\"com.amazonaws.sqs#ResourceNotFoundException\","
                      + "\"message\":\"One or more specified resources don't exist.\"}")
              : Reply.json(500, "{\"__type\":\"InternalFailure\"}");
        case "AmazonSQS.ListMessageMoveTasks" -> Reply.json(200, "{\"Results\":[]}");
        case "AmazonSQS.ReceiveMessage" ->
          receives.incrementAndGet() > 1
              ? Reply.json(200, "{\"Messages\":[]}")
              : Reply.json(200, "{\"Messages\":[" + message("m-1") + "," + message("m-2") + "]}");
        case "AmazonSQS.SendMessage" -> {
          sent.incrementAndGet();
          yield Reply.json(
              200, "{\"MessageId\":\"m-2\",\"MD5OfMessageBody\":\"" + md5(BODY) + "\"}");
        }
        case "AmazonSQS.DeleteMessage" -> {
          deleted.incrementAndGet();
          yield Reply.json(200, "{}");
        }
        case "AmazonSQS.ChangeMessageVisibilityBatch" ->
          Reply.json(200, "{\"Successful\":[],\"Failed\":[]}");
        default -> Reply.json(400, "{\"__type\":\"NotStubbed\",\"message\":\"" + target + "\"}");
      };
    })) {
      base = sqs.uri().toString();
      TestStateFiles.state(
              ProcessHandle.current().pid(),
              TestStateFiles.endpoints(sqs.uri()),
              Map.of("queueUrl", url("offhours-queue"), "dlqUrl", url("offhours-dlq")))
          .write(StateFile.path(cache));
      return CliRun.run(
          cache,
          Clock.systemUTC(),
          () -> {
            throw new AssertionError("the local stack's clients, not the user's");
          },
          Commands.all(),
          Stream.concat(Stream.of("dlq", "redrive"), Arrays.stream(options))
              .toArray(String[]::new));
    }
  }

  /** A received message {@code id} of the stub's DLQ, in SQS's JSON. */
  private static String message(String id) {
    return "{\"MessageId\":\"" + id + "\",\"ReceiptHandle\":\"r" + id + "\",\"Body\":"
        + "\"" + BODY.replace("\"", "\\\"") + "\",\"MD5OfBody\":\"" + md5(BODY)
        + "\",\"Attributes\":{\"SentTimestamp\":\"1764000000000\","
        + "\"ApproximateReceiveCount\":\"1\"}}";
  }

  private static String md5(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
