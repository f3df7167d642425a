package offhours.endpoint;

import java.time.Instant;

/**
 * What the controller remembers between runs (the control table item pk "controller", sk "state").
 *
 * @param version optimistic-locking version; 0 means "never written"
 * @param override a manual start/stop, or null for automatic
 * @param idleSince first run that saw the queue empty with nothing in flight (reset when the schedule opens)
 * @param backlogSince first run that saw visible or delayed messages; estimates the age of the oldest message
 * @param stoppingSince when the controller started to stop the endpoint (bounds the drain)
 * @param scheduleOpen whether the schedule was open at the last run (to detect an opening)
 * @param lastRunAt the last run that claimed a step (the ledger accumulates from here)
 * @param billing whether the endpoint was billing after the last run (the ledger counts the interval if so)
 * @param createFailures consecutive failed creations (reset by a successful test invocation)
 * @param createNotBefore backoff: no CreateEndpoint before this instant
 * @param lastAction a human-readable summary of the last step
 */
public record ControlState(
    long version,
    Override override,
    Instant idleSince,
    Instant backlogSince,
    Instant stoppingSince,
    boolean scheduleOpen,
    Instant lastRunAt,
    boolean billing,
    int createFailures,
    Instant createNotBefore,
    String lastAction) {

  public static final ControlState INITIAL =
      new ControlState(0, null, null, null, null, false, null, false, 0, null, "none");

  /** A manual override: START or STOP until {@code until} (null: until "auto"). */
  public record Override(Mode mode, Instant until) {
    public enum Mode { START, STOP }

    boolean activeAt(Instant now) {
      return until == null || now.isBefore(until);
    }
  }

  ControlState withOverride(Override o) {
    return new ControlState(version, o, idleSince, backlogSince, stoppingSince, scheduleOpen, lastRunAt, billing,
        createFailures, createNotBefore, lastAction);
  }

  ControlState withVersion(long v) {
    return new ControlState(v, override, idleSince, backlogSince, stoppingSince, scheduleOpen, lastRunAt, billing,
        createFailures, createNotBefore, lastAction);
  }
}
