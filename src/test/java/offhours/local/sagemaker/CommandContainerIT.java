package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;

/**
 * Needs {@code python3} on the PATH: the built-in {@value LocalSageMaker#COMMAND_IMAGE} launcher runs
 * src/test/resources/sagemaker/echo_container.py as a real container process.
 */
class CommandContainerIT {
  @TempDir
  Path logs;

  private Fixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  /** A local SageMaker that serves {@value LocalSageMaker#COMMAND_IMAGE} with {@code command}, or not at all. */
  private Fixture start(String command) {
    LocalSageMakerBuilder builder = LocalSageMaker.builder()
        .creatingDelay(Duration.ZERO)
        .deletingDelay(Duration.ZERO)
        .pingTimeout(Duration.ofSeconds(60))
        .logDirectory(logs);
    f = new Fixture(command == null ? builder : builder.containerCommand(command));
    return f;
  }

  private static String echoContainer() throws Exception {
    return "exec python3 "
        + Path.of(
            CommandContainerIT.class.getResource("/sagemaker/echo_container.py").toURI());
  }

  private JsonNode invoke(String endpoint, String body) throws Exception {
    return new ObjectMapper()
        .readTree(f.runtime
            .invokeEndpoint(r -> r.endpointName(endpoint)
                .contentType("application/x-image")
                .body(SdkBytes.fromUtf8String(body)))
            .body()
            .asByteArray());
  }

  @Test
  void aCommandServesTheEndpointWithTheSageMakerEnvironmentAndStopsWithIt() throws Exception {
    start(echoContainer())
        .createEndpoint("echo", LocalSageMaker.COMMAND_IMAGE, Map.of("LABELS", "cat,dog"));
    f.awaitStatus("echo", EndpointStatus.IN_SERVICE);

    JsonNode answer = invoke("echo", "image bytes");

    assertThat(answer.get("bytes").asInt()).isEqualTo(11);
    assertThat(answer.get("contentType").asText()).isEqualTo("application/x-image");
    assertThat(answer.get("modelDataUrl").asText()).isEqualTo("file:///tmp/model.onnx");
    assertThat(answer.get("modelDir").asText()).isEqualTo("/tmp");
    assertThat(answer.get("labels").asText()).isEqualTo("cat,dog");
    ProcessHandle container = ProcessHandle.of(answer.get("pid").asLong()).orElseThrow();
    try (var files = Files.list(logs)) {
      Path log = files
          .filter(p -> p.getFileName().toString().startsWith("echo-"))
          .findFirst()
          .orElseThrow();
      assertThat(Files.readString(log)).contains("echo_container listening on");
    }

    f.control.deleteEndpoint(r -> r.endpointName("echo"));
    f.awaitAbsent("echo");
    Fixture.await(() -> container.isAlive() ? null : Boolean.TRUE, "the container process to stop");
  }

  @Test
  void aContainerThatEndsOnItsOwnIsReplacedAndTheEndpointServesAgain() throws Exception {
    start(echoContainer()).createEndpoint("phoenix", LocalSageMaker.COMMAND_IMAGE, Map.of());
    f.awaitStatus("phoenix", EndpointStatus.IN_SERVICE);
    long first = invoke("phoenix", "image bytes").get("pid").asLong();

    ProcessHandle.of(first).orElseThrow().destroyForcibly(); // kill -9, as the OOM killer would

    long second = Fixture.await(
        () -> {
          try {
            return invoke("phoenix", "image bytes").get("pid").asLong();
          } catch (SageMakerRuntimeException e) {
            assertThat(e.statusCode()).isEqualTo(503); // nothing listens until the new one answers
            return null;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        },
        "a new container to answer");
    assertThat(second).isNotEqualTo(first);
    assertThat(f.control.describeEndpoint(r -> r.endpointName("phoenix")).endpointStatus())
        .isEqualTo(EndpointStatus.IN_SERVICE);
  }

  @Test
  void theStacksLogSaysHowAReplacedContainerEndedAndWhatHappensMeanwhile() throws Exception {
    Path log = logs.resolve("gone-1234.log");
    Process ended = new ProcessBuilder("/bin/sh", "-c", "echo 'MemoryError'; exit 9")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    assertThat(ended.waitFor()).isEqualTo(9);
    var container = new CommandLauncher.CommandContainer(
        ended, java.net.URI.create("http://127.0.0.1:1234"), log, 0, "token");

    assertThat(ContainerSupervisor.replacing("gone", container))
        .isEqualTo("the container of endpoint gone ended on its own (the container command exited"
            + " with status 9; its log " + log + " ends: MemoryError); starting a new one, as"
            + " SageMaker replaces an unhealthy instance. Until it answers /ping, invocations answer"
            + " 503 ServiceUnavailable and Classify hands the uploads back to the queue");
  }

  @Test
  void aContainerErrorPointsAtTheContainersLogFile() throws Exception {
    start(echoContainer()).createEndpoint("picky", LocalSageMaker.COMMAND_IMAGE, Map.of());
    f.awaitStatus("picky", EndpointStatus.IN_SERVICE);

    assertThatThrownBy(() -> invoke("picky", "fail"))
        .isInstanceOfSatisfying(ModelErrorException.class, e -> {
          assertThat(e.originalStatusCode()).isEqualTo(400);
          assertThat(e.originalMessage()).isEqualTo("the model cannot read this input");
          assertThat(e.awsErrorDetails().errorMessage())
              .matches(
                  "Received client error \\(400\\) from primary with message \"the model cannot read this"
                      + " input\"\\. See file://" + logs.toUri().getPath()
                      + "picky-\\d+\\.log in account 123456789012"
                      + " for more information\\.");
        });
  }

  @Test
  void aCommandThatExitsFailsTheEndpointAndSaysWhatItsLogEndsWith() {
    start("echo 'loading'; printf 'no model here \\033[2J\\n\\n' >&2; exit 3")
        .createEndpoint("quits", LocalSageMaker.COMMAND_IMAGE, Map.of());

    assertThat(f.awaitStatus("quits", EndpointStatus.FAILED).failureReason())
        .startsWith(
            "The primary container for production variant AllTraffic did not pass the ping health check.")
        .containsPattern(
            "Local detail: the container command exited with status 3 before /ping answered 200; its"
                + " log " + java.util.regex.Pattern.quote(logs.resolve("quits-").toString())
                + "\\d+\\.log ends: no model here \\\\x1b\\[2J$");
  }

  @Test
  void aScriptPythonCannotOpenSaysSoInTheReason() {
    start("exec python3 " + logs.resolve("no-such-serve.py"))
        .createEndpoint("missing", LocalSageMaker.COMMAND_IMAGE, Map.of());

    assertThat(f.awaitStatus("missing", EndpointStatus.FAILED).failureReason())
        .contains(
            "Local detail: the container command exited with status 2 before /ping answered 200")
        .containsPattern(" ends: \\S*python3: can't open file '"
            + java.util.regex.Pattern.quote(logs.resolve("no-such-serve.py").toString())
            + "': \\[Errno 2\\] No such file or directory$");
  }

  @Test
  void aCommandThatWritesNothingBeforeItExitsPointsAtItsLog() {
    start("exit 4").createEndpoint("mute", LocalSageMaker.COMMAND_IMAGE, Map.of());

    assertThat(f.awaitStatus("mute", EndpointStatus.FAILED).failureReason())
        .contains(
            "exited with status 4 before /ping answered 200; see its log " + logs.resolve("mute-"))
        .endsWith(".log (it wrote nothing)");
  }

  @Test
  void aCommandTheShellCannotFindSaysSo() {
    start("offhours-no-such-command --port \"$SAGEMAKER_BIND_TO_PORT\"")
        .createEndpoint("typo", LocalSageMaker.COMMAND_IMAGE, Map.of());

    assertThat(f.awaitStatus("typo", EndpointStatus.FAILED).failureReason())
        .contains(
            "Local detail: the container command exited with status 127 (the shell found no such"
                + " command: check --container-command) before /ping answered 200; its log "
                + logs.resolve("typo-"))
        .contains("offhours-no-such-command: not found");
  }

  @Test
  void aCommandThatRunsButListensElsewhereIsToldWhichPortToServe() {
    f = new Fixture(LocalSageMaker.builder()
        .creatingDelay(Duration.ZERO)
        .deletingDelay(Duration.ZERO)
        .pingTimeout(Duration.ofSeconds(1))
        .logDirectory(logs)
        .containerCommand("exec sleep 30"));
    f.createEndpoint("deaf", LocalSageMaker.COMMAND_IMAGE, Map.of());

    assertThat(f.awaitStatus("deaf", EndpointStatus.FAILED).failureReason())
        .containsPattern(
            "Local detail: no 200 from http://127\\.0\\.0\\.1:(\\d+)/ping within 1 s \\(nothing"
                + " listens on http://127\\.0\\.0\\.1:\\1: the command must serve on the port"
                + " \\$SAGEMAKER_BIND_TO_PORT names \\(\\1\\)\\)");
  }

  @Test
  void withoutACommandAtStartTheCommandImageIsNotServed() {
    start(null);

    assertThatThrownBy(() -> f.createEndpoint("none", LocalSageMaker.COMMAND_IMAGE, Map.of()))
        .isInstanceOfSatisfying(SageMakerException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage())
              .startsWith(
                  "Image \"offhours-local/command\" is not known to" + " the local SageMaker")
              .endsWith(
                  ". It serves this one when the local stack starts with --container-command CMD.");
        });
  }

  @Test
  void aModelCannotRunACommandOfItsOwn() throws Exception {
    Path marker = logs.resolve("ran");
    start(echoContainer());

    for (Map<String, String> environment : List.of(
        Map.of("OFFHOURS_CONTAINER_COMMAND", "touch " + marker),
        Map.of("LD_PRELOAD", "/tmp/evil.so"),
        Map.of("BASH_ENV", "/tmp/evil.sh"),
        Map.of("PYTHONPATH", "/tmp/evil"))) {
      String variable = environment.keySet().iterator().next();
      assertThatThrownBy(() ->
              f.control.createModel(r -> r.modelName("m-" + variable.replace('_', '-'))
                  .primaryContainer(
                      c -> c.image(LocalSageMaker.COMMAND_IMAGE).environment(environment))))
          .as("a model setting %s", variable)
          .isInstanceOfSatisfying(SageMakerException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            assertThat(e.awsErrorDetails().errorMessage()).contains("may not set " + variable);
          });
    }
    assertThat(f.control.listEndpoints(r -> r.maxResults(10)).endpoints()).isEmpty();
    assertThat(marker).doesNotExist();
  }

  @Test
  void closingTheServiceStopsRunningContainers() throws Exception {
    start(echoContainer()).createEndpoint("left", LocalSageMaker.COMMAND_IMAGE, Map.of());
    f.awaitStatus("left", EndpointStatus.IN_SERVICE);
    ProcessHandle container =
        ProcessHandle.of(invoke("left", "x").get("pid").asLong()).orElseThrow();

    f.close();
    f = null;

    Fixture.await(() -> container.isAlive() ? null : Boolean.TRUE, "the container process to stop");
  }
}
