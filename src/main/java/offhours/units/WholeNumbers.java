package offhours.units;

import java.util.regex.Pattern;

/**
 * The one grammar of the whole numbers offhours reads from text it did not write itself: the stack's settings
 * (EnvironmentVariables), the CLI's whole-number flags (NumberFlags.digits) and the numbers of an HTTP request's
 * query (the API's limit, the UI's bytes and days). Long.parseLong alone also takes a '+' and the digits of every
 * script (fullwidth "\uFF15" and Arabic-Indic "\u0665" as 5, by Character.digit), which no help text shows and a
 * terminal or a log may not tell from other text; blanks around the number are refused too, as {@link Decimals}
 * refuses them. Numbers that AWS writes (DynamoDB's N, SQS's attributes) are read as AWS documents them.
 */
public final class WholeNumbers {

  /** The form this grammar takes, for every message that refuses a number. */
  public static final String FORM = "digits 0-9";

  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  private WholeNumbers() {}

  /** Whether {@code text} is of this grammar, ASCII digits alone, however many: a number beyond a long is too. */
  public static boolean isDigits(String text) {
    return text != null && DIGITS.matcher(text).matches();
  }

  /**
   * {@code text} as a number: ASCII digits alone, no sign.
   *
   * @throws NumberFormatException when {@code text} is anything else, or beyond a long
   */
  public static long parse(String text) {
    if (!isDigits(text)) {
      throw new NumberFormatException("not ASCII digits 0-9: " + text);
    }
    return Long.parseLong(text);
  }
}
