package offhours.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The cleanup's clock and pause in tests: time moves only by the pauses the code under test takes, each one recorded,
 * and after each the {@code meanwhile} hook hears how long has been waited so far (what SageMaker does meanwhile). Public
 * for the stack-delete cleanup's tests ({@code offhours.endpoint.cfn}); its pause there is {@code time::sleep}.
 */
public final class PausedTime extends Clock {
  /** The pauses taken, in order. */
  public final List<Duration> pauses = new CopyOnWriteArrayList<>();

  private volatile Instant now;
  private volatile Consumer<Duration> meanwhile = waited -> {};

  public PausedTime(Instant start) {
    this.now = start;
  }

  /** Runs {@code hook} after each pause with the time waited so far. */
  public void meanwhile(Consumer<Duration> hook) {
    this.meanwhile = hook;
  }

  /** The pauses' sum. */
  public Duration waited() {
    return pauses.stream().reduce(Duration.ZERO, Duration::plus);
  }

  /** Moves the clock on by {@code duration} without a pause: a call of the code under test that took that long. */
  public void pass(Duration duration) {
    now = now.plus(duration);
  }

  /** A pause of the code under test ({@code time::sleep} is the cleanup's {@code Pause}). */
  public void sleep(Duration duration) {
    pauses.add(duration);
    now = now.plus(duration);
    meanwhile.accept(waited());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the cleanup reads instants only");
  }

  @Override
  public Instant instant() {
    return now;
  }
}
