package offhours.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import offhours.local.process.ChildProcess;
import offhours.local.process.ChildProcesses;
import offhours.local.process.ProcessRecorder;
import offhours.local.process.StackMark;

/**
 * The one writer of a stack's state file, which keeps it true from the moment the stack starts until it stops: a
 * process the stack starts or that ends in between ({@link ChildProcesses}) rewrites it, so that {@code local stop}
 * after a {@code kill -9} finds every process to end and none that has ended, also when the stack was killed while it
 * started (moto_server during provisioning, npm and node during the first model download).
 *
 * <p>The file is {@linkplain StateFile#stillStarting() starting} until {@link #up}: it names the process and its
 * children only, and no command takes it for a stack to work with; from {@link #up} on it has the stack's services and
 * names (its change to up tells {@code local start} the stack is up).
 *
 * <p>Only the stack's own process writes the file ({@code local run}, which holds the stack's lock; other commands read
 * it, or delete it once its stack is gone). Within that process writes come from several threads (a container starts
 * on one of the local SageMaker's, ends on another), so they take turns, and each writes what is true when it runs:
 * the last write is never the older state. Each write is atomic ({@link StateFile#write}), so a reader never sees half
 * a file.
 */
public final class StateFileKeeper {
  private final Path file;
  private final ChildProcesses children;
  private final PrintStream err;

  /** Guarded by this: what the file says now (starting, then up), and whether the stack stopped (file removed). */
  private Supplier<StateFile> state;

  private boolean removed;

  StateFileKeeper(
      Path file, Supplier<StateFile> starting, ChildProcesses children, PrintStream err) {
    this.file = Objects.requireNonNull(file, "file");
    this.state = Objects.requireNonNull(starting, "starting");
    this.children = Objects.requireNonNull(children, "children");
    this.err = Objects.requireNonNull(err, "err");
  }

  /**
   * Writes the starting file of the stack that {@code process} is about to start, and keeps it from now on: every
   * process started through {@link #recorder()} is in it while it runs. Problems writing later go to {@code err}.
   */
  public static StateFileKeeper starting(Path file, ProcessHandle process, PrintStream err)
      throws IOException {
    // The mark names the stack as its file does: what it starts is found by it, recorded or not.
    ChildProcesses children = new ChildProcesses(StackMark.of(process));
    StateFileKeeper keeper = new StateFileKeeper(
        file, () -> StateFile.starting(process, children.recorded()), children, err);
    children.onChange(keeper::changed);
    keeper.write();
    return keeper;
  }

  /** What starts and records each process the stack runs outside its JVM. */
  public ProcessRecorder recorder() {
    return children;
  }

  /** The same, for the stack's wiring, which also reads what runs. */
  ChildProcesses children() {
    return children;
  }

  /** What the stack started and still runs, each with what it forked ({@link ChildProcesses#recorded()}). */
  public List<ChildProcess> running() {
    return children.recorded();
  }

  /**
   * The stack is up: from now on the file is {@code up}'s state (which names the same children), written now and at
   * each change. Returns the state written; after {@link #remove()} nothing is written.
   */
  public synchronized StateFile up(Supplier<StateFile> up) throws IOException {
    this.state = Objects.requireNonNull(up, "up");
    return write();
  }

  /**
   * Writes what is true now, unless the stack has stopped; returns it, written or not. Called at each change of the
   * stack's processes, and after a model update ({@code local update}).
   */
  public synchronized StateFile write() throws IOException {
    StateFile now = state.get();
    if (!removed) {
      now.write(file);
    }
    return now;
  }

  /** What changed is written; nothing after {@link #remove()}. */
  synchronized void changed() {
    try {
      write();
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

  /**
   * The stack stops before it is up, so its own close is not there to end what it started: deletes the file, refuses
   * every process the start-up would start from now on, and returns what runs (a process being started meanwhile
   * included), for the caller to end. A process is either in the answer or never started, never neither.
   */
  public List<ChildProcess> stopStarting() {
    try {
      remove();
    } catch (IOException e) {
      err.println("could not remove the local stack's state file " + file + " (" + e
          + "); 'local stop' removes it");
    }
    return children.refuseFromNowOn();
  }
}
