package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import offhours.inference.InvocationErrors;
import offhours.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantServerlessConfig;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/** Serverless endpoints of the local SageMaker through the real SDK clients: ServerlessConfig, throttling, cold starts. */
class ServerlessEndpointTest {
  private final FakeContainer container = new FakeContainer();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final Fixture f = new Fixture(LocalSageMaker.builder()
      .clock(clock)
      .creatingDelay(Duration.ZERO)
      .deletingDelay(Duration.ZERO)
      .serverlessColdStart(Duration.ZERO, Duration.ofMinutes(5))
      .container(Fixture.IMAGE, spec -> container));

  @AfterEach
  void close() {
    f.close();
    container.close();
  }

  private void serverless(String name, Integer memory, Integer maxConcurrency) {
    f.control.createModel(r -> r.modelName(name + "-model")
        .executionRoleArn("arn:aws:iam::123456789012:role/offhours")
        .primaryContainer(c -> c.image(Fixture.IMAGE)));
    f.control.createEndpointConfig(r -> r.endpointConfigName(name + "-config")
        .productionVariants(ProductionVariant.builder()
            .variantName("AllTraffic")
            .modelName(name + "-model")
            .serverlessConfig(ProductionVariantServerlessConfig.builder()
                .memorySizeInMB(memory)
                .maxConcurrency(maxConcurrency)
                .build())
            .build()));
  }

  private InvokeEndpointResponse invoke(String endpoint, String body) {
    return f.runtime.invokeEndpoint(r -> r.endpointName(endpoint)
        .contentType("image/png")
        .body(SdkBytes.fromString(body, StandardCharsets.UTF_8)));
  }

  private void inService(String name, int maxConcurrency) {
    serverless(name, 2048, maxConcurrency);
    f.control.createEndpoint(r -> r.endpointName(name).endpointConfigName(name + "-config"));
    f.awaitStatus(name, EndpointStatus.IN_SERVICE);
  }

  @Test
  void theEndpointConfigKeepsItsServerlessConfigAndRefusesWhatSageMakerRefuses() {
    serverless("sls", 3072, 20);
    var variant = f.control
        .describeEndpointConfig(r -> r.endpointConfigName("sls-config"))
        .productionVariants()
        .get(0);
    assertThat(variant.serverlessConfig().memorySizeInMB()).isEqualTo(3072);
    assertThat(variant.serverlessConfig().maxConcurrency()).isEqualTo(20);
    assertThat(variant.instanceType()).isNull();

    assertThatThrownBy(() -> serverless("half", 1536, 5))
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage())
                .contains("serverlessConfig.memorySizeInMB"));
    assertThatThrownBy(() -> serverless("many", 2048, 201))
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage())
                .contains("serverlessConfig.maxConcurrency"));
    assertThatThrownBy(() -> f.control.createEndpointConfig(r -> r.endpointConfigName("both")
            .productionVariants(ProductionVariant.builder()
                .variantName("v")
                .modelName("sls-model")
                .instanceType("ml.m5.large")
                .serverlessConfig(c -> c.memorySizeInMB(1024).maxConcurrency(1))
                .build())))
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo(
                    "Variant v cannot have both ServerlessConfig and InstanceType or InitialInstanceCount."));
  }

  @Test
  void describeEndpointReportsTheServerlessConfigInsteadOfInstances() {
    inService("sls", 20);
    var variant = f.control
        .describeEndpoint(r -> r.endpointName("sls"))
        .productionVariants()
        .getFirst();
    assertThat(variant.currentServerlessConfig().memorySizeInMB()).isEqualTo(2048);
    assertThat(variant.currentServerlessConfig().maxConcurrency()).isEqualTo(20);
    assertThat(variant.desiredServerlessConfig()).isEqualTo(variant.currentServerlessConfig());
    assertThat(variant.currentInstanceCount()).isNull();
    f.createEndpoint("rt", Fixture.IMAGE, Map.of());
    f.awaitStatus("rt", EndpointStatus.IN_SERVICE);
    var onInstances = f.control
        .describeEndpoint(r -> r.endpointName("rt"))
        .productionVariants()
        .getFirst();
    assertThat(onInstances.currentServerlessConfig()).isNull();
    assertThat(onInstances.currentInstanceCount()).isEqualTo(1);
  }

  @Test
  void beyondMaxConcurrencyItThrottlesAsSageMakerDoesAndTheConsumerWaits() throws Exception {
    inService("busy", 1);
    CompletableFuture<InvokeEndpointResponse> first =
        CompletableFuture.supplyAsync(() -> invoke("busy", "sleep:3000"));
    Fixture.await(
        () -> container.invocations.get() == 1 ? Boolean.TRUE : null,
        "the first invocation in the container");

    assertThatThrownBy(() -> invoke("busy", "second"))
        .isInstanceOfSatisfying(SageMakerRuntimeException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
          assertThat(e.awsErrorDetails().errorMessage()).isNull();
          assertThat(e.isThrottlingException()).isTrue();
          assertThat(InvocationErrors.of(e).cause()).isEqualTo(InvocationErrors.Cause.THROTTLED);
          assertThat(InvocationErrors.of(e).reason()).startsWith("the endpoint is busy");
        });
    assertThat(first.get(60, TimeUnit.SECONDS).sdkHttpResponse().statusCode()).isEqualTo(200);
    assertThat(invoke("busy", "third").sdkHttpResponse().statusCode()).isEqualTo(200);
    assertThat(container.invocations).hasValue(2);
  }

  /**
   * "The maximum request and response payload size for serverless invocations is 4 MB"
   * (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-invoke.html); SageMaker refuses a larger body
   * with ValidationError "Request ... has oversize body." (https://github.com/aws/sagemaker-python-sdk/issues/4271),
   * which the consumer reads as an endpoint of another hosting, not as the image's fault.
   */
  @Test
  void aBodyOver4MbIsRefusedAsOversizeOnAServerlessEndpointAndReachesNoContainer() {
    inService("small", 5);
    f.createEndpoint("rt", Fixture.IMAGE, Map.of());
    f.awaitStatus("rt", EndpointStatus.IN_SERVICE);
    byte[] limit = new byte[4 * 1024 * 1024];
    byte[] over = new byte[limit.length + 1];

    assertThatThrownBy(() -> f.runtime.invokeEndpoint(r ->
            r.endpointName("small").contentType("image/jpeg").body(SdkBytes.fromByteArray(over))))
        .isInstanceOfSatisfying(SageMakerRuntimeException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
          assertThat(e).isInstanceOf(ValidationErrorException.class);
          assertThat(e.awsErrorDetails().errorMessage())
              .as("names the request, as the answer's x-amzn-RequestId does")
              .isEqualTo("Request " + e.requestId() + " has oversize body.");
          assertThat(InvocationErrors.of(e).cause()).isEqualTo(InvocationErrors.Cause.OVERSIZE);
        });
    assertThat(container.invocations).as("refused before the container").hasValue(0);

    assertThat(f.runtime
            .invokeEndpoint(r -> r.endpointName("small")
                .contentType("image/jpeg")
                .body(SdkBytes.fromByteArray(limit)))
            .sdkHttpResponse()
            .statusCode())
        .as("4 MB exactly")
        .isEqualTo(200);
    assertThat(f.runtime
            .invokeEndpoint(r ->
                r.endpointName("rt").contentType("image/jpeg").body(SdkBytes.fromByteArray(over)))
            .sdkHttpResponse()
            .statusCode())
        .as("an endpoint on instances takes up to 6 MB")
        .isEqualTo(200);
  }

  @Test
  void theFirstInvocationAfterIdleWaitsForAColdStartAndAWarmOneDoesNot() throws Exception {
    inService("cold", 5);
    Duration coldStart = Duration.ofMillis(700);
    f.sageMaker.serverlessColdStart(coldStart, Duration.ofMinutes(5));
    long start = System.nanoTime();
    invoke("cold", "first");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("a new endpoint starts cold")
        .isGreaterThanOrEqualTo(coldStart);

    // Warm: a cold start now would last an hour, and the call answers.
    f.sageMaker.serverlessColdStart(Duration.ofHours(1), Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(4));
    assertThat(CompletableFuture.supplyAsync(() -> invoke("cold", "warm"))
            .get(60, TimeUnit.SECONDS)
            .sdkHttpResponse()
            .statusCode())
        .isEqualTo(200);

    f.sageMaker.serverlessColdStart(coldStart, Duration.ofMinutes(5));
    clock.advance(Duration.ofMinutes(6));
    start = System.nanoTime();
    invoke("cold", "after idle");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("idle past keep-warm")
        .isGreaterThanOrEqualTo(coldStart);
    assertThat(container.invocations).hasValue(3);
  }

  /**
   * An update re-initializes the container and the model, so the first invocation after it is cold
   * (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-update.html): CloudFormation updates the
   * stack's serverless endpoint in place when its config changes.
   */
  @Test
  void anUpdateToANewConfigStartsColdAsSageMakerReinitializesTheModel() throws Exception {
    List<FakeContainer> launched = new CopyOnWriteArrayList<>();
    try (Fixture g = new Fixture(LocalSageMaker.builder()
        .clock(clock)
        .creatingDelay(Duration.ZERO)
        .deletingDelay(Duration.ZERO)
        .serverlessColdStart(Duration.ZERO, Duration.ofMinutes(5))
        .container(Fixture.IMAGE, spec -> {
          FakeContainer c = new FakeContainer();
          launched.add(c);
          return c;
        }))) {
      g.control.createModel(r -> r.modelName("upd-model")
          .executionRoleArn("arn:aws:iam::123456789012:role/offhours")
          .primaryContainer(c -> c.image(Fixture.IMAGE)));
      for (int memory : new int[] {2048, 3072}) {
        g.control.createEndpointConfig(r -> r.endpointConfigName("upd-" + memory)
            .productionVariants(ProductionVariant.builder()
                .variantName("AllTraffic")
                .modelName("upd-model")
                .serverlessConfig(c -> c.memorySizeInMB(memory).maxConcurrency(5))
                .build()));
      }
      g.control.createEndpoint(r -> r.endpointName("upd").endpointConfigName("upd-2048"));
      g.awaitStatus("upd", EndpointStatus.IN_SERVICE);
      java.util.function.Supplier<Integer> call = () -> g.runtime
          .invokeEndpoint(r -> r.endpointName("upd")
              .contentType("image/png")
              .body(SdkBytes.fromString("x", StandardCharsets.UTF_8)))
          .sdkHttpResponse()
          .statusCode();
      assertThat(call.get()).isEqualTo(200);

      // Warm: a cold start now would last an hour, and the call answers.
      g.sageMaker.serverlessColdStart(Duration.ofHours(1), Duration.ofMinutes(5));
      assertThat(CompletableFuture.supplyAsync(call).get(60, TimeUnit.SECONDS)).isEqualTo(200);

      g.control.updateEndpoint(r -> r.endpointName("upd").endpointConfigName("upd-3072"));
      assertThat(g.awaitStatus("upd", EndpointStatus.IN_SERVICE).endpointConfigName())
          .isEqualTo("upd-3072");
      Duration coldStart = Duration.ofMillis(700);
      g.sageMaker.serverlessColdStart(coldStart, Duration.ofMinutes(5));
      long start = System.nanoTime();
      assertThat(call.get()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the first invocation of the updated endpoint, at once after the update")
          .isGreaterThanOrEqualTo(coldStart);
    } finally {
      launched.forEach(FakeContainer::close);
    }
  }

  /**
   * SageMaker does not turn a real-time endpoint into a serverless one
   * (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-update.html); the endpoint keeps serving
   * on its instances.
   */
  @Test
  void anEndpointOnInstancesCannotBeUpdatedToAServerlessConfig() {
    f.createEndpoint("rt", Fixture.IMAGE, Map.of());
    f.awaitStatus("rt", EndpointStatus.IN_SERVICE);
    serverless("sls", 2048, 5);

    assertThatThrownBy(() ->
            f.control.updateEndpoint(r -> r.endpointName("rt").endpointConfigName("sls-config")))
        .isInstanceOfSatisfying(SageMakerException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage())
              .startsWith("Cannot update endpoint \"arn:aws:sagemaker:")
              .contains("updating a real-time endpoint to a serverless endpoint is not supported");
        });
    var rt = f.control.describeEndpoint(r -> r.endpointName("rt"));
    assertThat(rt.endpointStatus()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(rt.endpointConfigName()).isEqualTo("rt-config");
  }
}
