package offhours.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@code /proc/PID/environ} (Linux); where that is missing, or not readable, nothing is found by the mark.
 *
 * @param value {@code PID@STARTED}
 */
public record StackMark(String value) {
  /** The environment variable that carries the mark. */
  public static final String VARIABLE = "OFFHOURS_STACK";

  /** The mark of the stack that runs in {@code stack}, as its state file names it; empty without a start instant. */
  static Optional<StackMark> of(ProcessHandle stack) {
    return stack
        .info()
        .startInstant()
        .map(Instant::toString)
        .map(started -> new StackMark(stack.pid() + "@" + started));
  }

  /** The mark of the stack {@code state} names; empty for a file without its process or start instant. */
  public static Optional<StackMark> of(StateFile state) {
    return state.pid() == null || state.started() == null
        ? Optional.empty()
        : Optional.of(new StackMark(state.pid() + "@" + state.started()));
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
   * live process read empty is read again, all of them together, up to {@value #REREADS} times {@link #REREAD_PAUSE}
   * apart; a process that keeps none (a kernel thread) costs those pauses once, whatever their number.
   */
  public static List<ProcessHandle> carrying(String variable, String value) {
    String entry = variable + "=" + value;
    List<ProcessHandle> found = new ArrayList<>();
    List<ProcessHandle> toRead = ProcessHandle.allProcesses().toList();
    for (int read = 0; read <= REREADS && !toRead.isEmpty(); read++) {
      if (read > 0) {
        pause();
      }
      List<ProcessHandle> readEmpty = new ArrayList<>();
      for (ProcessHandle p : toRead) {
        Optional<List<String>> environment = environment(p);
        if (environment.isEmpty()) {
          continue; // ended meanwhile, another user's, or no /proc: not found by the mark
        }
        if (environment.get().isEmpty()) {
          readEmpty.add(p);
        } else if (environment.get().contains(entry)) {
          found.add(p);
        }
      }
      toRead = readEmpty.stream().filter(ProcessHandle::isAlive).toList();
    }
    return found.stream().filter(ProcessHandle::isAlive).toList();
  }

  /** How many times a live process whose environment read empty is read again. */
  static final int REREADS = 5;

  /** The pause before each of those reads. */
  static final Duration REREAD_PAUSE = Duration.ofMillis(20);

  private static void pause() {
    try {
      Thread.sleep(REREAD_PAUSE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The entries of {@code process}'s environment (none while it execs); empty when it cannot be read. */
  private static Optional<List<String>> environment(ProcessHandle process) {
    try {
      byte[] environ =
          Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
      return Optional.of(
          environ.length == 0
              ? List.of()
              : Arrays.asList(new String(environ, StandardCharsets.UTF_8).split("\0")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
