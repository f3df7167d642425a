package offhours.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import offhours.stack.Hosting;
import offhours.units.Plurals;

/**
 * What {@code endpoint start --until} keeps on: how long, and about what that costs at the stack's price (the one
 * {@code cost} prices its ledger with), so a far date typed by mistake ("400d", a year off by one) reads as the bill it
 * is. A start over {@link #LONGEST} is refused: a manual start is for a batch or an evening, and a month holds any of
 * those, where longer hours belong in the schedule, which the stack keeps and {@code endpoint status} shows.
 */
final class StartCost {

  /** The longest {@code endpoint start --until}: a month, the longest batch a manual start is meant for. */
  static final Duration LONGEST = Duration.ofDays(31);

  private StartCost() {}

  /** "3 h: about $4.23 at the stack's price (1 ml.g5.xlarge at $1.41 an hour)". */
  static String of(Duration on, CostSettings settings) {
    String length = length(on);
    if (settings.hosting() == Hosting.SERVERLESS) {
      return length + ": a serverless endpoint is billed per image classified, not by the hour";
    }
    double usd = settings.hourlyPriceUsd() * settings.instanceCount() * on.toSeconds() / 3600.0;
    return length + ": about " + String.format(Locale.ROOT, "$%,.2f", usd)
        + " at the stack's price (" + settings.instanceCount() + " " + settings.instanceType()
        + " at $"
        + BigDecimal.valueOf(settings.hourlyPriceUsd()).stripTrailingZeros().toPlainString()
        + " an hour)";
  }

  /**
   * The refusal of a start longer than {@link #LONGEST}, with what it would cost and how to keep the endpoint on
   * longer: on a deployed stack, the schedule its WorkingHours parameter makes; on the local stack, which has no
   * working hours ('local start' gives its controller none), a start without --until, which lasts until it is undone.
   */
  static CliException refusal(String until, Duration on, CostSettings settings, boolean local) {
    return CliException.usage(
        "--until " + until + " would keep the endpoint on for " + of(on, settings)
            + "; a manual start lasts at most " + length(LONGEST) + ". To keep it on longer: "
            + (local
                ? "'endpoint start' with no --until keeps it on until 'endpoint auto' or 'endpoint"
                    + " stop' (the local stack has no working hours, so its schedule never changes)"
                : "'endpoint start' with no --until keeps it on until the schedule next changes"
                    + " (until 'endpoint auto' where it never does), or make those hours the"
                    + " schedule's (the stack's WorkingHours parameter, e.g. 24/7)"));
  }

  /** "45 min", "3 h 30 min", "12 days 4 h": whole minutes, days from two days on. */
  static String length(Duration on) {
    long minutes = Math.max(1, on.plusSeconds(59).toMinutes());
    if (minutes < 60) {
      return minutes + " min";
    }
    long hours = minutes / 60;
    if (hours < 48) {
      return hours + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }
    return Plurals.of(hours / 24, "day") + (hours % 24 == 0 ? "" : " " + hours % 24 + " h");
  }
}
