package offhours.endpoint;

import java.time.Instant;

/**
 * The controller's timer: one delayed "run now" for the instant a decision asks for ({@link Decision#nextRunAt}), so a
 * budgeted wake starts at its second rather than at the next minute tick. {@link TimerArming} decides when to send.
 */
public interface RunTimer {

  /**
   * Starts one controller run after {@code delaySeconds} (1 to {@link TimerArming#MAX_DELAY_SECONDS}), for the run
   * wanted at {@code runAt} (which the run logs as its trigger).
   */
  void send(Instant runAt, int delaySeconds);
}
