package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
