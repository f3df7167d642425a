package offhours.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The one writer of a running stack's state file, which keeps it true from its first write until the stack stops: a
 * process the stack starts or that ends in between ({@link ChildProcesses}) rewrites it, so that {@code local stop}
 * after a {@code kill -9} finds every process to end and none that has ended.
 *
 * <p>Only the stack's own process writes the file ({@code local run}, which holds the stack's lock; other commands read
 * it, or delete it once its stack is gone). Within that process writes come from several threads (a container starts
 * on one of the local SageMaker's, ends on another), so they take turns, and each writes what is true when it runs:
 * the last write is never the older state. Each write is atomic ({@link StateFile#write}), so a reader never sees half
 * a file.
 */
public final class StateFileKeeper {
  private final Path file;
  private final Supplier<StateFile> state;
  private final PrintStream err;

  /** Guarded by this: the stack is up (the file was written once), and has not stopped (the file was removed). */
  private boolean written;

  private boolean removed;

  StateFileKeeper(Path file, Supplier<StateFile> state, PrintStream err) {
    this.file = Objects.requireNonNull(file, "file");
    this.state = Objects.requireNonNull(state, "state");
    this.err = Objects.requireNonNull(err, "err");
  }

  /**
   * Writes the file, once the stack is up (its presence tells {@code local start} so), and keeps it from then on;
   * after {@link #remove()} writes nothing. Returns the state, written or not.
   */
  public synchronized StateFile write() throws IOException {
    StateFile now = state.get();
    if (!removed) {
      now.write(file);
      written = true;
    }
    return now;
  }

  /** What changed is written; nothing before the first {@link #write()} or after {@link #remove()}. */
  synchronized void changed() {
    if (!written || removed) {
      return;
    }
    try {
      state.get().write(file);
    } catch (IOException | RuntimeException e) {
      err.println("could not record the local stack's processes in " + file + " (" + e
          + "); should the stack be killed outright, 'local stop' may not find them all");
    }
  }

  /**
   * Deletes the file and never writes it again: the stack is stopping, and the processes it ends now must not bring
   * back a file that says it runs.
   */
  public synchronized void remove() throws IOException {
    removed = true;
    Files.deleteIfExists(file);
  }
}
