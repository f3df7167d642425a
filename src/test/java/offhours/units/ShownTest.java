package offhours.units;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShownTest {

  @Test
  void controlCharactersAreShownAsEscapesAndEverythingElseIsKept() {
    assertThat(Shown.escaped("a\u001b[2Jb\u202ec\u0085 é 猫"))
        .isEqualTo("a\\x1b[2Jb\\u202ec\\x85 é 猫");
    assertThat(Shown.escaped("one\ntwo")).isEqualTo("one\\x0atwo");
    assertThat(Shown.escapedLines("one\ntwo\r")).isEqualTo("one\ntwo\\x0d");
    assertThat(Shown.escaped(null)).isNull();
  }

  @Test
  void aValueOfAtMost80CharactersIsQuotedWholeAndALongerOneByItsFirst60AndItsLength() {
    assertThat(Shown.value("x".repeat(80))).isEqualTo("x".repeat(80));
    assertThat(Shown.value("x".repeat(81))).isEqualTo("x".repeat(60) + "... (81 characters)");
    assertThat(Shown.value("y".repeat(5000))).isEqualTo("y".repeat(60) + "... (5000 characters)");
  }

  @Test
  void aLongValueIsCountedAndCutInCharactersNotUtf16UnitsAndItsStartIsEscaped() {
    String cats = "\uD83D\uDC08".repeat(80); // 80 characters, 160 UTF-16 units
    assertThat(Shown.value(cats)).isEqualTo(cats);
    String long81 = "\u001b" + "\uD83D\uDC08".repeat(80);
    assertThat(Shown.value(long81))
        .isEqualTo("\\x1b" + "\uD83D\uDC08".repeat(59) + "... (81 characters)");
    assertThat(Shown.value(null)).isEqualTo("null");
  }
}
