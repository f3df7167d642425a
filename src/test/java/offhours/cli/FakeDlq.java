package offhours.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import offhours.testing.MutableClock;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequest;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * A dead-letter queue in memory that behaves as SQS may on a slow link: each call moves its clock (a {@link MutableClock}) on, a
 * receive returns only a few messages, and a message whose visibility timeout ran out is handed out again, before
 * the ones never received (SQS promises no order). Visibility changes and deletes need the latest receipt handle.
 */
final class FakeDlq implements SqsClient {

  static final String URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/offhours-dlq";

  private static final class Stored {
    final String id;
    final String body;
    long invisibleUntil;
    int receives;
    String handle;
    boolean received;

    Stored(String id, String body) {
      this.id = id;
      this.body = body;
    }
  }

  private final Map<String, Stored> messages = new LinkedHashMap<>();
  /** What each call but a receive takes. */
  private static final Duration CALL = Duration.ofMillis(20);

  private final int pageSize;
  private final long receiveMillis;
  /** The fake's time, which each call advances. */
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

  private final long sent = clock.millis();
  private int receiveCalls;

  /** Sends to other queues: queue url -> bodies. */
  final Map<String, List<String>> sentTo = new HashMap<>();
  /** Bodies whose send fails with a 500. */
  final Set<String> failSends = new HashSet<>();
  /** Receipt handles whose visibility change fails; {@code ignoreVisibility} makes receives hide nothing. */
  final Set<String> failVisibilityFor = new HashSet<>();

  boolean ignoreVisibility;

  /** System attributes every received message carries in place of the fake's own (a malformed SQS answer). */
  final Map<MessageSystemAttributeName, String> attributes = new HashMap<>();

  /** Called with each body once it was sent to another queue: a test stops the move there. */
  Consumer<String> afterSend = body -> {};

  /** {@code pageSize}: at most this many messages per receive; {@code receiveMillis}: how long each receive takes. */
  FakeDlq(int pageSize, long receiveMillis) {
    this.pageSize = pageSize;
    this.receiveMillis = receiveMillis;
  }

  String add(String body) {
    String id = "m-%05d".formatted(messages.size());
    messages.put(id, new Stored(id, body));
    return id;
  }

  /** The fake's time, which each call advances. */
  Clock clock() {
    return clock;
  }

  int receiveCalls() {
    return receiveCalls;
  }

  List<String> ids() {
    return List.copyOf(messages.keySet());
  }

  long visible() {
    return messages.values().stream()
        .filter(m -> m.invisibleUntil <= clock.millis())
        .count();
  }

  @Override
  public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request) {
    clock.advance(Duration.ofMillis(receiveMillis));
    receiveCalls++;
    int max = Math.min(
        pageSize, request.maxNumberOfMessages() == null ? 1 : request.maxNumberOfMessages());
    List<Stored> page = messages.values().stream()
        .filter(m -> m.invisibleUntil <= clock.millis())
        .sorted(Comparator.comparing((Stored m) -> !m.received))
        .limit(max)
        .toList();
    List<Message> out = new ArrayList<>();
    for (Stored m : page) {
      m.received = true;
      m.receives++;
      m.handle = m.id + "#" + m.receives;
      if (!ignoreVisibility) {
        m.invisibleUntil = clock.millis()
            + 1000L * (request.visibilityTimeout() == null ? 30 : request.visibilityTimeout());
      }
      Map<MessageSystemAttributeName, String> system = new HashMap<>(Map.of(
          MessageSystemAttributeName.SENT_TIMESTAMP, Long.toString(sent),
          MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, Integer.toString(m.receives)));
      system.putAll(attributes);
      out.add(Message.builder()
          .messageId(m.id)
          .receiptHandle(m.handle)
          .body(m.body)
          .attributes(system)
          .build());
    }
    return ReceiveMessageResponse.builder().messages(out).build();
  }

  @Override
  public ChangeMessageVisibilityBatchResponse changeMessageVisibilityBatch(
      ChangeMessageVisibilityBatchRequest request) {
    clock.advance(CALL);
    List<ChangeMessageVisibilityBatchResultEntry> ok = new ArrayList<>();
    List<BatchResultErrorEntry> failed = new ArrayList<>();
    for (ChangeMessageVisibilityBatchRequestEntry e : request.entries()) {
      Stored m = byHandle(e.receiptHandle());
      if (m == null || failVisibilityFor.contains(e.receiptHandle())) {
        failed.add(BatchResultErrorEntry.builder()
            .id(e.id())
            .code("ReceiptHandleIsInvalid")
            .message("not the latest handle")
            .senderFault(true)
            .build());
        continue;
      }
      if (!ignoreVisibility) {
        m.invisibleUntil = clock.millis() + 1000L * e.visibilityTimeout();
      }
      ok.add(ChangeMessageVisibilityBatchResultEntry.builder().id(e.id()).build());
    }
    return ChangeMessageVisibilityBatchResponse.builder()
        .successful(ok)
        .failed(failed)
        .build();
  }

  @Override
  public DeleteMessageResponse deleteMessage(DeleteMessageRequest request) {
    clock.advance(CALL);
    Stored m = byHandle(request.receiptHandle());
    if (m != null) {
      messages.remove(m.id);
    }
    return DeleteMessageResponse.builder().build();
  }

  @Override
  public SendMessageResponse sendMessage(SendMessageRequest request) {
    clock.advance(CALL);
    if (failSends.contains(request.messageBody())) {
      throw (SqsException) SqsException.builder()
          .statusCode(500)
          .awsErrorDetails(AwsErrorDetails.builder()
              .errorCode("InternalError")
              .errorMessage("try again")
              .build())
          .build();
    }
    sentTo.computeIfAbsent(request.queueUrl(), u -> new ArrayList<>()).add(request.messageBody());
    afterSend.accept(request.messageBody());
    return SendMessageResponse.builder()
        .messageId("new-" + request.messageBody())
        .build();
  }

  @Override
  public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
    clock.advance(CALL);
    long visible = visible();
    Map<QueueAttributeName, String> all = Map.of(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, Long.toString(visible),
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            Long.toString(messages.size() - visible),
        QueueAttributeName.QUEUE_ARN,
            "arn:aws:sqs:eu-west-1:123456789012:"
                + request.queueUrl().substring(request.queueUrl().lastIndexOf('/') + 1));
    Map<QueueAttributeName, String> asked = new HashMap<>();
    request.attributeNames().forEach(n -> asked.put(n, all.get(n)));
    return GetQueueAttributesResponse.builder().attributes(asked).build();
  }

  private Stored byHandle(String handle) {
    return messages.values().stream()
        .filter(m -> handle.equals(m.handle))
        .findFirst()
        .orElse(null);
  }

  @Override
  public String serviceName() {
    return "sqs";
  }

  @Override
  public void close() {}
}
