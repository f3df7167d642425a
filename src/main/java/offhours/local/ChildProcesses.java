package offhours.local;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import offhours.local.sagemaker.ProcessRecorder;

/**
 * The processes outside this JVM that the running stack started and that still run (moto_server from the start, each
 * endpoint's container command from its create or wake until it stops), in one place. A process is recorded when it
 * starts and forgotten when it ends, whoever ends it (the stack closing, the local SageMaker stopping or replacing an
 * endpoint, the process itself), and every change is told to the state file's writer ({@link StateFileKeeper}): the
 * file names, at any moment, what {@code local stop} must end should the stack's own process be killed outright, and
 * never a process that has ended (its id may be another program's by then).
 */
final class ChildProcesses implements ProcessRecorder {
  /** A recorded process and what the user knows it as. */
  private record Running(String name, ProcessHandle process) {}

  /** Guarded by this; in the order they started, as {@code local stop} names them. */
  private final List<Running> running = new ArrayList<>();

  private volatile Runnable onChange = () -> {};

  @Override
  public void started(String name, ProcessHandle process) {
    synchronized (this) {
      running.add(new Running(name, process));
    }
    // Not on the thread that completes onExit: for a child that is the JDK's process reaper, which
    // should not wait for the state file to be written.
    process.onExit().thenRunAsync(() -> ended(process));
    onChange.run();
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

  /** Tells {@code listener} of every process recorded or forgotten from now on. */
  void onChange(Runnable listener) {
    this.onChange = listener;
  }

  /**
   * Each recorded process that still runs and its descendants as they are now (what a shell or a server forked), by
   * id and start instant; a descendant is named as the process that started it.
   */
  List<ChildProcess> recorded() {
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
