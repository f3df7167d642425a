package offhours.local.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * What the system says of another process, asked again while that process is between two programs. For the moment a
 * process execs, its command line and environment read empty ({@code /proc/PID/cmdline} and {@code environ}) while
 * it still runs a program ({@code /proc/PID/exe}); a launcher such as pyenv's shim execs several times as it starts
 * (bash, then pyenv, then python), and on a loaded machine that moment can last a good part of a second. A read once
 * may land in it: {@code local stop} would miss a process, {@code local status} would show it with no command. A
 * process that runs no program (a kernel thread, a zombie) reads empty too, and is not asked again; one that runs
 * with no environment at all ({@code env -i}) is asked for the whole {@link #PATIENCE}, once for all such.
 */
public final class ProcessReads {
  /** How long a process that reads empty while it runs a program is asked again, at most. */
  static final Duration PATIENCE = Duration.ofSeconds(2);

  /** The pause between two asks. */
  static final Duration PAUSE = Duration.ofMillis(20);

  private ProcessReads() {}

  /**
   * The command line of {@code process}, asked again up to {@link #PATIENCE} while it has none and still runs a
   * program (it is exec'ing); empty when it ended, runs none, or the system does not say.
   */
  public static Optional<String> commandLine(ProcessHandle process) {
    return askedUntil(
            List.of(process),
            p -> p.info().commandLine(),
            (p, command) -> command.isPresent() || !p.isAlive() || !runsAProgram(p))
        .getFirst();
  }

  /**
   * {@code read} of each of {@code processes}, in their order: each read once, then those whose answer is not
   * {@code settled} read again, all of them together, {@link #PAUSE} apart, until every answer is settled or
   * {@link #PATIENCE} has passed (the last answers stand then).
   */
  static <T> List<T> askedUntil(
      List<ProcessHandle> processes,
      Function<ProcessHandle, T> read,
      BiPredicate<ProcessHandle, T> settled) {
    List<T> answers = new ArrayList<>(processes.stream().map(read).toList());
    List<Integer> open = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      if (!settled.test(processes.get(i), answers.get(i))) {
        open.add(i);
      }
    }
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!open.isEmpty() && System.nanoTime() < deadline && pause()) {
      List<Integer> still = new ArrayList<>();
      for (int i : open) {
        answers.set(i, read.apply(processes.get(i)));
        if (!settled.test(processes.get(i), answers.get(i))) {
          still.add(i);
        }
      }
      open = still;
    }
    return answers;
  }

  /** Whether {@code process} runs a program now: a kernel thread, a zombie, an ended process do not. */
  static boolean runsAProgram(ProcessHandle process) {
    try {
      Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "exe"));
      return true;
    } catch (IOException | RuntimeException e) {
      return false; // none, another user's, or no /proc
    }
  }

  /** False when interrupted (the interrupt kept for the caller): then the answers so far stand. */
  private static boolean pause() {
    try {
      Thread.sleep(PAUSE);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
