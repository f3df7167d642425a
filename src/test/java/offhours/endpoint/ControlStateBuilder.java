package offhours.endpoint;

import java.time.Instant;
import java.util.List;
import offhours.stack.Hosting;

/**
 * A {@link ControlState} for tests, field by field: version 1, last action "NONE", and every other field as in
 * {@link ControlState#INITIAL} until a test sets it. The record's constructor takes twenty values by position; a test
 * that cares about three of them names those three.
 */
public final class ControlStateBuilder {
  private final StateCopy state = new StateCopy(ControlState.INITIAL);

  private ControlStateBuilder() {
    state.version = 1;
    state.lastAction = "NONE";
  }

  public static ControlStateBuilder controlState() {
    return new ControlStateBuilder();
  }

  public ControlStateBuilder version(long version) {
    state.version = version;
    return this;
  }

  public ControlStateBuilder override(ControlState.Override override) {
    state.override = override;
    return this;
  }

  public ControlStateBuilder idleSince(Instant since) {
    state.idleSince = since;
    return this;
  }

  public ControlStateBuilder backlogSince(Instant since) {
    state.backlogSince = since;
    return this;
  }

  public ControlStateBuilder scheduleOpen(boolean open) {
    state.scheduleOpen = open;
    return this;
  }

  /** The last run that claimed a step, at {@code at}, and whether the endpoint was billing after it. */
  public ControlStateBuilder lastRun(Instant at, boolean billing) {
    state.lastRunAt = at;
    state.billing = billing;
    return this;
  }

  public ControlStateBuilder billing(boolean billing) {
    state.billing = billing;
    return this;
  }

  /** {@code count} creates that ended in Failed in a row, and the back-off: no create before {@code notBefore}. */
  public ControlStateBuilder createFailures(int count, Instant notBefore) {
    state.createFailures = count;
    state.createNotBefore = notBefore;
    return this;
  }

  public ControlStateBuilder lastAction(String action) {
    state.lastAction = action;
    return this;
  }

  public ControlStateBuilder wakeSeconds(List<Long> seconds) {
    state.wakeSeconds = seconds;
    return this;
  }

  public ControlStateBuilder drain(DrainMeter meter) {
    state.drain = meter;
    return this;
  }

  public ControlStateBuilder arrivals(Arrivals arrivals) {
    state.arrivals = arrivals;
    return this;
  }

  public ControlStateBuilder stopSeconds(List<Long> seconds) {
    state.stopSeconds = seconds;
    return this;
  }

  public ControlStateBuilder stopIssuedAt(Instant at) {
    state.stopIssuedAt = at;
    return this;
  }

  /** A stop the controller began at {@code since}: the first run that wanted the endpoint off. */
  public ControlStateBuilder stoppingSince(Instant since) {
    state.stoppingSince = since;
    return this;
  }

  /** A wake the controller issued at {@code at}, its trigger not yet seen polling. */
  public ControlStateBuilder wakeIssuedAt(Instant at) {
    state.wakeIssuedAt = at;
    return this;
  }

  /**
   * The drain rates measured so far, oldest first (images per second), without their instance count, as an item
   * written before counts were recorded: measured on whatever count the reader runs with.
   */
  public ControlStateBuilder drainRates(List<Double> perSecond) {
    return drainRatesOn(0, perSecond);
  }

  /** The drain rates measured so far on {@code instances} instances, oldest first (images per second). */
  public ControlStateBuilder drainRatesOn(int instances, List<Double> perSecond) {
    state.drain = new DrainMeter(
        null, 0, perSecond.stream().map(r -> new DrainMeter.Rate(r, instances)).toList());
    return this;
  }

  public ControlStateBuilder timerAt(Instant at) {
    state.timerAt = at;
    return this;
  }

  /** The hosting the learned times belong to (null: a state written before it was recorded). */
  public ControlStateBuilder hosting(Hosting hosting) {
    state.hosting = hosting;
    return this;
  }

  public ControlState build() {
    return state.build();
  }
}
