package offhours.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecimalsTest {

  @Test
  void digitsWithAtMostOneDotAreNumbers() {
    assertThat(Decimals.parse("0.115")).isEqualTo(0.115);
    assertThat(Decimals.parse("7")).isEqualTo(7);
    assertThat(Decimals.parse(".5")).isEqualTo(0.5);
    assertThat(Decimals.parse("5.")).isEqualTo(5);
    assertThat(Decimals.parse("0000.0000166667")).isEqualTo(0.0000166667);
  }

  /** What Double.parseDouble takes besides: each of these is a number to it. */
  @Test
  void whatJavaAloneTakesIsRefused() {
    for (String bad : new String[] {
      "5d",
      "5f",
      "5D",
      "0x1p3",
      " 5",
      "5 ",
      "\t5\n",
      "Infinity",
      "NaN",
      "-1",
      "+5",
      "1e3",
      "1E-4",
      "1_0",
      "\uff15",
      "1.2.3",
      ".",
      "",
      "9".repeat(400)
    }) {
      assertThatThrownBy(() -> Decimals.parse(bad))
          .as("'%s'", bad)
          .isInstanceOf(NumberFormatException.class);
    }
    assertThatThrownBy(() -> Decimals.parse(null)).isInstanceOf(NumberFormatException.class);
  }

  /** Double.toString writes 1.0E-4, which the grammar refuses: plain writes what it reads back. */
  @Test
  void plainWritesWhatParseReadsBack() {
    for (double v : new double[] {0, 0.0001, 0.0000001, 0.115, 1, 2.5, 1_000_000, 123456.789}) {
      assertThat(Decimals.parse(Decimals.plain(v))).as("%s", v).isEqualTo(v);
    }
    assertThat(Decimals.plain(0.0001)).isEqualTo("0.0001");
    assertThat(Decimals.plain(1_000_000)).isEqualTo("1000000");
    assertThat(Decimals.plain(0.0)).isEqualTo("0");
  }
}
