package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code results} says under a table with REJECTED rows: one line per kind of reason shown. */
class RejectionLinesTest {

  @Test
  void oneLinePerKindShownInTheOrderTheyFirstAppearAndNoneForClassifiedRows() {
    List<ResultRow> rows = List.of(
        row("a.png", "REJECTED", "object s3://b/a.png is empty (0 bytes)"),
        row("b.png", "CLASSIFIED", null),
        row("c.png", "REJECTED", "unsupported format: object s3://b/c.png looks like text"),
        row(
            "d.png",
            "REJECTED",
            "the model could not read the image (status 400): PNG data ends early"),
        row("e.png", "REJECTED", "a reason of no known kind"));

    assertThat(RejectionLines.of(rows))
        .containsExactly(
            "what to do (2 results), cut short or damaged: upload the whole file again under the same key",
            "what to do (1 result), not JPEG or PNG: convert it to JPEG or PNG and upload it again under"
                + " the same key");
    assertThat(RejectionLines.of(List.of(row("b.png", "CLASSIFIED", null)))).isEmpty();
  }

  private static ResultRow row(String key, String status, String reason) {
    return new ResultRow(
        key,
        "b",
        null,
        null,
        status,
        reason,
        null,
        null,
        List.of(),
        null,
        null,
        "2026-11-25T10:00:00Z",
        1,
        null,
        "s3://b/" + key);
  }
}
