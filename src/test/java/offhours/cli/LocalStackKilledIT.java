// Needs moto_server, node/npm for the first conversion of the default model into the user's
// cache (TestCaches), and python3 for the stand-in model container.
package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import offhours.local.StateFile;
import offhours.local.process.ChildProcess;
import offhours.testing.EnvironmentProcesses;
import offhours.testing.TestCaches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local stack whose own process is killed outright ({@code kill -9}) runs no shutdown hook, so its moto_server and
 * its endpoint's container outlive it; {@code local stop} ends them from the state file's record, also when it was
 * killed while it started. Sends SIGSTOP, SIGCONT and SIGTERM with {@code kill} (procps or coreutils).
 */
class LocalStackKilledIT {
  @TempDir
  Path cache;

  /** src/test/resources/sagemaker/format_container.py: answers labels jpeg and png. */
  private static final Path FORMAT_CONTAINER =
      Path.of("src/test/resources/sagemaker/format_container.py").toAbsolutePath();

  /** How long a wait for the stack may take before the test gives up (a bound, not a measurement). */
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  private static final String CONTAINER = "container of endpoint ";

  private CliRun run(String... args) {
    return CliRun.run(cache, Clock.systemUTC(), () -> null, Commands.all(), args);
  }

  /** What {@code found} finds first: in the state file, or in the processes, as the stack gets there. */
  private static <T> T await(String what, java.util.function.Supplier<Optional<T>> found)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<T> now = found.get();
      if (now.isPresent()) {
        return now.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("gave up waiting for " + what + " after " + PATIENCE);
  }

  /** The state file's record of the endpoint's container, once {@code recorded} says it is there (or gone). */
  private <T> T awaitState(String what, Function<List<ChildProcess>, Optional<T>> recorded)
      throws InterruptedException {
    return await(what, () -> {
      try {
        return recorded.apply(StateFile.read(StateFile.path(cache)).children());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static Optional<ChildProcess> container(List<ChildProcess> children) {
    return children.stream().filter(c -> c.name().startsWith(CONTAINER)).findFirst();
  }

  /** The container's shell and the model server it forked, once that runs. */
  private static List<ProcessHandle> processTree(ProcessHandle shell) throws InterruptedException {
    ProcessHandle server = await(
        "the model server the shell forks",
        () -> shell.descendants().filter(LocalStackKilledIT::isTheModelServer).findFirst());
    return List.of(shell, server);
  }

  /**
   * The python process that serves format_container.py: not the short-lived helpers that pyenv's shim for python3
   * forks, with the same arguments, before it becomes python.
   */
  private static boolean isTheModelServer(ProcessHandle p) {
    return p.info().command().orElse("").contains("python")
        && p.info().commandLine().orElse("").contains("format_container.py");
  }

  /** What the tests of a stack killed while it started end afterwards, by handle: only what they started. */
  private final List<ProcessHandle> mine = new ArrayList<>();

  private ProcessHandle ended(ProcessHandle process) {
    mine.add(process);
    return process;
  }

  /**
   * Ends what the test started, also when it failed before it knew a process: the stack, and every process that
   * names this test's cache as its OFFHOURS_CACHE (what the stack started inherits it, and keeps it once the stack is
   * gone).
   */
  @org.junit.jupiter.api.AfterEach
  void endWhatThisTestStarted() throws java.io.IOException {
    mine.forEach(ProcessHandle::destroyForcibly);
    EnvironmentProcesses.ofCache(cache).forEach(ProcessHandle::destroyForcibly);
    Files.deleteIfExists(cache.resolve("models")); // the link only: the shared models stay
  }

  /**
   * The processes of this test's stack (its environment names this test's cache) that still run once each had
   * {@link #PATIENCE} to end: what the stack was ended or stopped has gone, so these were left behind.
   */
  private List<String> leftRunning() throws InterruptedException {
    List<String> left = new ArrayList<>();
    for (ProcessHandle p : EnvironmentProcesses.ofCache(cache)) {
      try {
        p.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        left.add(p.pid() + " " + p.info().commandLine().orElse("?"));
      }
    }
    return left;
  }

  /** Sends {@code signal} ("STOP", "CONT", "TERM") to {@code process} by its id, as a user's {@code kill} does. */
  private static void signal(ProcessHandle process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertThat(kill.waitFor()).as("kill -%s %s", signal, process.pid()).isZero();
  }

  /**
   * Runs {@code local start} on another thread (it returns once the stack is up, or has failed), and returns the
   * starting state file once it records moto_server: the stack is provisioning.
   */
  private StateFile startUntilMotoServerIsRecorded(
      java.util.concurrent.CompletableFuture<CliRun> start) throws InterruptedException {
    Thread.ofPlatform().daemon().start(() -> {
      try {
        start.complete(run("local", "start"));
      } catch (RuntimeException e) {
        start.completeExceptionally(e);
      }
    });
    return await("moto_server in the state file of the starting stack", () -> {
      try {
        StateFile state = StateFile.read(StateFile.path(cache));
        return state.children().stream().anyMatch(c -> c.name().equals("moto_server"))
            ? Optional.of(state)
            : Optional.empty();
      } catch (java.io.IOException e) {
        return Optional.empty(); // not written yet
      }
    });
  }

  @Test
  void localStopAfterTheStackWasKilledWhileItStartedEndsItsMotoServer() throws Exception {
    TestCaches.sharingTheDefaultModel(cache); // state file and logs of its own, the user's model
    var start = new java.util.concurrent.CompletableFuture<CliRun>();
    StateFile starting = startUntilMotoServerIsRecorded(start);
    ProcessHandle stack = ended(ProcessHandle.of(starting.pid()).orElseThrow());
    signal(stack, "STOP"); // held where it is: still starting
    StateFile held = StateFile.read(StateFile.path(cache));
    assertThat(held.stillStarting()).as("the stack is not up yet").isTrue();
    ProcessHandle moto = ended(held.children().getFirst().stillRunning().orElseThrow());
    // Recorded as it was forked, it may still be exec'ing through pyenv's shim, reading with no
    // command line for a moment at each exec: what it runs is asked until it says.
    await(
        "moto_server's command line",
        () -> Optional.of(moto)
            .filter(p -> p.info().commandLine().orElse("").contains("moto_server")));
    assertThat(run("local", "status").out())
        .startsWith("the local stack is starting (pid " + stack.pid() + ")");

    stack.destroyForcibly(); // SIGKILL: no shutdown hook, no signal handler runs
    assertThat(stack.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive())
        .isFalse();
    assertThat(start.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).err())
        .startsWith("starting the local stack (moto_server, the local SageMaker and the model)"
            + " ...\noffhours: the local stack did not start (exit code 137)");
    assertThat(moto.isAlive()).as("moto_server outlives the killed stack").isTrue();

    CliRun stop = run("local", "stop");

    // moto_server may run behind a launcher (pyenv's shim, whose helpers come and go): what that
    // forked is named as 'local status' lists it (its parent may end as it is read), and a
    // helper whose parent ended before it by the stack's mark.
    String forked = "forked (by pid \\d+|\\(its parent has ended\\))";
    assertThat(stop.out())
        .matches("the local stack is not running; removed its stale state file "
            + Pattern.quote(StateFile.path(cache).toString()) + "; ended moto_server \\(pid "
            + moto.pid() + "\\)(, moto_server, " + forked + " \\(pid \\d+\\))*"
            + "(, [^,]+, not in its state file \\(pid \\d+\\))*, which it had"
            + " started and left running\n");
    assertThat(moto.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive())
        .as("moto_server after local stop")
        .isFalse();
    assertThat(leftRunning())
        .as("what the killed stack started, after local stop")
        .isEmpty();
  }

  @Test
  void aSigtermWhileTheStackStartsEndsWhatItHadStarted() throws Exception {
    TestCaches.sharingTheDefaultModel(cache); // state file and logs of its own, the user's model
    var start = new java.util.concurrent.CompletableFuture<CliRun>();
    StateFile starting = startUntilMotoServerIsRecorded(start);
    ProcessHandle stack = ended(ProcessHandle.of(starting.pid()).orElseThrow());
    ProcessHandle moto = ended(starting.children().getFirst().stillRunning().orElseThrow());
    signal(stack, "STOP"); // held where it is: still starting
    assertThat(StateFile.read(StateFile.path(cache)).stillStarting())
        .as("not up yet")
        .isTrue();

    signal(stack, "TERM"); // what 'local stop', or a user's kill, sends
    signal(stack, "CONT"); // the signal is handled as it goes on

    assertThat(stack.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive())
        .isFalse();
    assertThat(moto.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive())
        .as("moto_server after the stack's SIGTERM")
        .isFalse();
    // Nor one it was starting as the signal came (another moto_server, on another port, once the
    // first ended: that one ran on, its parent gone, where no state file named it).
    assertThat(leftRunning()).as("what the stack started, after its SIGTERM").isEmpty();
    assertThat(start.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).exitCode()).isEqualTo(1);
    assertThat(StateFile.path(cache)).doesNotExist();
    assertThat(run("local", "stop").out()).isEqualTo("the local stack is not running\n");
  }

  @Test
  void localStopAfterTheStackWasKilledEndsItsMotoServer() throws Exception {
    // The model conversion is shared with the other tests; the state file and logs are this test's.
    TestCaches.sharingTheDefaultModel(cache);
    ProcessHandle stack = null;
    ProcessHandle moto = null;
    try {
      CliRun start = run("local", "start");
      assertThat(start.exitCode()).as("local start: %s", start.err()).isZero();
      StateFile state = StateFile.read(StateFile.path(cache));
      stack = ProcessHandle.of(state.pid()).orElseThrow();
      assertThat(state.children()).as("the processes the stack started").hasSize(1);
      ChildProcess recorded = state.children().getFirst();
      moto = recorded.stillRunning().orElseThrow();
      // Said before the wait, so the seconds of the start are not spent in silence.
      assertThat(start.err())
          .startsWith("starting the local stack (moto_server, the local SageMaker and the model)"
              + " ...\nthe local stack is running in the background (pid " + stack.pid() + ")");
      assertThat(moto.info().commandLine().orElse(""))
          .as("the recorded child")
          .contains("moto_server");

      stack.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(stack.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive())
          .isFalse();
      assertThat(moto.isAlive()).as("moto_server outlives the killed stack").isTrue();

      CliRun stop = run("local", "stop");

      assertThat(stop.exitCode()).isZero();
      assertThat(stop.out())
          .startsWith("the local stack is not running; removed its stale state file")
          .endsWith("; ended moto_server (pid " + moto.pid()
              + "), which it had started and left running\n");
      assertThat(moto.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive())
          .as("moto_server after local stop")
          .isFalse();
      assertThat(leftRunning())
          .as("what the killed stack started, after local stop")
          .isEmpty();
      assertThat(StateFile.path(cache)).doesNotExist();
    } finally {
      if (stack != null) {
        stack.destroyForcibly(); // only what this test started, by pid
      }
      if (moto != null) {
        moto.destroyForcibly();
      }
      Files.deleteIfExists(cache.resolve("models")); // the link only: the shared models stay
    }
  }

  @Test
  void localStopAfterTheStackWasKilledEndsTheContainerOfItsEndpointAndWhatItsShellForked()
      throws Exception {
    Path labels = Files.writeString(cache.resolve("labels.txt"), "jpeg\npng\n");
    // A shell that runs the server in a child (a lone command it would exec in its place), as
    // 'cd dir && python serve.py' can.
    String command = "python3 '" + FORMAT_CONTAINER + "'; echo the model server ended";
    List<ProcessHandle> started = new ArrayList<>();
    try {
      CliRun start =
          run("local", "start", "--container-command", command, "--labels", labels.toString());
      assertThat(start.exitCode()).as("local start: %s", start.err()).isZero();
      StateFile state = StateFile.read(StateFile.path(cache));
      ProcessHandle stack = ProcessHandle.of(state.pid()).orElseThrow();
      started.add(stack);
      started.add(state.children().getFirst().stillRunning().orElseThrow());
      assertThat(container(state.children())).as("no endpoint yet").isEmpty();

      // Recorded at the endpoint's create, forgotten when it stops.
      assertThat(run("endpoint", "start").exitCode()).isZero();
      ChildProcess first =
          awaitState("the first container in the state file", LocalStackKilledIT::container);
      List<ProcessHandle> firstTree = processTree(first.stillRunning().orElseThrow());
      started.addAll(firstTree);
      assertThat(run("endpoint", "stop").exitCode()).isZero();
      awaitState(
          "the stopped endpoint's container to leave the state file",
          children -> container(children).isEmpty() ? Optional.of(children) : Optional.empty());
      for (ProcessHandle p : firstTree) {
        assertThat(p.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive())
            .as("the stopped endpoint's %s", p.info().commandLine().orElse("pid " + p.pid()))
            .isFalse();
      }

      // And recorded again at the next wake.
      assertThat(run("endpoint", "start").exitCode()).isZero();
      ChildProcess second = awaitState(
          "the second container in the state file",
          children -> container(children).filter(c -> !c.equals(first)));
      List<ProcessHandle> secondTree = processTree(second.stillRunning().orElseThrow());
      started.addAll(secondTree);
      List<ChildProcess> recorded = StateFile.read(StateFile.path(cache)).children();
      ProcessHandle server = secondTree.getLast();
      String serverNamed = second.name() + ", forked by pid "
          + server.parent().orElseThrow().pid() + " (pid " + server.pid() + ")";

      stack.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(stack.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive())
          .isFalse();
      assertThat(secondTree)
          .as("the container outlives the killed stack")
          .allMatch(ProcessHandle::isAlive);

      CliRun stop = run("local", "stop");

      assertThat(stop.exitCode()).isZero();
      assertThat(stop.out())
          .startsWith("the local stack is not running; removed its stale state file")
          .contains(", " + second.name() + " (pid " + second.pid() + "), ")
          .as("the server named as 'local status' lists it")
          .contains(", " + serverNamed)
          .endsWith(", which it had started and left running\n");
      for (ProcessHandle p : secondTree) {
        // A handle is alive only while its process is the one it found (same start instant).
        assertThat(p.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive())
            .as("%s after local stop", p.info().commandLine().orElse("pid " + p.pid()))
            .isFalse();
      }
      assertThat(recorded)
          .as("every process the state file recorded")
          .allSatisfy(child -> assertThat(child.stillRunning()).isEmpty());
      assertThat(leftRunning())
          .as("what the killed stack started, after local stop")
          .isEmpty();
      assertThat(StateFile.path(cache)).doesNotExist();
    } finally {
      started.forEach(ProcessHandle::destroyForcibly); // only what this test started, by handle
    }
  }
}
