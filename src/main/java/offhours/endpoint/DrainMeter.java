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
 * Each rate is kept with the instances it was measured on ({@link Rate}), so a stack update of the instance count
 * plans with rates for the new count ({@link #expectedPerSecond}).
 *
 * @param since the run that started the drain being measured, or null
 * @param images the messages waiting at that run
 * @param rates the last {@link LearnedTimes#HISTORY} measured rates, oldest first
 */
public record DrainMeter(Instant since, long images, List<Rate> rates) {

  public static final DrainMeter NONE = new DrainMeter(null, 0, List.of());
  /** The smallest drain that counts as a measurement. */
  private static final long MIN_IMAGES = 200;
  /**
   * The rate before any measurement, images per second per instance: deliberately below what one instance sustains
   * (the simulator's default is 5/s) so that a large backlog starts the endpoint early rather than late.
   */
  public static final double DEFAULT_PER_SECOND = 2.0;

  public DrainMeter {
    rates = rates == null ? List.of() : List.copyOf(rates);
  }

  /**
   * One measured drain.
   *
   * @param perSecond the whole endpoint's rate, images per second (a drain is timed on the queue, which all its
   *     instances consume)
   * @param instances the instances it served on (INSTANCE_COUNT; with scale-to-zero its copies, one per instance; a
   *     serverless endpoint counts as one); 0 for a rate read from a control state written before the count was
   *     recorded: taken as measured on the count of the controller that reads it, which records that count at its
   *     first run ({@link #observe})
   */
  public record Rate(double perSecond, int instances) {
    public Rate {
      if (!(perSecond > 0) || Double.isInfinite(perSecond) || instances < 0) {
        throw new IllegalArgumentException(
            "a drain rate needs images/s > 0 and instances >= 0, got " + perSecond + ", "
                + instances);
      }
    }

    /**
     * This rate on {@code count} instances. On fewer than it was measured on, in proportion: the drain grows at most
     * linearly with instances (each serves its share; a bound elsewhere, the consumer's concurrency or the queue, only
     * holds the larger count back), so per instance fewer drain at least as fast, the scaled rate is never above the
     * true one and the budget is not late. On more, the true rate is somewhere between this rate (more instances never
     * drain slower) and this rate scaled up in proportion (reached only when the instances alone bound the drain);
     * which, the controller cannot tell: the consumer's bound, MaximumConcurrency x BATCH_CONCURRENCY images in flight,
     * is a concurrency, not a rate, and the controller is not given it. So it plans with the rate it measured, the one
     * it knows is not too fast: the budget wakes early rather than late (a start's minutes, not a missed promise), and
     * the first drain measured on the new count replaces it ({@link #expectedPerSecond}).
     */
    private double on(int count) {
      int measured = instances == 0 ? count : instances;
      return count <= measured ? perSecond * count / measured : perSecond;
    }
  }

  /**
   * What this run's observations add: a drain starts, goes on, ends with a measurement on {@code instances}, or is
   * abandoned. {@code instances} is what the endpoint serves on by the controller's settings; 0 when the endpoint runs
   * a config that is not the stack's (a stack update, the count perhaps among its changes): a drain it ends is not
   * measured. Rates read without a count ({@link Rate#instances} 0) take {@code instances} here.
   */
  public DrainMeter observe(
      Endpoint.Status ep, Mapping.TriggerState mp, Backlog.Snapshot q, Instant now, int instances) {
    List<Rate> counted = instances == 0
        ? rates
        : rates.stream()
            .map(r -> r.instances() == 0 ? new Rate(r.perSecond(), instances) : r)
            .toList();
    boolean serving = ep.state() == State.IN_SERVICE && mp.polling();
    if (!serving) {
      return new DrainMeter(null, 0, counted);
    }
    if (since == null) {
      long waiting = q.visible() + q.delayed();
      return new DrainMeter(waiting > 0 ? now : null, waiting > 0 ? waiting : 0, counted);
    }
    if (!q.idle()) {
      return new DrainMeter(since, images, counted);
    }
    double seconds = Duration.between(since, now).toMillis() / 1000.0;
    if (images < MIN_IMAGES || seconds <= 0 || instances == 0) {
      return new DrainMeter(null, 0, counted);
    }
    List<Rate> all = new ArrayList<>(counted);
    all.add(new Rate(images / seconds, instances));
    return new DrainMeter(
        null, 0, all.subList(Math.max(0, all.size() - LearnedTimes.HISTORY), all.size()));
  }

  /**
   * The rate a budget plans with for an endpoint of {@code instances} instances: the median of the rates measured on
   * that count (each already a lower bound of the true one); without one, the median of the others, each on
   * {@code instances} ({@link Rate#on}); {@link #DEFAULT_PER_SECOND} per instance without a measurement. A drain timed
   * on the count itself says more than any scaled one, so the first drain after a change of the count replaces them.
   */
  public double expectedPerSecond(int instances) {
    if (instances < 1) {
      throw new IllegalArgumentException(
          "an endpoint serves on at least 1 instance, got " + instances);
    }
    if (rates.isEmpty()) {
      return DEFAULT_PER_SECOND * instances;
    }
    List<Rate> same = rates.stream()
        .filter(r -> r.instances() == instances || r.instances() == 0)
        .toList();
    List<Double> sorted = new ArrayList<>();
    for (Rate r : same.isEmpty() ? rates : same) {
      sorted.add(r.on(instances));
    }
    sorted.sort(null);
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** Whether a rate was measured on {@code instances} (or read without a count): the plan is not a scaled one. */
  public boolean measuredOn(int instances) {
    return rates.stream().anyMatch(r -> r.instances() == instances || r.instances() == 0);
  }

  /**
   * How long {@code waiting} messages take on {@code instances} instances at {@link #expectedPerSecond}, rounded up.
   */
  public Duration drain(long waiting, int instances) {
    return Duration.ofSeconds((long) Math.ceil(waiting / expectedPerSecond(instances)));
  }
}
