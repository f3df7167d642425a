package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;

/**
 * How fast uploads are arriving while nothing consumes them: the messages in the queue (visible, in flight and
 * deferred) at the last run that measured, and the rate they grew at since the one before it, at least
 * {@link #MIN_INTERVAL} earlier. While the trigger is paused only arrivals add messages (a deferral replaces one with
 * its delayed copy, a batch still in flight can only remove), so the growth between two runs is a lower bound of the
 * uploads made between them. While the trigger polls, the consumer removes what arrives and the rate is unknown: 0.
 * SQS's counts are approximate and settle about a minute after the producers stop, so a burst's rate may show for one
 * run after it ended: one more minute of a plan that is made again at every run.
 *
 * <p>{@link WakePolicy#wakeFor} plans a start for the uploads still arriving at this rate before the endpoint would
 * answer, as long as they are due by the same time as the oldest: a burst in the half hour before a next-opening
 * opening starts the endpoint for what it will have brought by then, not only for what it has brought so far. The
 * rate is that of the last interval measured: a burst that has ended shows 0 at the next run that measures, and the
 * plan is the backlog's again.
 *
 * <p>The last rate measured outlives the polling that follows it ({@code lastRateAt}, {@code lastPerSecond}): a stream
 * still arriving when the endpoint came up is what {@link WakePolicy} stays on for after a drain.
 *
 * @param seenAt the last run that looked, or null
 * @param messages the messages in the queue at that run
 * @param perSecond the growth since the run before it, in messages per second; 0 when unknown or not growing
 * @param lastRateAt the last run that measured a rate (the trigger paused), or null
 * @param lastPerSecond the rate that run measured, kept while the trigger polls
 */
public record Arrivals(
    Instant seenAt, long messages, double perSecond, Instant lastRateAt, double lastPerSecond) {

  public static final Arrivals NONE = new Arrivals(null, 0, 0);
  /**
   * The shortest interval a rate is measured over. SQS's counts are approximate: a few messages of difference over the
   * seconds between two close runs (a timer run, a stop's recheck) would read as a fast stream. The minute tick gives
   * one interval a minute; this allows for its jitter.
   */
  static final Duration MIN_INTERVAL = Duration.ofSeconds(45);

  public Arrivals {
    if (!(perSecond >= 0) || !(lastPerSecond >= 0) || messages < 0) {
      throw new IllegalArgumentException("arrivals need rates >= 0 and a message count >= 0, got "
          + perSecond + ", " + lastPerSecond + ", " + messages);
    }
  }

  /** A rate measured at {@code seenAt} (or none), which is also the last one measured. */
  public Arrivals(Instant seenAt, long messages, double perSecond) {
    this(seenAt, messages, perSecond, seenAt, perSecond);
  }

  /**
   * What this run sees: the messages now, and their growth since the last run if the trigger is paused; a run less
   * than {@link #MIN_INTERVAL} after that one keeps it and its rate.
   */
  public Arrivals observe(Mapping.TriggerState mp, Backlog.Snapshot q, Instant now) {
    if (seenAt != null && !now.isAfter(seenAt)) {
      return this; // a run that overtook this one saw later
    }
    long total = q.total();
    if (mp.polling() || seenAt == null) { // nothing measured: the last rate stays
      return new Arrivals(now, total, 0, lastRateAt, lastPerSecond);
    }
    if (Duration.between(seenAt, now).compareTo(MIN_INTERVAL) < 0) {
      return this;
    }
    double rate = total > messages
        ? (total - messages) / (Duration.between(seenAt, now).toMillis() / 1000.0)
        : 0;
    return new Arrivals(now, total, rate);
  }

  /**
   * The rate last measured, if it was measured at or after {@code since}; 0 otherwise. While the trigger polls it is
   * the rate uploads arrived at just before it did.
   */
  public double lastPerSecondSince(Instant since) {
    return lastRateAt != null && !lastRateAt.isBefore(since) ? lastPerSecond : 0;
  }

  /** The uploads expected from now to {@code until} at this rate (0 before now), rounded up. */
  public long between(Instant now, Instant until) {
    if (perSecond == 0 || !until.isAfter(now)) {
      return 0;
    }
    return (long) Math.ceil(perSecond * Duration.between(now, until).toMillis() / 1000.0);
  }

  /** "12.0/min". */
  public String perMinute() {
    return perMinute(perSecond);
  }

  /** A rate in messages per second as "12.0/min". */
  static String perMinute(double perSecond) {
    return String.format(java.util.Locale.ROOT, "%.1f/min", perSecond * 60);
  }
}
