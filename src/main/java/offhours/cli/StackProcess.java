package offhours.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import offhours.local.StateFile;

/**
 * The background process of {@code local start}: starts {@code offhours local run} detached from the terminal,
 * tells whether the process a state file names still runs, and ends it.
 */
final class StackProcess {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  /** A stack that answers, and the log of its process. */
  record Started(StateFile state, Path log) {}

  private StackProcess() {}

  /** The state file's stack if its process runs; empty when there is none or it has exited. */
  static Optional<StateFile> running(Path stateFile) {
    if (!Files.isRegularFile(stateFile)) {
      return Optional.empty();
    }
    try {
      StateFile state = StateFile.read(stateFile);
      boolean alive = state.pid() != null && ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false);
      return alive ? Optional.of(state) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // half-written by a start that is still running: not up yet
    }
  }

  /**
   * Runs {@code offhours local run OPTIONS} in a new JVM with the same class path, its output in
   * {@code local/logs/stack.log}, and returns once it has written the state file.
   */
  static Started startInBackground(Path cache, List<String> options) throws IOException, InterruptedException {
    Path stateFile = StateFile.path(cache);
    Files.deleteIfExists(stateFile);
    Path logs = Files.createDirectories(cache.resolve("local").resolve("logs"));
    Path log = logs.resolve("stack.log");
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "local", "run"));
    command.addAll(options);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().put("OFFHOURS_CACHE", cache.toString());
    Process child = pb.start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<StateFile> state = running(stateFile);
      if (state.isPresent() && state.get().pid() == child.pid()) {
        return new Started(state.get(), log);
      }
      if (!child.isAlive()) {
        throw CliException.failure("the local stack did not start (exit code " + child.exitValue() + "):\n"
            + tail(log, 15));
      }
      Thread.sleep(200);
    }
    child.destroy();
    throw CliException.failure("the local stack did not start within " + START_TIMEOUT.toMinutes() + " minutes; see "
        + log);
  }

  /** Asks the stack's process to stop (its shutdown hook stops every service), then forces it after a grace period. */
  static void stop(StateFile state) throws InterruptedException {
    Optional<ProcessHandle> found = ProcessHandle.of(state.pid());
    if (found.isEmpty()) {
      return;
    }
    ProcessHandle process = found.get();
    process.destroy();
    try {
      process.onExit().get(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      process.destroyForcibly();
    }
  }

  private static String tail(Path log, int lines) throws IOException {
    List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
