package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The readings of the command line's number flags and the words that refuse each. */
class NumberFlagsTest {
  private static final Option DAYS = Option.value("days", "N", "days");

  private static Arguments days(String value) {
    return new Arguments(List.of(), Map.of("days", value));
  }

  @Test
  void aPositiveFlagIsDigitsAboveZeroOrItsFallbackWhenNotGiven() {
    assertThat(NumberFlags.positive(new Arguments(List.of(), Map.of()), DAYS, 7L))
        .isEqualTo(7);
    assertThat(NumberFlags.positive(days("30"), DAYS, 7L)).isEqualTo(30);
    assertThat(NumberFlags.positive(days("9223372036854775807"), DAYS, 7L))
        .isEqualTo(Long.MAX_VALUE);
    for (String bad : List.of("0", "000", "-1", "+3", " 3", "3.5", "", "\uFF13")) {
      assertThatThrownBy(() -> NumberFlags.positive(days(bad), DAYS, 7L))
          .as(bad)
          .isInstanceOfSatisfying(
              CliException.class, e -> assertThat(e.isUsage()).isTrue())
          .hasMessage("--days needs a positive whole number in digits 0-9, got '" + bad + "'");
    }
    assertThatThrownBy(() -> NumberFlags.positive(days("3\u001b[2J"), DAYS, 7L))
        .as("a control character is shown escaped")
        .hasMessage("--days needs a positive whole number in digits 0-9, got '3\\x1b[2J'");
  }

  @Test
  void aPositiveFlagOfAnIntIsRefusedAboveItsMaximumNeverCut() {
    assertThat(NumberFlags.positive(days("366"), DAYS, 7, 366)).isEqualTo(366);
    assertThat(NumberFlags.positive(new Arguments(List.of(), Map.of()), DAYS, 7, 366))
        .isEqualTo(7);
    for (String bad : List.of("0", "-1", "3.5", "")) {
      assertThatThrownBy(() -> NumberFlags.positive(days(bad), DAYS, 7, 366))
          .as("a bounded flag says its range for %s as above it", bad)
          .isInstanceOfSatisfying(
              CliException.class, e -> assertThat(e.isUsage()).isTrue())
          .hasMessage("--days needs a whole number from 1 to 366 in digits 0-9, got '" + bad + "'");
    }
    assertThatThrownBy(() -> NumberFlags.positive(days("367"), DAYS, 7, 366))
        .isInstanceOf(CliException.class)
        .hasMessage("--days must be at most 366, got 367");
    assertThatThrownBy(() -> NumberFlags.positive(days("4294967297"), DAYS, 7, Integer.MAX_VALUE))
        .hasMessage("--days must be at most 2147483647, got 4294967297");
  }

  @Test
  void digitsBeyondALongAreRefusedAsMoreThanTheMostTheFlagTakes() {
    assertThatThrownBy(() -> NumberFlags.positive(days("99999999999999999999"), DAYS, 7, 366))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.isUsage()).isTrue())
        .hasMessage("--days must be at most 366, got 99999999999999999999");
    assertThatThrownBy(() -> NumberFlags.positive(days("9223372036854775808"), DAYS, 7L))
        .as("a flag that takes any long")
        .hasMessage("--days must be at most 9223372036854775807, got 9223372036854775808");
  }

  @Test
  void digitsAreAsciiDigitsAloneAfterAMinusOnlyWhereSigned() {
    assertThat(NumberFlags.digits("042", false)).isEqualTo(42);
    assertThat(NumberFlags.digits("-42", true)).isEqualTo(-42);
    assertThat(NumberFlags.digits("42", true)).isEqualTo(42);
    for (String bad : List.of("-42", "+42", "4 2", "", "\u0664\u0662", "99999999999999999999")) {
      assertThatThrownBy(() -> NumberFlags.digits(bad, false))
          .as(bad)
          .isInstanceOf(NumberFormatException.class);
    }
    assertThatThrownBy(() -> NumberFlags.digits("--42", true))
        .isInstanceOf(NumberFormatException.class);
  }

  @Test
  void aDecimalFlagIsDecimalsFormWithinItsBoundsEachRefusedInTheFlagsWords() {
    assertThat(NumberFlags.decimal("--rate", "0.5", "a rate")).isEqualTo(0.5);
    assertThatThrownBy(() -> NumberFlags.decimal("--rate", "1e3", "a rate"))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.isUsage()).isTrue())
        .hasMessage("--rate needs a rate, got '1e3': write it in digits 0-9 with at most one '.'"
            + " (like 0.115)");
    assertThat(NumberFlags.decimal("--rate", "10", "objects per second", 0.1, 10))
        .isEqualTo(10);
    assertThatThrownBy(() -> NumberFlags.decimal("--rate", "10.5", "objects per second", 0.1, 10))
        .hasMessage("--rate needs objects per second from 0.1 to 10, got '10.5'");
    assertThatThrownBy(() -> NumberFlags.decimal("--rate", "fast", "objects per second", 0.1, 10))
        .hasMessage("--rate needs objects per second from 0.1 to 10, got 'fast': write it in"
            + " digits 0-9 with at most one '.' (like 0.115)");
  }
}
