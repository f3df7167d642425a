package offhours.local.process;

import java.io.IOException;

/**
 * Starts every process the local stack runs outside its JVM (moto_server, npm and node, the container command's shell
 * at each endpoint create and wake) and records it in the same step, so that whoever runs the stack can end it should
 * this JVM be killed outright ({@code kill -9}, an out-of-memory kill) and never close it: nothing else knows the
 * process then. The recorder notices by itself when the process ends ({@link ProcessHandle#onExit()}), so every way a
 * process stops, here or on its own, is covered.
 *
 * <p>One step, not "start, then tell": a stack stopped while it starts asks the recorder what runs, ends that, and
 * exits; a process started but not yet told would be in no answer, and would outlive the stack with nothing that
 * knows it.
 */
@FunctionalInterface
public interface ProcessRecorder {
  /**
   * The variable with which a stack's recorder marks every process it starts ({@code PID@STARTED}, the stack's:
   * {@link StackMark}), passed on to what the process forks.
   */
  String MARK = "OFFHOURS_STACK";

  /** Records nothing: the default, for a service whose JVM ends only through its own close. */
  ProcessRecorder NONE = (name, builder) -> builder.start();

  /**
   * Starts {@code builder}'s process, known as {@code name} ("container of endpoint offhours-endpoint"), and records
   * it before anyone can ask what runs; returns it as {@link ProcessBuilder#start()} does.
   *
   * @throws StartRefused when the stack is stopping: nothing is started
   * @throws IOException when the process could not be started
   */
  Process start(String name, ProcessBuilder builder) throws IOException;

  /** The stack is stopping and starts nothing more: no process was started, and a retry would be refused too. */
  final class StartRefused extends IOException {
    private static final long serialVersionUID = 1L;

    public StartRefused(String name) {
      super("the local stack is stopping: " + name + " was not started");
    }
  }
}
