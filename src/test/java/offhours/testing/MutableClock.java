package offhours.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock the test moves by hand, so timestamps are exact; with a {@code tick} it also moves on by that much at
 * each read, as the system clock does between two reads.
 */
public final class MutableClock extends Clock {
  private final Duration tick;
  private volatile Instant now;

  public MutableClock(Instant start) {
    this(start, Duration.ZERO);
  }

  /** A clock at {@code start} that moves on by {@code tick} at each read (the first read answers start + tick). */
  public MutableClock(Instant start, Duration tick) {
    this.now = start;
    this.tick = tick;
  }

  /** The instant now, without moving a ticking clock. */
  public Instant now() {
    return now;
  }

  public void set(Instant instant) {
    now = instant;
  }

  public void advance(Duration d) {
    now = now.plus(d);
  }

  @Override
  public Instant instant() {
    if (!tick.isZero()) {
      now = now.plus(tick);
    }
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
