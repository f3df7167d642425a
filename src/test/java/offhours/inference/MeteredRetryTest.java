package offhours.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;

/**
 * What the serverless ledger adds for one InvokeEndpoint call that the SDK retried: a stand-in for SageMaker Runtime
 * (POST /endpoints/{name}/invocations) turns the first attempt away after holding it {@link #FIRST_ATTEMPT_MILLIS}
 * (a throttle, or the service's own 5xx: no model ran, nothing billed), then answers. The ledger adds one invocation,
 * the answering attempt's time alone (below the first attempt's hold, which the call's wall time includes), and the
 * image and answer once.
 */
class MeteredRetryTest {

  // Long beside a local answer (a few ms; 663 ms seen once on a machine at load 28), so the bound
  // below holds under load: it tells the answering attempt alone from both attempts, it does not
  // time anything.
  private static final long FIRST_ATTEMPT_MILLIS = 2_000;
  private static final String ANSWER = "[0.02, 0.01, 0.9, 0.02, 0.05]";

  /** Turns the first request away with {@code status} and {@code errorType} after holding it, answers the rest. */
  private static final class TurnedAwayOnce implements java.util.function.Function<Request, Reply> {
    private final AtomicInteger received = new AtomicInteger();
    private final int status;
    private final String errorType;
    private final Reply then;

    TurnedAwayOnce(int status, String errorType, Reply then) {
      this.status = status;
      this.errorType = errorType;
      this.then = then;
    }

    @Override
    public Reply apply(Request request) {
      if (received.incrementAndGet() > 1) {
        return then;
      }
      try {
        Thread.sleep(FIRST_ATTEMPT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Reply.json(status, "{\"message\":\"turned away\"}")
          .withHeader("x-amzn-ErrorType", errorType);
    }
  }

  private static InferenceClient client(SageMakerRuntimeClient runtime) {
    return new InferenceClient(runtime, "offhours-endpoint-1a2b", ModelContract.fromEnv(Map.of()));
  }

  private static SageMakerRuntimeClient runtime(AwsClients aws) {
    return aws.build(
        Service.SAGEMAKER_RUNTIME,
        SageMakerRuntimeClient.builder()
            .overrideConfiguration(InferenceClient.overrides(Duration.ofSeconds(30), 3)));
  }

  @ParameterizedTest
  @CsvSource({"429, ThrottlingException", "400, ThrottlingException", "503, ServiceUnavailable"})
  void aRetriedInvocationAddsOnlyTheAttemptTheModelAnswered(int status, String errorType) {
    TurnedAwayOnce endpoint = new TurnedAwayOnce(status, errorType, Reply.json(200, ANSWER));
    byte[] image = ProbeImage.bytes();
    InvocationUsage usage = new InvocationUsage();
    try (StubHttpServer server = StubHttpServer.start(endpoint);
        AwsClients aws =
            AwsClients.local(Region.EU_CENTRAL_1, Map.of(Service.SAGEMAKER_RUNTIME, server.uri()));
        SageMakerRuntimeClient runtime = runtime(aws)) {
      client(runtime).send(image, Duration.ofSeconds(50), usage);
      assertThat(server.requests()).as("the SDK sent the image twice").hasSize(2);
    }

    assertThat(usage.invocations()).isEqualTo(1);
    assertThat(usage.millis())
        .as("the answering attempt's time, without the turned-away attempt or the backoff")
        .isBetween(1L, FIRST_ATTEMPT_MILLIS - 1);
    assertThat(usage.bytes()).isEqualTo(image.length + ANSWER.length());
  }

  @ParameterizedTest
  @CsvSource({"429, ThrottlingException", "503, ServiceUnavailable"})
  void aModelErrorAfterARetryIsOneInvocationWithItsBody(int status, String errorType) {
    String modelError = "{\"Message\":\"Received client error (400) from primary\","
        + "\"OriginalStatusCode\":400,\"OriginalMessage\":\"image file is truncated\"}";
    TurnedAwayOnce endpoint = new TurnedAwayOnce(
        status,
        errorType,
        Reply.json(424, modelError).withHeader("x-amzn-ErrorType", "ModelError"));
    byte[] image = ProbeImage.bytes();
    InvocationUsage usage = new InvocationUsage();
    try (StubHttpServer server = StubHttpServer.start(endpoint);
        AwsClients aws =
            AwsClients.local(Region.EU_CENTRAL_1, Map.of(Service.SAGEMAKER_RUNTIME, server.uri()));
        SageMakerRuntimeClient runtime = runtime(aws)) {
      assertThatThrownBy(() -> client(runtime).send(image, Duration.ofSeconds(50), usage))
          .isInstanceOf(ModelErrorException.class);
      assertThat(server.requests()).hasSize(2);
    }

    assertThat(usage.invocations()).isEqualTo(1);
    assertThat(usage.millis()).isBetween(1L, FIRST_ATTEMPT_MILLIS - 1);
    assertThat(usage.bytes()).isEqualTo(image.length + modelError.length());
  }
}
