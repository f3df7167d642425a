package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.units.Plurals;
import offhours.units.Times;

/**
 * What the controller will do next and why: the one phrasing of "next run" for GET /status (and the UI built on it)
 * and {@code offhours endpoint status}. It is read from the last recorded decision (when that run asked to run again
 * and why, what started it) and the control state (the armed run timer, the wakes the latency budget plans with).
 *
 * @param lastRunAt the last recorded run, null before the first
 * @param startedBy what started that run ({@link RunTrigger}: "schedule tick", "timer for INSTANT", ...), null when not
 *     recorded (before the first run, or a decision of an older version)
 * @param nextRunAt when the last run asked to run again ({@link Decision#nextRunAt}); null: only the schedule tick and
 *     the endpoint's state changes run it
 * @param nextRun why the next run is when it is, in words ({@link #nextRunWhy})
 * @param timerAt the instant the run timer is armed for ({@link ControlState#timerAt}), null when no timer is ahead of
 *     the moment observed (none armed, or it has fired)
 * @param expectedWake how long a wake is expected to take ({@link LearnedTimes#expectedWake} of the kept history)
 * @param wakes how many measured wakes {@code expectedWake} is learned from; 0: it is {@link LearnedTimes#DEFAULT_WAKE}
 * @param expectedStop what a stop is expected to cost ({@link LearnedTimes#expectedStop} of the kept history)
 * @param stops how many measured stops {@code expectedStop} is learned from; 0: it is {@link LearnedTimes#DEFAULT_STOP}
 */
public record ControllerOutlook(
    Instant lastRunAt,
    String startedBy,
    Instant nextRunAt,
    String nextRun,
    Instant timerAt,
    Duration expectedWake,
    int wakes,
    Duration expectedStop,
    int stops) {

  /**
   * The outlook at {@code now} from the last decision ({@code last}, empty before the first run), what started it and
   * the control state.
   */
  public static ControllerOutlook of(
      Optional<Decision> last, String startedBy, ControlState state, Instant now) {
    Decision d = last.orElse(null);
    Instant timer =
        state.timerAt() != null && state.timerAt().isAfter(now) ? state.timerAt() : null;
    return new ControllerOutlook(
        d == null ? null : d.at(),
        d == null ? null : startedBy,
        d == null ? null : d.nextRunAt(),
        nextRunWhy(d),
        timer,
        LearnedTimes.expectedWake(state.wakeSeconds()),
        state.wakeSeconds().size(),
        LearnedTimes.expectedStop(state.stopSeconds()),
        state.stopSeconds().size());
  }

  /**
   * Why the run after {@code d} comes when it does: "asked by the last run: " and the reason of the want that changes
   * then (a wake due, the end of a stay after a drain) or the stop in progress ({@link NextRun#stopping}); without
   * such a wish the schedule tick or an endpoint state change. {@code d} null: the controller has not run yet.
   */
  private static String nextRunWhy(Decision d) {
    if (d == null) {
      return "the first schedule tick (the controller has not run yet)";
    }
    if (d.nextRunAt() == null) {
      return "the next schedule tick or endpoint state change (the last run asked for no earlier run)";
    }
    if (NextRun.stopping(d.wantOn(), d.action(), d.why())) {
      return "asked by the last run: a stop in progress (" + d.why() + ")";
    }
    if (NextRun.deleting(d.action(), d.endpoint().state())) {
      return "asked by the last run: the endpoint is being deleted; it is looked at until it is gone, to"
          + " measure the stop";
    }
    return "asked by the last run: " + d.wantReason();
  }

  /** "30 min, the default until a wake is measured", "about 95 s, learned from 3 wakes". */
  private String expectedWakeWords() {
    return estimateWords(expectedWake, wakes, "wake");
  }

  /** "2 min, the default until a stop is measured", "about 5 min, learned from 3 stops". */
  private String expectedStopWords() {
    return estimateWords(expectedStop, stops, "stop");
  }

  /** A learned duration in words: the default before {@code n} measurements of {@code what}, else how many. */
  private static String estimateWords(Duration d, int n, String what) {
    String time = WakePolicy.minutes(d);
    return n == 0
        ? time + ", the default until a " + what + " is measured"
        : "about " + time + ", learned from " + Plurals.of(n, what);
  }

  /**
   * The JSON object (GET /status's {@code controller}, {@code endpoint status --json}'s {@code outlook}): lastRunAt,
   * startedBy, nextRunAt, nextRun, timerAt (instants as ISO-8601 strings, null where absent), expectedWake
   * {seconds, wakes, default, words} and expectedStop {seconds, stops, default, words}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("lastRunAt", text(lastRunAt));
    m.put("startedBy", startedBy);
    m.put("nextRunAt", text(nextRunAt));
    m.put("nextRun", nextRun);
    m.put("timerAt", text(timerAt));
    m.put("expectedWake", estimate(expectedWake, "wakes", wakes, expectedWakeWords()));
    m.put("expectedStop", estimate(expectedStop, "stops", stops, expectedStopWords()));
    return m;
  }

  /** {seconds, COUNT, default, words} of a learned duration. */
  private static Map<String, Object> estimate(Duration d, String count, int n, String words) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seconds", d.toSeconds());
    m.put(count, n);
    m.put("default", n == 0);
    m.put("words", words);
    return m;
  }

  /**
   * The outlook as lines of text, every time said as {@link Times} says it in {@code zone} (the stack's, in which
   * the controller's reasons name times): next run, last run, run timer, expected wake and stop.
   */
  public List<String> lines(ZoneId zone) {
    List<String> lines = new ArrayList<>();
    lines.add("next run: "
        + (nextRunAt == null ? nextRun : Times.at(nextRunAt, zone) + " (" + nextRun + ")"));
    if (lastRunAt != null) {
      lines.add("last run: " + Times.at(lastRunAt, zone) + ", started by "
          + (startedBy == null ? "(not recorded)" : Times.inText(startedBy, zone)));
    }
    lines.add(
        "run timer: " + (timerAt == null ? "not armed" : "armed for " + Times.at(timerAt, zone)));
    lines.add("expected wake: " + expectedWakeWords());
    lines.add("expected stop: " + expectedStopWords());
    return lines;
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
