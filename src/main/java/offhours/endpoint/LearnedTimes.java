package offhours.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the controller expects a wake and a stop to take, learned from the last {@link #HISTORY} it measured (kept in
 * the control state, {@link ControlState#wakeSeconds} and {@link ControlState#stopSeconds}), and the defaults before
 * it measured any. {@link WakePolicy} plans starts and stays with them, {@link NextRun} paces the looks at a stop, and
 * the API's forecast and the controller's outlook say them.
 *
 * <p>A wake is measured from the run that issued it (CreateEndpoint; with scale-to-zero the component created or its
 * copies set back on no instance) to the first run that saw the trigger polling after the test invocation answered; a
 * stop from the run that issued it (DeleteEndpoint; with scale-to-zero the copies set to 0) to the first run that saw
 * the endpoint gone (deleted, or 0 copies on 0 instances), all of it billed. The wake is a deadline and the stop a
 * cost, so they are summed up differently ({@link #expectedWake}, {@link #expectedStop}).
 */
public final class LearnedTimes {

  /** How many wakes (and stops) the expectations look back on. */
  public static final int HISTORY = 10;
  /**
   * The expected wake before any history: the slow end of what CreateEndpoint takes on AWS (8-30 min), so that the
   * first wakes are early rather than late; the history replaces it after the first wake.
   */
  public static final Duration DEFAULT_WAKE = Duration.ofMinutes(30);
  /**
   * What a stop costs in endpoint time before any history: DeleteEndpoint until gone (billed by the ledger), about two
   * minutes on AWS; the history replaces it after the first measured stop ({@link #expectedStop}). Scale-to-zero stops
   * take longer (the copies go, then managed instance scaling removes the instances minutes later), which the history
   * learns.
   */
  public static final Duration DEFAULT_STOP = Duration.ofMinutes(2);

  private LearnedTimes() {}

  /** The 90th percentile (nearest rank) of {@code wakeSeconds}, or {@link #DEFAULT_WAKE} without history. */
  public static Duration expectedWake(List<Long> wakeSeconds) {
    if (wakeSeconds.isEmpty()) {
      return DEFAULT_WAKE;
    }
    List<Long> sorted = new ArrayList<>(wakeSeconds);
    sorted.sort(null);
    int rank = (int) Math.ceil(0.9 * sorted.size());
    return Duration.ofSeconds(sorted.get(Math.max(0, rank - 1)));
  }

  /**
   * The mean of {@code stopSeconds} (rounded to the second), or {@link #DEFAULT_STOP} without history. The stop is a
   * cost, not a deadline: the stay rule compares what staying and stopping bill on average, and the bill grows
   * linearly with the stop, so the expected stop is its mean (a slow stop was billed in full and counts with its
   * weight). The wake is a deadline (a late start misses the budget, an early one costs a little), hence its 90th
   * percentile.
   */
  public static Duration expectedStop(List<Long> stopSeconds) {
    if (stopSeconds.isEmpty()) {
      return DEFAULT_STOP;
    }
    long sum = 0;
    for (long s : stopSeconds) {
      sum += s;
    }
    return Duration.ofSeconds(Math.round((double) sum / stopSeconds.size()));
  }
}
