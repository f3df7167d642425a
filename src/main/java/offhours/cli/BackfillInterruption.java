package offhours.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Supplier;
import offhours.units.Plurals;

/**
 * What a backfill stopped by Ctrl-C or SIGTERM says on its way out: how many notifications this run sent and what the
 * same command does next, as the run's checkpoint says it ({@link BackfillRun#notice}): resume after the checkpoint,
 * start from the beginning (none was written yet), or nothing (the listing reached its end and the checkpoint is
 * removed). A {@link StopNotice}, as the JVM runs it for those signals and then exits as they do; nothing of the
 * backfill's needs stopping first, since the checkpoint is written after every send (unlike the local stack's
 * {@link StopSignals}).
 */
final class BackfillInterruption implements AutoCloseable {
  private final PrintStream err;
  private final Supplier<BackfillRun.Standing> standing;
  private final Path checkpoint;
  private StopNotice notice;

  private BackfillInterruption(
      PrintStream err, Supplier<BackfillRun.Standing> standing, Path checkpoint) {
    this.err = err;
    this.standing = standing;
    this.checkpoint = checkpoint;
  }

  /** Says {@link #report} if the JVM ends before {@link #close}. */
  static BackfillInterruption watch(
      PrintStream err, Supplier<BackfillRun.Standing> standing, Path checkpoint) {
    BackfillInterruption watch = new BackfillInterruption(err, standing, checkpoint);
    watch.notice = StopNotice.watch("backfill-interrupted", watch::report);
    return watch;
  }

  /** The line for a run stopped where it {@code stands}. */
  static String message(BackfillRun.Standing stands, Path checkpoint) {
    String sends = Plurals.of(stands.sent(), "send") + " in this run";
    return "offhours: backfill interrupted "
        + switch (stands.stage()) {
          case CHECKPOINTED ->
            "after " + sends + "; run the same command again to resume after the checkpoint ("
                + checkpoint + "), or add --restart to start over";
          case NO_CHECKPOINT ->
            "after " + sends + ", before its first checkpoint; run the same command again to start"
                + " from the beginning (objects with a result are skipped)";
          case FINISHED ->
            "after the listing reached its end, with " + sends + ": nothing to resume (its"
                + " checkpoint is removed)";
        };
  }

  /** Reads where the run stands, once, and says it. */
  void report() {
    err.println(message(standing.get(), checkpoint));
    err.flush();
  }

  /** The run ended on its own: its summary says the rest. */
  @Override
  public void close() {
    notice.close();
  }
}
