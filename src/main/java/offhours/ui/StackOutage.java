package offhours.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import offhours.units.Plurals;
import offhours.units.Shown;

/**
 * What the page's server logs of a stack that does not answer: the first read of an outage cut at the page's deadline
 * ({@link PageDeadline}), or a thumbnail's source S3 stopped sending part-way, in the page's words and the SDK's;
 * then nothing while the stack stays hung (a page left open has a read cut every 5 s, as long as the outage lasts);
 * then, once that read answers again, even with an error of the stack's own (no such object, throttled), one line
 * saying after how long and how many reads were cut meanwhile; a request refused before the stack is asked ends
 * nothing. Each read (its method and route: GET /api/status) has an outage of its own, as each reads services of its
 * own: a stack whose SQS hangs while its DynamoDB answers has status cut and results answered at every poll, and the
 * answered results end nothing of status's outage. Reads of several tabs and threads count alike.
 */
final class StackOutage {

  private final System.Logger log;
  private final Clock clock;

  /** The reads whose outage goes on: when its first read was cut, and how many have been cut since, that one too. */
  private final Map<String, Outage> outages = new HashMap<>();

  private static final class Outage {
    private final Instant since;
    private long cut = 1;

    private Outage(Instant since) {
      this.since = since;
    }
  }

  StackOutage(System.Logger log, Clock clock) {
    this.log = Objects.requireNonNull(log, "log");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@code request} ("GET /api/status") had a read cut: logged if it is the first since that read last answered. */
  synchronized void cut(String request, PageDeadline.CutRead read) {
    Outage going = outages.get(request);
    if (going != null) {
      going.cut++;
      return;
    }
    outages.put(request, new Outage(clock.instant()));
    // Escaped for the terminal the log goes to: the words may quote an object's key.
    log.log(
        System.Logger.Level.WARNING,
        Shown.escaped(request + ": " + read.words() + ": " + read.sdkWords()));
  }

  /** {@code request} answered: its outage, if it had one, is over, and said so. */
  synchronized void answered(String request) {
    Outage ended = outages.remove(request);
    if (ended == null) {
      return;
    }
    Duration after = Duration.between(ended.since, clock.instant());
    log.log(
        System.Logger.Level.INFO,
        request + ": the stack answers again, " + said(after)
            + " after the first read the page cut; " + Plurals.of(ended.cut, "read")
            + " cut in all");
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
