package offhours.cli;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import offhours.endpoint.ControllerConfig;
import offhours.units.WholeNumbers;

/** How {@code simulate} reads its numbers and dates: each out of its range a usage error naming the flag. */
final class SimulateValues {

  /** Minutes a simulated wake or stop takes at most: a week, as the longest idle stop the controller takes. */
  private static final int MAX_MINUTES = ControllerConfig.MAX_IDLE_STOP_MINUTES;

  private SimulateValues() {}

  /** --start: a date whose simulated days java.time and the 4-digit years of the output hold. */
  static LocalDate startDate(String text) {
    try {
      LocalDate start = LocalDate.parse(text);
      // A year of five or more digits ran into java.time's limits as an internal error.
      if (start.getYear() < 1970 || start.getYear() > 9998) {
        throw CliException.usage("--start needs a date from 1970-01-01 to 9998-12-31, got '"
            + Terminal.value(text) + "'");
      }
      return start;
    } catch (DateTimeParseException e) {
      throw CliException.usage(
          "--start needs a date such as 2026-03-23, got '" + Terminal.value(text) + "'"
              + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")"));
    }
  }

  /** The seeds {@link #seed} takes, as its refusals and --seed's help say them. */
  static final String SEED_RANGE = "from -" + Long.MAX_VALUE + " to " + Long.MAX_VALUE;

  /**
   * The trace's seed: java.util.Random takes every long and none is worse than another, so 0 and negative seeds are
   * seeds too; only what is not a whole number from {@code -Long.MAX_VALUE} to {@code Long.MAX_VALUE} is refused (the
   * digits read the number without its minus, so Long.MIN_VALUE's would be one past the largest).
   */
  static long seed(Arguments args, Option option) {
    String value = args.value(option.name()).orElse("42");
    String flag = "--" + option.name();
    String range = SEED_RANGE;
    try {
      return NumberFlags.digits(value, true);
    } catch (NumberFormatException e) {
      // Digits beyond a long are a number too, only more than a seed takes: said as such, as the
      // other whole-number flags say theirs (NumberFlags).
      if (WholeNumbers.isDigits(value.startsWith("-") ? value.substring(1) : value)) {
        throw CliException.usage(flag + " must be " + range + ", got " + Terminal.value(value));
      }
      throw CliException.usage(flag + " needs a whole number " + range
          + " (0 and negative ones too) in digits 0-9, got '" + Terminal.value(value) + "'");
    }
  }

  /**
   * The fewest and the most images per second --drain-per-second takes: one image in 10 s, and far past any instance.
   */
  static final double MIN_DRAIN = 0.1;

  static final double MAX_DRAIN = 100_000;

  /**
   * --drain-per-second: 1e-300 ran as "0 images/s" for seconds, and 1e300 printed a number of 301 digits in the
   * comparison's header; neither is an endpoint.
   */
  static double drain(Invocation call, Option option, double fallback) {
    Optional<String> raw = call.args().value(option.name());
    if (raw.isEmpty()) {
      return fallback;
    }
    return NumberFlags.decimal(
        "--" + option.name(), raw.get(), "images per second", MIN_DRAIN, MAX_DRAIN);
  }

  /** A positive number of minutes, at least a second and at most {@link #MAX_MINUTES}. */
  static Duration minutes(Invocation call, Option option, Duration fallback) {
    Optional<String> raw = call.args().value(option.name());
    if (raw.isEmpty()) {
      return fallback;
    }
    String flag = "--" + option.name();
    String needs = "minutes from 1 second (0.02) to a week (" + MAX_MINUTES + ")";
    double minutes = NumberFlags.decimal(flag, raw.get(), needs);
    long seconds = Math.round(minutes * 60);
    if (seconds < 1 || minutes > MAX_MINUTES) {
      throw CliException.usage(
          flag + " needs " + needs + ", got '" + Terminal.value(raw.get()) + "'");
    }
    return Duration.ofSeconds(seconds);
  }
}
