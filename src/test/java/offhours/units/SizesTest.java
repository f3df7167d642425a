package offhours.units;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizesTest {

  @Test
  void sizesAreDecimalWithOneDecimalBelowTen() {
    assertThat(Sizes.format(0)).isEqualTo("0 B");
    assertThat(Sizes.format(999)).isEqualTo("999 B");
    assertThat(Sizes.format(1000)).isEqualTo("1.0 kB");
    assertThat(Sizes.format(812_400)).isEqualTo("812 kB");
    assertThat(Sizes.format(999_960))
        .as("rounds up into the next unit, not to '1000 kB'")
        .isEqualTo("1.0 MB");
    assertThat(Sizes.format(1_300_000)).isEqualTo("1.3 MB");
    assertThat(Sizes.format(6_291_456)).isEqualTo("6.3 MB");
    assertThat(Sizes.format(9_960_000)).as("not '10.0 MB'").isEqualTo("10 MB");
    assertThat(Sizes.format(11_906_865)).isEqualTo("12 MB");
    assertThat(Sizes.format(3_000_000_000_000_000L)).isEqualTo("3000 TB");
  }

  @Test
  void aSizeNextToItsLimitShowsTheExactCountWhenRoundingWouldHideTheDifference() {
    assertThat(Sizes.formatAgainst(6_300_000, 6_291_456)).isEqualTo("6.3 MB (6,300,000 bytes)");
    assertThat(Sizes.formatAgainst(6_291_456, 6_300_000)).isEqualTo("6.3 MB (6,291,456 bytes)");
    assertThat(Sizes.formatAgainst(6_800_000, 6_291_456)).isEqualTo("6.8 MB");
    assertThat(Sizes.formatAgainst(6_291_456, 6_291_456)).isEqualTo("6.3 MB");
  }
}
