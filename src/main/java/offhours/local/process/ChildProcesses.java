package offhours.local.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import offhours.local.process.ProcessRecorder.StartRefused;

/**
 * The processes outside this JVM that the stack started and that still run (npm and node while its first start fetches
 * the default model, moto_server from the start, each endpoint's container command from its create or wake until it
 * stops), in one place. A process is started here and recorded in the same step
 * ({@link #start(String, ProcessBuilder)}), and forgotten when it ends, whoever ends it (the stack closing, the local
 * SageMaker stopping or replacing an endpoint, the process itself), and every change is told to the state file's
 * writer ({@code offhours.local.StateFileKeeper}): the file names, at any moment, what {@code local stop} must end
 * should the stack's own process be killed outright, and never a process that has ended (its id may be another
 * program's by then).
 */
public final class ChildProcesses implements ProcessRecorder {
  /** A recorded process and what the user knows it as. */
  private record Running(String name, ProcessHandle process) {}

  /** Guarded by this; in the order they started, as {@code local stop} names them. */
  private final List<Running> running = new ArrayList<>();

  /** Guarded by this: the stack stops before it is up, and its start-up starts nothing more. */
  private boolean refusing;

  private volatile Runnable onChange = () -> {};

  /**
   * What each process started carries in its environment ({@link StackMark}); none for a stack without a state file.
   */
  private final Optional<StackMark> mark;

  /** For a stack without a state file (in-process, tests): its processes carry no mark. */
  public ChildProcesses() {
    this(Optional.empty());
  }

  public ChildProcesses(Optional<StackMark> mark) {
    this.mark = mark;
  }

  /** How a process is started: {@link ProcessBuilder#start()}, or a test's, which holds it between fork and return. */
  @FunctionalInterface
  interface Spawn {
    Process start() throws IOException;
  }

  @Override
  public Process start(String name, ProcessBuilder builder) throws IOException {
    mark.ifPresent(m -> m.putInto(builder.environment()));
    return start(name, builder::start);
  }

  /**
   * Starts a process with {@code spawn} and records it under the same lock that {@link #refuseFromNowOn} takes: a stop
   * that asks what runs while a process is being started waits for it and gets it in its answer, and once the stop
   * has asked nothing more is started. (Started first and told after, a process the start-up had just forked was in
   * no answer; the stop ended the rest and the JVM exited, and it ran on, its parent gone.)
   */
  Process start(String name, Spawn spawn) throws IOException {
    Process process;
    synchronized (this) {
      if (refusing) {
        throw new StartRefused(name);
      }
      process = spawn.start();
      running.add(new Running(name, process.toHandle()));
    }
    ProcessHandle handle = process.toHandle();
    // Not on the thread that completes onExit: for a child that is the JDK's process reaper, which
    // should not wait for the state file to be written.
    handle.onExit().thenRunAsync(() -> ended(handle));
    onChange.run();
    return process;
  }

  private void ended(ProcessHandle process) {
    boolean forgotten;
    synchronized (this) {
      forgotten = running.removeIf(r -> r.process().equals(process));
    }
    if (forgotten) {
      onChange.run();
    }
  }

  /**
   * From now on no process is started ({@link #start} throws {@link StartRefused}: the stack is stopping before it was
   * up, and its JVM exits before its start-up could end what it started); returns what is recorded, a process being
   * started as this is called included, for the caller to end.
   */
  public List<ChildProcess> refuseFromNowOn() {
    synchronized (this) {
      refusing = true;
    }
    return recorded();
  }

  /** Tells {@code listener} of every process recorded or forgotten from now on. */
  public void onChange(Runnable listener) {
    this.onChange = listener;
  }

  /**
   * Each recorded process that still runs and its descendants as they are now (what a shell or a server forked), by
   * id and start instant; a descendant is named as the process that started it.
   */
  public List<ChildProcess> recorded() {
    List<Running> now;
    synchronized (this) {
      now = List.copyOf(running);
    }
    return now.stream()
        .flatMap(r -> Stream.concat(Stream.of(r.process()), r.process().descendants())
            .filter(ProcessHandle::isAlive)
            .flatMap(p -> ChildProcess.of(r.name(), p).stream()))
        .toList();
  }
}
