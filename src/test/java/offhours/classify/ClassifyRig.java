package offhours.classify;

import static offhours.classify.ClassifyHandlerTest.BUCKET;
import static offhours.classify.ClassifyHandlerTest.config;
import static offhours.classify.ClassifyHandlerTest.event;
import static offhours.classify.ClassifyHandlerTest.message;
import static offhours.classify.ClassifyHandlerTest.notification;
import static offhours.classify.Fakes.image;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import offhours.classify.Fakes.FakeRuntime;
import offhours.classify.Fakes.FakeS3;
import offhours.classify.Fakes.FakeSqs;
import offhours.testing.FakeDynamoDb;
import offhours.testing.LambdaSqsJson;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The Classify handler over fakes (S3 with a.jpg and b.png, SQS, DynamoDB, the runtime) at a fixed clock, its log
 * kept: what the rules' tests share.
 */
abstract class ClassifyRig {

  final FakeS3 s3 = new FakeS3()
      .put(BUCKET, "a.jpg", image("rocket.jpg"), "e1")
      .put(BUCKET, "b.png", image("chelsea.png"), "e2");
  final FakeSqs sqs = new FakeSqs();
  final FakeDynamoDb dynamo = new FakeDynamoDb();
  final FakeRuntime runtime = new FakeRuntime();
  final ByteArrayOutputStream log = new ByteArrayOutputStream();

  ClassifyHandler handler(String... settings) {
    return new ClassifyHandler(
        s3,
        sqs,
        dynamo,
        runtime,
        config(settings),
        Clock.fixed(Instant.parse("2026-11-25T10:00:05Z"), ZoneOffset.UTC),
        new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  SQSBatchResponse run(SQSEvent event, String... settings) {
    return LambdaSqsJson.invoke(handler(settings), event);
  }

  /** Both objects, one message each, processed one after the other. */
  static SQSEvent twoImages() {
    return event(
        message("m1", notification("a.jpg", 112525L, "e1", "")),
        message("m2", notification("b.png", 240512L, "e2", "")));
  }

  Map<String, AttributeValue> item(String pk) {
    return dynamo.all().stream()
        .filter(i -> i.get("pk").s().equals(pk))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no item " + pk + " in " + dynamo.all()));
  }

  List<JsonNode> logLines() throws IOException {
    ObjectMapper json = new ObjectMapper();
    return log.toString(StandardCharsets.UTF_8)
        .lines()
        .map(l -> {
          try {
            return json.readTree(l);
          } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + l, e);
          }
        })
        .toList();
  }

  /**
   * One record (a.jpg, 112,525 bytes) through a handler with {@code settings} in {@code context} (null: none, as
   * without a deadline); the batch response's bytes.
   */
  ByteArrayOutputStream oneRecord(Context context, String... settings) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    handler(settings)
        .handleRequest(
            new ByteArrayInputStream(LambdaSqsJson.toJson(
                event(message("m1", notification("a.jpg", 112525L, "e1", ""))))),
            out,
            context);
    return out;
  }

  /** {@link #oneRecord}'s batch response hands its one message, m1, back to SQS, to be delivered again. */
  static void assertHandedBack(ByteArrayOutputStream out) {
    assertThat(LambdaSqsJson.response(out.toByteArray()).getBatchItemFailures())
        .singleElement()
        .satisfies(f -> assertThat(f.getItemIdentifier()).isEqualTo("m1"));
  }

  /** What the invocation's log line says of its first record. */
  String firstRecordDetail() throws IOException {
    return logLines().getFirst().get("records").get(0).get("detail").asText();
  }
}
