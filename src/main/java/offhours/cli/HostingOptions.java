package offhours.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import offhours.endpoint.LedgerPrices;
import offhours.endpoint.WaitBudget;
import offhours.endpoint.sim.HostingAssumptions;
import offhours.endpoint.sim.HostingComparison;
import offhours.endpoint.sim.HostingPage;
import offhours.endpoint.sim.HostingPrices;
import offhours.endpoint.sim.HostingRow;
import offhours.endpoint.sim.SimulatedRun;
import offhours.endpoint.sim.Simulation;
import offhours.endpoint.sim.SimulationConfig;
import offhours.units.Decimals;

/**
 * The options of {@code simulate --compare} and {@code simulate --html FILE}, and their runs: every hosting option on
 * the simulated uploads, as a table or as a page.
 */
final class HostingOptions {

  static final Option COMPARE = Option.flag(
      "compare",
      "one row per hosting option on the same uploads: billed units, dollars, waits, budget misses");
  static final Option HTML = Option.value(
      "html",
      "FILE",
      "write the comparison as a self-contained page: the period as a timeline, the saving against the budget");
  static final Option TYPE = Option.value(
      "instance-type",
      "TYPE",
      "the instance type priced (default ml.m5.large; priced: " + HostingPrices.known() + ")");
  static final Option PRICE = Option.value(
      "price", "USD", "one instance-hour, more than 0 (default: the table's price of TYPE)");
  static final Option GB_SECOND = Option.value(
      "serverless-gb-second",
      "USD",
      "serverless compute per GB-second, more than 0 (default "
          + Decimals.plain(HostingPrices.of("ml.m5.large").orElseThrow().serverlessGbSecondUsd())
          + ")");
  static final Option GB_DATA = Option.value(
      "serverless-gb-data",
      "USD",
      "serverless data processed per GB, more than 0 (default "
          + Decimals.plain(HostingPrices.of("ml.m5.large").orElseThrow().serverlessGbDataUsd())
          + ")");

  /** cost's budget for the misses; simulate has its own --max-wait, which sets the budgeted row's too. */
  static final Option MAX_WAIT = Option.value(
      "max-wait",
      "MINUTES",
      "the wait users accept, for the budget misses, 1 to " + WaitBudget.MAX_MINUTES
          + " (default: the stack's MaxWaitMinutes if it is a number of minutes, else 60)");
  /** Simulate's --max-wait sets the budget of the budgeted row and of the misses. */
  static final List<Option> ALL = List.of(COMPARE, HTML, TYPE, PRICE, GB_SECOND, GB_DATA);

  /** The budgets of the page's curve, as the controller reads MAX_WAIT_MINUTES. */
  private static final List<String> CURVE = List.of("15", "30", "60", "120", "240", "next-opening");

  private HostingOptions() {}

  static boolean asked(Arguments args) {
    return args.has(COMPARE.name()) || args.has(HTML.name());
  }

  static int run(
      Invocation call,
      SimulationConfig config,
      String trace,
      List<java.time.Instant> uploads,
      int days) {
    if (config.maxWait().off() || config.maxWait().nextOpening()) {
      throw CliException.usage(
          "--compare and --html compare at a budget in minutes: give --max-wait MINUTES");
    }
    Duration budget = config.maxWait().max();
    Optional<String> html = call.args().value(HTML.name());
    if (html.isPresent() && call.json() && !call.args().has(COMPARE.name())) {
      // --html alone prints no rows, so --json would be dropped without a word.
      throw CliException.usage(
          "with --html, --json prints --compare's rows, and --html alone prints none: add"
              + " --compare for the rows as JSON beside the page");
    }
    Optional<Path> folder = html.map(f -> Path.of(f).toAbsolutePath().getParent());
    if (folder.isPresent() && !Files.isDirectory(folder.get())) {
      // Said before the runs, which take a while, rather than after them.
      throw CliException.usage("--html " + html.get() + ": the folder " + folder.get()
          + " does not exist; create it or give a file in an existing folder");
    }
    if (html.isPresent() && Files.isDirectory(Path.of(html.get()))) {
      throw CliException.usage(
          "--html " + html.get() + " is a folder; give the page's file name in it," + " such as "
              + Path.of(html.get()).resolve("week.html"));
    }
    HostingComparison comparison = HostingComparison.run(
        config,
        HostingComparison.Input.simulated(
            config,
            trace,
            uploads,
            days,
            HostingAssumptions.defaults(config),
            prices(call.args()),
            budget));
    if (html.isPresent()) {
      Path file = Path.of(html.get()).toAbsolutePath();
      List<HostingPage.CurvePoint> curve = new ArrayList<>();
      HostingRow always = comparison.rows().getFirst();
      for (String b : CURVE) {
        SimulatedRun run = Simulation.record(
            config, trace, uploads, days, java.util.Map.of("MAX_WAIT_MINUTES", b));
        int misses = b.equals("next-opening")
            ? 0
            : offhours.endpoint.sim.WaitStats.of(
                    uploads, run.results(), run.end(), Duration.ofMinutes(Long.parseLong(b)))
                .misses();
        curve.add(new HostingPage.CurvePoint(
            b.equals("next-opening") ? b : b + " min",
            100 * (1 - run.report().billedHours() / always.units()),
            misses));
      }
      try {
        Files.writeString(file, HostingPage.render(comparison, curve));
      } catch (IOException e) {
        throw CliException.failure("cannot write --html " + file + ": " + Format.fileProblem(e));
      }
      call.err().println("wrote " + Terminal.printable(file.toString()));
    }
    if (call.args().has(COMPARE.name()) || html.isEmpty()) {
      call.out().print(call.json() ? comparison.toJson() : comparison.renderTable());
    }
    return 0;
  }

  /** The stack's instance-hour (cost's --instance-type and --price), the serverless prices of the table or flags. */
  static HostingPrices prices(Arguments args, String type, double instanceHourUsd) {
    HostingPrices table =
        HostingPrices.of("ml.m5.large").orElseThrow().withInstanceHour(type, instanceHourUsd);
    double gbSecond = args.value(GB_SECOND.name())
        .map(v -> usd(GB_SECOND, v))
        .orElse(table.serverlessGbSecondUsd());
    double gbData =
        args.value(GB_DATA.name()).map(v -> usd(GB_DATA, v)).orElse(table.serverlessGbDataUsd());
    return table.withServerless(gbSecond, gbData);
  }

  /** The table's prices, with what the flags override. */
  static HostingPrices prices(Arguments args) {
    String type = args.value(TYPE.name()).orElse("ml.m5.large");
    Optional<HostingPrices> table = HostingPrices.of(type);
    Optional<String> hour = args.value(PRICE.name());
    if (table.isEmpty() && hour.isEmpty()) {
      throw CliException.usage("no price for " + type + " in the table (" + HostingPrices.known()
          + "): give its instance-hour with --price USD");
    }
    HostingPrices prices = table.orElseGet(() -> HostingPrices.of("ml.m5.large").orElseThrow());
    return prices(args, type, hour.isPresent() ? usd(PRICE, hour.get()) : prices.instanceHourUsd());
  }

  /**
   * A price flag's value, the one rule of every price flag of {@code cost}, {@code ui} and {@code simulate}: a
   * positive number of US dollars, at most {@link LedgerPrices#MAX_USD}, written as {@link Decimals} reads it. A price
   * of 0 is refused: the reports are about dollars, and at $0 every cost and dollar saving is 0 while the saving in
   * hours still says 95%, two answers that contradict each other.
   */
  static double usd(Option option, String value) {
    String unit = switch (option.name()) {
      case "serverless-gb-second" -> "GB-second";
      case "serverless-gb-data" -> "GB";
      default -> "instance-hour";
    };
    String needs = "a number of US dollars per " + unit + " more than 0 and at most "
        + Decimals.plain(LedgerPrices.MAX_USD);
    double v = NumberFlags.decimal("--" + option.name(), value, needs);
    if (v > 0 && v <= LedgerPrices.MAX_USD) {
      return v;
    }
    throw CliException.usage("--" + option.name() + " needs " + needs + ", got '"
        + Terminal.value(value) + "'"
        + (v == 0
            ? ": at $0 every cost and saving in dollars is 0, which the reports cannot compare"
            : ""));
  }
}
