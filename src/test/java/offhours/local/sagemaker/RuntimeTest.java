package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import offhours.testing.PartlySent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sagemakerruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/** InvokeEndpoint through the real SageMakerRuntimeClient: what the Classify function will see. */
class RuntimeTest {
  private static final String LOGS =
      "https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1"
          + "#logEventViewer:group=/aws/sagemaker/Endpoints/";

  private final FakeContainer container = new FakeContainer();
  private final CountDownLatch createGate = new CountDownLatch(1);
  private final Fixture f = new Fixture(LocalSageMaker.builder()
      .creatingDelay(Duration.ZERO)
      .deletingDelay(Duration.ZERO)
      .modelTimeout(Duration.ofSeconds(
          2)) // well under the slow container's 3 s, well over a loaded machine's 6 MB copy
      .container(Fixture.IMAGE, spec -> container)
      .container("test/gated", spec -> {
        createGate.await(20, TimeUnit.SECONDS);
        return new FakeContainer();
      }));

  @AfterEach
  void close() {
    createGate.countDown();
    f.close();
    container.close();
  }

  private InvokeEndpointResponse invoke(String endpoint, String body) {
    return f.runtime.invokeEndpoint(r -> r.endpointName(endpoint)
        .contentType("application/x-image")
        .accept("application/json")
        .body(SdkBytes.fromString(body, StandardCharsets.UTF_8)));
  }

  private void inService(String name) {
    f.createEndpoint(name, Fixture.IMAGE, Map.of());
    f.awaitStatus(name, EndpointStatus.IN_SERVICE);
  }

  @Test
  void forwardsPayloadAndHeadersAndReturnsTheContainersAnswer() {
    inService("classify");

    InvokeEndpointResponse response = f.runtime.invokeEndpoint(r -> r.endpointName("classify")
        .contentType("image/png")
        .accept("application/json")
        .customAttributes("trace=1")
        .body(SdkBytes.fromByteArray(new byte[1234])));

    assertThat(response.body().asUtf8String())
        .isEqualTo(
            "{\"contentType\":\"image/png\",\"accept\":\"application/json\",\"bytes\":1234}");
    assertThat(response.contentType()).isEqualTo("application/json");
    assertThat(response.invokedProductionVariant()).isEqualTo("AllTraffic");
    assertThat(response.customAttributes()).isEqualTo("echo:trace=1");
  }

  @Test
  void anAbsentEndpointIsNotFound() {
    assertThatThrownBy(() -> invoke("nobody", "x"))
        .isInstanceOfSatisfying(ValidationErrorException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
          assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo("Endpoint nobody of account 123456789012 not found.");
        });
  }

  @Test
  void aCreatingEndpointIsNotFoundUntilInService() {
    f.createEndpoint("waking", "test/gated", Map.of());

    assertThatThrownBy(() -> invoke("waking", "x"))
        .isInstanceOf(ValidationErrorException.class)
        .hasMessageStartingWith("Endpoint waking of account 123456789012 not found.");

    createGate.countDown();
    f.awaitStatus("waking", EndpointStatus.IN_SERVICE);
    assertThat(invoke("waking", "x").invokedProductionVariant()).isEqualTo("AllTraffic");
  }

  @Test
  void aFailedOrDeletedEndpointIsNotFound() {
    f.sageMaker.failNextCreates(1, "injected");
    f.createEndpoint("failed", Fixture.IMAGE, Map.of());
    f.awaitStatus("failed", EndpointStatus.FAILED);
    assertThatThrownBy(() -> invoke("failed", "x"))
        .isInstanceOf(ValidationErrorException.class)
        .hasMessageStartingWith("Endpoint failed of account 123456789012 not found.");

    inService("gone");
    f.control.deleteEndpoint(r -> r.endpointName("gone"));
    assertThatThrownBy(() -> invoke("gone", "x"))
        .isInstanceOf(ValidationErrorException.class)
        .hasMessageStartingWith("Endpoint gone of account 123456789012 not found.");
  }

  @Test
  void aContainerClientErrorIsAModelErrorWithTheOriginalAnswer() {
    inService("picky");

    assertThatThrownBy(() -> invoke("picky", "status:415"))
        .isInstanceOfSatisfying(ModelErrorException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(424);
          assertThat(e.originalStatusCode()).isEqualTo(415);
          assertThat(e.originalMessage()).isEqualTo("model says no: status:415");
          assertThat(e.logStreamArn())
              .isEqualTo(
                  "arn:aws:logs:eu-central-1:123456789012:log-group:/aws/sagemaker/Endpoints/picky");
          assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo("Received client error (415) from primary with"
                  + " message \"model says no: status:415\". See " + LOGS
                  + "picky in account 123456789012 for more"
                  + " information.");
        });
  }

  @Test
  void aContainerServerErrorIsAModelError() {
    inService("crashy");

    assertThatThrownBy(() -> invoke("crashy", "status:500"))
        .isInstanceOfSatisfying(ModelErrorException.class, e -> {
          assertThat(e.originalStatusCode()).isEqualTo(500);
          assertThat(e.awsErrorDetails().errorMessage())
              .startsWith(
                  "Received server error (500) from primary with message \"model says no: status:500\".");
        });
  }

  @Test
  void aContainerThatMissesTheModelTimeoutIsAModelErrorWithStatusZero() {
    inService("slow");

    assertThatThrownBy(() -> invoke("slow", "sleep:3000"))
        .isInstanceOfSatisfying(ModelErrorException.class, e -> {
          assertThat(e.originalStatusCode()).isEqualTo(0);
          assertThat(e.awsErrorDetails().errorMessage())
              .startsWith(
                  "Received server error (0) from primary with"
                      + " message \"Your invocation timed out while waiting for a response from container primary. Review"
                      + " the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.\".");
        });
  }

  @Test
  void aContainerThatIsGoneIsServiceUnavailable() {
    inService("dead");
    container.close();

    assertThatThrownBy(() -> invoke("dead", "x"))
        .isInstanceOfSatisfying(ServiceUnavailableException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo("The primary container of endpoint dead is not"
                  + " reachable at " + container.baseUri()
                  + " (connection refused); the service is unavailable, try"
                  + " your call again later.");
        });
  }

  @Test
  void aPayloadOverSixMegabytesIsRejectedBeforeTheContainer() {
    inService("big");

    assertThat(
            invoke("big", "x".repeat(LocalSageMaker.MAX_PAYLOAD_BYTES)).body().asUtf8String())
        .endsWith("\"bytes\":6291456}");
    int before = container.invocations.get();
    assertThatThrownBy(() -> invoke("big", "x".repeat(LocalSageMaker.MAX_PAYLOAD_BYTES + 1)))
        .isExactlyInstanceOf(SageMakerRuntimeException.class)
        .satisfies(e -> {
          SageMakerRuntimeException s = (SageMakerRuntimeException) e;
          assertThat(s.statusCode()).isEqualTo(413);
          assertThat(s.awsErrorDetails().errorMessage())
              .isEqualTo("HTTP content length exceeded 6291456 bytes.");
        });
    assertThat(container.invocations.get()).isEqualTo(before);
  }

  @Test
  void aPayloadDeclaredOverSixMegabytesIsRefusedWithoutWaitingForIt() throws Exception {
    inService("big");
    int sevenMegabytes = 7 * 1024 * 1024;

    // Before, the runtime read up to 6 MB first, so this answer waited for a body that never came.
    String answer = PartlySent.answer(
        f.sageMaker.endpoint().getPort(),
        "POST /endpoints/big/invocations HTTP/1.1\r\nHost: 127.0.0.1:"
            + f.sageMaker.endpoint().getPort()
            + "\r\nContent-Type: application/x-image\r\nContent-Length: " + sevenMegabytes
            + "\r\n",
        "a few bytes".getBytes(StandardCharsets.US_ASCII));

    assertThat(answer)
        .startsWith("HTTP/1.1 413 ")
        .containsIgnoringCase("Connection: close")
        .endsWith("HTTP content length exceeded 6291456 bytes.\"}");
    assertThat(container.invocations.get()).isZero();
  }

  @Test
  void twentyParallelInvocationsAllAnswer() throws Exception {
    // Each call is held in the container until all twenty are in: they can only answer if served in
    // parallel. A local SageMaker of its own, with a model timeout no loaded machine reaches.
    FakeContainer gathering = new FakeContainer();
    gathering.gathering = new CountDownLatch(20);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try (Fixture parallel = new Fixture(LocalSageMaker.builder()
        .creatingDelay(Duration.ZERO)
        .modelTimeout(Duration.ofSeconds(90))
        .container(Fixture.IMAGE, spec -> gathering))) {
      parallel.createEndpoint("busy", Fixture.IMAGE, Map.of());
      parallel.awaitStatus("busy", EndpointStatus.IN_SERVICE);
      List<Callable<String>> calls = IntStream.range(0, 20)
          .<Callable<String>>mapToObj(i -> () -> parallel
              .runtime
              .invokeEndpoint(r -> r.endpointName("busy")
                  .contentType("application/x-image")
                  .accept("application/json")
                  .body(SdkBytes.fromString("gather" + " ".repeat(i), StandardCharsets.UTF_8)))
              .body()
              .asUtf8String())
          .toList();
      List<Future<String>> answers = pool.invokeAll(calls);
      for (int i = 0; i < answers.size(); i++) {
        assertThat(answers.get(i).get()).contains("\"bytes\":" + ("gather".length() + i) + "}");
      }
      assertThat(gathering.invocations.get()).isEqualTo(20);
    } finally {
      pool.shutdownNow();
      gathering.close();
    }
  }
}
