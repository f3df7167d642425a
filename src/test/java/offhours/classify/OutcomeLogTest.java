package offhours.classify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeLogTest {

  @Test
  void writesOneJsonLinePerMessageWithEachRecordsOutcome() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutcomeLog log = new OutcomeLog(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    log.write(
        "m1",
        Outcome.Kind.REJECTED,
        2,
        List.of(
            Outcome.of(Outcome.Kind.CLASSIFIED, "s3://b/a.jpg", "Neutral 0.9"),
            Outcome.of(
                Outcome.Kind.REJECTED, "s3://b/b.png", "object s3://b/b.png is empty (0 bytes)")),
        List.of());

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text.lines()).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(text);
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("messageId").asText()).isEqualTo("m1");
    assertThat(line.get("outcome").asText()).isEqualTo("REJECTED");
    assertThat(line.get("attempts").asInt()).isEqualTo(2);
    assertThat(line.get("records").get(1).get("detail").asText())
        .isEqualTo("object s3://b/b.png is empty (0 bytes)");
  }

  @Test
  void escapesQuotesBackslashesControlCharactersAndKeepsUnicodeSoTheLineParsesBack()
      throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutcomeLog log = new OutcomeLog(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String subject = "s3://b/say \"hi\" back\\slash\nnew line café 🚀 tab\t bell\u0007.jpg";
    String detail = "unsupported format: object " + subject + " looks like text";

    log.write(
        "m\"1",
        Outcome.Kind.RETRY,
        1,
        List.of(Outcome.of(Outcome.Kind.REJECTED, subject, detail)),
        List.of());

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text.lines()).hasSize(1);
    assertThat(text).contains("café").doesNotContain("\u0007");
    JsonNode line = new ObjectMapper().readTree(text);
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("messageId").asText()).isEqualTo("m\"1");
    assertThat(line.get("records").get(0).get("subject").asText()).isEqualTo(subject);
    assertThat(line.get("records").get(0).get("detail").asText()).isEqualTo(detail);
  }

  @Test
  void aMissingDetailIsJsonNull() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new OutcomeLog(new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .write(
            "m1",
            Outcome.Kind.CLASSIFIED,
            1,
            List.of(Outcome.of(Outcome.Kind.CLASSIFIED, "s3://b/a.jpg", null)),
            List.of());

    JsonNode record = new ObjectMapper()
        .readTree(bytes.toString(StandardCharsets.UTF_8))
        .get("records")
        .get(0);
    assertThat(record.get("detail").isNull()).isTrue();
    assertThat(record.get("subject").asText()).isEqualTo("s3://b/a.jpg");
  }

  @Test
  void aLedgerWriteAppliedByItsFirstAttemptIsAnInfoLineThatLosesNothing() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new OutcomeLog(new PrintStream(bytes, true, StandardCharsets.UTF_8))
        .ledgerUpdatedByTheFirstAttempt(3, 420);

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text.lines()).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(text);
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("ledger").asText())
        .startsWith("updated by the first attempt")
        .contains("3 invocations, 420 ms, counted once")
        .doesNotContain("lost");
  }
}
