package offhours.cli;

import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Function;
import offhours.endpoint.LedgerPrices;
import offhours.endpoint.sim.HostingPrices;
import offhours.stack.FunctionVariables;
import offhours.stack.Hosting;
import offhours.units.Decimals;
import offhours.units.IanaZones;

/**
 * What a stack's ledger is priced with ({@code cost}, and the {@code ui} page's chart): each from its flag if given
 * ({@code --instance-type} of another type than the stack's without {@code --price}: the price table's price of it),
 * else the stack's own setting, which its controller and its API's /status use (a deployed stack's parameters, the
 * local stack's state file), else, for a stack of an older template or state file that has none, the template's
 * defaults and the zone the command runs in.
 *
 * @param zone the zone of the ledger's days (TIME_ZONE)
 * @param hosting how the stack hosts its model (HOSTING; its output HostingOption, the local stack's state file):
 *     serverless bills the invocations Classify records, not endpoint-hours
 * @param gbSecondUsd serverless compute per GB-second ({@code --serverless-gb-second}, else the list price)
 * @param gbDataUsd serverless data per GB ({@code --serverless-gb-data}, else the list price)
 * @param serverlessMemoryMb the serverless endpoint's memory (Classify's SERVERLESS_MEMORY_MB, the stack's
 *     ServerlessMemorySizeInMB): what {@code cost --compare} models its serverless option with
 * @param maxWaitMinutes the stack's latency budget when it is a number of minutes (MAX_WAIT_MINUTES; empty for 0,
 *     next-opening, or none): the default budget of {@code cost --compare}
 * @param workingHours the stack's WORKING_HOURS, if it has them
 */
record CostSettings(
    ZoneId zone,
    Hosting hosting,
    String instanceType,
    int instanceCount,
    double hourlyPriceUsd,
    double gbSecondUsd,
    double gbDataUsd,
    int serverlessMemoryMb,
    Optional<Long> maxWaitMinutes,
    Optional<String> workingHours) {

  /** The prices of the report: the stack's hosting, its instance's, and the serverless prices. */
  LedgerPrices prices() {
    return new LedgerPrices(
        hosting, instanceType, instanceCount, hourlyPriceUsd, gbSecondUsd, gbDataUsd);
  }

  /** The prices of {@code cost --compare}'s options, the same as the report's. */
  HostingPrices hostingPrices() {
    return new HostingPrices(instanceType, hourlyPriceUsd, gbSecondUsd, gbDataUsd);
  }

  /**
   * The flags that need no stack, checked before one is looked up: a wrong value is said at once, not after the
   * operator has started a stack or found credentials only to be told of it then. {@link #of} reads them again.
   */
  static void checkFlags(Arguments args) {
    args.value(CostCommand.ZONE.name()).ifPresent(UserZone::flag);
    if (args.has(CostCommand.COUNT.name())) {
      NumberFlags.positive(args, CostCommand.COUNT, 1, Integer.MAX_VALUE);
    }
    args.value(CostCommand.PRICE.name()).ifPresent(CostSettings::priceFlag);
    HostingOptions.prices(args, FunctionVariables.CONTROLLER_ENV.get("INSTANCE_TYPE"), 1);
  }

  /** The flags of {@code call} over the settings of {@code target}. */
  static CostSettings of(Invocation call, Target target) {
    Arguments args = call.args();
    ZoneId zone = args.value(CostCommand.ZONE.name())
        .map(UserZone::flag)
        .orElseGet(() -> target
            .setting("TIME_ZONE")
            .map(v -> stackValue(
                target, "TIME_ZONE", v, z -> IanaZones.parse("TIME_ZONE", z), "an IANA time zone"))
            .orElse(call.context().zone()));
    String stackType = target
        .setting("INSTANCE_TYPE")
        .orElse(FunctionVariables.CONTROLLER_ENV.get("INSTANCE_TYPE"));
    Optional<String> otherType =
        args.value(CostCommand.TYPE.name()).filter(t -> !t.equals(stackType));
    String type = otherType.orElse(stackType);
    int count = args.value(CostCommand.COUNT.name()).isPresent()
        ? NumberFlags.positive(args, CostCommand.COUNT, 1, Integer.MAX_VALUE)
        : target
            .setting("INSTANCE_COUNT")
            .map(v -> stackValue(
                target, "INSTANCE_COUNT", v, CostSettings::count, "a whole number from 1"))
            .orElse(1);
    // Another type than the stack's is priced as that type, never at the stack's own price under
    // its name.
    double price = args.value(CostCommand.PRICE.name())
        .map(CostSettings::priceFlag)
        .or(() -> otherType.map(CostSettings::tablePrice))
        .orElseGet(() -> target
            .setting("INSTANCE_HOURLY_PRICE_USD")
            .map(v -> stackValue(
                target,
                "INSTANCE_HOURLY_PRICE_USD",
                v,
                CostSettings::price,
                "a positive price in " + Decimals.FORM))
            .orElse(price(FunctionVariables.CONTROLLER_ENV.get("INSTANCE_HOURLY_PRICE_USD"))));
    Optional<Long> maxWait = target
        .setting("MAX_WAIT_MINUTES")
        .filter(v -> v.strip().matches("[1-9][0-9]{0,5}"))
        .map(v -> Long.parseLong(v.strip()));
    HostingPrices serverless = HostingOptions.prices(args, type, price);
    int memory = target
        .setting("SERVERLESS_MEMORY_MB")
        .map(v -> stackValue(
            target, "SERVERLESS_MEMORY_MB", v, CostSettings::memory, "1024-6144 MB in 1 GB steps"))
        .orElse(memory(FunctionVariables.CLASSIFY_ENV.get("SERVERLESS_MEMORY_MB")));
    return new CostSettings(
        zone,
        hosting(target),
        type,
        count,
        price,
        serverless.serverlessGbSecondUsd(),
        serverless.serverlessGbDataUsd(),
        memory,
        maxWait,
        target.setting("WORKING_HOURS"));
  }

  /** The stack's hosting ({@link Target#hostingValue}); scheduled for a stack of a version that recorded none. */
  private static Hosting hosting(Target target) {
    Optional<String> value = target.hostingValue();
    try {
      return value.map(Hosting::parse).orElse(Hosting.SCHEDULED);
    } catch (IllegalArgumentException e) {
      throw CliException.failure(target.description() + " says its hosting is '"
          + Terminal.value(value.orElseThrow())
          + "', which this version of offhours does not know (" + Hosting.spellings()
          + "): it cannot be priced");
    }
  }

  private static int memory(String value) {
    long mb = NumberFlags.digits(value, false);
    if (mb < 1024 || mb > 6144 || mb % 1024 != 0) {
      throw new IllegalArgumentException("not a serverless memory size: " + value);
    }
    return (int) mb;
  }

  /**
   * The price table's instance-hour of {@code type}, which {@code --instance-type} asks for without {@code --price}.
   */
  private static double tablePrice(String type) {
    return HostingPrices.of(type)
        .map(HostingPrices::instanceHourUsd)
        .orElseThrow(() -> CliException.usage("no price for " + Terminal.printable(type)
            + " in the table (" + HostingPrices.known()
            + "): give its instance-hour with --price USD"));
  }

  private static double priceFlag(String value) {
    return HostingOptions.usd(CostCommand.PRICE, value);
  }

  /** A stack's price as the template's InstanceHourlyPriceUsd writes it ({@link Decimals}), more than 0. */
  private static double price(String value) {
    double price = Decimals.parse(value);
    if (price > 0 && price <= LedgerPrices.MAX_USD) {
      return price;
    }
    throw new IllegalArgumentException("not a positive price: " + value);
  }

  private static int count(String value) {
    long count = NumberFlags.digits(value, false);
    if (count < 1 || count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("not a positive count: " + value);
    }
    return (int) count;
  }

  /** A stack's value read with {@code parse}; one that does not parse names its parameter. */
  private static <T> T stackValue(
      Target target, String variable, String value, Function<String, T> parse, String expected) {
    try {
      return parse.apply(value);
    } catch (RuntimeException e) {
      throw CliException.failure(target.description() + " has "
          + (target.local()
              ? variable + " '" + Terminal.value(value) + "' in its state file"
              : FunctionVariables.PARAMETERS_READ_BY_THE_CLI.get(variable) + " '"
                  + Terminal.value(value) + "'")
          + ", not " + expected + "; "
          + flagOf(variable).map(f -> "give the value with --" + f + ", or ").orElse("")
          + (target.local()
              ? "restart the local stack ('scripts/offhours local stop', then 'local start')"
              : "correct the stack's parameter"));
    }
  }

  private static Optional<String> flagOf(String variable) {
    return Optional.ofNullable(
        switch (variable) {
          case "TIME_ZONE" -> CostCommand.ZONE.name();
          case "INSTANCE_COUNT" -> CostCommand.COUNT.name();
          case "INSTANCE_HOURLY_PRICE_USD" -> CostCommand.PRICE.name();
          default -> null;
        });
  }
}
