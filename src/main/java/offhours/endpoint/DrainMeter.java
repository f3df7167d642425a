package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import offhours.endpoint.Endpoint.State;

/**
 * The drain rate the endpoint showed on its own work, learned by the controller's runs: a drain starts at the first
 * run that sees the endpoint InService, the trigger polling and messages waiting, and ends at the first run that sees
 * the queue idle; its rate is the messages waiting at its start over the time between the two runs. Uploads arriving
 * during the drain and the run interval only lengthen that time, so a measured rate is never above the true one. Only
 * drains of at least {@link #MIN_IMAGES} messages count (a few messages say more about the run interval than the rate).
 *
 * @param since the run that started the drain being measured, or null
 * @param images the messages waiting at that run
 * @param perSecond the last {@link WakePolicy#HISTORY} measured rates, oldest first
 */
public record DrainMeter(Instant since, long images, List<Double> perSecond) {

  public static final DrainMeter NONE = new DrainMeter(null, 0, List.of());
  /** The smallest drain that counts as a measurement. */
  public static final long MIN_IMAGES = 200;
  /**
   * The rate before any measurement, images per second per instance: deliberately below what one instance sustains
   * (the simulator's default is 5/s) so that a large backlog starts the endpoint early rather than late.
   */
  public static final double DEFAULT_PER_SECOND = 2.0;

  public DrainMeter {
    perSecond = perSecond == null ? List.of() : List.copyOf(perSecond);
  }

  /** What this run's observations add: a drain starts, goes on, ends with a measurement, or is abandoned. */
  public DrainMeter observe(
      Endpoint.Status ep, Mapping.TriggerState mp, Backlog.Snapshot q, Instant now) {
    boolean serving = ep.state() == State.IN_SERVICE && mp.polling();
    if (!serving) {
      return since == null ? this : new DrainMeter(null, 0, perSecond);
    }
    if (since == null) {
      long waiting = q.visible() + q.delayed();
      return waiting > 0 ? new DrainMeter(now, waiting, perSecond) : this;
    }
    if (!q.idle()) {
      return this;
    }
    double seconds = Duration.between(since, now).toMillis() / 1000.0;
    if (images < MIN_IMAGES || seconds <= 0) {
      return new DrainMeter(null, 0, perSecond);
    }
    List<Double> all = new ArrayList<>(perSecond);
    all.add(images / seconds);
    return new DrainMeter(
        null, 0, all.subList(Math.max(0, all.size() - WakePolicy.HISTORY), all.size()));
  }

  /**
   * The rate a budget plans with for an endpoint of {@code instances} instances: the median of the measured rates (each
   * already a lower bound of the true one, and the whole endpoint's: a drain is timed on the queue, which all its
   * instances consume), or {@link #DEFAULT_PER_SECOND} per instance without a measurement.
   */
  public double expectedPerSecond(int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException(
          "an endpoint serves on at least 1 instance, got " + instances);
    }
    if (perSecond.isEmpty()) {
      return DEFAULT_PER_SECOND * instances;
    }
    List<Double> sorted = new ArrayList<>(perSecond);
    sorted.sort(null);
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** How long {@code waiting} messages take on {@code instances} instances at {@link #expectedPerSecond}, rounded up. */
  public Duration drain(long waiting, int instances) {
    return Duration.ofSeconds((long) Math.ceil(waiting / expectedPerSecond(instances)));
  }
}
