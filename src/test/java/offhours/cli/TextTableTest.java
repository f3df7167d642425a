package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TextTable}: columns line up on a terminal whatever script a key is written in. */
class TextTableTest {

  private static final String DECOMPOSED =
      "e\u0301te\u0301.png"; // "été.png" as macOS file names spell it

  @Test
  void combiningMarksTakeNoColumnAndCjkAndEmojiTakeTwo() {
    assertThat(TextTable.width("été.png")).isEqualTo(7);
    assertThat(TextTable.width(DECOMPOSED)).isEqualTo(7);
    assertThat(TextTable.width("写真.jpg")).isEqualTo(8);
    assertThat(TextTable.width("\uD83D\uDC08.png")).as("a cat emoji").isEqualTo(6);
  }

  @Test
  void theNextColumnStartsAtTheSameTerminalColumnOnEveryRow() {
    String table = TextTable.render(
        List.of("KEY", "LABEL"),
        List.of(
            List.of("été.png", "Neutral"),
            List.of(DECOMPOSED, "Drawing"),
            List.of("写真.jpg", "Sexy")));

    assertThat(table)
        .isEqualTo("KEY       LABEL\n"
            + "été.png   Neutral\n"
            + DECOMPOSED + "   Drawing\n"
            + "写真.jpg  Sexy\n");
  }

  @Test
  void aCutReasonFitsTheTerminalByWidth() {
    String wide = "写真が大きすぎます".repeat(4); // 36 characters, 72 columns
    String table = TextTable.render(List.of("KEY", "REASON"), List.of(List.of("a.png", wide)), 40);
    String line = table.lines().skip(1).findFirst().orElseThrow();

    assertThat(line).isEqualTo("a.png  写真が大きすぎます写真が大きすぎ…");
    assertThat(TextTable.width(line)).isEqualTo(40);
  }

  @Test
  void aCutNeverSplitsWhatAReaderSeesAsOneCharacterNorAnEscape() {
    // With COLUMNS 23 the reason has 20 columns, the "…" included.
    assertThat(reasonCut(letters(18) + "e\u0301xyz"))
        .as("an accent stays with its letter")
        .isEqualTo(letters(18) + "e\u0301…");
    assertThat(reasonCut(letters(18) + "\uD83D\uDC08x"))
        .as("an emoji (a surrogate pair, two columns) is kept whole or left out")
        .isEqualTo(letters(18) + "…");
    assertThat(reasonCut(letters(17) + "\u202eevil"))
        .as("an escape is kept whole or left out")
        .isEqualTo(letters(17) + "…");
    assertThat(reasonCut(letters(10) + "\u202eevilevil")).isEqualTo(letters(10) + "\\u202eevi…");
    assertThat(reasonCut(letters(20))).as("what fits is not cut").isEqualTo(letters(20));
  }

  private static String reasonCut(String reason) {
    String table = TextTable.render(List.of("K", "REASON"), List.of(List.of("k", reason)), 23);
    String line = table.lines().skip(1).findFirst().orElseThrow();
    assertThat(TextTable.width(line)).as(line).isLessThanOrEqualTo(23);
    return line.substring("k  ".length());
  }

  private static String letters(int count) {
    return "abcdefghijklmnopqrstuvwxyz".substring(0, count);
  }
}
