package offhours.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class SqsBatchesTest {

  private static final String QUEUE = "arn:aws:sqs:us-east-1:123456789012:q";
  private static final List<Message> BATCH = List.of(message("a"), message("b"), message("c"));

  @Test
  void buildsTheRecordLambdaDelivers() {
    Message message = Message.builder()
        .messageId("id-1")
        .receiptHandle("rh-1")
        .body("hello")
        .md5OfBody("5d41402abc4b2a76b9719d911017c592")
        .md5OfMessageAttributes("md5-attrs")
        .attributes(Map.of(
            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
            "1",
            MessageSystemAttributeName.SENT_TIMESTAMP,
            "1545082649183",
            MessageSystemAttributeName.SENDER_ID,
            "AIDAIENQZJOLO23YVJ4VO",
            MessageSystemAttributeName.APPROXIMATE_FIRST_RECEIVE_TIMESTAMP,
            "1545082649185"))
        .messageAttributes(Map.of(
            "text",
                MessageAttributeValue.builder()
                    .dataType("String")
                    .stringValue("v")
                    .build(),
            "blob",
                MessageAttributeValue.builder()
                    .dataType("Binary")
                    .binaryValue(SdkBytes.fromString("b", StandardCharsets.UTF_8))
                    .build()))
        .build();

    SQSEvent event = LambdaSqsJson.event(SqsBatches.event(List.of(message), QUEUE, "eu-central-1"));

    SQSEvent.SQSMessage record = event.getRecords().get(0);
    assertThat(record.getMessageId()).isEqualTo("id-1");
    assertThat(record.getReceiptHandle()).isEqualTo("rh-1");
    assertThat(record.getBody()).isEqualTo("hello");
    assertThat(record.getMd5OfBody()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
    assertThat(record.getMd5OfMessageAttributes()).isEqualTo("md5-attrs");
    assertThat(record.getAttributes())
        .containsOnly(
            Map.entry("ApproximateReceiveCount", "1"),
            Map.entry("SentTimestamp", "1545082649183"),
            Map.entry("SenderId", "AIDAIENQZJOLO23YVJ4VO"),
            Map.entry("ApproximateFirstReceiveTimestamp", "1545082649185"));
    SQSEvent.MessageAttribute text = record.getMessageAttributes().get("text");
    assertThat(text.getDataType()).isEqualTo("String");
    assertThat(text.getStringValue()).isEqualTo("v");
    assertThat(text.getStringListValues()).isEmpty();
    assertThat(text.getBinaryListValues()).isEmpty();
    SQSEvent.MessageAttribute blob = record.getMessageAttributes().get("blob");
    assertThat(StandardCharsets.UTF_8.decode(blob.getBinaryValue()).toString()).isEqualTo("b");
    assertThat(record.getEventSource()).isEqualTo("aws:sqs");
    assertThat(record.getEventSourceArn()).isEqualTo(QUEUE);
    assertThat(record.getAwsRegion()).isEqualTo("eu-central-1");
  }

  @Test
  void keepsTheBatchOrder() {
    assertThat(LambdaSqsJson.event(SqsBatches.event(BATCH, QUEUE, "us-east-1")).getRecords())
        .extracting(SQSEvent.SQSMessage::getMessageId)
        .containsExactly("a", "b", "c");
  }

  @Test
  void deletesEverythingWithoutReportBatchItemFailuresWhateverTheResponse() {
    assertThat(SqsBatches.toDelete(BATCH, response("b"), false)).isEqualTo(BATCH);
  }

  @Test
  void deletesAllButTheReportedFailures() {
    assertThat(SqsBatches.toDelete(BATCH, response("b", "c"), true))
        .extracting(Message::messageId)
        .containsExactly("a");
  }

  @Test
  void treatsANullOrEmptyResponseAsCompleteSuccess() {
    assertThat(SqsBatches.toDelete(BATCH, new byte[0], true)).isEqualTo(BATCH);
    assertThat(SqsBatches.toDelete(BATCH, json("null"), true)).isEqualTo(BATCH);
    assertThat(SqsBatches.toDelete(BATCH, LambdaSqsJson.toJson(new SQSBatchResponse()), true))
        .isEqualTo(BATCH);
    assertThat(
            SqsBatches.toDelete(BATCH, LambdaSqsJson.toJson(new SQSBatchResponse(List.of())), true))
        .isEqualTo(BATCH);
  }

  @Test
  void treatsAResponseThatIsNotJsonAsCompleteFailure() {
    assertThat(SqsBatches.toDelete(BATCH, json("{\"batchItemFailures\": ["), true))
        .isEmpty();
  }

  @Test
  void treatsAnUnknownNullOrEmptyItemIdentifierAsCompleteFailure() {
    assertThat(SqsBatches.toDelete(BATCH, response("b", "not-in-batch"), true)).isEmpty();
    assertThat(SqsBatches.toDelete(BATCH, response("b", ""), true)).isEmpty();
    assertThat(SqsBatches.toDelete(BATCH, response("b", null), true)).isEmpty();
  }

  /** The response as the runtime's serializer writes it (a null identifier is written as null). */
  private static byte[] response(String... ids) {
    List<BatchItemFailure> failures = new ArrayList<>();
    Arrays.stream(ids)
        .forEach(
            id -> failures.add(BatchItemFailure.builder().withItemIdentifier(id).build()));
    return LambdaSqsJson.toJson(new SQSBatchResponse(failures));
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Message message(String id) {
    return Message.builder().messageId(id).receiptHandle("rh-" + id).body(id).build();
  }
}
