package offhours.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The handler's own reading of Lambda's SQS event and writing of its batch response, against the runtime's. */
class SqsEventsTest {

  static Stream<String> sqsFixtures() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("events"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("sqs-"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("sqsFixtures")
  void everyFixtureReadsAsTheLambdaRuntimeReadsIt(String fixture) throws IOException {
    byte[] json = Files.readAllBytes(Path.of("events", fixture));

    List<QueueMessage> messages = SqsEvents.read(new ByteArrayInputStream(json));

    List<SQSEvent.SQSMessage> expected = LambdaSqsJson.event(json).getRecords();
    assertThat(messages).hasSameSizeAs(expected).isNotEmpty();
    for (int i = 0; i < expected.size(); i++) {
      SQSEvent.SQSMessage e = expected.get(i);
      QueueMessage m = messages.get(i);
      assertThat(m.messageId()).isEqualTo(e.getMessageId());
      assertThat(m.body()).isEqualTo(e.getBody());
      assertThat(m.attributes()).isEqualTo(e.getAttributes());
      assertThat(m.eventSourceArn()).isEqualTo(e.getEventSourceArn());
      assertThat(m.messageAttributes()).hasSameSizeAs(e.getMessageAttributes());
    }
  }

  @Test
  void stringMessageAttributesAreKeptWithTheirType() throws IOException {
    SQSEvent event = LambdaSqsJson.fixture("sqs-s3-put.json");
    SQSEvent.MessageAttribute count = new SQSEvent.MessageAttribute();
    count.setDataType("Number");
    count.setStringValue("4");
    event.getRecords().getFirst().setMessageAttributes(Map.of("offhours-deferrals", count));

    QueueMessage message =
        SqsEvents.read(new ByteArrayInputStream(LambdaSqsJson.toJson(event))).getFirst();

    assertThat(message.messageAttributes())
        .containsExactly(
            Map.entry("offhours-deferrals", new QueueMessage.UserAttribute("Number", "4")));
  }

  @Test
  void theBatchResponseIsWhatTheRuntimeReads() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    SqsEvents.writeResponse(List.of("m-1", "m-\"2\""), out);

    assertThat(LambdaSqsJson.response(out.toByteArray()).getBatchItemFailures())
        .extracting(BatchItemFailure::getItemIdentifier)
        .containsExactly("m-1", "m-\"2\"");
  }

  @Test
  void aPayloadThatIsNotAnSqsEventIsAnErrorOfTheInvocationNotAVerdict() {
    assertThatThrownBy(() -> SqsEvents.read(stream("{\"action\":\"start\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the invocation payload is not an SQS event (it has no Records array)");
    assertThatThrownBy(() -> SqsEvents.read(stream("{\"Records\":[{\"body\":\"x\"}]}")))
        .hasMessage("an SQS record without a messageId");
    assertThatThrownBy(() -> SqsEvents.read(stream("{\"Records\":")))
        .hasMessageStartingWith("the invocation payload is not JSON: ");
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
