package offhours.endpoint.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;
import offhours.endpoint.CostReport;
import offhours.endpoint.WaitBudget;
import offhours.stack.Hosting;
import offhours.units.Plurals;

/**
 * What a simulated period shows.
 *
 * @param pendingAtEnd uploads not yet classified when the period ends (e.g. Sunday's, waiting for Monday's opening)
 * @param late uploads classified, or still waiting, more than an hour after max(upload, next opening)
 * @param dead messages in the DLQ (the consumer contract says 0)
 * @param endpointHours billed hours according to the controller's ledger
 * @param billedHours billed hours according to the simulated SageMaker (create call to gone); checks the ledger
 * @param worstWaitAfterOpening the worst time from max(upload, next opening) to result
 * @param maxWait the latency budget the controller ran with
 * @param budgetMisses uploads classified after their due time, or still waiting past it at the end
 * @param missesOutOfReach those of the misses no controller that does not know the future could avoid: uploads that
 *     found the endpoint not serving less than a wake (up to a polling trigger) before their due time
 * @param lowerBoundHours the fewest endpoint-hours any schedule could spend on this trace ({@link LowerBound}); NaN
 *     without a budget
 * @param lowerBoundStarts how many times that optimum starts the endpoint (0 without a budget): fewer starts than the
 *     controller's are wakes the optimum saved by staying on for uploads it knew were coming
 * @param learnedWake the wake the controller expects at the end ({@code LearnedTimes.expectedWake} of the control
 *     state's {@code wakeSeconds}): what it learned of the simulated endpoint, which it plans the next wake with
 * @param learnedStop the stop it expects at the end ({@code LearnedTimes.expectedStop} of {@code stopSeconds})
 */
public record SimulationReport(
    String trace,
    int days,
    SimulationConfig config,
    int uploads,
    int classified,
    int pendingAtEnd,
    int late,
    long dead,
    long deferrals,
    double endpointHours,
    double billedHours,
    double alwaysOnHours,
    double savedPercent,
    long starts,
    int createFailures,
    int runningOutsideScheduleRuns,
    int controllerRuns,
    Duration waitP50,
    Duration waitP90,
    Duration waitP99,
    Duration worstWait,
    Duration worstWaitAfterOpening,
    CostReport ledger,
    WaitBudget maxWait,
    int budgetMisses,
    int missesOutOfReach,
    double lowerBoundHours,
    int lowerBoundStarts,
    Duration learnedWake,
    Duration learnedStop) {

  /**
   * Why the lower bound is left out with the scale-to-zero hosting: {@link LowerBound} costs each period a fixed wake
   * and stop, while a component's next wake depends on whether its instance is still up.
   */
  static final String NO_BOUND =
      "n/a with scale-to-zero: the bound models DeleteEndpoint/CreateEndpoint,"
          + " not copies woken on an instance still up";

  /** The lower bound applies: a latency budget on the scheduled hosting. */
  public boolean bounded() {
    return !maxWait.off() && config.hosting() == Hosting.SCHEDULED;
  }

  /** Endpoint-hours over the lower bound (1.0 is optimal). */
  public double boundRatio() {
    return endpointHours / lowerBoundHours;
  }

  public String renderTable() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(
        Locale.ROOT,
        "Simulated %s of '%s' uploads from %s, %s %s%n",
        Plurals.of(days, "day"),
        trace,
        config.start(),
        config.workingHours(),
        config.zone()));
    out.append(String.format(
        Locale.ROOT,
        "Controller: every %d min + schedule changes + endpoint events%s; %s, %s images/s,"
            + " IDLE_STOP_MINUTES=%d%n%n",
        config.tick().toMinutes(),
        config.runTimer() ? " + its timer" : "",
        hostingLine(),
        // As given (2.5, 0.2), not rounded to a whole number: 0.2 read "0 images/s".
        new java.math.BigDecimal(String.format(Locale.ROOT, "%.3f", config.imagesPerSecond()))
            .stripTrailingZeros()
            .toPlainString(),
        config.idleStopMinutes()));
    row(out, "endpoint-hours (ledger)", String.format(Locale.ROOT, "%.2f h", endpointHours));
    row(out, "endpoint-hours (simulated bill)", String.format(Locale.ROOT, "%.2f h", billedHours));
    row(out, "always-on hours", String.format(Locale.ROOT, "%.0f h", alwaysOnHours));
    row(out, "saved vs 24/7", String.format(Locale.ROOT, "%.1f %%", savedPercent));
    row(out, "MAX_WAIT_MINUTES", maxWait.toString());
    if (!maxWait.off()) {
      row(
          out,
          "lower bound (knowing every upload)",
          bounded()
              ? String.format(
                  Locale.ROOT,
                  "%.2f h, %s (controller %.2f x)",
                  lowerBoundHours,
                  Plurals.of(lowerBoundStarts, "start"),
                  boundRatio())
              : NO_BOUND);
      row(
          out,
          "budget misses",
          budgetMisses
              + (missesOutOfReach > 0
                  ? " (" + missesOutOfReach + " found the endpoint off less than a wake before"
                      + " their due time: out of any controller's reach)"
                  : ""));
    }
    row(out, "endpoint starts", Long.toString(starts));
    row(out, "uploads", Integer.toString(uploads));
    row(out, "classified", Integer.toString(classified));
    row(out, "waiting at the end", Integer.toString(pendingAtEnd));
    row(
        out,
        "wait p50 / p90 / p99",
        human(waitP50) + " / " + human(waitP90) + " / " + human(waitP99));
    row(out, "worst wait from upload", human(worstWait));
    row(out, "worst wait after opening", human(worstWaitAfterOpening));
    row(out, "late (> 1 h after opening)", Integer.toString(late));
    row(out, "deferrals (endpoint not answering)", Long.toString(deferrals));
    row(out, "DLQ", Long.toString(dead));
    row(out, "create failures", Integer.toString(createFailures));
    row(out, "runs outside schedule", Integer.toString(runningOutsideScheduleRuns));
    row(out, "expected wake / stop (learned)", human(learnedWake) + " / " + human(learnedStop));
    out.append('\n').append(ledger.renderTable());
    return out.toString();
  }

  public String toJson() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("trace", trace);
    o.put("days", days);
    o.put("start", config.start().toString());
    o.put("timeZone", config.zone().getId());
    o.put("workingHours", config.workingHours());
    o.put("hosting", config.hosting().value());
    o.put("idleStopMinutes", config.idleStopMinutes());
    o.put("uploads", uploads);
    o.put("classified", classified);
    o.put("pendingAtEnd", pendingAtEnd);
    o.put("late", late);
    o.put("dlq", dead);
    o.put("deferrals", deferrals);
    o.put("endpointHours", Math.round(endpointHours * 100) / 100.0);
    o.put("billedHours", Math.round(billedHours * 100) / 100.0);
    o.put("alwaysOnHours", alwaysOnHours);
    o.put("savedPercent", Math.round(savedPercent * 10) / 10.0);
    o.put("starts", starts);
    o.put("createFailures", createFailures);
    o.put("waitP50Seconds", waitP50.toSeconds());
    o.put("waitP90Seconds", waitP90.toSeconds());
    o.put("waitP99Seconds", waitP99.toSeconds());
    o.put("worstWaitSeconds", worstWait.toSeconds());
    o.put("worstWaitAfterOpeningSeconds", worstWaitAfterOpening.toSeconds());
    o.put("waitP50Minutes", minutes(waitP50));
    o.put("waitP99Minutes", minutes(waitP99));
    o.put("waitMaxMinutes", minutes(worstWait));
    if (maxWait.nextOpening()) {
      o.put("maxWaitMinutes", "next-opening");
    } else {
      o.put("maxWaitMinutes", maxWait.max().toMinutes());
    }
    o.put("budgetMisses", budgetMisses);
    o.put("missesOutOfReach", missesOutOfReach);
    if (bounded()) {
      o.put("oracleEndpointHours", Math.round(lowerBoundHours * 100) / 100.0);
      o.put("oracleRatio", Math.round(boundRatio() * 1000) / 1000.0);
      o.put("oracleStarts", lowerBoundStarts);
    } else if (!maxWait.off()) { // scale-to-zero: no bound (NO_BOUND)
      o.putNull("oracleEndpointHours");
      o.putNull("oracleRatio");
      o.putNull("oracleStarts");
    }
    boolean component = config.hosting() == Hosting.SCALE_TO_ZERO;
    o.put(
        "wakeMinutes",
        (component ? config.component().wake() : config.createDelay()).toSeconds() / 60.0);
    o.put(
        "stopMinutes",
        (component ? config.component().stop() : config.deleteDelay()).toSeconds() / 60.0);
    o.put("learnedWakeMinutes", minutes(learnedWake));
    o.put("learnedStopMinutes", minutes(learnedStop));
    o.put("drainImagesPerSecond", config.imagesPerSecond());
    return o.toString();
  }

  /** What the simulated endpoint takes. */
  private String hostingLine() {
    if (config.hosting() == Hosting.SCHEDULED) {
      return "create " + plain(config.createDelay()) + " min, delete " + plain(config.deleteDelay())
          + " min";
    }
    ComponentTimes c = config.component();
    return "scale-to-zero: instance " + plain(c.instanceLaunch()) + " + copy " + plain(c.copyLoad())
        + " min, copies to 0 " + plain(c.copyUnload()) + " min + instance idle "
        + plain(c.instancesIdle()) + " min";
  }

  /** Minutes to a tenth, without a trailing ".0": "10", "7.5". */
  private static String plain(Duration d) {
    double m = minutes(d);
    return m == Math.rint(m) ? Long.toString((long) m) : Double.toString(m);
  }

  private static double minutes(Duration d) {
    return Math.round(d.toSeconds() / 6.0) / 10.0;
  }

  private static void row(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "  %-36s %s%n", label, value));
  }

  public static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }
}
