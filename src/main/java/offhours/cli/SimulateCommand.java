package offhours.cli;

import java.util.ArrayList;
import java.util.List;
import offhours.endpoint.sim.Simulation;
import offhours.endpoint.sim.SimulationReport;
import offhours.endpoint.sim.Trace;

/**
 * {@code offhours simulate}: the real controller against a simulated clock, endpoint, trigger and queue,
 * so a week of schedule and uploads runs in about a second and prints what it would have cost.
 */
final class SimulateCommand implements Command {

  private static final Option DAYS = Option.value("days", "N", "how many days to simulate (default 7)");
  private static final Option TRACE =
      Option.value("trace", "NAME", "the upload pattern: office-hours (default), bursty or always");
  private static final Option IDLE = Option.value("idle-stop-minutes", "M",
      "stop after M idle minutes inside working hours (default 15, as deployed)");
  private static final Option FAILURES =
      Option.value("create-failures", "N", "let the first N endpoint creations fail (default 0)");
  private static final Option SEED = Option.value("seed", "S", "random seed of the trace (default 42)");

  @Override
  public String name() {
    return "simulate";
  }

  @Override
  public String summary() {
    return "run a simulated week of schedule and uploads through the real controller and print the ledger";
  }

  @Override
  public List<Option> options() {
    List<Option> options = new ArrayList<>(List.of(DAYS, TRACE, IDLE, FAILURES, SEED, Option.JSON));
    options.addAll(HostingOptions.ALL);
    return options;
  }

  @Override
  public String description() {
    return """
        The schedule is Mon-Fri 08:00-19:00 Europe/Berlin from Monday 2026-03-23, so the week crosses the spring
        DST change. Endpoint creation takes 10 simulated minutes, deletion 2; the consumer classifies 5 images/s.
        Prints endpoint-hours, the saving against an always-on endpoint, the waits from upload to result, and
        what reached the dead-letter queue (always 0: an endpoint that sleeps is never the message's fault).
        With --compare: every hosting option on the same uploads (always on, the seed's UTC cron, offhours by
        working hours and with the budget, scale-to-zero, serverless, batch transform), one row each; prices
        from the table in HostingPrices, overridable. With --html FILE: the same as a page, with the saving of
        the budgeted controller at several budgets.
        """;
  }

  @Override
  public int run(Invocation call) {
    Trace trace;
    try {
      trace = Trace.named(call.args().value(TRACE.name()).orElse("office-hours"));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    int days = (int) LocalCommand.positive(call.args(), DAYS, 7);
    if (days > 366) {
      throw CliException.usage("--days must be at most 366, got " + days);
    }
    Simulation.Config config = Simulation.Config.defaults()
        .withIdleStopMinutes((int) LocalCommand.positive(call.args(), IDLE, 15))
        .withSeed(LocalCommand.positive(call.args(), SEED, 42));
    long failures = call.args().value(FAILURES.name()).isPresent() ? LocalCommand.positive(call.args(), FAILURES, 0) : 0;
    if (failures > 0) {
      config = config.withCreateFailures((int) failures);
    }
    if (HostingOptions.asked(call.args())) {
      return HostingOptions.run(call, config, trace.label(),
          trace.uploads(config.start(), days, config.zone(), config.seed()), days);
    }
    SimulationReport report = Simulation.run(config, trace, days);
    call.out().print(call.json() ? report.toJson() + "\n" : report.renderTable());
    return 0;
  }
}
