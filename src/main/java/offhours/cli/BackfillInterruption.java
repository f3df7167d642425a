package offhours.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * What a backfill stopped by Ctrl-C or SIGTERM says on its way out: how many notifications this run sent and that the
 * same command goes on after the checkpoint. A shutdown hook, as the JVM runs it for those signals and then exits as
 * they do (130, 143); nothing of the backfill's needs stopping first, since the checkpoint is written after every send
 * (unlike the local stack's {@link StopSignals}).
 */
final class BackfillInterruption implements AutoCloseable {
  private final PrintStream err;
  private final LongSupplier sent;
  private final Path checkpoint;
  private final Thread hook;

  private BackfillInterruption(PrintStream err, LongSupplier sent, Path checkpoint) {
    this.err = err;
    this.sent = sent;
    this.checkpoint = checkpoint;
    this.hook = new Thread(this::report, "backfill-interrupted");
  }

  /** Says {@link #report} if the JVM ends before {@link #close}. */
  static BackfillInterruption watch(PrintStream err, LongSupplier sent, Path checkpoint) {
    BackfillInterruption watch = new BackfillInterruption(err, sent, checkpoint);
    Runtime.getRuntime().addShutdownHook(watch.hook);
    return watch;
  }

  /** The line for a run stopped after {@code sent} sends. */
  static String message(long sent, Path checkpoint) {
    return "offhours: backfill interrupted after " + Format.plural(sent, "send")
        + " in this run; run the same command again to resume after the checkpoint ("
        + checkpoint + "), or add --restart to start over";
  }

  void report() {
    err.println(message(sent.getAsLong(), checkpoint));
    err.flush();
  }

  /** The run ended on its own: its summary says the rest. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting (System.exit from elsewhere): the hook says its line
    }
  }
}
