package offhours.cli;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Function;
import offhours.stack.FunctionVariables;

/**
 * What a stack's ledger is priced with ({@code cost}, and the {@code ui} page's chart): each from its flag if given,
 * else the stack's own setting (a deployed stack's parameters, which its controller and its API's /status use), else
 * what the local stack's controller runs with: the template's defaults and this machine's time zone.
 *
 * @param zone the zone of the ledger's days (TIME_ZONE)
 * @param maxWaitMinutes the stack's latency budget when it is a number of minutes (MAX_WAIT_MINUTES; empty for 0,
 *     next-opening, or none): the default budget of {@code cost --compare}
 * @param workingHours the stack's WORKING_HOURS, if it has them
 */
record CostSettings(
    ZoneId zone,
    String instanceType,
    int instanceCount,
    double hourlyPriceUsd,
    Optional<Long> maxWaitMinutes,
    Optional<String> workingHours) {

  /** The flags of {@code call} over the settings of {@code target}. */
  static CostSettings of(Invocation call, Target target) {
    Arguments args = call.args();
    ZoneId zone = args.value(CostCommand.ZONE.name())
        .map(CostSettings::zoneFlag)
        .orElseGet(() -> target
            .setting("TIME_ZONE")
            .map(v -> stackValue(target, "TIME_ZONE", v, ZoneId::of, "an IANA time zone"))
            .orElse(call.context().zone()));
    String type = args.value(CostCommand.TYPE.name())
        .or(() -> target.setting("INSTANCE_TYPE"))
        .orElse(FunctionVariables.CONTROLLER_ENV.get("INSTANCE_TYPE"));
    int count = args.value(CostCommand.COUNT.name()).isPresent()
        ? (int) LocalCommand.positive(args, CostCommand.COUNT, 1)
        : target
            .setting("INSTANCE_COUNT")
            .map(v -> stackValue(
                target, "INSTANCE_COUNT", v, CostSettings::count, "a whole number from 1"))
            .orElse(1);
    double price = args.value(CostCommand.PRICE.name())
        .map(CostSettings::priceFlag)
        .orElseGet(() -> target
            .setting("INSTANCE_HOURLY_PRICE_USD")
            .map(v -> stackValue(
                target, "INSTANCE_HOURLY_PRICE_USD", v, CostSettings::price, "a positive price"))
            .orElse(price(FunctionVariables.CONTROLLER_ENV.get("INSTANCE_HOURLY_PRICE_USD"))));
    Optional<Long> maxWait = target
        .setting("MAX_WAIT_MINUTES")
        .filter(v -> v.strip().matches("[1-9][0-9]{0,5}"))
        .map(v -> Long.parseLong(v.strip()));
    return new CostSettings(zone, type, count, price, maxWait, target.setting("WORKING_HOURS"));
  }

  private static ZoneId zoneFlag(String value) {
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw CliException.usage(
          "--time-zone needs an IANA zone such as Europe/Berlin, got '" + value + "'");
    }
  }

  private static double priceFlag(String value) {
    try {
      return price(value);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(
          "--price needs a positive number of US dollars per instance-hour, got '" + value + "'");
    }
  }

  private static double price(String value) {
    double price = Double.parseDouble(value.strip());
    if (price > 0 && Double.isFinite(price)) {
      return price;
    }
    throw new IllegalArgumentException("not a positive price: " + value);
  }

  private static int count(String value) {
    int count = Integer.parseInt(value.strip());
    if (count < 1) {
      throw new IllegalArgumentException("not a positive count: " + value);
    }
    return count;
  }

  /** A stack's value read with {@code parse}; one that does not parse names its parameter. */
  private static <T> T stackValue(
      Target target, String variable, String value, Function<String, T> parse, String expected) {
    try {
      return parse.apply(value);
    } catch (RuntimeException e) {
      throw CliException.failure(target.description() + " has "
          + FunctionVariables.CONTROLLER_PARAMETERS.get(variable) + " '" + Terminal.printable(value)
          + "', not " + expected + "; give the value with --"
          + flagOf(variable) + ", or correct the stack's parameter");
    }
  }

  private static String flagOf(String variable) {
    return switch (variable) {
      case "TIME_ZONE" -> CostCommand.ZONE.name();
      case "INSTANCE_COUNT" -> CostCommand.COUNT.name();
      case "INSTANCE_HOURLY_PRICE_USD" -> CostCommand.PRICE.name();
      default -> throw new IllegalArgumentException(variable);
    };
  }
}
