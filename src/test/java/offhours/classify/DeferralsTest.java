package offhours.classify;

import static offhours.classify.ClassifyHandlerTest.BUCKET;
import static offhours.classify.ClassifyHandlerTest.config;
import static offhours.classify.ClassifyHandlerTest.event;
import static offhours.classify.ClassifyHandlerTest.failures;
import static offhours.classify.ClassifyHandlerTest.message;
import static offhours.classify.ClassifyHandlerTest.notification;
import static offhours.classify.Fakes.image;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import offhours.classify.Fakes.FakeRuntime;
import offhours.classify.Fakes.FakeS3;
import offhours.classify.Fakes.FakeSqs;
import offhours.stack.FunctionVariables;
import offhours.stack.StackSpec;
import offhours.testing.FakeDynamoDb;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;

/** Whose deferral budget a message spends: the copy's own, and not a redriven message's any more. */
class DeferralsTest {

  static final Instant NOW = Instant.parse("2026-11-25T10:00:05Z");
  /** When the message's last deferred copy was sent, an hour before this receive. */
  static final Instant DEFERRED_AT = NOW.minus(Duration.ofHours(1));

  final FakeS3 s3 = new FakeS3().put(BUCKET, "a.jpg", image("rocket.jpg"), "e1");
  final FakeSqs sqs = new FakeSqs();
  final FakeDynamoDb dynamo = new FakeDynamoDb();
  final FakeRuntime runtime = new FakeRuntime();

  {
    runtime.answer = r -> {
      throw Fakes.endpointNotFound();
    };
  }

  SQSBatchResponse run(SQSEvent event) {
    ClassifyHandler handler = new ClassifyHandler(
        s3, sqs, dynamo, runtime, config("MAX_DEFERRALS", "3"), Clock.fixed(NOW, ZoneOffset.UTC));
    return LambdaSqsJson.invoke(handler, event);
  }

  /**
   * A message that spent its whole budget (3 deferrals, 2 throttles) on its copy sent at {@link #DEFERRED_AT}, which SQS
   * enqueued at {@code enqueuedAt}.
   */
  static SQSEvent spent(Instant enqueuedAt) {
    SQSEvent.SQSMessage m = message("m1", notification("a.jpg", 112525L, "e1", ""));
    m.getAttributes().put("SentTimestamp", Long.toString(enqueuedAt.toEpochMilli()));
    Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
    attributes.put("offhours-deferrals", number(3));
    attributes.put("offhours-throttles", number(2));
    attributes.put("offhours-deferred-at", number(DEFERRED_AT.toEpochMilli()));
    m.setMessageAttributes(attributes);
    return event(m);
  }

  static SQSEvent.MessageAttribute number(long value) {
    SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
    a.setDataType("Number");
    a.setStringValue(Long.toString(value));
    return a;
  }

  @Test
  void aDeferredCopyCarriesTheTimeItWasSent() {
    SQSEvent event = event(message("m1", notification("a.jpg", 112525L, "e1", "")));

    assertThat(failures(run(event))).isEmpty();

    assertThat(sqs.sent).singleElement().satisfies(copy -> {
      assertThat(copy.messageAttributes().get("offhours-deferred-at").dataType())
          .isEqualTo("Number");
      assertThat(copy.messageAttributes().get("offhours-deferred-at").stringValue())
          .isEqualTo(Long.toString(NOW.toEpochMilli()));
    });
  }

  @Test
  void theCopyClassifySentKeepsItsCountsAndWalksTowardTheDlqAtTheBound() {
    SQSEvent event = spent(DEFERRED_AT.plusSeconds(2));

    assertThat(failures(run(event))).containsExactly("m1");
    assertThat(sqs.sent).isEmpty();
    assertThat(Deferrals.attempts(ClassifyHandlerTest.queueMessage(event))).isEqualTo(1 + 3 + 2);
  }

  @Test
  void aMessageRedrivenFromTheDlqStartsAFreshBudget() {
    // SQS's move task and offhours' send-then-delete both enqueue the message anew, attributes and
    // all.
    SQSEvent event = spent(DEFERRED_AT.plus(Duration.ofMinutes(40)));

    SQSBatchResponse response = run(event);

    assertThat(failures(response)).as("deferred, not walked back to the DLQ").isEmpty();
    assertThat(Deferrals.attempts(ClassifyHandlerTest.queueMessage(event))).isEqualTo(1);
    assertThat(sqs.sent).singleElement().satisfies(copy -> {
      assertThat(copy.messageAttributes().get("offhours-deferrals").stringValue())
          .isEqualTo("1");
      assertThat(copy.messageAttributes()).doesNotContainKey("offhours-throttles");
      assertThat(copy.messageAttributes().get("offhours-deferred-at").stringValue())
          .isEqualTo(Long.toString(NOW.toEpochMilli()));
    });
  }

  /**
   * The counts are read only as Classify writes them, digits 0-9: " 3" (at the bound of 3, were it read as 3), "+3" and
   * an Arabic-Indic 3 are no counts of ours. The message is deferred on a budget spent once, and its log line names
   * each value not read.
   */
  @Test
  void aCountClassifyDidNotWriteIsReadAsNoneAndTheLogLineSaysSo() throws Exception {
    SQSEvent.SQSMessage m = message("m1", notification("a.jpg", 112525L, "e1", ""));
    m.getAttributes()
        .put("SentTimestamp", Long.toString(DEFERRED_AT.plusSeconds(2).toEpochMilli()));
    Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
    attributes.put("offhours-deferrals", text(" 3"));
    attributes.put("offhours-oversize", text("+3"));
    attributes.put("offhours-throttles", text("\u0663"));
    attributes.put("offhours-deferred-at", number(DEFERRED_AT.toEpochMilli()));
    m.setMessageAttributes(attributes);
    SQSEvent event = event(m);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ClassifyHandler handler = new ClassifyHandler(
        s3,
        sqs,
        dynamo,
        runtime,
        config("MAX_DEFERRALS", "3"),
        Clock.fixed(NOW, ZoneOffset.UTC),
        new PrintStream(log, true, StandardCharsets.UTF_8));

    SQSBatchResponse response = LambdaSqsJson.invoke(handler, event);

    assertThat(failures(response)).as("deferred, not walked toward the DLQ").isEmpty();
    assertThat(Deferrals.attempts(ClassifyHandlerTest.queueMessage(event))).isEqualTo(1);
    assertThat(sqs.sent)
        .singleElement()
        .satisfies(copy -> assertThat(
                copy.messageAttributes().get("offhours-deferrals").stringValue())
            .isEqualTo("1"));
    ObjectMapper json = new ObjectMapper();
    JsonNode line = log.toString(StandardCharsets.UTF_8)
        .lines()
        .map(text -> {
          try {
            return json.readTree(text);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })
        .filter(node -> node.has("outcome"))
        .findFirst()
        .orElseThrow();
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("unread"))
        .extracting(JsonNode::asText)
        .containsExactly(
            "message attribute offhours-deferrals ' 3' is not a count as Classify writes it"
                + " (digits 0-9), read as none",
            "message attribute offhours-oversize '+3' is not a count as Classify writes it"
                + " (digits 0-9), read as none",
            "message attribute offhours-throttles '\u0663' is not a count as Classify writes it"
                + " (digits 0-9), read as none");
    assertThat(Deferrals.unread(ClassifyHandlerTest.queueMessage(spent(NOW)))).isEmpty();
  }

  /**
   * A value the log line quotes is the message's: SQS takes a line feed, U+202E (right-to-left override) and 5,000
   * characters in a String attribute, and the line shows them escaped and cut (offhours.units.Shown), as any value from
   * outside.
   */
  @Test
  void aCountThatIsNotOursIsQuotedEscapedAndCut() {
    SQSEvent.SQSMessage m = message("m1", notification("a.jpg", 112525L, "e1", ""));
    m.setMessageAttributes(Map.of("offhours-deferrals", text("\u202e1\n2" + "9".repeat(4996))));

    assertThat(Deferrals.unread(ClassifyHandlerTest.queueMessage(event(m))))
        .containsExactly("message attribute offhours-deferrals '\\u202e1\\x0a2" + "9".repeat(56)
            + "... (5000 characters)' is not a count as Classify writes it (digits 0-9), read as"
            + " none");
  }

  static SQSEvent.MessageAttribute text(String value) {
    SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
    a.setDataType("String");
    a.setStringValue(value);
    return a;
  }

  @Test
  void theSendWindowOutlastsAnInvocationAndEndsBeforeAnyMessageCanReachTheDlq() {
    // The stack's queue: MaxReceiveCount at least its minimum, each failed receive hidden for its
    // retry pause with the template's RETRY_SECONDS (or, when that was not set, for the longer
    // visibility timeout).
    int first = Integer.parseInt(FunctionVariables.CLASSIFY_ENV.get("RETRY_SECONDS"));
    long shortestWayToTheDlq = 0;
    for (int receive = 1; receive <= StackSpec.Queue.MIN_RECEIVE_COUNT; receive++) {
      shortestWayToTheDlq += RetryPace.seconds(receive, first);
      assertThat(RetryPace.seconds(receive, first))
          .isLessThan(StackSpec.QUEUE.visibilityTimeoutSeconds());
    }
    assertThat(Deferrals.SEND_WINDOW)
        .isGreaterThanOrEqualTo(Duration.ofSeconds(StackSpec.CLASSIFY_TIMEOUT_SECONDS + 60))
        .isLessThan(Duration.ofSeconds(shortestWayToTheDlq));
  }
}
