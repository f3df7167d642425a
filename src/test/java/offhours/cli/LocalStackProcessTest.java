package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import offhours.local.ControlSocket;
import offhours.local.LocalDirectory;
import offhours.local.StateFile;
import offhours.local.process.ChildProcess;
import offhours.local.process.StackMark;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local stop} ends only the process that runs the stack, and {@code local run} never starts a second stack
 * over a running one. Needs {@code sleep} (coreutils) for a process that is not a stack.
 */
class LocalStackProcessTest {
  @TempDir
  Path cache;

  private Process other;
  /** What {@link #other} forked, when it is a shell. */
  private ProcessHandle forked;

  @AfterEach
  void endTheOtherProgram() {
    if (forked != null) {
      forked.destroyForcibly(); // only what this test started, by its handle
    }
    if (other != null) {
      other.destroyForcibly();
    }
  }

  /**
   * Starts {@link #other} as {@code /bin/sh -c script}, and waits for what it forks first ({@link #forked}) to run its
   * command: until it has exec'd it, it runs the shell's program with the shell's command line.
   */
  private void startShell(String script) throws Exception {
    other = new ProcessBuilder("/bin/sh", "-c", script).start();
    String shell = other.info().command().orElseThrow();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (forked == null || forked.info().command().orElse(shell).equals(shell)) {
      assertThat(System.nanoTime() - deadline).as("a minute to fork and exec").isNegative();
      forked = other.descendants().findFirst().orElse(null);
      Thread.sleep(10);
    }
  }

  private CliRun run(String... args) {
    return CliRun.run(cache, Clock.systemUTC(), () -> null, Commands.all(), args);
  }

  /** A state file naming process {@code pid} as the stack, started at {@code started}. */
  private void recordStack(long pid, String started) throws IOException {
    recordStack(pid, started, List.of());
  }

  /** As {@link #recordStack(long, String)}, with the child processes the stack started. */
  private void recordStack(long pid, String started, List<ChildProcess> children)
      throws IOException {
    StateFile live = TestStateFiles.state(pid, TestStateFiles.endpoints());
    recordStack(pid, started, children, live.model(), null);
  }

  /** As {@link #recordStack(long, String, List)}, serving {@code served} with Classify's {@code model} settings. */
  private void recordStack(
      long pid,
      String started,
      List<ChildProcess> children,
      Map<String, String> model,
      StateFile.Served served)
      throws IOException {
    recordStack(pid, started, children, model, served, Map.of());
  }

  /** As above, with the functions' {@code settings} as 'local start' records them (HOSTING, TIME_ZONE ...). */
  private void recordStack(
      long pid,
      String started,
      List<ChildProcess> children,
      Map<String, String> model,
      StateFile.Served served,
      Map<String, String> settings)
      throws IOException {
    StateFile live = TestStateFiles.state(pid, TestStateFiles.endpoints());
    new StateFile(
            pid,
            started,
            live.region(),
            live.accessKeyId(),
            live.secretAccessKey(),
            live.endpoints(),
            live.names(),
            model,
            settings.isEmpty() ? live.settings() : settings,
            children,
            null,
            served)
        .write(StateFile.path(cache));
  }

  /** The file of a stack that is starting in process {@code pid}: no services yet, what it started so far. */
  private void recordStarting(long pid, String started, List<ChildProcess> children)
      throws IOException {
    new StateFile(pid, started, null, null, null, null, null, null, null, children, true, null)
        .write(StateFile.path(cache));
  }

  /** A process that holds the stack's lock, as a {@code local run} that is starting does. */
  private Process holdTheLock() throws IOException {
    Process holder = new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp",
            System.getProperty("java.class.path"),
            StackLockHolder.class.getName(),
            LocalDirectory.of(cache).resolve("stack.lock").toString())
        .redirectErrorStream(true)
        .start();
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("locked");
    }
    return holder;
  }

  @Test
  void aStackThatIsStartingIsNeitherRunningNorGoneToStatusAndTheCommands() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    recordStarting(other.pid(), other.info().startInstant().orElseThrow().toString(), List.of());

    CliRun status = run("local", "status");
    CliRun json = run("local", "status", "--json");
    CliRun queue = run("queue");

    assertThat(status.exitCode()).isEqualTo(3);
    assertThat(status.out())
        .isEqualTo("the local stack is starting (pid " + other.pid() + ") and not up yet;"
            + " 'scripts/offhours local start' waits until it is up\n");
    assertThat(json.out())
        .isEqualTo("{\"running\":false,\"starting\":true,\"pid\":" + other.pid() + "}\n");
    assertThat(queue.exitCode()).isEqualTo(1);
    assertThat(queue.err())
        .isEqualTo("offhours: the local stack (pid " + other.pid() + ") is starting and not up"
            + " yet; run this again once 'scripts/offhours local status' says it runs, or name a"
            + " deployed stack with --stack NAME\n");
  }

  @Test
  void aSecondStartWaitsForTheStackAnotherIsStartingUntilItIsUp() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    String started = other.info().startInstant().orElseThrow().toString();
    recordStarting(other.pid(), started, List.of());
    StateFile starting = StateFile.read(StateFile.path(cache));

    var waited = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return StackProcess.awaitUp(cache, starting);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    recordStack(other.pid(), started); // it is up

    assertThat(waited.get(30, TimeUnit.SECONDS).stillStarting()).isFalse();
    assertThat(waited.get().accessKeyId()).isNotNull();
  }

  @Test
  void aStartWhoseStackLosesTheLockToAnotherStartAnswersWithThatStack() throws Exception {
    // Two 'local start's at once: both found no stack, and the other one's 'local run' took the
    // lock first.
    other = holdTheLock();
    recordStack(other.pid(), other.info().startInstant().orElseThrow().toString());
    Path log = cache.resolve("local/logs/stack.log");
    Files.createDirectories(log.getParent());
    Files.writeString(log, "the other stack's log\n");

    StackProcess.Started started = StackProcess.startInBackground(cache, List.of());

    assertThat(started.byAnother()).isTrue();
    assertThat(started.state().pid()).isEqualTo(other.pid());
    assertThat(Files.readString(log)).startsWith("the other stack's log\n");
  }

  /**
   * The lines a failed start shows come without ONNX Runtime's colour sequences around its warnings, which showed as
   * {@code \x1b[0;93m}; another control character stays for the printing to escape.
   */
  @Test
  void aFailedStartsLinesComeWithoutColourSequences() throws Exception {
    Path log = Files.createDirectories(cache.resolve("local/logs")).resolve("stack.log");
    Files.writeString(
        log,
        "an earlier line\n\u001B[0;93m2026-12-08 [W:onnxruntime:, graph.cc:4285] warning\u001B[m\n"
            + "offhours: the model \u001B[1mdoes\u001B[0m not load\u0007\n");

    assertThat(StackProcess.tail(log, "an earlier line\n".length(), 15))
        .isEqualTo("2026-12-08 [W:onnxruntime:, graph.cc:4285] warning\n"
            + "offhours: the model does not load\u0007");
  }

  @Test
  void aStartThatFailsShowsItsOwnOutputNotTheLogOfAStackBeforeIt() throws Exception {
    Path log = cache.resolve("local/logs/stack.log");
    Files.createDirectories(log.getParent());
    Files.writeString(
        log, "an earlier stack's line\noffhours: SIGTERM: stopping the local stack...\n");

    // 'local run' refuses the zone before it starts anything, and exits 2.
    assertThatThrownBy(
            () -> StackProcess.startInBackground(cache, List.of("--time-zone", "Mars/Olympus")))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith(
            "the local stack did not start (exit code 2):\noffhours: --time-zone"
                + " needs an IANA zone")
        // In the words of the command the user ran, not of the 'local run' it runs.
        .hasMessageEndingWith("; see 'offhours local start --help'")
        .hasMessageNotContaining("local run")
        .hasMessageNotContaining("earlier stack")
        .hasMessageNotContaining("SIGTERM");
    assertThat(Files.readString(log)).startsWith("an earlier stack's line\n");
  }

  @Test
  void aSecondStartSaysSoWhenTheStackItWaitedForStoppedBeforeItWasUp() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    recordStarting(other.pid(), other.info().startInstant().orElseThrow().toString(), List.of());
    StateFile starting = StateFile.read(StateFile.path(cache));
    other.destroy();
    other.waitFor();

    assertThatThrownBy(() -> StackProcess.awaitUp(cache, starting))
        .isInstanceOf(CliException.class)
        .hasMessage("the local stack that was starting (pid " + other.pid() + ") stopped before it"
            + " was up; see its log " + cache.resolve("local/logs/stack.log") + ", then start it"
            + " again");
  }

  @Test
  void stopOfAStackThatIsStartingEndsItAndSaysItWasNotUp() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    recordStarting(other.pid(), other.info().startInstant().orElseThrow().toString(), List.of());

    CliRun stop = run("local", "stop");

    assertThat(stop.exitCode()).isZero();
    assertThat(stop.out())
        .isEqualTo("stopped the local stack (pid " + other.pid() + ") before it was up\n");
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(StateFile.path(cache)).doesNotExist();
  }

  @Test
  void stopOfAStackKilledWhileStartingEndsWhatItHadStarted() throws Exception {
    Process stack = new ProcessBuilder("true").start(); // killed: its process is gone
    stack.waitFor();
    other = new ProcessBuilder("sleep", "60").start(); // the moto_server it left behind
    String started = other.info().startInstant().orElseThrow().toString();
    recordStarting(
        stack.pid(),
        stack.info().startInstant().map(Object::toString).orElse("2026-01-01T00:00:00Z"),
        List.of(new ChildProcess("moto_server", other.pid(), started)));
    CliRun stop = run("local", "stop");

    assertThat(stop.out())
        .isEqualTo("the local stack is not running; removed its stale state file "
            + StateFile.path(cache) + "; ended moto_server (pid " + other.pid()
            + "), which it had started and left running\n");
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).as("moto_server ended").isTrue();
    assertThat(StateFile.path(cache)).doesNotExist();
  }

  @Test
  void stopLeavesAStaleFileToTheStackThatIsStartingNow() throws Exception {
    // The stack that wrote the file is gone; a new 'local run' holds the lock and is about to
    // replace the file with its own.
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    recordStack(gone.pid(), "2026-01-01T00:00:00Z");
    Process holder = holdTheLock();
    try {
      CliRun stop = run("local", "stop");

      assertThat(stop.out())
          .isEqualTo("the local stack is not running; its stale state file " + StateFile.path(cache)
              + " is left to the stack starting now\n");
      assertThat(StateFile.path(cache)).exists();
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void stopLeavesAloneAProcessThatReusedTheStacksId() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    // The stack that wrote the file started long before this process got its id.
    recordStack(other.pid(), "2026-01-01T00:00:00Z");

    CliRun stop = run("local", "stop");

    assertThat(stop.exitCode()).isZero();
    assertThat(stop.out())
        .contains("the local stack is not running; process " + other.pid() + " is another"
            + " program now (it started later than the stack), so it was left alone");
    assertThat(other.waitFor(1, TimeUnit.SECONDS))
        .as("the other program still runs")
        .isFalse();
    assertThat(StateFile.path(cache)).as("the stale state file").doesNotExist();
  }

  @Test
  void stopOfAKilledStackEndsTheMotoServerItLeftRunning() throws Exception {
    other = new ProcessBuilder("sleep", "60").start(); // the moto_server a 'kill -9' left behind
    String started = other.info().startInstant().orElseThrow().toString();
    // The stack's own process is gone: no process has this id's start time.
    recordStack(
        other.pid(),
        "2026-01-01T00:00:00Z",
        List.of(new ChildProcess("moto_server", other.pid(), started)));
    // What a killed stack leaves of its control socket: its file, which nothing listens on.
    Path socket = Files.createFile(ControlSocket.path(cache));

    CliRun stop = run("local", "stop");

    assertThat(stop.exitCode()).isZero();
    assertThat(stop.out())
        .endsWith("; removed its stale state file " + StateFile.path(cache) + "; ended moto_server"
            + " (pid " + other.pid() + "), which it had started and left running\n");
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).as("moto_server ended").isTrue();
    assertThat(socket).as("the killed stack's control socket").doesNotExist();
  }

  @Test
  void stopOfAKilledStackEndsWhatItsContainerCommandsShellForkedAfterItWasRecorded()
      throws Exception {
    // A --container-command that runs its server in a child of the shell, as 'cd dir && python
    // serve.py' does: the stack recorded the shell as it started, before the server existed.
    startShell("sleep 60; true");
    String started = other.info().startInstant().orElseThrow().toString();
    recordStack(
        other.pid(),
        "2026-01-01T00:00:00Z",
        List.of(new ChildProcess("container of endpoint e", other.pid(), started)));

    CliRun stop = run("local", "stop");

    assertThat(stop.out())
        .as("each named as 'local status' lists it")
        .endsWith("; ended container of endpoint e (pid " + other.pid()
            + "), container of endpoint e, forked by pid " + other.pid() + " (pid " + forked.pid()
            + "), which it had started and left running\n");
    assertThat(forked.onExit().get(30, TimeUnit.SECONDS).isAlive())
        .as("the server the shell forked")
        .isFalse();
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).as("the shell ended").isTrue();
  }

  @Test
  void stopNamesWhatTheShellForkedAsStatusDoesThoughTheStateFileRecordsItUnderTheShellsName()
      throws Exception {
    startShell("sleep 62; true");
    String name = "container of endpoint e";
    recordStack(
        other.pid(),
        "2026-01-01T00:00:00Z",
        List.of(
            new ChildProcess(
                name, other.pid(), other.info().startInstant().orElseThrow().toString()),
            new ChildProcess(
                name, forked.pid(), forked.info().startInstant().orElseThrow().toString())));
    String forkedBy = name + ", forked by pid " + other.pid();

    CliRun stop = run("local", "stop");

    assertThat(stop.out())
        .endsWith("; ended " + name + " (pid " + other.pid() + "), " + forkedBy + " (pid "
            + forked.pid() + "), which it had started and left running\n");
    assertThat(forked.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
  }

  @Test
  void stopSaysAProcessWhoseParentHasEndedWasForked() throws Exception {
    // The shell has ended; the server it forked runs on, recorded under the shell's name.
    other = new ProcessBuilder("/bin/sh", "-c", "sleep 63 >/dev/null & echo $!").start();
    long pid = Long.parseLong(
        new String(other.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
    forked = ProcessHandle.of(pid).orElseThrow();
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String name = "container of endpoint e";
    recordStack(
        other.pid(),
        "2026-01-01T00:00:00Z",
        List.of(
            new ChildProcess(name, other.pid(), "2026-01-01T00:00:01Z"),
            new ChildProcess(
                name, pid, forked.info().startInstant().orElseThrow().toString())));

    CliRun stop = run("local", "stop");

    assertThat(stop.out())
        .endsWith("; ended " + name + ", forked (its parent has ended) (pid " + pid
            + "), which it had started and left running\n");
    assertThat(forked.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
  }

  @Test
  void stopLeavesAloneAProcessThatReusedTheIdOfTheStacksMotoServer() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    // moto_server had this id once, and started long before the program that has it now.
    recordStack(
        other.pid(),
        "2026-01-01T00:00:00Z",
        List.of(new ChildProcess("moto_server", other.pid(), "2026-01-01T00:00:01Z")));

    CliRun stop = run("local", "stop");

    assertThat(stop.out()).doesNotContain("ended moto_server");
    assertThat(other.waitFor(1, TimeUnit.SECONDS))
        .as("the other program still runs")
        .isFalse();
  }

  @Test
  void stopAfterAStackKilledBeforeItRecordedAProcessEndsItByTheStacksMark() throws Exception {
    // The stack: gone, its id free. What it started carries its mark, and the file names nothing.
    Process stack = new ProcessBuilder("sleep", "60").start();
    String started = stack.info().startInstant().orElseThrow().toString();
    stack.destroyForcibly();
    assertThat(stack.waitFor(30, TimeUnit.SECONDS)).isTrue();
    ProcessBuilder child = new ProcessBuilder("sleep", "60");
    child.environment().put(StackMark.VARIABLE, stack.pid() + "@" + started);
    other = child.start();
    recordStarting(stack.pid(), started, List.of());

    CliRun stop = run("local", "stop");

    assertThat(stop.out())
        .isEqualTo("the local stack is not running; removed its stale state file "
            + StateFile.path(cache) + "; ended sleep, not in its state file (pid " + other.pid()
            + "), which it had started and left running\n");
    assertThat(other.waitFor(30, TimeUnit.SECONDS))
        .as("the unrecorded process ended")
        .isTrue();
  }

  @Test
  void aMarkedProcessIsLeftAloneWhileAProcessHasTheStacksId() throws Exception {
    // The id is another program's now (it started later): what carries the old stack's mark is
    // found by its record only.
    other = new ProcessBuilder("sleep", "60").start();
    String started = "2026-01-01T00:00:00Z";
    ProcessBuilder child = new ProcessBuilder("sleep", "60");
    child.environment().put(StackMark.VARIABLE, other.pid() + "@" + started);
    Process marked = child.start();
    try {
      recordStarting(other.pid(), started, List.of());

      CliRun stop = run("local", "stop");

      assertThat(stop.out()).doesNotContain("ended");
      assertThat(marked.isAlive()).as("the marked process").isTrue();
    } finally {
      marked.destroyForcibly(); // only what this test started, by its handle
    }
  }

  @Test
  void startOverAKilledStacksStateFileEndsTheMotoServerItLeftRunning() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    String started = other.info().startInstant().orElseThrow().toString();
    recordStack(
        other.pid(),
        "2026-01-01T00:00:00Z",
        List.of(new ChildProcess("moto_server", other.pid(), started)));

    // What 'local start' and 'local run' do before their stack starts.
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    StackProcess.endLeftoversOfGoneStack(
        StateFile.path(cache), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "the last local stack (pid " + other.pid() + ") was gone; ended moto_server (pid "
                + other.pid() + "), which it had started and left running\n");
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).as("moto_server ended").isTrue();
  }

  @Test
  void statusListsTheStacksProcessAndThoseItStartedThatStillRun() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    Process ended = new ProcessBuilder("true").start();
    assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String started = other.info().startInstant().orElseThrow().toString();
    recordStack(
        other.pid(),
        started,
        List.of(
            new ChildProcess("moto_server", ended.pid(), started),
            new ChildProcess("container of endpoint offhours-endpoint", other.pid(), started)),
        Map.of(),
        new StateFile.Served(null, null, "python3 serve.py"));

    String sleep =
        other.info().commandLine().orElseThrow(); // "/usr/bin/sleep 60", as the system says it
    // the longest name is the container's, 39 characters
    String row = "%-39s  %-" + Math.max(3, Long.toString(other.pid()).length()) + "s  %s\n";
    assertThat(run("local", "status").out())
        .contains(row.formatted("PROCESS", "PID", "COMMAND")
            + row.formatted("the local stack", other.pid(), sleep)
            + row.formatted("container of endpoint offhours-endpoint", other.pid(), sleep))
        .doesNotContain("moto_server");
    assertThat(run("local", "status", "--json").out())
        .contains("\"processes\":[{\"name\":\"the local stack\",\"pid\":" + other.pid()
            + ",\"command\":\"" + sleep + "\"},"
            + "{\"name\":\"container of endpoint offhours-endpoint\",\"pid\":" + other.pid()
            + ",\"command\":\"" + sleep + "\"}]");
  }

  @Test
  void statusTellsAContainerCommandsShellFromWhatItForkedByNameAndCommand() throws Exception {
    // As 'cd dir && python serve.py' runs: the shell the stack started, and the server it forked.
    startShell("sleep 61; true # \u001b[2J");
    String started = other.info().startInstant().orElseThrow().toString();
    String name = "container of endpoint e";
    recordStack(
        ProcessHandle.current().pid(),
        ProcessHandle.current().info().startInstant().orElseThrow().toString(),
        List.of(
            new ChildProcess(name, other.pid(), started),
            new ChildProcess(
                name, forked.pid(), forked.info().startInstant().orElseThrow().toString())));

    String status = run("local", "status").out();
    String forkedBy = name + ", forked by pid " + other.pid();
    assertThat(status.lines().filter(l -> l.contains(name)))
        .as("the shell once, then what it forked once, though the state file records both")
        .hasSize(2);
    assertThat(status)
        .containsPattern(
            "\\n" + name + " +" + other.pid() + " +\\S*sh -c sleep 61; true # \\\\x1b\\[2J\\n")
        .containsPattern("\\n" + forkedBy + " +" + forked.pid() + " +\\S*sleep 61\\n");
    assertThat(run("local", "status", "--json").out())
        .containsPattern("\\{\"name\":\"" + forkedBy + "\",\"pid\":" + forked.pid()
            + ",\"command\":\"\\S*sleep 61\"}");
  }

  @Test
  void statusShowsTheModelOptionsTheStackStartedWithTheCommandEscaped() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    recordStack(
        other.pid(),
        other.info().startInstant().orElseThrow().toString(),
        List.of(),
        Map.of("CONTENT_TYPE", "image/png", "ACCEPT", ""),
        new StateFile.Served(null, "/data/labels.txt", "python3 serve.py \u001b[2J"),
        Map.of("HOSTING", "scale-to-zero", "TIME_ZONE", "Europe/Berlin"));

    CliRun status = run("local", "status");
    CliRun json = run("local", "status", "--json");

    assertThat(status.out())
        .contains("MODEL OPTION         SERVING WITH\n"
            + "--container-command  python3 serve.py \\x1b[2J\n"
            + "--labels             /data/labels.txt\n"
            + "--content-type       image/png\n"
            + "--accept             application/json (default)\n"
            + "--hosting            scale-to-zero\n"
            + "--time-zone          Europe/Berlin\n")
        .doesNotContain("\u001b");
    assertThat(json.out())
        .contains("\"served\":{\"containerCommand\":\"python3 serve.py \\u001B[2J\","
            + "\"labelsFile\":\"/data/labels.txt\",\"contentType\":\"image/png\","
            + "\"hosting\":\"scale-to-zero\",\"timeZone\":\"Europe/Berlin\"}");
  }

  @Test
  void statusShowsTheResizeAndNormalizationOfAnOnnxModelNamingTheDefaultOnesSo() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    recordStack(
        other.pid(),
        other.info().startInstant().orElseThrow().toString(),
        List.of(),
        Map.of(),
        new StateFile.Served(
            "/m/vit.onnx",
            "/m/labels.txt",
            null,
            "0.5,0.5,0.5/0.5,0.5,0.5",
            null,
            "antialias",
            "384x288"),
        Map.of());

    assertThat(run("local", "status").out())
        .contains("MODEL OPTION    SERVING WITH\n"
            + "--model         /m/vit.onnx\n"
            + "--labels        /m/labels.txt\n"
            + "--content-type  application/x-image (default)\n"
            + "--accept        application/json (default)\n"
            + "--normalize     0.5,0.5,0.5/0.5,0.5,0.5\n"
            + "--resize        stretch (default)\n"
            + "--resample      antialias\n"
            + "--input-size    384x288\n");
    assertThat(run("local", "status", "--json").out())
        .contains("\"served\":{\"modelFile\":\"/m/vit.onnx\",\"labelsFile\":\"/m/labels.txt\","
            + "\"normalize\":\"0.5,0.5,0.5/0.5,0.5,0.5\",\"resample\":\"antialias\","
            + "\"inputSize\":\"384x288\"}");
  }

  @Test
  void statusNamesTheDefaultModelWhenTheStackStartedWithoutOne() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    recordStack(
        other.pid(),
        other.info().startInstant().orElseThrow().toString(),
        List.of(),
        Map.of(),
        new StateFile.Served(null, null, null));

    assertThat(run("local", "status").out())
        .contains("MODEL OPTION    SERVING WITH\n"
            + "--model         none: the default nsfwjs MobileNetV2\n"
            + "--content-type  application/x-image (default)\n"
            + "--accept        application/json (default)\n"
            + "--hosting       scheduled (default)\n");
    // A script finds the model named in the JSON too: no "modelFile" nor "containerCommand" here.
    assertThat(run("local", "status", "--json").out())
        .contains("\"served\":{\"defaultModel\":\"nsfwjs MobileNetV2\"}");
  }

  @Test
  void stopEndsTheRecordedProcessAndSaysTheLocalDataGoesWithIt() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    recordStack(other.pid(), other.info().startInstant().orElseThrow().toString());

    CliRun stop = run("local", "stop");

    assertThat(stop.exitCode()).isZero();
    assertThat(stop.outLines())
        .as(
            "this stack's endpoints answer nothing: its queue's count is unknown, and it stops all the same")
        .satisfiesExactly(
            queue -> assertThat(queue)
                .startsWith(
                    "how many uploads the local stack's queue still holds is unknown (reading it failed: ")
                .endsWith("); stopping it all the same"),
            stopped -> assertThat(stopped)
                .isEqualTo(
                    "stopped the local stack (pid " + other.pid() + "); its uploads, results,"
                        + " queues and savings ledger lived in its moto_server and are gone with it"));
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(StateFile.path(cache)).doesNotExist();
  }

  @Test
  void aStackWhoseStartTimeMovedWithTheClockStillRunsAndIsStopped() throws Exception {
    // The stack's process holds its lock, as 'local run' does; the recorded start time no longer
    // matches what the JDK reports, as after the wall clock was set (the JDK dates processes from
    // the boot time, read off that clock).
    other = holdTheLock();
    String started = other.info().startInstant().orElseThrow().minusSeconds(8).toString();
    recordStack(other.pid(), started);

    assertThat(run("local", "status").exitCode()).as("local status").isZero();
    CliRun stop = run("local", "stop");

    assertThat(stop.outLines().getLast())
        .startsWith("stopped the local stack (pid " + other.pid() + ")");
    assertThat(other.waitFor(30, TimeUnit.SECONDS))
        .as("the stack's process ended")
        .isTrue();
    assertThat(StateFile.path(cache)).doesNotExist();
  }

  @Test
  void thePageOfTheLocalStackIsToldWhenItsStackStopsOrAnotherTakesItsPlace() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    recordStack(other.pid(), other.info().startInstant().orElseThrow().toString());
    Path stateFile = StateFile.path(cache);
    assertThat(LocalStackWatch.stillRuns(stateFile, other.pid()))
        .as("while it runs")
        .isTrue();
    assertThat(LocalStackWatch.stillRuns(stateFile, other.pid() + 1))
        .as("a state file of another stack")
        .isFalse();

    CountDownLatch told = new CountDownLatch(1);
    try (LocalStackWatch watch =
        LocalStackWatch.start(stateFile, other.pid(), Duration.ofMillis(20), told::countDown)) {
      other.destroy();
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(LocalStackWatch.stillRuns(stateFile, other.pid()))
          .as("once it ended")
          .isFalse();
      assertThat(told.await(30, TimeUnit.SECONDS)).as("the page was told").isTrue();
    }
  }

  @Test
  void runRefusesToStartOverAStackThatHoldsTheLock() throws Exception {
    FileLock held = StackProcess.lock(cache); // what a running 'local run' holds
    try {
      Files.writeString(StateFile.path(cache), "{\"pid\": 1}");

      CliRun second = run("local", "run");

      assertThat(second.exitCode()).isEqualTo(1);
      assertThat(second.err())
          .startsWith("offhours: a local stack is already running from " + cache)
          .contains("stop it first ('scripts/offhours local stop')");
      assertThat(StateFile.path(cache))
          .as("the first stack's state file")
          .hasContent("{\"pid\": 1}");
    } finally {
      held.channel().close();
    }
  }

  @Test
  void runRefusesToStartOverALiveStackWithoutALock() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    recordStack(other.pid(), other.info().startInstant().orElseThrow().toString());
    String before = Files.readString(StateFile.path(cache));

    CliRun second = run("local", "run");

    assertThat(second.exitCode()).isEqualTo(1);
    assertThat(second.err())
        .contains("a local stack is already running from " + cache + " (pid " + other.pid() + ")");
    assertThat(StateFile.path(cache)).hasContent(before);
  }

  @Test
  void startWithModelOptionsOverARunningStackIsRefusedNamingThem() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    recordStack(other.pid(), other.info().startInstant().orElseThrow().toString());
    String before = Files.readString(StateFile.path(cache));
    Path labels = Files.writeString(cache.resolve("labels.txt"), "cat\ndog\n");

    CliRun mine = run(
        "local",
        "start",
        "--container-command",
        "python3 serve.py",
        "--labels",
        labels.toString(),
        "--content-type",
        "auto");

    assertThat(mine.exitCode()).isEqualTo(1);
    assertThat(mine.err())
        .isEqualTo("offhours: the local stack is already running (pid " + other.pid() + ") with the"
            + " model and settings it started with; --labels, --container-command, --content-type apply"
            + " only to a new"
            + " stack: give the running one a new model with 'scripts/offhours local update' and the"
            + " same options, or stop it first ('scripts/offhours local stop'; its uploads and"
            + " results go with it), then start it again with them\n");
    assertThat(mine.out()).isEmpty();
    assertThat(StateFile.path(cache)).hasContent(before);
    assertThat(other.isAlive()).isTrue();
    // --hosting is no model update's: only a new stack takes it.
    assertThat(run("local", "start", "--hosting", "serverless", "--accept", "text/csv")
            .err())
        .endsWith(
            "; --accept, --hosting apply only to a new stack: stop it first ('scripts/offhours"
                + " local stop'; its uploads and results go with it), then start it again with them\n");

    CliRun plain = run("local", "start"); // nothing asked of the stack: the running one will do
    assertThat(plain.exitCode()).isZero();
    assertThat(plain.err())
        .isEqualTo("the local stack is already running (pid " + other.pid() + ")\n");
  }

  @Test
  void statusOfAStackWhoseIdWasReusedIsNotRunning() throws Exception {
    other = new ProcessBuilder("sleep", "60").start();
    recordStack(other.pid(), "2026-01-01T00:00:00Z");

    assertThat(run("local", "status").exitCode()).isEqualTo(3);
    assertThat(run("local", "status", "--help").out())
        .as("the help says what 3 means")
        .contains("Exits 0 when the local stack runs and 3 when it does not");
    assertThat(run("queue").err())
        .contains("is not running (process " + other.pid() + " is another program now)");
  }
}
