package offhours.endpoint.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.stack.Hosting;
import offhours.units.Plurals;

/**
 * Every hosting option on the same uploads: one row each with what is billed, its dollars, the waits from upload to
 * result and the misses of the budget. The three offhours rows run the real controller through {@link Simulation}: by
 * working hours, with the budget in its environment ({@code MAX_WAIT_MINUTES}), and with the budget on the
 * scale-to-zero hosting (an inference component's copies; priced per instance-hour as the endpoint); the others are
 * {@link HostingModels}. {@link HostingComparisonText} prints the rows.
 */
public final class HostingComparison {

  /**
   * What one comparison runs on: {@code uploads} sorted, over {@code days} local days from {@code start} in
   * {@code zone}; {@code workingHours} as the controller reads WORKING_HOURS. {@code since}, within the first day, is
   * when the stack started (every option is held to the hours from it, as the stack's ledger is), or null: midnight
   * of {@code start}. {@code trace} names where the uploads come from: a simulated trace, or with {@code stack} a
   * stack's description ("the local stack", "stack NAME"), whose ledger and results they are.
   */
  public record Input(
      String trace,
      boolean stack,
      List<Instant> uploads,
      LocalDate start,
      int days,
      ZoneId zone,
      String workingHours,
      HostingAssumptions assumptions,
      HostingPrices prices,
      Duration budget,
      Instant end,
      Instant since) {

    /** {@code end} within the period, or null: the end of its last day. */
    public Input {
      Instant whole = start.plusDays(days).atStartOfDay(zone).toInstant();
      Instant midnight = start.atStartOfDay(zone).toInstant();
      end = end == null ? whole : end;
      if (end.isAfter(whole) || !end.isAfter(midnight)) {
        throw new IllegalArgumentException("the period's end " + end + " is not within its "
            + Plurals.of(days, "day") + " from " + start + " (" + zone + ")");
      }
      since = since == null || !since.isAfter(midnight) ? midnight : since;
      if (!since.isBefore(end)) {
        throw new IllegalArgumentException(
            "the period's start " + since + " is not before its end " + end);
      }
    }

    /** Whether the period starts after midnight of its first day: when the stack started. */
    boolean startsLate() {
      return since.isAfter(start.atStartOfDay(zone).toInstant());
    }

    /** Whether the period stops before the end of its last day: today, until now. */
    boolean endsEarly() {
      return end.isBefore(start.plusDays(days).atStartOfDay(zone).toInstant());
    }

    /**
     * The uploads as a heading counts them: "3 classified uploads to the local stack" (a stack's uploads are its
     * CLASSIFIED results: a rejected one is left out, so the 7 a user uploaded may read 5), "1269 uploads of
     * 'office-hours'".
     */
    String uploadsCounted() {
      return stack
          ? Plurals.of(uploads.size(), "classified upload") + " to " + trace
          : Plurals.of(uploads.size(), "upload") + " of '" + trace + "'";
    }

    /** The simulator's period, time zone and working hours. */
    public static Input simulated(
        SimulationConfig config,
        String trace,
        List<Instant> uploads,
        int days,
        HostingAssumptions assumptions,
        HostingPrices prices,
        Duration budget) {
      return new Input(
          trace,
          false,
          uploads,
          config.start(),
          days,
          config.zone(),
          config.workingHours(),
          assumptions,
          prices,
          budget,
          null,
          null);
    }

    Instant startInstant() {
      return since;
    }

    private HostingModels.Period period() {
      return new HostingModels.Period(uploads, startInstant(), end(), zone, budget);
    }
  }

  private final Input input;
  private final List<HostingRow> rows;

  private HostingComparison(Input input, List<HostingRow> rows) {
    this.input = input;
    this.rows = List.copyOf(rows);
  }

  /** Every option on simulated uploads; the offhours rows run the real controller with {@code config}. */
  public static HostingComparison run(SimulationConfig config, Input in) {
    HostingModels.Period p = in.period();
    List<HostingRow> rows = models(in);
    SimulationConfig scheduled = config.withHosting(Hosting.SCHEDULED);
    rows.add(
        2, controller(scheduled, in, p, "offhours working hours", Map.of("MAX_WAIT_MINUTES", "0")));
    rows.add(
        3,
        controller(
            scheduled,
            in,
            p,
            "offhours, budget " + in.budget().toMinutes() + " min",
            budgetSettings(in.budget())));
    rows.add(
        4,
        controller(
            config.withHosting(Hosting.SCALE_TO_ZERO),
            in,
            p,
            "offhours scale-to-zero, budget " + in.budget().toMinutes() + " min",
            budgetSettings(in.budget())));
    return new HostingComparison(in, rows);
  }

  /**
   * Every option on a stack's real uploads, beside what the stack itself billed ({@code actual}, from its ledger and
   * its results), in third place where the simulated offhours rows stand.
   */
  public static HostingComparison withActual(Input in, HostingRow actual) {
    List<HostingRow> rows = models(in);
    rows.add(2, actual);
    return new HostingComparison(in, rows);
  }

  private static List<HostingRow> models(Input in) {
    HostingModels.Period p = in.period();
    List<HostingRow> rows = new ArrayList<>();
    rows.add(HostingModels.alwaysOn(p, in.assumptions(), in.prices()));
    rows.add(HostingModels.cron(p, in.assumptions(), in.prices()));
    rows.add(HostingModels.scaleToZero(p, in.assumptions(), in.prices()));
    rows.add(HostingModels.serverless(p, in.assumptions(), in.prices()));
    rows.add(AsyncInferenceModel.asynchronous(p, in.assumptions(), in.prices()));
    rows.add(HostingModels.batch(p, in.assumptions(), in.prices()));
    return rows;
  }

  /**
   * A row for what a stack billed, {@code units} of {@code unit} (endpoint-h, or GB-s for a serverless stack) that cost
   * {@code usd} by its ledger; the waits from its results.
   */
  public static HostingRow actual(
      Input in,
      String option,
      double units,
      String unit,
      double usd,
      List<Instant[]> results,
      String note) {
    return new HostingRow(
        option,
        units,
        unit,
        usd,
        WaitStats.of(results.stream().map(r -> r[0]).toList(), results, in.end(), in.budget()),
        List.of(),
        results,
        note);
  }

  /** The controller's budget setting (MAX_WAIT_MINUTES; 0 schedules by working hours alone). */
  static Map<String, String> budgetSettings(Duration budget) {
    return Map.of("MAX_WAIT_MINUTES", Long.toString(budget.toMinutes()));
  }

  /** The real controller through the simulation, with {@code settings} in its environment. */
  private static HostingRow controller(
      SimulationConfig config,
      Input in,
      HostingModels.Period p,
      String option,
      Map<String, String> settings) {
    SimulatedRun run = Simulation.record(config, in.trace(), in.uploads(), in.days(), settings);
    double hours = run.report().billedHours();
    return new HostingRow(
        option,
        hours,
        "endpoint-h",
        hours * in.prices().instanceHourUsd(),
        WaitStats.of(in.uploads(), run.results(), run.end(), p.budget()),
        run.billed(),
        run.results(),
        Plurals.of(run.report().starts(), "start") + ", " + in.workingHours()
            + (config.hosting() == Hosting.SCHEDULED
                ? ""
                : ", HOSTING=" + config.hosting().value())
            + (settings.isEmpty()
                ? ""
                : ", "
                    + String.join(
                        " ",
                        settings.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .sorted()
                            .toList())));
  }

  public List<HostingRow> rows() {
    return rows;
  }

  public Input input() {
    return input;
  }

  /** The comparison as a table ({@link HostingComparisonText}). */
  public String renderTable() {
    return HostingComparisonText.table(this);
  }

  /** JSON lines: one object per option ({@link HostingComparisonText}). */
  public String toJson() {
    return HostingComparisonText.json(this);
  }
}
