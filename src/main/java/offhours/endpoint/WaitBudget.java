package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import offhours.units.Shown;

/**
 * MAX_WAIT_MINUTES: the longest an upload may wait for its result, counted from when working hours let it be served
 * (its upload inside working hours, else the next opening); or {@code next-opening}: classified by the start of the
 * next working period after its upload. 0 switches the budget off: inside working hours anything waiting starts the
 * endpoint at once and IDLE_STOP_MINUTES decides when it stops (the behaviour before the budget).
 *
 * @param max the budget; {@link Duration#ZERO} when off or {@code nextOpening}
 */
public record WaitBudget(Duration max, boolean nextOpening) {

  /** The longest budget: SQS keeps a message 14 days. */
  public static final int MAX_MINUTES = 14 * 24 * 60;

  public static final WaitBudget OFF = new WaitBudget(Duration.ZERO, false);

  public static WaitBudget minutes(long minutes) {
    return new WaitBudget(Duration.ofMinutes(minutes), false);
  }

  /**
   * "60", "0" (off) or "next-opening"; the message names the setting and the format. Blank is refused: the callers
   * know the default (the controller's is offhours.stack.FunctionVariables').
   */
  public static WaitBudget parse(String name, String raw) {
    String text = raw == null ? "" : raw.strip();
    if (text.equals("next-opening")) {
      return new WaitBudget(Duration.ZERO, true);
    }
    if (!text.matches("0|[1-9]\\d{0,4}") || Long.parseLong(text) > MAX_MINUTES) {
      throw new IllegalArgumentException(
          name + " '" + Shown.value(raw) + "' is not a number of minutes 0.." + MAX_MINUTES
              + " (0: no budget, serve at once inside working hours) or next-opening");
    }
    return minutes(Long.parseLong(text));
  }

  public boolean off() {
    return !nextOpening && max.isZero();
  }

  /**
   * When an upload that arrived at {@code upload} is due: by the budget after it (inside working hours) or after the
   * next opening; with next-opening, at the start of the next working period after it. Empty when working hours never
   * open again (with "" or "24/7", next-opening has no period to wait for).
   */
  public Optional<Instant> due(Schedule schedule, Instant upload) {
    if (nextOpening) {
      Optional<Instant> change = schedule.nextChange(upload);
      if (change.isEmpty()) {
        return Optional.empty();
      }
      return schedule.isOpen(upload) ? schedule.nextChange(change.get()) : change;
    }
    return schedule.nextOpening(upload).map(open -> open.plus(max));
  }

  @Override
  public String toString() {
    return nextOpening ? "next-opening" : off() ? "off" : max.toMinutes() + " min";
  }
}
