package offhours.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import offhours.classify.ObjectNotification;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Reads the dead-letter queue without emptying it, and moves its messages back to the queue.
 *
 * <p>SQS has no way to look at a message without receiving it. A receive hides the message for its visibility
 * timeout and counts one more receive; the DLQ has no redrive policy of its own, so that count sends it nowhere. Each
 * pass receives with a short visibility timeout ({@link #PEEK_VISIBILITY_SECONDS}), long enough that a pass of
 * thousands of messages sees each once, and makes every message it saw visible again at its end.
 */
final class DeadLetterQueue {

  /** How long a listing hides the messages it has read; it makes them visible again when it is done. */
  static final int PEEK_VISIBILITY_SECONDS = 30;
  /** The message attribute the Classify function sets when it hands a message back (offhours.classify.Deferrals). */
  static final String REASON_ATTRIBUTE = "offhours-deferral-reason";
  /** A pass stops here rather than hold a DLQ of any size in memory; the rest stays in the DLQ for the next pass. */
  static final int MAX_MESSAGES = 10_000;

  /**
   * One message of the DLQ.
   *
   * @param objects the objects its body names, if it is an S3 notification
   * @param reason why it is here as far as offhours knows, or null
   * @param reasonSource "attribute" ({@value #REASON_ATTRIBUTE}), "log" (the Classify function's last error for it),
   *     or null
   * @param sent when it was first sent to the queue (SQS keeps that time when it moves a message to the DLQ)
   * @param receives receives in the DLQ so far, this one included
   */
  record Letter(
      String messageId,
      String receiptHandle,
      String body,
      List<ObjectNotification> objects,
      String reason,
      String reasonSource,
      Instant sent,
      int receives,
      Map<String, MessageAttributeValue> attributes) {

    List<String> keys() {
      return objects.stream().map(ObjectNotification::key).toList();
    }
  }

  /** What a move did: the ids moved, and those it met but left (not selected). */
  record Moved(List<String> moved, int kept) {}

  private final SqsClient sqs;
  private final String dlqUrl;
  private final Map<String, String> loggedErrors;

  /** {@code loggedErrors}: message id -> the last error the Classify function logged for it (may be empty). */
  DeadLetterQueue(SqsClient sqs, String dlqUrl, Map<String, String> loggedErrors) {
    this.sqs = sqs;
    this.dlqUrl = dlqUrl;
    this.loggedErrors = Map.copyOf(loggedErrors);
  }

  /** Every message now in the DLQ (up to {@link #MAX_MESSAGES}), oldest first; all are visible again afterwards. */
  List<Letter> list() {
    List<Message> seen = receiveAll(PEEK_VISIBILITY_SECONDS, page -> {});
    try {
      return seen.stream()
          .map(this::letter)
          .sorted(Comparator.comparing(Letter::sent))
          .toList();
    } finally {
      release(seen);
    }
  }

  /**
   * Moves the messages {@code selected} accepts to {@code queueUrl} one by one: each is sent before it is deleted
   * from the DLQ, so a crash in between leaves a duplicate (which the results table's conditional writes absorb),
   * never a loss. The others are made visible again.
   */
  Moved move(String queueUrl, Predicate<Letter> selected) {
    List<String> moved = new ArrayList<>();
    List<Message> kept = new ArrayList<>();
    try {
      // Page by page, so each message is moved while this pass's receive still hides it.
      receiveAll(PEEK_VISIBILITY_SECONDS, page -> {
        for (Message message : page) {
          if (!selected.test(letter(message))) {
            kept.add(message);
            continue;
          }
          sqs.sendMessage(r -> r.queueUrl(queueUrl)
              .messageBody(message.body())
              .messageAttributes(message.messageAttributes()));
          sqs.deleteMessage(r -> r.queueUrl(dlqUrl).receiptHandle(message.receiptHandle()));
          moved.add(message.messageId());
        }
      });
    } finally {
      release(kept);
    }
    return new Moved(moved, kept.size());
  }

  /**
   * Asks SQS to move every message back to the queue it came from (StartMessageMoveTask,
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html); returns
   * the task's handle. SQS moves the messages in the background.
   */
  String startMoveTask(String queueUrl) {
    String source = arn(dlqUrl);
    String destination = arn(queueUrl);
    return sqs.startMessageMoveTask(r -> r.sourceArn(source).destinationArn(destination))
        .taskHandle();
  }

  /**
   * Whether a failed StartMessageMoveTask means the SQS at hand does not implement it (moto_server 5.2.1 answers 500
   * with an HTML page), rather than that it refused this call (access denied, a task already running).
   */
  static boolean unsupported(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    return e.statusCode() >= 500
        || Set.of(
                "InvalidAction",
                "UnsupportedOperation",
                "NotImplemented",
                "UnknownOperationException")
            .contains(code);
  }

  private String arn(String url) {
    return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  /**
   * Receives until SQS has nothing more to show (or only messages this pass has seen), 10 at a time, handing each
   * page's new messages to {@code eachPage}; returns all it saw.
   */
  private List<Message> receiveAll(int visibilitySeconds, Consumer<List<Message>> eachPage) {
    Map<String, Message> seen = new LinkedHashMap<>();
    while (seen.size() < MAX_MESSAGES) {
      // A 1 s wait is long polling: SQS asks all its servers, so an empty answer means the queue
      // has nothing visible.
      List<Message> page = sqs.receiveMessage(r -> r.queueUrl(dlqUrl)
              .maxNumberOfMessages(10)
              .visibilityTimeout(visibilitySeconds)
              .waitTimeSeconds(1)
              .messageSystemAttributeNames(
                  MessageSystemAttributeName.SENT_TIMESTAMP,
                  MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
              .messageAttributeNames("All"))
          .messages();
      List<Message> fresh =
          page.stream().filter(m -> seen.putIfAbsent(m.messageId(), m) == null).toList();
      if (fresh.isEmpty()) {
        break;
      }
      eachPage.accept(fresh);
    }
    return new ArrayList<>(seen.values());
  }

  /** Makes the messages visible again now, rather than when the pass's visibility timeout runs out. */
  private void release(List<Message> messages) {
    for (int i = 0; i < messages.size(); i += 10) {
      List<Message> chunk = messages.subList(i, Math.min(messages.size(), i + 10));
      sqs.changeMessageVisibilityBatch(r -> r.queueUrl(dlqUrl)
          .entries(IntStream.range(0, chunk.size())
              .mapToObj(j -> ChangeMessageVisibilityBatchRequestEntry.builder()
                  .id(Integer.toString(j))
                  .receiptHandle(chunk.get(j).receiptHandle())
                  .visibilityTimeout(0)
                  .build())
              .toList()));
    }
  }

  private Letter letter(Message m) {
    MessageAttributeValue attribute = m.messageAttributes().get(REASON_ATTRIBUTE);
    String reason = attribute == null ? null : attribute.stringValue();
    String source = reason == null ? null : "attribute";
    if (reason == null && loggedErrors.containsKey(m.messageId())) {
      reason = loggedErrors.get(m.messageId());
      source = "log";
    }
    String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
    String receives = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    return new Letter(
        m.messageId(),
        m.receiptHandle(),
        m.body(),
        ObjectNotification.read(m.body()),
        reason,
        source,
        sent == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(sent)),
        receives == null ? 0 : Integer.parseInt(receives),
        m.messageAttributes());
  }

  /**
   * The last error the Classify function logged for each message id, from its JSON lines (offhours.classify's
   * OutcomeLog: a RETRY record's detail, or an ERROR line's exception); empty if the log does not exist.
   */
  static Map<String, String> loggedErrors(Path log) throws IOException {
    Map<String, String> errors = new HashMap<>();
    if (!Files.isRegularFile(log)) {
      return errors;
    }
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      lines
          .filter(l -> l.startsWith("{") && l.contains("\"messageId\"") && l.contains("RETRY"))
          .forEach(line -> {
            try {
              JsonNode json = Json.MAPPER.readTree(line);
              String id = json.path("messageId").asText(null);
              if (id == null) {
                return;
              }
              if (json.hasNonNull("error")) {
                errors.put(id, json.path("error").asText());
              }
              for (JsonNode record : json.path("records")) {
                if (record.path("outcome").asText().equals("RETRY")
                    && record.hasNonNull("detail")) {
                  errors.put(
                      id,
                      record.path("subject").asText() + ": "
                          + record.path("detail").asText());
                }
              }
            } catch (JsonProcessingException e) {
              // a line that only looks like one of the function's
            }
          });
    }
    return errors;
  }
}
