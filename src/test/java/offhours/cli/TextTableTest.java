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
}
