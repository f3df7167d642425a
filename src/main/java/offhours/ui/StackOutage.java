package offhours.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import offhours.units.Plurals;

/**
 * What the page's server logs of a stack that does not answer: the first read of an outage cut at the page's deadline
 * ({@link PageDeadline}), in the page's words and the SDK's; then nothing while the stack stays hung (a page left open
 * has a read cut every 5 s, as long as the outage lasts); then, once a read answers again, one line saying after how
 * long and how many reads were cut meanwhile. Reads of several tabs and threads count alike.
 */
final class StackOutage {

  private final System.Logger log;
  private final Clock clock;

  /** When the outage's first read was cut; null while the stack answers. */
  private Instant since;

  /** The reads cut since then, the first one among them. */
  private long cut;

  StackOutage(System.Logger log, Clock clock) {
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@code request} ("GET /api/status") had a read cut: logged if it is the first since the stack last answered. */
  synchronized void cut(String request, PageDeadline.CutRead read) {
    cut++;
    if (since != null) {
      return;
    }
    since = clock.instant();
    cut = 1;
    log.log(System.Logger.Level.WARNING, request + ": " + read.words() + ": " + read.sdkWords());
  }

  /** {@code request}'s reads answered: the outage, if there was one, is over, and said so. */
  synchronized void answered(String request) {
    if (since == null) {
      return;
    }
    Duration after = Duration.between(since, clock.instant());
    log.log(
        System.Logger.Level.INFO,
        request + ": the stack answers again, " + said(after)
            + " after the first read the page cut; " + Plurals.of(cut, "read") + " cut in all");
    since = null;
    cut = 0;
  }

  /** "47 s", "12 min 5 s", "3 h 2 min": to the second under an hour. */
  static String said(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min " + s % 60 + " s";
    }
    return s / 3600 + " h " + s % 3600 / 60 + " min";
  }
}
