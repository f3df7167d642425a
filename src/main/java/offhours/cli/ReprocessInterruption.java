package offhours.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.units.Plurals;

/**
 * What a reprocess stopped by Ctrl-C or SIGTERM says on its way out: nothing was sent, while it still read the
 * results; else how many of the object versions it selected it had sent to the queue. Its listing is printed once
 * every send is done, so without this line an interrupted run said nothing of what it had sent. A {@link StopNotice},
 * as {@link BackfillInterruption}'s is.
 *
 * <p>A reprocess keeps no checkpoint: the same command selects again, and an object version it sends twice is a second
 * delivery, which changes nothing under the same model and settings (offhours.results.ResultsTable).
 */
final class ReprocessInterruption implements AutoCloseable {
  private final PrintStream err;
  private StopNotice notice;
  private final AtomicInteger sent = new AtomicInteger();
  /** How many object versions were selected, -1 while the results are still read. */
  private volatile int selected = -1;

  private ReprocessInterruption(PrintStream err) {
    this.err = err;
  }

  /** Says {@link #report} if the JVM ends before {@link #close}. */
  static ReprocessInterruption watch(PrintStream err) {
    ReprocessInterruption watch = new ReprocessInterruption(err);
    watch.notice = StopNotice.watch("reprocess-interrupted", watch::report);
    return watch;
  }

  /** The results are read: {@code count} object versions are to be sent. */
  void selected(int count) {
    selected = count;
  }

  /** SQS took {@code count} more of them. */
  void sent(int count) {
    sent.addAndGet(count);
  }

  /** The line for a run stopped with {@code sent} of {@code selected} sent ({@code selected} -1: still reading). */
  static String message(int selected, int sent) {
    if (selected < 0) {
      return "offhours: reprocess interrupted while it read the results: nothing was sent to the queue";
    }
    String done = "offhours: reprocess interrupted after sending " + sent + " of "
        + Plurals.of(selected, "object version") + " to the queue";
    return sent >= selected
        ? done + ": all of them"
        : done
            + "; the rest were not sent: run the same command again (an object version it sends twice is"
            + " classified twice, which changes nothing under the same model and settings)";
  }

  /** Says where the run stands, once. */
  void report() {
    err.println(message(selected, sent.get()));
    err.flush();
  }

  /** The run ended on its own: its listing and summary say the rest. */
  @Override
  public void close() {
    notice.close();
  }
}
