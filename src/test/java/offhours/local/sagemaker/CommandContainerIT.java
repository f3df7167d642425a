package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;

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

  private Fixture start() {
    f = new Fixture(LocalSageMaker.builder().creatingDelay(Duration.ZERO).deletingDelay(Duration.ZERO)
        .pingTimeout(Duration.ofSeconds(15)).logDirectory(logs));
    return f;
  }

  private static String echoContainer() throws Exception {
    return "exec python3 " + Path.of(CommandContainerIT.class.getResource("/sagemaker/echo_container.py").toURI());
  }

  private JsonNode invoke(String endpoint, String body) throws Exception {
    return new ObjectMapper().readTree(f.runtime.invokeEndpoint(r -> r.endpointName(endpoint)
        .contentType("application/x-image").body(SdkBytes.fromUtf8String(body))).body().asByteArray());
  }

  @Test
  void aCommandServesTheEndpointWithTheSageMakerEnvironmentAndStopsWithIt() throws Exception {
    start().createEndpoint("echo", LocalSageMaker.COMMAND_IMAGE,
        Map.of(LocalSageMaker.COMMAND_VARIABLE, echoContainer(), "LABELS", "cat,dog"));
    f.awaitStatus("echo", EndpointStatus.IN_SERVICE);

    JsonNode answer = invoke("echo", "image bytes");

    assertThat(answer.get("bytes").asInt()).isEqualTo(11);
    assertThat(answer.get("contentType").asText()).isEqualTo("application/x-image");
    assertThat(answer.get("modelDataUrl").asText()).isEqualTo("file:///tmp/model.onnx");
    assertThat(answer.get("modelDir").asText()).isEqualTo("/tmp");
    assertThat(answer.get("labels").asText()).isEqualTo("cat,dog");
    ProcessHandle container = ProcessHandle.of(answer.get("pid").asLong()).orElseThrow();
    try (var files = Files.list(logs)) {
      Path log = files.filter(p -> p.getFileName().toString().startsWith("echo-")).findFirst().orElseThrow();
      assertThat(Files.readString(log)).contains("echo_container listening on");
    }

    f.control.deleteEndpoint(r -> r.endpointName("echo"));
    f.awaitAbsent("echo");
    Fixture.await(() -> container.isAlive() ? null : Boolean.TRUE, "the container process to stop");
  }

  @Test
  void aContainerErrorPointsAtTheContainersLogFile() throws Exception {
    start().createEndpoint("picky", LocalSageMaker.COMMAND_IMAGE,
        Map.of(LocalSageMaker.COMMAND_VARIABLE, echoContainer()));
    f.awaitStatus("picky", EndpointStatus.IN_SERVICE);

    assertThatThrownBy(() -> invoke("picky", "fail"))
        .isInstanceOfSatisfying(ModelErrorException.class, e -> {
          assertThat(e.originalStatusCode()).isEqualTo(400);
          assertThat(e.originalMessage()).isEqualTo("the model cannot read this input");
          assertThat(e.awsErrorDetails().errorMessage())
              .matches("Received client error \\(400\\) from primary with message \"the model cannot read this"
                  + " input\"\\. See file://" + logs.toUri().getPath() + "picky-\\d+\\.log in account 123456789012"
                  + " for more information\\.");
        });
  }

  @Test
  void aCommandThatExitsFailsTheEndpointAndNamesItsLog() {
    start().createEndpoint("quits", LocalSageMaker.COMMAND_IMAGE,
        Map.of(LocalSageMaker.COMMAND_VARIABLE, "echo 'no model here' >&2; exit 3"));

    assertThat(f.awaitStatus("quits", EndpointStatus.FAILED).failureReason())
        .startsWith("The primary container for production variant AllTraffic did not pass the ping health check.")
        .contains("Local detail: the container command exited with status 3 before /ping answered 200; see its"
            + " log " + logs.resolve("quits-"));
  }

  @Test
  void aModelWithoutACommandFailsTheEndpointSayingWhatIsMissing() {
    start().createEndpoint("empty", LocalSageMaker.COMMAND_IMAGE, Map.of());

    assertThat(f.awaitStatus("empty", EndpointStatus.FAILED).failureReason()).isEqualTo(
        "Failed to launch the primary container (image offhours-local/command) for production variant AllTraffic:"
            + " image offhours-local/command needs the shell command to run in the model's"
            + " PrimaryContainer.Environment.OFFHOURS_CONTAINER_COMMAND");
  }

  @Test
  void closingTheServiceStopsRunningContainers() throws Exception {
    start().createEndpoint("left", LocalSageMaker.COMMAND_IMAGE,
        Map.of(LocalSageMaker.COMMAND_VARIABLE, echoContainer()));
    f.awaitStatus("left", EndpointStatus.IN_SERVICE);
    ProcessHandle container = ProcessHandle.of(invoke("left", "x").get("pid").asLong()).orElseThrow();

    f.close();
    f = null;

    Fixture.await(() -> container.isAlive() ? null : Boolean.TRUE, "the container process to stop");
  }
}
