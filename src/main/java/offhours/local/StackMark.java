package offhours.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
   * one read so while it runs a program is read again, all of them together ({@link ProcessReads}); one that runs
   * none (a kernel thread, a zombie) is not.
   */
  public static List<ProcessHandle> carrying(String variable, String value) {
    String entry = variable + "=" + value;
    List<ProcessHandle> all = ProcessHandle.allProcesses().toList();
    List<Optional<List<String>>> environments = ProcessReads.askedUntil(
        all,
        StackMark::environment,
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

  /** Enough for an environment in one read (a larger one takes more). */
  private static final int ENVIRONMENT_BYTES = 1 << 16;

  /**
   * The entries of {@code process}'s environment (none while it execs); empty when it cannot be read. Read in one
   * go: the file reads the memory of the program the process ran when it was opened, and ends where the process
   * exec'd another, so a read in two parts (as {@code Files.readAllBytes} reads a file that says it is empty: a byte,
   * then the rest) got the first byte only, now and then, and missed the mark.
   */
  static Optional<List<String>> environment(ProcessHandle process) {
    Path file = Path.of("/proc", Long.toString(process.pid()), "environ");
    try (FileChannel channel = FileChannel.open(file)) {
      ByteBuffer read = ByteBuffer.allocate(ENVIRONMENT_BYTES);
      while (channel.read(read) > 0 && !read.hasRemaining()) {
        read = ByteBuffer.allocate(read.capacity() * 2).put(read.flip());
      }
      return Optional.of(
          read.position() == 0
              ? List.of()
              : Arrays.asList(new String(read.array(), 0, read.position(), StandardCharsets.UTF_8)
                  .split("\0")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
