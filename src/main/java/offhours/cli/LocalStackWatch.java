package offhours.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells a long-running command (the page of {@code offhours ui}) that the local stack it serves has stopped: its
 * endpoints and credentials died with it, and a stack started again has others, so the command ends instead of
 * answering every request with "connection refused" until someone notices it still runs.
 */
final class LocalStackWatch implements AutoCloseable {
  private final ScheduledExecutorService timer;

  private LocalStackWatch(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * Runs {@code gone} once, from a daemon thread, when the stack of process {@code pid} that {@code stateFile} names
   * no longer runs (it stopped, or another stack took its place), looking every {@code every}.
   */
  static LocalStackWatch start(Path stateFile, long pid, Duration every, Runnable gone) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "offhours-local-stack-watch");
      t.setDaemon(true);
      return t;
    });
    AtomicBoolean told = new AtomicBoolean();
    timer.scheduleWithFixedDelay(
        () -> {
          if (!stillRuns(stateFile, pid) && told.compareAndSet(false, true)) {
            timer.shutdown();
            gone.run();
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return new LocalStackWatch(timer);
  }

  /** Whether the stack {@code stateFile} names is still process {@code pid}'s. */
  static boolean stillRuns(Path stateFile, long pid) {
    return StackProcess.running(stateFile)
        .map(s -> s.pid() != null && s.pid() == pid)
        .orElse(false);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
