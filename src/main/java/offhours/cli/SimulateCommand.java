package offhours.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.WaitBudget;
import offhours.endpoint.sim.ComponentTimes;
import offhours.endpoint.sim.Goals;
import offhours.endpoint.sim.HostingPrices;
import offhours.endpoint.sim.Simulation;
import offhours.endpoint.sim.SimulationConfig;
import offhours.endpoint.sim.SimulationReport;
import offhours.endpoint.sim.Trace;
import offhours.endpoint.sim.TraceFile;
import offhours.stack.Hosting;
import offhours.units.Plurals;

/**
 * {@code offhours simulate}: the real controller against a simulated clock, endpoint, trigger and queue,
 * so a week of schedule and uploads runs in about a second and prints what it would have cost.
 */
final class SimulateCommand implements Command {

  private static final Option DAYS =
      Option.value("days", "N", "how many days to simulate (default 7)");
  private static final Option TRACE =
      Option.value("trace", "NAME", "the upload pattern: office-hours (default), bursty or always");
  private static final Option IDLE = Option.value(
      "idle-stop-minutes",
      "M",
      "stop after M idle minutes inside working hours (default "
          + SimulationConfig.defaults().idleStopMinutes() + ", as deployed)");
  private static final Option FAILURES =
      Option.value("create-failures", "N", "let the first N endpoint creations fail (default 0)");
  private static final Option SEED = Option.value(
      "seed",
      "S",
      "random seed of the trace: a whole number " + SimulateValues.SEED_RANGE
          + ", 0 and negative ones too (default 42)");
  private static final Option TRACE_FILE = Option.value(
      "trace-file",
      "FILE",
      "simulate a recorded trace instead: one ISO-8601 instant per line (2026-10-19T07:14:15Z), # comments, in any"
          + " order (sorted, with a note), an instant repeated once per upload; at most "
          + UploadTrace.MAX_UPLOADS + " uploads over at most 366 days");
  private static final Option MAX_WAIT = Option.value(
      "max-wait",
      "M",
      "the stack's MaxWaitMinutes: minutes an upload may wait, or next-opening; 0: no budget (default "
          + SimulationConfig.defaults().maxWait() + ", as deployed)");
  private static final Option DRAIN = Option.value(
      "drain-per-second",
      "R",
      "images the endpoint classifies per second while it serves, 0.1 to 100000 (default 5)");
  private static final Option WAKE =
      Option.value("wake-minutes", "M", "CreateEndpoint to InService (default 10; AWS takes 8-30)");
  private static final Option STOP =
      Option.value("stop-minutes", "M", "DeleteEndpoint to gone (default 2)");
  private static final Option TIME_ZONE = Option.value(
      "time-zone",
      "ZONE",
      "the schedule's IANA time zone (default "
          + SimulationConfig.defaults().zone()
          + "); built-in traces are generated in it");
  private static final Option GOALS = Option.flag(
      "goals",
      "print the latency budget's goals table: every built-in trace at 15, 60, 240 min and next-opening, and traces"
          + " from other seeds and time zones, each against its lower bound");
  private static final Option HOSTING = Option.value(
      "hosting",
      "H",
      "what the controller switches: scheduled (default, as deployed: the endpoint deleted and created) or"
          + " scale-to-zero (an inference component's copies set to 0 and back; its instance goes 10 min after)");
  private static final Option COMPONENT = Option.value(
      "component-minutes",
      "L,C,U,I",
      "with the scale-to-zero hosting (and --compare's rows of it): an instance's launch, a copy's load, a copy's"
          + " unload and the instance's idle time before it is removed, in minutes (default 5,2,2,10)");
  private static final Option START = Option.value(
      "start", "DATE", "first simulated day of a built-in trace (default 2026-03-23, a Monday)");

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
    List<Option> options = new ArrayList<>(List.of(
        DAYS,
        TRACE,
        TRACE_FILE,
        GOALS,
        HOSTING,
        MAX_WAIT,
        DRAIN,
        WAKE,
        STOP,
        COMPONENT,
        TIME_ZONE,
        START,
        IDLE,
        FAILURES,
        SEED,
        Option.JSON));
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
        With a latency budget (--max-wait, default 60) it also prints the budget misses and the lower bound: the
        fewest endpoint-hours any schedule could spend on the same uploads, knowing them all in advance.
        The wake (10 min) is an assumption near the fast end of what CreateEndpoint takes on AWS (8-30 min,
        DESIGN.md), as a small CPU model's endpoint wakes; it is not measured (the controller itself expects the
        slow end, 30, until it has timed a wake). The stop (2 min) is DeleteEndpoint's usual time; the drain
        (5 images/s) is one CPU instance serving a small image model at about 200 ms per image with the default
        concurrency. Measure yours and pass them.
        With --hosting scale-to-zero: the controller switches an inference component's copies instead (instance
        5 min + copy 2 min to wake, copies to 0 in 2 min, the instance gone 10 min later; a wake before that
        loads the copy on it; --component-minutes sets the four); no lower bound, which models CreateEndpoint
        and DeleteEndpoint only.
        With --compare: every hosting option on the same uploads (always on, the seed's UTC cron, offhours by
        working hours, with the budget, and with the budget on scale-to-zero, AWS's own scale-to-zero,
        serverless, asynchronous, batch transform), one row each; prices
        from the table in HostingPrices, overridable. With --html FILE: the same as a page, with the saving of
        the budgeted controller at several budgets.
        """;
  }

  /**
   * Flags that would be ignored next to another: a recorded trace has its own uploads, days and start, and --goals
   * runs its own traces, budgets and weeks. Each is refused rather than left unsaid.
   */
  private static void refuseIgnored(Arguments args) {
    if (args.has(TRACE_FILE.name())) {
      for (Option o : List.of(TRACE, DAYS, START, SEED)) {
        if (args.has(o.name())) {
          throw CliException.usage("--trace-file and --" + o.name() + " do not go together: --"
              + o.name()
              + " shapes a built-in trace, and a recorded trace's uploads, days and start"
              + " are its own");
        }
      }
    }
    if (args.has(GOALS.name())) {
      for (Option o :
          List.of(TRACE, TRACE_FILE, DAYS, MAX_WAIT, HostingOptions.COMPARE, HostingOptions.HTML)) {
        if (args.has(o.name())) {
          throw CliException.usage("--goals and --" + o.name() + " do not go together: --goals runs"
              + " every built-in trace for a week at budgets of its own (15, 60, 240 min and"
              + " next-opening)");
        }
      }
    }
  }

  @Override
  public int run(Invocation call) {
    refuseIgnored(call.args());
    SimulationConfig config;
    try {
      SimulationConfig d = SimulationConfig.defaults();
      config = d.withIdleStopMinutes(NumberFlags.positive(
              call.args(), IDLE, d.idleStopMinutes(), ControllerConfig.MAX_IDLE_STOP_MINUTES))
          .withSeed(SimulateValues.seed(call.args(), SEED))
          .withMaxWait(call.args()
              .nonEmpty(MAX_WAIT.name(), "minutes or next-opening")
              .map(v -> WaitBudget.parse("--max-wait", v))
              .orElse(d.maxWait()))
          .withEndpoint(
              SimulateValues.drain(call, DRAIN, d.imagesPerSecond()),
              SimulateValues.minutes(call, WAKE, d.createDelay()),
              SimulateValues.minutes(call, STOP, d.deleteDelay()))
          .withCalendar(
              call.args().value(TIME_ZONE.name()).map(UserZone::flag).orElse(d.zone()),
              call.args().value(START.name()).map(SimulateValues::startDate).orElse(d.start()),
              d.workingHours());
    } catch (DateTimeException | IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    config = config.withCreateFailures(NumberFlags.count(call.args(), FAILURES, Integer.MAX_VALUE));
    config = config.withHosting(hosting(call));
    Optional<String> component = call.args().value(COMPONENT.name());
    if (component.isPresent()) {
      if (config.hosting() != Hosting.SCALE_TO_ZERO && !HostingOptions.asked(call.args())) {
        throw CliException.usage("--component-minutes sets the scale-to-zero hosting's times: pass"
            + " --hosting scale-to-zero, or --compare or --html for its rows");
      }
      try {
        config = config.withComponent(ComponentTimes.parse("--component-minutes", component.get()));
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    }
    if (call.args().has(GOALS.name())) {
      if (call.json()) {
        // A table for people and the README; SimulateGoalsIT reads its columns. Said at once: it
        // runs 28 weeks.
        throw CliException.usage("--goals prints a table only; for one week's numbers as JSON run"
            + " simulate --json with that week's --trace, --seed, --time-zone and --max-wait");
      }
      call.out().print(Goals.header());
      call.out().flush();
      List<Goals.GoalRow> rows = Goals.run(config, row -> {
        call.out().print(Goals.line(row));
        call.out().flush();
      });
      call.out().print(Goals.footer(rows));
      return 0;
    }
    String label;
    List<Instant> uploads;
    int days;
    Optional<String> file = call.args().nonEmpty(TRACE_FILE.name(), "a trace file");
    if (file.isPresent()) {
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(file.get()));
      } catch (IOException | UncheckedIOException e) {
        throw CliException.usage(
            "cannot read --trace-file " + file.get() + ": " + Format.fileProblem(e));
      }
      try {
        TraceFile.RecordedTrace parsed = TraceFile.read(file.get(), lines);
        uploads = parsed.uploads();
        if (parsed.firstOutOfOrderLine() > 0) {
          // Sorted, as order means nothing in a trace; said, as 'trace' writes none out of order.
          call.err()
              .println("--trace-file " + Terminal.printable(file.get()) + ": line "
                  + parsed.firstOutOfOrderLine()
                  + " is earlier than a line above it; simulating the "
                  + uploads.size() + " uploads in time order");
        }
        if (uploads.size() > UploadTrace.MAX_UPLOADS) {
          // 'trace' prints no more; 3 million uploads ran on for minutes without a word (the
          // lower bound's plan alone is quadratic in the uploads).
          throw CliException.usage("--trace-file " + file.get() + " has " + uploads.size()
              + " uploads; simulate takes at most " + UploadTrace.MAX_UPLOADS
              + ", as many as 'offhours trace' prints: simulate a part of it at a time");
        }
        config = Simulation.calendarOf(config, uploads);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
      try {
        days = Simulation.daysOf(config, uploads);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(
            "--trace-file " + file.get() + ": " + e.getMessage() + " (cut it into parts)");
      }
      label = file.get();
    } else {
      Trace trace;
      String named = call.args().value(TRACE.name()).orElse("office-hours");
      try {
        trace = Trace.named(named);
      } catch (IllegalArgumentException e) {
        // The nearest choice, as a mistyped option's name is answered.
        throw CliException.usage(e.getMessage()
            + DidYouMean.among(
                named, Arrays.stream(Trace.values()).map(Trace::label).toList(), ""));
      }
      days = NumberFlags.positive(call.args(), DAYS, 7, 366);
      label = trace.label();
      uploads = trace.uploads(config.start(), days, config.zone(), config.seed());
    }
    if (HostingOptions.asked(call.args())) {
      return HostingOptions.run(call, config, label, uploads, days);
    }
    config = priced(call, config);
    SimulationReport report = file.isPresent()
        ? Simulation.run(config, label, uploads)
        : Simulation.run(
            config, Trace.named(call.args().value(TRACE.name()).orElse("office-hours")), days);
    call.out().print(call.json() ? report.toJson() + "\n" : report.renderTable());
    return 0;
  }

  /**
   * The ledger's instance type and hourly price from --instance-type and --price, as --compare prices its rows: a run
   * without --compare would otherwise print the default's price under flags that name another. The serverless prices
   * price only --compare's serverless row, so they are refused here rather than ignored.
   */
  private static SimulationConfig priced(Invocation call, SimulationConfig config) {
    for (Option o : List.of(HostingOptions.GB_SECOND, HostingOptions.GB_DATA)) {
      if (call.args().has(o.name())) {
        throw CliException.usage("--" + o.name() + " prices the serverless row of --compare and"
            + " --html; add one of them");
      }
    }
    if (!call.args().has(HostingOptions.TYPE.name())
        && !call.args().has(HostingOptions.PRICE.name())) {
      return config;
    }
    HostingPrices prices = HostingOptions.prices(call.args());
    return config.withInstance(prices.instanceType(), prices.instanceHourUsd());
  }

  /** The hostings whose endpoint the controller switches, which --hosting simulates: "scheduled", "scale-to-zero". */
  private static final List<String> SWITCHED = Arrays.stream(Hosting.values())
      .filter(Hosting::switchesTheEndpoint)
      .map(Hosting::value)
      .toList();

  /**
   * --hosting: the component's times are {@code ComponentTimes}' or --component-minutes' (the endpoint's
   * --wake-minutes and --stop-minutes do not apply), and --goals and --compare run the hostings they name themselves.
   */
  private static Hosting hosting(Invocation call) {
    Optional<String> raw = call.args().value(HOSTING.name());
    if (raw.isEmpty()) {
      return Hosting.SCHEDULED;
    }
    Hosting h;
    try {
      h = Hosting.parse(raw.get());
    } catch (IllegalArgumentException e) {
      // The two it runs: naming serverless, refused just below, would be a wrong hint.
      throw CliException.usage("--hosting must be " + Plurals.either(SWITCHED) + ", got '"
          + Terminal.value(raw.get()) + "'" + DidYouMean.among(raw.get(), SWITCHED, ""));
    }
    if (!h.switchesTheEndpoint()) {
      throw CliException.usage("--hosting is " + Plurals.either(SWITCHED)
          + ": a serverless endpoint is never switched (--compare prices it)");
    }
    for (Option o : List.of(WAKE, STOP, GOALS, HostingOptions.COMPARE, HostingOptions.HTML)) {
      if (h == Hosting.SCALE_TO_ZERO && call.args().has(o.name())) {
        throw CliException.usage("--hosting scale-to-zero and --" + o.name() + " do not go"
            + " together: "
            + (o == WAKE || o == STOP
                ? "a component's wake and stop are its instance's and copy's times"
                    + " (--component-minutes)"
                : "--" + o.name() + " runs the hostings it compares itself"));
      }
    }
    return h;
  }
}
