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

  /** Man, ZWJ, woman, ZWJ, girl: one family emoji. */
  private static final String FAMILY = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";
  /** Regional indicators D and E: the German flag. */
  private static final String FLAG_DE = "\uD83C\uDDE9\uD83C\uDDEA";
  /** Thumbs up with the medium skin tone modifier. */
  private static final String THUMBS_UP_MEDIUM = "\uD83D\uDC4D\uD83C\uDFFD";
  /** A heavy black heart (text by default) with VS16: emoji presentation. */
  private static final String RED_HEART = "\u2764\uFE0F";

  @Test
  void anEmojiSequenceIsOneCharacterTwoColumnsWide() {
    assertThat(TextTable.width(FAMILY)).as("a ZWJ family").isEqualTo(2);
    assertThat(TextTable.width(FLAG_DE + "\uD83C\uDDEB\uD83C\uDDF7"))
        .as("two flags")
        .isEqualTo(4);
    assertThat(TextTable.width(THUMBS_UP_MEDIUM)).as("a skin tone").isEqualTo(2);
    assertThat(TextTable.width(RED_HEART)).as("VS16").isEqualTo(2);
    assertThat(TextTable.width("\u2764")).as("the heart without VS16 is text").isEqualTo(1);
    assertThat(TextTable.width("\u2764\u200D\uD83D\uDD25"))
        .as("a heart on fire: a ZWJ sequence of a text-default pictograph")
        .isEqualTo(2);
    assertThat(TextTable.width("\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08"))
        .as("the rainbow flag")
        .isEqualTo(2);
    assertThat(TextTable.width("1\uFE0F\u20E3")).as("a keycap").isEqualTo(2);
    assertThat(TextTable.width("\uD83D\uDE00\uFE0E")).as("VS15 asks for text").isEqualTo(1);
    assertThat(TextTable.width("\u1100\u1161\u11A8"))
        .as("a Hangul syllable of conjoining Jamo")
        .isEqualTo(2);
  }

  @Test
  void emojiOutsideTheOldBlocksAreWideAndTextDefaultPictographsAreNot() {
    // Emoji_Presentation (emoji-data.txt) and East_Asian_Width W (EastAsianWidth.txt, Unicode
    // 15.1).
    assertThat(TextTable.width("\uD83D\uDE80")).as("U+1F680 rocket").isEqualTo(2);
    assertThat(TextTable.width("\uD83E\uDEE0")).as("U+1FAE0 melting face").isEqualTo(2);
    assertThat(TextTable.width("\u231A")).as("U+231A watch").isEqualTo(2);
    assertThat(TextTable.width("\u2615")).as("U+2615 hot beverage").isEqualTo(2);
    assertThat(TextTable.width("\u2B50")).as("U+2B50 star").isEqualTo(2);
    assertThat(TextTable.width("\uD83C\uDC04")).as("U+1F004 mahjong red dragon").isEqualTo(2);
    assertThat(TextTable.width("\uD83C\uDD97")).as("U+1F197 squared OK").isEqualTo(2);
    assertThat(TextTable.width("\uD81C\uDC00")).as("U+17000 Tangut").isEqualTo(2);
    assertThat(TextTable.width("\uD83C\uDF21")).as("U+1F321 thermometer: text").isEqualTo(1);
    assertThat(TextTable.width("\uD83C\uDF21\uFE0F")).as("with VS16").isEqualTo(2);
    assertThat(TextTable.width("\u3248")).as("U+3248: ambiguous, not wide").isEqualTo(1);
  }

  @Test
  void aCutKeepsAnEmojiSequenceWholeAndCountsItAsTwoColumns() {
    // With COLUMNS 23 the reason has 20 columns, the "…" included.
    for (String emoji : List.of(FAMILY, FLAG_DE, THUMBS_UP_MEDIUM, RED_HEART)) {
      assertThat(reasonCut(letters(18) + emoji + "xyz"))
          .as("%s after 18 letters: one column left, cut before it", emoji)
          .isEqualTo(letters(18) + "…");
      assertThat(reasonCut(letters(17) + emoji + "xyz"))
          .as("%s after 17 letters: it fits whole", emoji)
          .isEqualTo(letters(17) + emoji + "…");
      assertThat(reasonCut(letters(18) + emoji))
          .as("20 columns fit uncut")
          .isEqualTo(letters(18) + emoji);
    }
    assertThat(reasonCut(FAMILY.repeat(9) + "x"))
        .as("nine families and a letter: 19 columns")
        .isEqualTo(FAMILY.repeat(9) + "x");
    assertThat(reasonCut(FAMILY.repeat(12))).isEqualTo(FAMILY.repeat(9) + "…");
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
