package offhours.aws;

import java.util.Map;
import offhours.units.Decimals;
import offhours.units.Shown;
import offhours.units.WholeNumbers;

/**
 * Numbers from a function's environment, for the config records that read it once at the edge: one parser and one
 * wording of errors ("TOP_K must be a whole number from 1 to 1000, got 'x'"), the variable always named.
 */
public final class EnvironmentVariables {

  private EnvironmentVariables() {}

  /**
   * {@code name}'s value, {@code fallback} when it is unset or blank; refused when it is not written as
   * {@link WholeNumbers} reads it (ASCII digits alone, as the template's parameters write it) or is outside
   * {@code min..max}.
   */
  public static long whole(
      Map<String, String> env, String name, long fallback, long min, long max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    long value;
    try {
      value = WholeNumbers.parse(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(expected(name, min, max) + " in " + WholeNumbers.FORM
          + ", got '" + Shown.value(raw) + "'");
    }
    return check(name, value, min, max);
  }

  /** As {@link #whole(Map, String, long, long, long)}, for an int setting. */
  public static int whole(Map<String, String> env, String name, int fallback, int min, int max) {
    return (int) whole(env, name, (long) fallback, min, max);
  }

  /**
   * {@code name}'s value, stripped; when it is unset or blank, its default in {@code defaults} (a function's variables
   * with the default each assumes, offhours.stack.FunctionVariables), so that the default is written in one place.
   */
  public static String text(Map<String, String> env, Map<String, String> defaults, String name) {
    String raw = env.get(name);
    return raw == null || raw.isBlank() ? defaultOf(defaults, name) : raw.strip();
  }

  /** As {@link #whole(Map, String, long, long, long)}, falling back to {@code name}'s default in {@code defaults}. */
  public static long whole(
      Map<String, String> env, Map<String, String> defaults, String name, long min, long max) {
    return whole(env, name, WholeNumbers.parse(defaultOf(defaults, name)), min, max);
  }

  /** As {@link #whole(Map, Map, String, long, long)}, for an int setting. */
  public static int whole(
      Map<String, String> env, Map<String, String> defaults, String name, int min, int max) {
    return (int) whole(env, defaults, name, (long) min, max);
  }

  /**
   * {@code name}'s default in {@code defaults}; a setting read with a default that has none there is a mistake in
   * the code, not in the environment.
   */
  public static String defaultOf(Map<String, String> defaults, String name) {
    String value = defaults.get(name);
    if (value == null) {
      throw new IllegalStateException(name + " has no default among the function's variables");
    }
    return value;
  }

  /**
   * {@code name}'s decimal value, {@code fallback} when it is unset or blank; refused when it is not written as
   * {@link Decimals} reads it (as the template's parameters write it: no blanks around it, no exponent, sign or
   * suffix) or is outside {@code min..max}.
   */
  public static double decimal(
      Map<String, String> env, String name, double fallback, double min, double max) {
    return decimal(env, name, fallback, min, max, "from " + Decimals.plain(min) + " to ");
  }

  /**
   * As {@link #decimal}, for a value that must be more than 0 (a price: nothing offhours prices is free, and a price
   * of 0 would report every hour as saving nothing).
   */
  public static double positiveDecimal(
      Map<String, String> env, String name, double fallback, double max) {
    return decimal(env, name, fallback, Double.MIN_VALUE, max, "more than 0 and at most ");
  }

  private static double decimal(
      Map<String, String> env, String name, double fallback, double min, double max, String range) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    String expected = name + " must be a number " + range + Decimals.plain(max) + " in "
        + Decimals.FORM + ", got '" + Shown.value(raw) + "'";
    double value;
    try {
      value = Decimals.parse(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(expected);
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(expected);
    }
    return value;
  }

  /** {@code value}, or the same error as a bad environment value when it is outside {@code min..max}. */
  public static long check(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(expected(name, min, max) + ", got " + value);
    }
    return value;
  }

  private static String expected(String name, long min, long max) {
    return name + " must be a whole number "
        + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE
            ? "of at least " + min
            : "from " + min + " to " + max);
  }
}
