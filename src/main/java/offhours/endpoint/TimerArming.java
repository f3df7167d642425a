package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import offhours.inference.AwsFailures;

/**
 * Arms the {@link RunTimer} after a run, for the instant its decision asks for ({@link Decision#nextRunAt}).
 *
 * <p>The rule ({@link #delaySeconds}): send one message with DelaySeconds = the whole seconds until that instant,
 * rounded up, when the instant is ahead and at most {@link #MAX_DELAY_SECONDS} away (SQS's longest delay), and only if
 * no timer is armed for an instant at or before it that is still ahead. The armed instant is kept in the control
 * state ({@link ControlState#timerAt}), claimed with the same conditional write as a step, so however many runs ask
 * for one instant (ticks, state changes, overlapping runs) one message is sent for it. A farther instant is left to
 * the minute tick, which arms it once it is within reach. A timer that cannot be armed only costs precision: the tick
 * still runs, so nothing here fails a run.
 */
public final class TimerArming {

  /** SQS's longest DelaySeconds (15 minutes). */
  public static final long MAX_DELAY_SECONDS = 900;

  private static final String SEND = "SendMessage to the timer queue";
  private static final String STATE = "the control state's read or write";

  private final ControlStore store;
  private final RunTimer timer;

  public TimerArming(ControlStore store, RunTimer timer) {
    this.store = Objects.requireNonNull(store, "store");
    this.timer = Objects.requireNonNull(timer, "timer");
  }

  /**
   * The delay of the message to send for a run wanted at {@code wanted}, when the timer is armed for {@code armed}
   * (null: none), or empty when none is to be sent (nothing wanted, wanted now or before, too far ahead for one
   * message, or an armed timer fires at or before it).
   */
  public static OptionalLong delaySeconds(Instant wanted, Instant armed, Instant now) {
    if (wanted == null || !wanted.isAfter(now)) {
      return OptionalLong.empty();
    }
    if (armed != null && armed.isAfter(now) && !armed.isAfter(wanted)) {
      return OptionalLong.empty();
    }
    Duration until = Duration.between(now, wanted);
    long seconds = until.toSeconds() + (until.toNanosPart() > 0 ? 1 : 0);
    return seconds > MAX_DELAY_SECONDS ? OptionalLong.empty() : OptionalLong.of(seconds);
  }

  /**
   * Arms the timer for {@code decision}'s next run if the rule says so, and says what it did for the run's log; never
   * throws.
   */
  public String arm(Decision decision, Instant now) {
    return arm(decision, now, new ArrayList<>());
  }

  /**
   * As above; what AWS itself answered a call that failed goes to {@code awsSaid}, for the run's log line only (it may
   * name the account; what this returns is shown by the function's answer and must not).
   */
  public String arm(Decision decision, Instant now, List<String> awsSaid) {
    Instant wanted = decision.nextRunAt();
    if (wanted == null) {
      return "no timer wanted";
    }
    try {
      for (int attempt = 0; attempt < 3; attempt++) {
        ControlState current = store.load().orElse(ControlState.INITIAL);
        OptionalLong delay = delaySeconds(wanted, current.timerAt(), now);
        if (delay.isEmpty()) {
          return why(wanted, current.timerAt(), now);
        }
        ControlState armed = current.withTimerAt(wanted).withVersion(current.version() + 1);
        if (!store.save(armed, current.version())) {
          continue; // another run wrote in between: decide again on what it wrote
        }
        try {
          timer.send(wanted, (int) delay.getAsLong());
          return "timer armed for " + wanted + " (DelaySeconds " + delay.getAsLong() + ")";
        } catch (RuntimeException e) {
          ClaimedStep.answerTo(SEND, e, awsSaid);
          // Let a later run arm it again; if another run wrote meanwhile, its own arming stands.
          store.save(
              armed.withTimerAt(current.timerAt()).withVersion(armed.version() + 1),
              armed.version());
          return "timer for " + wanted + " not armed, the minute tick runs instead: "
              + AwsFailures.words(SEND, QuotaRefusal.CALLER, e);
        }
      }
      return "timer for " + wanted
          + " not armed: the control state kept changing; the minute tick runs instead";
    } catch (RuntimeException e) {
      ClaimedStep.answerTo(STATE, e, awsSaid);
      return "timer for " + wanted + " not armed, the minute tick runs instead: "
          + AwsFailures.words(STATE, QuotaRefusal.CALLER, e);
    }
  }

  private static String why(Instant wanted, Instant armed, Instant now) {
    if (!wanted.isAfter(now)) {
      return "next run " + wanted + " is due now";
    }
    if (armed != null && armed.isAfter(now) && !armed.isAfter(wanted)) {
      return "timer already armed for " + armed;
    }
    return "next run " + wanted + " is more than " + MAX_DELAY_SECONDS
        + " s ahead; a later tick arms it";
  }
}
