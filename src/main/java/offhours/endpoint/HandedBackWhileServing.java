package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import offhours.units.Plurals;
import offhours.units.Times;

/**
 * Uploads handed back while the endpoint serves: the one sign that invocations fail while every state reads healthy,
 * in the words {@code queue}, {@code endpoint status}, GET /status and the page all say it. The Classify function
 * hands an upload back (a delayed copy on the queue) only when the endpoint did not answer it; the controller enables
 * the trigger only once the InService endpoint answered its test invocation, and pauses it before the endpoint goes.
 * So delayed uploads beside an InService endpoint and an Enabled trigger mean invocations that fail now (a model server
 * that died, a model that errors on everything): each upload goes round until its MaxDeferrals run out and then toward
 * the DLQ, while every state reads as healthy and the controller keeps the endpoint on. On AWS the alarms say it; here
 * nothing else would.
 *
 * <p>It is an inference from counts: the reason rides on each copy ({@code offhours-deferral-reason}), but SQS has no
 * read that leaves a message's receive count alone (a delayed one cannot be received at all), and receiving would
 * spend the very count deferrals protect. Throttles of a busy endpoint are handed back too, and a copy stays delayed
 * for DeferSeconds, so one may date from a moment of outage already over: the line says so ({@link #CAVEAT}) rather
 * than claim more. Who read the endpoint and the trigger longer ago than the queue (the API reads them from the
 * controller's last run) says when ({@code seen} of {@link #says}).
 *
 * <p>Plain words and counts only: the API's zip carries this class (src/assembly/api.xml), the CLI its AWS reads
 * ({@code cli.HandBacks}).
 *
 * @param delayed the queue's ApproximateNumberOfMessagesDelayed, at least 1
 */
public record HandedBackWhileServing(long delayed) {

  /** How every line that tells it begins. */
  public static final String TOLD = "handed back while the endpoint serves: ";

  /** Why the line is an inference and no more. */
  public static final String CAVEAT = "inferred from the counts: a busy endpoint's throttles are"
      + " handed back too, and a copy waits DeferSeconds, so one may date from a moment of outage";

  public HandedBackWhileServing {
    if (delayed < 1) {
      throw new IllegalArgumentException(
          "uploads are handed back only when some are delayed, got " + delayed);
    }
  }

  /**
   * The sign, when the counts say so: the endpoint {@code InService}, the Classify trigger {@code Enabled} and uploads
   * delayed; empty in every other state. {@code endpointStatus} and {@code triggerState} as DescribeEndpoint's
   * EndpointStatus and GetEventSourceMapping's State say them (null: absent); {@code delayed} -1 when the queue does
   * not exist.
   */
  public static Optional<HandedBackWhileServing> of(
      String endpointStatus, String triggerState, long delayed) {
    boolean serving = Endpoint.State.IN_SERVICE.shown().equals(endpointStatus)
        && Mapping.TriggerState.ENABLED.shown().equals(triggerState);
    return serving && delayed > 0
        ? Optional.of(new HandedBackWhileServing(delayed))
        : Optional.empty();
  }

  /** As {@link #of(String, String, long)}, from the states as the controller records them (null: not known). */
  public static Optional<HandedBackWhileServing> of(
      Endpoint.State endpoint, Mapping.TriggerState trigger, long delayed) {
    return of(
        endpoint == null ? null : endpoint.shown(),
        trigger == null ? null : trigger.shown(),
        delayed);
  }

  /**
   * As {@link #of(String, String, long)}, from the controller's last decision: the endpoint and the trigger as its run
   * saw them, unless its step paused the trigger or deleted the endpoint, which then no longer serve as seen.
   */
  public static Optional<HandedBackWhileServing> of(Decision last, long delayed) {
    if (last.action() == Decision.Action.DISABLE_MAPPING
        || last.action() == Decision.Action.DELETE_ENDPOINT) {
      return Optional.empty();
    }
    return of(last.endpoint() == null ? null : last.endpoint().state(), last.mapping(), delayed);
  }

  /**
   * {@code seen} of {@link #says} for states the controller's run saw at {@code run}, the queue read at
   * {@code queueRead}: how old they are, for they may have changed since (" when the controller last looked (its run
   * at 2026-11-25 09:39 UTC, 40 s before the queue was read; they may have changed since)").
   */
  public static String atTheControllersRun(Instant run, Instant queueRead, ZoneId zone) {
    long seconds = Math.max(0, Duration.between(run, queueRead).toSeconds());
    String age = seconds < 120
        ? seconds + " s"
        : seconds < 2 * 3600 ? seconds / 60 + " min" : seconds / 3600 + " h";
    return " when the controller last looked (its run at " + Times.at(run, zone) + ", " + age
        + " before the queue was read; they may have changed since)";
  }

  /**
   * "N uploads delayed with the endpoint InService and the Classify trigger Enabled{seen}: invocations are probably
   * failing, ...", without {@link #TOLD}, the caveat and where to read why. {@code seen} says when the endpoint and
   * the trigger were seen ("" when just now, with the queue).
   */
  public String says(String seen) {
    return Plurals.of(delayed, "upload")
        + " delayed with the endpoint InService and the Classify trigger Enabled"
        + Objects.requireNonNull(seen, "seen")
        + ": invocations are probably failing, and each upload goes round until MaxDeferrals,"
        + " then toward the DLQ";
  }

  /** {@link #TOLD} and {@link #says}: the line without its caveat and where to read why. */
  public String told(String seen) {
    return TOLD + says(seen);
  }

  /** The whole line: what the counts say, that it is inferred, and where each hand-back's reason is written. */
  public String line(String seen, boolean local) {
    return told(seen) + " (" + CAVEAT + "). Why: " + where(local);
  }

  /**
   * Where the reason of each hand-back is written: the local stack's log ({@code local}), or the Classify function's
   * log group on AWS.
   */
  public static String where(boolean local) {
    return (local
            ? "the Classify function's log, local/logs/stack.log under the cache directory"
            : "the Classify function's log group (Logs Insights: filter outcome = 'DEFERRED')")
        + ", each DEFERRED line's records[].detail; 'offhours dlq show ID' for one that reached the"
        + " DLQ (offhours-deferral-reason)";
  }
}
