package offhours.endpoint.sim;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import offhours.endpoint.WaitBudget;

/**
 * The latency budget's goals, one simulated week per row: each built-in trace at budgets 15, 60, 240 min and
 * next-opening (0 misses, endpoint-hours at most {@link #BOUND_FACTOR} x the lower bound; on the office trace also a
 * saving of at least 96% at 60 min, 97.5% at 240 min, 99% at next-opening), then traces from seeds and time zones the
 * controller was not tuned on.
 */
public final class Goals {

  private static final double BOUND_FACTOR = 1.15;
  private static final List<String> BUDGETS = List.of("15", "60", "240", "next-opening");

  /** One row: the trace, where and with what seed it was generated, the budget, and the simulated week. */
  public record GoalRow(
      Trace trace, long seed, ZoneId zone, String budget, SimulationReport report) {

    /** The saving the office trace must reach at this budget, or 0. */
    private double savingGoal() {
      if (trace != Trace.OFFICE_HOURS) {
        return 0;
      }
      return switch (budget) {
        case "60" -> 96.0;
        case "240" -> 97.5;
        case "next-opening" -> 99.0;
        default -> 0;
      };
    }

    private boolean met() {
      return missed().isEmpty();
    }

    /**
     * The parts of the goal this row missed, in the goal's words ({@code "ratio <= 1.15x"}); empty when it met them
     * all.
     */
    private List<String> missed() {
      List<String> missed = new ArrayList<>();
      if (report.savedPercent() < savingGoal()) {
        missed.add(String.format(Locale.ROOT, ">= %.1f%%", savingGoal()));
      }
      if (report.budgetMisses() != 0) {
        missed.add("0 misses");
      }
      if (!(report.boundRatio() <= BOUND_FACTOR)) {
        missed.add("ratio <= " + BOUND_FACTOR + "x");
      }
      return missed;
    }

    /**
     * The goal column: "met" and the goal, or "MISSED" and the parts missed, then the parts met, so a row whose saving
     * is met but whose ratio is not says which ({@code "MISSED ratio <= 1.15x; met >= 96.0%, 0 misses"}).
     */
    private String verdict() {
      List<String> parts = new ArrayList<>();
      if (savingGoal() > 0) {
        parts.add(String.format(Locale.ROOT, ">= %.1f%%", savingGoal()));
      }
      parts.add("0 misses");
      parts.add("ratio <= " + BOUND_FACTOR + "x");
      List<String> missed = missed();
      if (missed.isEmpty()) {
        return "met " + String.join(", ", parts);
      }
      parts.removeAll(missed);
      return "MISSED " + String.join(", ", missed)
          + (parts.isEmpty() ? "" : "; met " + String.join(", ", parts));
    }
  }

  private Goals() {}

  /**
   * The rows, tuned traces first: seed 42 in Europe/Berlin from 2026-03-23, then the others. Each is handed to
   * {@code each} as soon as its week is simulated, so that the table shows row by row: the 28 weeks take about 11 s
   * on 2 idle cores and over 40 s on busy ones, which would otherwise pass without a word.
   */
  public static List<GoalRow> run(SimulationConfig base, Consumer<GoalRow> each) {
    return run(base, each, (config, trace) -> Simulation.run(config, trace, 7));
  }

  /** {@link #run(SimulationConfig, Consumer)} with {@code week} simulating each row's week (tests give their own). */
  static List<GoalRow> run(
      SimulationConfig base,
      Consumer<GoalRow> each,
      BiFunction<SimulationConfig, Trace, SimulationReport> week) {
    List<GoalRow> rows = new ArrayList<>();
    record Where(Trace trace, long seed, String zone, String start) {}
    List<Where> wheres = new ArrayList<>();
    for (Trace t : Trace.values()) {
      wheres.add(new Where(t, base.seed(), base.zone().getId(), base.start().toString()));
    }
    wheres.add(new Where(Trace.OFFICE_HOURS, 7, "America/New_York", "2026-11-02"));
    wheres.add(new Where(Trace.OFFICE_HOURS, 2027, "Asia/Kolkata", "2026-06-01"));
    wheres.add(new Where(Trace.BURSTY, 99, "Australia/Sydney", "2026-04-06"));
    wheres.add(new Where(Trace.ALWAYS, 5, "America/Sao_Paulo", "2026-09-07"));
    for (Where w : wheres) {
      for (String budget : BUDGETS) {
        SimulationConfig c = base.withSeed(w.seed())
            .withCalendar(ZoneId.of(w.zone()), LocalDate.parse(w.start()), base.workingHours())
            .withMaxWait(WaitBudget.parse("--max-wait", budget));
        GoalRow row = new GoalRow(w.trace(), w.seed(), c.zone(), budget, week.apply(c, w.trace()));
        rows.add(row);
        each.accept(row);
      }
    }
    return rows;
  }

  /** The whole table: {@link #header}, a {@link #line} per row, {@link #footer}. */
  public static String render(List<GoalRow> rows) {
    StringBuilder out = new StringBuilder(header());
    rows.forEach(r -> out.append(line(r)));
    return out.append(footer(rows)).toString();
  }

  /** The table's column names, one line. */
  public static String header() {
    return String.format(
        Locale.ROOT,
        "%-13s %5s %-18s %-13s %7s %8s %8s %6s %7s %6s %11s %11s %11s  %s%n",
        "trace",
        "seed",
        "zone",
        "max wait",
        "saved",
        "endp-h",
        "bound-h",
        "ratio",
        "starts",
        "misses",
        "p50",
        "p99",
        "max",
        "goal");
  }

  /** One row of the table, one line, in the header's columns. */
  public static String line(GoalRow r) {
    SimulationReport s = r.report();
    return String.format(
        Locale.ROOT,
        "%-13s %5d %-18s %-13s %6.1f%% %8.2f %8.2f %6.2f %7s %6d %11s %11s %11s  %s%n",
        r.trace().label(),
        r.seed(),
        r.zone().getId(),
        r.budget(),
        s.savedPercent(),
        s.endpointHours(),
        s.lowerBoundHours(),
        s.boundRatio(),
        s.starts() + "/" + s.lowerBoundStarts(),
        s.budgetMisses(),
        SimulationReport.human(s.waitP50()),
        SimulationReport.human(s.waitP99()),
        SimulationReport.human(s.worstWait()),
        r.verdict());
  }

  /** "25 of 28 rows meet their goal", one line. */
  public static String footer(List<GoalRow> rows) {
    long met = rows.stream().filter(GoalRow::met).count();
    return String.format(Locale.ROOT, "%d of %d rows meet their goal%n", met, rows.size());
  }
}
