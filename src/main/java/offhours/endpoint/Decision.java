package offhours.endpoint;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of the controller: what it saw, what it wanted and why, the one step it took, and how that went.
 *
 * @param action NONE (nothing to do), WAIT (something is in progress), CREATE_ENDPOINT, DELETE_ENDPOINT,
 *     ENABLE_MAPPING (after a successful test invocation), DISABLE_MAPPING, or LOST_RACE (another run claimed the step)
 * @param outcome "ok", or what went wrong ("test invocation failed: ..."); the next run retries
 * @param nextRunAt when the controller wants to run again, sooner than its timer would (a wake due by the latency
 *     budget, the end of a stay after a drain, a stop in progress); null when its timer and the endpoint's events do
 */
public record Decision(
    Instant at,
    boolean wantOn,
    String wantReason,
    Endpoint.Status endpoint,
    Mapping.TriggerState mapping,
    Backlog.Snapshot backlog,
    Action action,
    String why,
    String outcome,
    boolean runningOutsideSchedule,
    Instant nextRunAt) {

  /** Without a wish for an earlier run. */
  public Decision(
      Instant at,
      boolean wantOn,
      String wantReason,
      Endpoint.Status endpoint,
      Mapping.TriggerState mapping,
      Backlog.Snapshot backlog,
      Action action,
      String why,
      String outcome,
      boolean runningOutsideSchedule) {
    this(
        at,
        wantOn,
        wantReason,
        endpoint,
        mapping,
        backlog,
        action,
        why,
        outcome,
        runningOutsideSchedule,
        null);
  }

  public enum Action {
    NONE,
    WAIT,
    CREATE_ENDPOINT,
    DELETE_ENDPOINT,
    ENABLE_MAPPING,
    DISABLE_MAPPING,
    LOST_RACE
  }

  /** A flat map for the Lambda response and the CLI. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", at.toString());
    m.put("want", wantOn ? "ON" : "OFF");
    m.put("wantReason", wantReason);
    m.put("endpoint", endpoint.state().name());
    if (endpoint.failureReason() != null) {
      m.put("endpointFailureReason", endpoint.failureReason());
    }
    if (endpoint.configName() != null) {
      m.put("endpointConfig", endpoint.configName());
    }
    if (endpoint.state() != Endpoint.State.ABSENT && endpoint.foreign()) {
      m.put("foreignEndpoint", true); // not created by this stack: never fed, never deleted
    }
    m.put("mapping", mapping.name());
    m.put("visible", backlog.visible());
    m.put("inFlight", backlog.inFlight());
    m.put("delayed", backlog.delayed());
    m.put("dlq", backlog.dead());
    m.put("action", action.name());
    m.put("why", why);
    m.put("outcome", outcome);
    m.put("runningOutsideSchedule", runningOutsideSchedule);
    if (nextRunAt != null) {
      m.put("nextRunAt", nextRunAt.toString());
    }
    return m;
  }

  @Override
  public String toString() {
    return at + " want " + (wantOn ? "ON" : "OFF") + " (" + wantReason + "); endpoint "
        + endpoint.state()
        + ", mapping " + mapping + ", queue " + backlog.visible() + " visible/" + backlog.inFlight()
        + " in flight/"
        + backlog.delayed() + " delayed -> " + action + ": " + why + " [" + outcome + "]";
  }
}
