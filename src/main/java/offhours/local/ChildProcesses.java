package offhours.local;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import offhours.local.sagemaker.ProcessRecorder;

/**
 * The processes outside this JVM that the stack started and that still run (npm and node while its first start fetches
 * the default model, moto_server from the start, each endpoint's container command from its create or wake until it
 * stops), in one place. A process is recorded when it starts and forgotten when it ends, whoever ends it (the stack closing, the local SageMaker stopping or replacing an
 * endpoint, the process itself), and every change is told to the state file's writer ({@link StateFileKeeper}): the
 * file names, at any moment, what {@code local stop} must end should the stack's own process be killed outright, and
 * never a process that has ended (its id may be another program's by then).
 */
final class ChildProcesses implements ProcessRecorder {
  /** A recorded process and what the user knows it as. */
  private record Running(String name, ProcessHandle process) {}

  /** Guarded by this; in the order they started, as {@code local stop} names them. */
  private final List<Running> running = new ArrayList<>();

  /** Guarded by this: the stack stops before it is up, and ends at once what its start-up still starts. */
  private boolean refusing;

  private volatile Runnable onChange = () -> {};

  @Override
  public void started(String name, ProcessHandle process) {
    boolean refused;
    synchronized (this) {
      refused = refusing;
      if (!refused) {
        running.add(new Running(name, process));
      }
    }
    if (refused) {
      // Just started: nothing it forked has had time to matter, and no one waits for it.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      return;
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

  /**
   * From now on a process told {@link #started} is ended at once instead of recorded (the stack is stopping before it
   * was up, and its JVM exits before its start-up could end it); returns what is recorded, for the caller to end.
   */
  List<ChildProcess> refuseFromNowOn() {
    synchronized (this) {
      refusing = true;
    }
    return recorded();
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
