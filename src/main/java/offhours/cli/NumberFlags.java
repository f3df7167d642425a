package offhours.cli;

import java.util.Optional;
import offhours.units.Decimals;
import offhours.units.WholeNumbers;

/**
 * The command line's number flags, read one way by every command that takes one: {@link #positive} whole numbers
 * ({@code --days}, {@code --max}) and {@link #decimal} ones ({@code --rate}), refused with a usage error that names the
 * flag and shows the value escaped, and {@link #digits}, the grammar of every whole-number flag beneath them.
 */
final class NumberFlags {
  private NumberFlags() {}

  /**
   * {@link #positive}, at most {@code max}: a larger number is refused, never cut to an int, and anything else with
   * the same range ("needs a whole number from 1 to 366").
   */
  static int positive(Arguments args, Option option, int fallback, int max) {
    return (int) positive(args, option, (long) fallback, (long) max);
  }

  /**
   * The value of {@code option} as a whole number above 0 in {@link #digits}, {@code fallback} when it is not given;
   * anything else and 0 are refused with a usage error naming the flag, and digits beyond a long as more than the
   * most it takes, as any number over it is.
   */
  static long positive(Arguments args, Option option, long fallback) {
    return positive(args, option, fallback, Long.MAX_VALUE);
  }

  /** As {@link #positive}, of a count where 0 is a value too (and the default): from 0 to {@code max}. */
  static int count(Arguments args, Option option, int max) {
    return (int) whole(args, option, 0, 0, max);
  }

  private static long positive(Arguments args, Option option, long fallback, long max) {
    return whole(args, option, fallback, 1, max);
  }

  private static long whole(Arguments args, Option option, long fallback, long min, long max) {
    Optional<String> value = args.value(option.name());
    if (value.isEmpty()) {
      return fallback;
    }
    String text = value.get();
    long n = -1; // what is no number is below every min
    // Digits beyond a long are a number too, only more than any flag takes: said as such.
    boolean beyond = false;
    try {
      n = digits(text, false);
    } catch (NumberFormatException e) {
      beyond = WholeNumbers.isDigits(text);
    }
    if (n < min && !beyond) {
      // A flag with a bound says it here too, as its refusal above the bound does.
      throw CliException.usage("--" + option.name() + " needs "
          + (max == Long.MAX_VALUE && min == 1
              ? "a positive whole number"
              : "a whole number from " + min + " to " + max)
          + " in digits 0-9, got '" + Terminal.value(text) + "'");
    }
    if (beyond || n > max) {
      throw CliException.usage("--" + option.name() + " must be at most " + max + ", got "
          + (beyond ? text : Long.toString(n)));
    }
    return n;
  }

  /**
   * The one reading of every whole-number flag: {@link WholeNumbers}' ASCII digits 0-9 alone, after a minus where
   * {@code signed}.
   *
   * @throws NumberFormatException when {@code text} is anything else, or beyond a long
   */
  static long digits(String text, boolean signed) {
    return signed && text.startsWith("-")
        ? Math.negateExact(WholeNumbers.parse(text.substring(1)))
        : WholeNumbers.parse(text);
  }

  /**
   * The one reading of every decimal flag, as {@link #digits} is of whole ones: {@link Decimals#parse}, its number
   * refused with a usage error that names {@code flag}, says what it {@code needs} and shows the form. The caller
   * checks the bounds, with the same words.
   */
  static double decimal(String flag, String value, String needs) {
    try {
      return Decimals.parse(value);
    } catch (NumberFormatException e) {
      throw CliException.usage(flag + " needs " + needs + ", got '" + Terminal.value(value)
          + "': write it in " + Decimals.FORM);
    }
  }

  /**
   * A decimal flag's number of {@code what} ("objects per second") from {@code min} to {@code max}, read by
   * {@link #decimal}; one outside them refused with the same words.
   */
  static double decimal(String flag, String value, String what, double min, double max) {
    String needs = what + " from " + Decimals.plain(min) + " to " + Decimals.plain(max);
    double number = decimal(flag, value, needs);
    if (number < min || number > max) {
      throw CliException.usage(flag + " needs " + needs + ", got '" + Terminal.value(value) + "'");
    }
    return number;
  }
}
