package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

class DeadLetterQueueTest {

  @TempDir
  Path dir;

  @Test
  void theLastLoggedErrorOfEachMessageIsItsReasonAndOtherLinesAreIgnored() throws IOException {
    Path log = Files.writeString(
        dir.resolve("stack.log"),
        String.join(
            "\n",
            "INFO local stack started",
            "{\"level\":\"WARN\",\"messageId\":\"m1\",\"outcome\":\"RETRY\",\"attempts\":1,\"records\":[{\"subject\":"
                + "\"s3://b/a.png\",\"outcome\":\"RETRY\",\"detail\":\"first\"}]}",
            "{\"level\":\"WARN\",\"messageId\":\"m1\",\"outcome\":\"RETRY\",\"attempts\":2,\"records\":[{\"subject\":"
                + "\"s3://b/a.png\",\"outcome\":\"RETRY\",\"detail\":\"second\"}]}",
            "{\"level\":\"ERROR\",\"messageId\":\"m2\",\"outcome\":\"RETRY\",\"error\":\"java.lang.IllegalStateException:"
                + " bug\",\"stackTrace\":\"...\"}",
            "{\"level\":\"INFO\",\"messageId\":\"m3\",\"outcome\":\"CLASSIFIED\",\"records\":[]}",
            "{\"messageId\": broken RETRY",
            ""));

    assertThat(DeadLetterQueue.loggedErrors(log))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("m1", "s3://b/a.png: second", "m2", "java.lang.IllegalStateException: bug"));
    assertThat(DeadLetterQueue.loggedErrors(dir.resolve("absent.log"))).isEmpty();
  }

  @Test
  void agesReadInTheLargestWholeUnit() {
    assertThat(DlqCommand.age(Duration.ofSeconds(-3))).isEqualTo("0 s");
    assertThat(DlqCommand.age(Duration.ofSeconds(119))).isEqualTo("119 s");
    assertThat(DlqCommand.age(Duration.ofMinutes(90))).isEqualTo("90 min");
    assertThat(DlqCommand.age(Duration.ofHours(30))).isEqualTo("30 h");
    assertThat(DlqCommand.age(Duration.ofDays(13))).isEqualTo("13 d");
  }

  @Test
  void theHelpOfListAndShowSaysWhatAReadDoesInWrappedSentences() {
    for (Command command : List.of(new DlqCommand.DlqList(), new DlqCommand.DlqShow())) {
      assertThat(command.description()).as(command.name()).contains("""
              Reading the DLQ receives its messages: a pass hides them while it runs (for 60 s plus half a
              second per message SQS counts, extended if the pass runs longer) and adds one to their receive
              count, which sends them nowhere (the DLQ has no redrive of its own). They are visible again
              when the command ends.
              """);
    }
  }

  /**
   * A receive count or send time SQS answered as no whole number is refused naming the attribute, the message and the
   * value, where Java's "For input string" reached Main as an internal error; the messages stay in the DLQ.
   */
  @Test
  void aMalformedSystemAttributeIsNamedWithItsMessageAndValue() {
    for (var bad : Map.of(
            MessageSystemAttributeName.SENT_TIMESTAMP, "soon",
            MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "-2")
        .entrySet()) {
      FakeDlq sqs = new FakeDlq(10, 100);
      sqs.add("body 0");
      sqs.add("body 1");
      sqs.attributes.put(bad.getKey(), bad.getValue());

      assertThatThrownBy(() -> dlq(sqs).list())
          .isInstanceOf(CliException.class)
          .hasMessage("SQS answered " + bad.getKey() + " '" + bad.getValue()
              + "' for message m-00000, which is not a whole number from 0 (a message of the dead-letter"
              + " queue, where it stays)");
      assertThat(sqs.visible()).as("let go").isEqualTo(2);
    }
  }

  /** A move that meets such an attribute after it moved some says which it had moved. */
  @Test
  void aMoveStoppedByAMalformedAttributeSaysWhatItHadMoved() {
    FakeDlq sqs = new FakeDlq(1, 100);
    for (int i = 0; i < 5; i++) {
      sqs.add("body " + i);
    }
    sqs.afterSend = body -> sqs.attributes.put(MessageSystemAttributeName.SENT_TIMESTAMP, "soon");

    assertThatThrownBy(
            () -> dlq(sqs).move("https://sqs/q", l -> true, new DlqPass.StartCounts(5, 0)))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "SQS answered SentTimestamp 'soon' for message m-00001, which is not a whole number"
                + " from 0 (a message of the dead-letter queue, where it stays); before it, 1 message had been"
                + " moved to the queue: m-00000");
    assertThat(sqs.ids()).hasSize(4);
    assertThat(sqs.visible()).isEqualTo(4);
  }

  private static DeadLetterQueue dlq(FakeDlq sqs) {
    return new DeadLetterQueue(sqs, FakeDlq.URL, Map.of(), sqs.clock(), System.err);
  }
}
