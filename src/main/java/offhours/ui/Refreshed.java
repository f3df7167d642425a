package offhours.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A value read again once it is older than a time-to-live, when it is next asked for: the page's stack settings,
 * which a deployed stack's update changes and which DescribeStacks reads, an API CloudFormation throttles per account
 * and Region. However many tabs poll, one read per time-to-live at most (a failed read counts too, so a throttled or
 * gone stack is not asked more often). A read that fails keeps the last good value, and the snapshot says since when
 * reads fail and the last failure's words, until a read succeeds. One caller reads at a time; the others meanwhile
 * get the value as it is, none waits for another's read.
 *
 * @param <T> the value
 */
public final class Refreshed<T> {

  /**
   * The value and how fresh it is.
   *
   * @param value the last value read
   * @param readAt when it was read
   * @param failingSince the first of the reads since then that failed, null when the last read succeeded
   * @param failure why the last read failed, null when it succeeded
   */
  public record AsRead<T>(T value, Instant readAt, Instant failingSince, String failure) {

    /** A value read at {@code readAt}, with no failure since. */
    public static <T> AsRead<T> of(T value, Instant readAt) {
      return new AsRead<>(value, readAt, null, null);
    }
  }

  private final Supplier<T> read;
  private final Duration ttl;
  private final Clock clock;
  private final AtomicBoolean reading = new AtomicBoolean();
  private volatile AsRead<T> current;
  private volatile Instant due;

  /**
   * {@code first}, read just now, is read again by {@code read} once {@code ttl} has passed on {@code clock}; {@code
   * read} fails by throwing, with a message that says why in the operator's words.
   */
  public Refreshed(T first, Supplier<T> read, Duration ttl, Clock clock) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("a time-to-live must be positive, got " + ttl);
    }
    this.read = Objects.requireNonNull(read, "read");
    this.ttl = ttl;
    this.clock = clock;
    Instant now = clock.instant();
    this.current = AsRead.of(Objects.requireNonNull(first, "first"), now);
    this.due = now.plus(ttl);
  }

  /** The value: read again first when it is due and no other caller is reading it. */
  public AsRead<T> get() {
    if (clock.instant().isBefore(due) || !reading.compareAndSet(false, true)) {
      return current;
    }
    try {
      Instant now = clock.instant();
      if (now.isBefore(due)) {
        // Another caller read it between this one's look at the time and its turn.
        return current;
      }
      due = now.plus(ttl);
      AsRead<T> last = current;
      try {
        current = AsRead.of(Objects.requireNonNull(read.get(), "a read gave no value"), now);
      } catch (RuntimeException e) {
        current = new AsRead<>(
            last.value(),
            last.readAt(),
            last.failingSince() == null ? now : last.failingSince(),
            e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
      return current;
    } finally {
      reading.set(false);
    }
  }
}
