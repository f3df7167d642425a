package offhours.endpoint;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of the controller: what it saw, what it wanted and why, the one step it took, and how that went.
 *
 * @param action NONE (nothing to do), WAIT (something is in progress), CREATE_ENDPOINT, DELETE_ENDPOINT,
 *     ENABLE_MAPPING (after a successful test invocation), DISABLE_MAPPING, LOST_RACE (another run claimed the step),
 *     or OUT_OF_TIME (the run's deadline cut a read, the claim or a manual override's load or save: no step was taken)
 * @param outcome "ok", or what went wrong ("test invocation failed: ..."); the next run retries
 * @param nextRunAt when the controller wants to run again, sooner than its timer would (a wake due by the latency
 *     budget, the end of a stay after a drain, a stop in progress); null when its timer and the endpoint's events do
 * @param awsSaid for a run with calls AWS failed (its step's, the test invocation's, the container logs' retention's,
 *     the control state's write after the step), what AWS itself answered each, named by its call and joined by "; "
 *     ("AWS's answer to CreateEndpoint: CODE (HTTP n, request id): message", {@link ClaimedStep#answerTo};
 *     {@link ControllerHandler#SAGEMAKER_SAID} for the test invocation), where {@code outcome} says it in offhours'
 *     words: only for the controller's log line, where an operator finds it; never recorded, returned or shown (it may
 *     name the account), so neither {@link #toMap} nor {@link #toString} has it, and a decision read back from the
 *     control table has null
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
    Instant nextRunAt,
    String awsSaid) {

  /** A decision without AWS's own answer: every run but one whose call AWS failed. */
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
      boolean runningOutsideSchedule,
      Instant nextRunAt) {
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
        nextRunAt,
        null);
  }

  /** The outcome of a run whose step went as planned. */
  public static final String OK = "ok";

  public enum Action {
    NONE,
    WAIT,
    CREATE_ENDPOINT,
    DELETE_ENDPOINT,
    ENABLE_MAPPING,
    DISABLE_MAPPING,
    LOST_RACE,
    OUT_OF_TIME
  }

  /**
   * A run whose reads the deadline cut ({@link RunDeadline}) with {@code cut}: it decides nothing on what it could not
   * read, so its endpoint, trigger and queue are unknown (null) and left out of its line and map; nothing asks for an
   * earlier run.
   */
  static Decision outOfTime(Instant at, RuntimeException cut) {
    String why = "the run's reads did not answer before its deadline (" + cut.getMessage()
        + "); nothing is decided on what was not read, and the next run reads again";
    return new Decision(
        at, false, null, null, null, null, Action.OUT_OF_TIME, why, "skipped", false, null);
  }

  /**
   * A run whose claim of {@code step} (taken for {@code stepWhy}) the deadline cut with {@code cut}: the step is not
   * taken. (The step comes as its action and reason, not as EndpointController's Step: the Api's package carries this
   * record without the controller.)
   */
  static Decision notClaimed(
      Instant at,
      Want want,
      Endpoint.Status ep,
      Mapping.TriggerState mp,
      Backlog.Snapshot q,
      Action step,
      String stepWhy,
      boolean outside,
      RuntimeException cut) {
    String why = step + " not taken (" + stepWhy + "): the write claiming it did not"
        + " answer before the run's deadline (" + cut.getMessage() + "); it may have applied,"
        + " and the next run reads the state, the endpoint and the trigger again";
    return new Decision(
        at, want.on(), want.reason(), ep, mp, q, Action.OUT_OF_TIME, why, "skipped", outside, null);
  }

  /**
   * A manual override ({@code what}: START, STOP or auto) whose read or write of the control state the deadline cut
   * with {@code cut}: no run follows it, and whether it was recorded is unknown (a write cut after it was sent may
   * have applied).
   */
  static Decision overrideNotRecorded(Instant at, String what, RuntimeException cut) {
    String why = "the manual " + what + " was not confirmed: the control table did not answer"
        + " before the run's deadline (" + cut.getMessage() + "); it may have been recorded,"
        + " and the next run acts on it if so. Check with `endpoint status` and send it again if"
        + " the override is not there";
    return new Decision(
        at, false, null, null, null, null, Action.OUT_OF_TIME, why, "skipped", false, null);
  }

  /** A flat map for the Lambda response and the CLI. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", at.toString());
    if (endpoint == null) {
      m.put("action", action.name());
      m.put("why", why);
      m.put("outcome", outcome);
      return m;
    }
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
    if (endpoint == null) {
      return at + " -> " + action + ": " + why + " [" + outcome + "]";
    }
    return at + " want " + (wantOn ? "ON" : "OFF") + " (" + wantReason + "); endpoint "
        + endpoint.state()
        + ", mapping " + mapping + ", queue " + backlog.visible() + " visible/" + backlog.inFlight()
        + " in flight/"
        + backlog.delayed() + " delayed -> " + action + ": " + why + " [" + outcome + "]";
  }
}
