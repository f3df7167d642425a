package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import offhours.endpoint.Endpoint.State;

/**
 * When the controller runs again after a run: at the instant its {@link Want} changes, or sooner while a stop is in
 * progress. {@link WakePolicy} decides whether the endpoint is on and until when; this class decides how often the
 * controller looks while it goes off, and {@link ControllerOutlook} uses the same tests to say why the next run comes
 * when it does.
 *
 * <p>A stop is measured from the run that issued it to the first run that sees the endpoint gone, and learned as the
 * expected stop ({@link LearnedTimes#expectedStop}); the minute tick alone could make a two-minute stop a minute
 * longer.
 * So while the trigger pauses or the last batches drain the controller looks again after {@link #STOP_RECHECK}, and
 * while the endpoint is Deleting after a tenth of the expected stop, at least that ({@link #deleteRecheck}): a stop is
 * measured to within about a tenth of its length, and a start waiting for the endpoint to be gone follows as soon.
 */
final class NextRun {

  /**
   * How soon a stop in progress is looked at again: the mapping's transition and the last batches take seconds; while
   * the endpoint is Deleting, at least this ({@link #deleteRecheck}).
   */
  static final Duration STOP_RECHECK = Duration.ofSeconds(10);

  private NextRun() {}

  /**
   * When a run wants the next one: its want's own change, or soon while a stop is in progress: the trigger pausing or
   * the last batches draining, or the endpoint deleted by this run or still Deleting ({@code endpoint}, what this run
   * saw), so that its end is seen and measured.
   */
  static Instant after(
      Want want,
      Decision.Action action,
      String why,
      Endpoint.State endpoint,
      List<Long> stopSeconds,
      Instant now) {
    if (stopping(want.on(), action, why)) {
      return now.plus(STOP_RECHECK);
    }
    Instant until = want.until() != null && want.until().isAfter(now) ? want.until() : null;
    if (deleting(action, endpoint)) {
      Instant recheck = now.plus(deleteRecheck(stopSeconds));
      return until == null || recheck.isBefore(until) ? recheck : until;
    }
    return until;
  }

  /** How soon a Deleting endpoint is looked at again: a tenth of the expected stop, at least {@link #STOP_RECHECK}. */
  static Duration deleteRecheck(List<Long> stopSeconds) {
    Duration tenth = LearnedTimes.expectedStop(stopSeconds).dividedBy(10);
    return tenth.compareTo(STOP_RECHECK) > 0 ? tenth : STOP_RECHECK;
  }

  /** Whether a run that took {@code action} and saw {@code endpoint} leaves a deletion to be seen to its end. */
  static boolean deleting(Decision.Action action, Endpoint.State endpoint) {
    return action == Decision.Action.DELETE_ENDPOINT || endpoint == State.DELETING;
  }

  /**
   * Whether a run that wants the endpoint {@code on} and took {@code action} for {@code why} leaves a stop in progress.
   */
  static boolean stopping(boolean on, Decision.Action action, String why) {
    return !on
        && (action == Decision.Action.DISABLE_MAPPING
            || action == Decision.Action.WAIT
                && why != null
                && (why.startsWith("mapping") || why.contains("draining")));
  }
}
