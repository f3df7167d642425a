package offhours.local.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every process a stack starts carries in its environment ({@value #VARIABLE}={@code PID@STARTED}, the stack's
 * process id and start instant as its state file records them), from its start on, and passes on to what it forks.
 * The state file names the stack before the stack starts anything, so a stack killed outright ({@code kill -9}) in the
 * moment between starting a process and recording it leaves none that {@code local stop} cannot find: it finds
 * processes by their {@link ChildProcess record}, and by this mark those that were never recorded.
 *
 * <p>A mark names one stack only: a later process with the same id has another start instant. Read from
 * {@code /proc/PID/environ} (Linux, {@link ProcessEnvironment}); where that is missing, or not readable, nothing is
 * found by the mark. The local SageMaker reads it too: a container command's {@code /ping} answered by a process with
 * another stack's mark is not believed.
 *
 * @param value {@code PID@STARTED}
 */
public record StackMark(String value) {
  /** The environment variable that carries the mark. */
  public static final String VARIABLE = ProcessRecorder.MARK;

  /** The mark of the stack that runs in {@code stack}, as its state file names it; empty without a start instant. */
  public static Optional<StackMark> of(ProcessHandle stack) {
    return stack
        .info()
        .startInstant()
        .map(Instant::toString)
        .map(started -> new StackMark(stack.pid() + "@" + started));
  }

  /** Marks a process about to be started with this environment. */
  void putInto(Map<String, String> environment) {
    environment.put(VARIABLE, value);
  }

  /** The live processes that carry this mark, in no particular order. */
  public List<ProcessHandle> running() {
    return carrying(VARIABLE, value);
  }

  /**
   * The live processes whose environment has {@code variable=value} (exactly that entry). A process reads with no
   * environment for the moment it execs (a launcher such as pyenv's shim execs several times as it starts), so each
   * one read so while it runs a program is read again, all of them together ({@link ProcessReads}); one that runs
   * none (a kernel thread, a zombie) is not.
   */
  public static List<ProcessHandle> carrying(String variable, String value) {
    String entry = variable + "=" + value;
    List<ProcessHandle> all = ProcessHandle.allProcesses().toList();
    List<Optional<List<String>>> environments = ProcessReads.askedUntil(
        all,
        ProcessEnvironment::of,
        (p, environment) -> environment.map(e -> !e.isEmpty()).orElse(false)
            || !ProcessReads.runsAProgram(p)); // ended meanwhile, another user's, or no /proc
    List<ProcessHandle> found = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (environments.get(i).map(e -> e.contains(entry)).orElse(false)) {
        found.add(all.get(i));
      }
    }
    return found.stream().filter(ProcessHandle::isAlive).toList();
  }
}
