package offhours.units;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The one grammar of the decimal numbers people write for offhours: the CLI's price, rate and minutes flags, the
 * stack's INSTANCE_HOURLY_PRICE_USD (the template's InstanceHourlyPriceUsd is written the same way) and simulate's
 * --component-minutes. Double.parseDouble alone also takes what no help text shows and a slip of the keyboard makes:
 * a type suffix (5d, 5f), a hexadecimal number (0x1p3), blanks and line breaks around the number, a '+', an exponent
 * (1e3, and 1e400 as Infinity), Infinity and NaN. None of these flags or settings is ever negative, so no sign is
 * taken either. Numbers that AWS or a model writes are read by their own grammars (ResponseShapes, ResultItemFormat,
 * ControlStateItem), not this one.
 */
public final class Decimals {

  /** The form this grammar takes, for every message that refuses a number. */
  public static final String FORM = "digits 0-9 with at most one '.' (like 0.115)";

  private static final Pattern PLAIN = Pattern.compile("[0-9]+(\\.[0-9]*)?|\\.[0-9]+");

  private Decimals() {}

  /**
   * {@code text} as a number: ASCII digits with at most one '.', nothing else.
   *
   * @throws NumberFormatException when {@code text} is anything else, or has more digits than a double holds
   */
  public static double parse(String text) {
    if (text == null || !PLAIN.matcher(text).matches()) {
      throw new NumberFormatException("not digits 0-9 with at most one '.': " + text);
    }
    double value = Double.parseDouble(text);
    if (!Double.isFinite(value)) {
      throw new NumberFormatException("beyond a double: " + text);
    }
    return value;
  }

  /** {@code value} written as {@link #parse} reads it back: plain digits, never an exponent (1.0E-4 is 0.0001). */
  public static String plain(double value) {
    if (!Double.isFinite(value) || value < 0) {
      throw new IllegalArgumentException("not a number of this grammar: " + value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
