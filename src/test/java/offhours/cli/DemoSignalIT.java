package offhours.cli;

// Needs: moto_server, python3 (the stand-in container), node and npm the first time the default
// model is converted into the user's cache (which the demo's own cache links to, see TestCaches).
// Sends SIGSTOP, SIGCONT and SIGINT with kill (procps or coreutils).

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import offhours.local.process.StackMark;
import offhours.testing.TestCaches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C of the demo that reaches its own JVM alone (a {@code kill -INT} of its id; a terminal's Ctrl-C reaches what
 * it started too, which hides a demo that leaves them to it): the demo stops what it started outside its JVM, says
 * so, and exits 130, while the stack starts and once it is up.
 */
class DemoSignalIT {
  @TempDir
  Path dir;

  /** How long a wait for the demo may take before the test gives up (a bound, not a measurement). */
  private static final Duration PATIENCE = Duration.ofMinutes(3);

  /** src/test/resources/sagemaker/format_container.py: answers which image format it was sent. */
  private static final String FORMAT_CONTAINER =
      "python3 " + Path.of("src/test/resources/sagemaker/format_container.py").toAbsolutePath();

  /** Every process the demo starts inherits this variable (the demo's JVM carries it too). */
  private final String marker = UUID.randomUUID().toString();

  private final List<ProcessHandle> mine = new ArrayList<>();

  /** Ends what the test started, also when it failed before it could: the demo and what carries its marker. */
  @AfterEach
  void endWhatThisTestStarted() throws Exception {
    mine.forEach(ProcessHandle::destroyForcibly);
    marked().forEach(ProcessHandle::destroyForcibly);
    Files.deleteIfExists(dir.resolve("cache").resolve("models")); // the link only
  }

  private List<ProcessHandle> marked() {
    return StackMark.carrying("OFFHOURS_TEST_MARKER", marker);
  }

  /** The demo's JVM, as scripts/offhours runs it, on the cat photo, its stderr in demo.err. */
  private Process demo(String... options) throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    Files.copy(Path.of("src/test/resources/images/chelsea.png"), images.resolve("cat.png"));
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED",
        "-XX:-UsePerfData",
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName(),
        "demo",
        images.toString()));
    command.addAll(List.of(options));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(dir.resolve("demo.out").toFile())
        .redirectError(dir.resolve("demo.err").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment()
        .put(
            "OFFHOURS_CACHE",
            TestCaches.sharingTheDefaultModel(dir.resolve("cache")).toString());
    pb.environment().put("OFFHOURS_TEST_MARKER", marker);
    Process demo = pb.start();
    mine.add(demo.toHandle());
    return demo;
  }

  private String err() throws Exception {
    return Files.readString(dir.resolve("demo.err"), StandardCharsets.UTF_8);
  }

  /** The first process the demo started whose command line matches, once there is one. */
  private ProcessHandle awaitStarted(Process demo, Predicate<String> commandLine, String what)
      throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(demo.isAlive())
          .as("the demo still runs; its stderr:%n%s", err())
          .isTrue();
      Optional<ProcessHandle> found = marked().stream()
          .filter(p -> p.pid() != demo.pid())
          .filter(p -> commandLine.test(p.info().commandLine().orElse("")))
          .findFirst();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "gave up waiting for " + what + " after " + PATIENCE + "; stderr:\n" + err());
  }

  /** Sends {@code signal} ("STOP", "CONT", "INT") to {@code process} alone, as a user's {@code kill} does. */
  private static void signal(Process process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertThat(kill.waitFor()).as("kill -%s %s", signal, process.pid()).isZero();
  }

  /** The demo's exit code, once it has exited. */
  private static int exited(Process demo) throws Exception {
    assertThat(demo.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .as("the demo ended")
        .isTrue();
    return demo.exitValue();
  }

  /** What the demo started and left running, once each had {@link #PATIENCE} to end. */
  private List<String> leftRunning() throws InterruptedException {
    List<String> left = new ArrayList<>();
    for (ProcessHandle p : marked()) {
      try {
        p.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
        left.add(p.pid() + " " + p.info().commandLine().orElse("?"));
      }
    }
    return left;
  }

  @Test
  void ctrlCOfTheDemosJvmAloneWhileTheStackStartsEndsItsMotoServerAndSaysSo() throws Exception {
    Process demo = demo();
    ProcessHandle moto = awaitStarted(demo, c -> c.contains("moto_server"), "moto_server");
    signal(demo, "STOP"); // held where it is
    assertThat(err()).as("the stack is not up yet").doesNotContain("uploading");

    signal(demo, "INT"); // to the demo's JVM only: moto_server gets no signal of its own
    signal(demo, "CONT"); // the signal is handled as it goes on

    assertThat(exited(demo)).as("128 + SIGINT; stderr:%n%s", err()).isEqualTo(130);
    assertThat(err())
        .contains("offhours: SIGINT: stopping the local stack...\n")
        .containsPattern(
            "(?m)^offhours: the local stack stopped before it was up; ended moto_server \\(pid \\d+\\)")
        .doesNotContain("uploading");
    assertThat(moto.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive())
        .as("moto_server after the demo's SIGINT")
        .isFalse();
    assertThat(leftRunning()).as("what the demo started, after its SIGINT").isEmpty();
  }

  @Test
  void ctrlCOfTheDemosJvmAloneOnceTheModelServerRunsEndsItAndMotoServerAndSaysSo()
      throws Exception {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "jpeg\npng\n");
    // Signalled as soon as the container's model server runs: the endpoint is still being created,
    // seconds before the first result.
    Process demo = demo("--container-command", FORMAT_CONTAINER, "--labels", labels.toString());
    ProcessHandle server =
        awaitStarted(demo, c -> c.contains("format_container.py"), "the model server");

    signal(demo, "INT");

    assertThat(exited(demo)).as("128 + SIGINT; stderr:%n%s", err()).isEqualTo(130);
    assertThat(err())
        .contains("uploading 1 image")
        .contains("offhours: SIGINT: stopping the local stack...\n")
        .containsPattern(
            "(?m)^offhours: the local stack stopped; ended moto_server \\(pid \\d+\\).*"
                + ", container of endpoint offhours-endpoint \\(pid \\d+\\)");
    assertThat(server.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive())
        .as("the model server after the demo's SIGINT")
        .isFalse();
    assertThat(leftRunning()).as("what the demo started, after its SIGINT").isEmpty();
  }
}
