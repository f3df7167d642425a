package offhours.api;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import offhours.endpoint.ControlState;
import offhours.endpoint.WakePolicy;
import offhours.units.Times;

/**
 * The oldest waiting upload as the controller's last run saw it, from its stored state
 * ({@link ControlState#backlogSince}, which it plans its latency budget with): it arrived after {@code queueEmptyAt},
 * the last run that saw the queue empty, so at that run ({@code asOf}) it had waited at most the time between the two,
 * the age the controller plans with (never understated). {@code queueEmptyAt} is null when nothing waited then, and
 * equals {@code asOf} when the controller's first run found uploads waiting: then their age is not known. GET /status,
 * the page and {@code endpoint status} say it alike.
 */
public record OldestWait(Instant queueEmptyAt, Instant asOf) {

  /** From the stored state; null when it has no run to say it as of. */
  public static OldestWait of(ControlState state) {
    return state.lastRunAt() == null
        ? null
        : new OldestWait(state.backlogSince(), state.lastRunAt());
  }

  /** The most it had waited at {@code asOf}; null when nothing waited or the age is not known. */
  public Duration atMost() {
    return queueEmptyAt == null || !queueEmptyAt.isBefore(asOf)
        ? null
        : Duration.between(queueEmptyAt, asOf);
  }

  /** In words, times in {@code zone}: "at most 20 min at the controller's run at ... (it arrived after ...)". */
  public String says(ZoneId zone) {
    String run = "the controller's run at " + Times.at(asOf, zone);
    if (queueEmptyAt == null) {
      return "none at " + run + " (nothing visible or deferred in the queue)";
    }
    if (atMost() == null) {
      return "waiting at " + run + ", its first: how long before it arrived is not known";
    }
    return "at most " + WakePolicy.minutes(atMost()) + " at " + run + " (it arrived after "
        + Times.at(queueEmptyAt, zone) + ", the last run that saw the queue empty)";
  }

  /** The JSON object: {"waiting", "queueEmptyAt", "atMostSeconds", "asOf", "says"}, instants in ISO-8601. */
  public Map<String, Object> toMap(ZoneId zone) {
    return StatusView.orderedMap(
        "waiting",
        queueEmptyAt != null,
        "queueEmptyAt",
        queueEmptyAt == null ? null : queueEmptyAt.toString(),
        "atMostSeconds",
        atMost() == null ? null : atMost().toSeconds(),
        "asOf",
        asOf.toString(),
        "says",
        says(zone));
  }
}
