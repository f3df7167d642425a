package offhours.endpoint;

// Needs nothing outside this JVM: the local SageMaker serves an in-JVM model container.

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.inference.ModelContract;
import offhours.local.sagemaker.LocalSageMaker;
import offhours.testing.AnsweringContainer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * The controller's SageMaker adapter against the local SageMaker over the wire: the endpoint it creates carries the
 * stack's tag and runs the stack's config, an endpoint created without the tag (or by another stack) is foreign, and the
 * config an endpoint runs is reported so that a stack update's new config is noticed.
 */
class SageMakerEndpointIT {
  static final String STACK =
      "arn:aws:cloudformation:us-east-1:123456789012:stack/offhours/0f1e2d3c-guid";
  static final String IMAGE = "offhours-test/classifier";

  private final LocalSageMaker local = LocalSageMaker.builder()
      .creatingDelay(Duration.ofMillis(20))
      .deletingDelay(Duration.ofMillis(20))
      .container(IMAGE, spec -> AnsweringContainer.start("[0.1,0.9]"))
      .start();
  private final AwsClients clients = AwsClients.local(
      Region.US_EAST_1,
      local.credentials(),
      Map.of(Service.SAGEMAKER, local.endpoint(), Service.SAGEMAKER_RUNTIME, local.endpoint()));
  private final SageMakerClient sageMaker =
      clients.build(Service.SAGEMAKER, SageMakerClient.builder());
  private final SageMakerRuntimeClient runtime =
      clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder());

  @AfterEach
  void close() {
    sageMaker.close();
    runtime.close();
    clients.close();
    local.close();
  }

  private void config(String name) {
    sageMaker.createEndpointConfig(r -> r.endpointConfigName(name)
        .productionVariants(ProductionVariant.builder()
            .variantName("AllTraffic")
            .modelName("offhours-model")
            .instanceType("ml.m5.large")
            .initialInstanceCount(1)
            .build()));
  }

  private void model() {
    sageMaker.createModel(r -> r.modelName("offhours-model")
        .executionRoleArn("arn:aws:iam::123456789012:role/sm")
        .primaryContainer(c -> c.image(IMAGE)));
  }

  private SageMakerEndpoint adapter(String configName, String stackId) {
    return new SageMakerEndpoint(
        sageMaker,
        runtime,
        "offhours-endpoint",
        configName,
        stackId,
        ModelContract.builtIn(List.of("cat", "dog")));
  }

  @Test
  void theEndpointItCreatesIsTaggedWithTheStackAndRunsTheStacksConfig() {
    model();
    config("offhours-endpoint-config");
    SageMakerEndpoint endpoint = adapter("offhours-endpoint-config", STACK);
    assertThat(endpoint.create()).as("this run's start").isTrue();
    assertThat(endpoint.create())
        .as("a second run that also saw it absent: SageMaker's 'Cannot create already existing"
            + " endpoint', not this run's start")
        .isFalse();

    Endpoint.Status created = endpoint.describe();
    assertThat(created.state()).isIn(Endpoint.State.CREATING, Endpoint.State.IN_SERVICE);
    assertThat(created.configName()).isEqualTo("offhours-endpoint-config");
    assertThat(created.foreign()).isFalse();
    assertThat(sageMaker
            .listTags(r -> r.resourceArn(sageMaker
                .describeEndpoint(d -> d.endpointName("offhours-endpoint"))
                .endpointArn()))
            .tags())
        .hasSize(2)
        .anySatisfy(t -> {
          assertThat(t.key()).isEqualTo("offhours:stack-id");
          assertThat(t.value()).isEqualTo(STACK);
        })
        .anySatisfy(t -> {
          assertThat(t.key()).as("the call's own token").isEqualTo("offhours:create-request");
          assertThat(t.value()).hasSize(36);
        });
    Endpoint.Status ready = await(() -> {
      Endpoint.Status s = endpoint.describe();
      return s.state() == Endpoint.State.IN_SERVICE ? s : null;
    });
    assertThat(ready.foreign()).isFalse();
    assertThat(endpoint.probe().ok()).isTrue();
    assertThat(adapter("offhours-endpoint-config", STACK.replace("offhours/", "other/"))
            .describe()
            .foreign())
        .as("the same endpoint seen by another stack's controller")
        .isTrue();

    endpoint.delete();
    await(() -> endpoint.describe().state() == Endpoint.State.ABSENT ? Boolean.TRUE : null);
  }

  @Test
  void anEndpointCreatedWithoutTheTagIsForeignAndItsConfigIsReported() {
    model();
    config("offhours-endpoint-config-old");
    sageMaker.createEndpoint(r ->
        r.endpointName("offhours-endpoint").endpointConfigName("offhours-endpoint-config-old"));

    Endpoint.Status status = adapter("offhours-endpoint-config", STACK).describe();
    assertThat(status.foreign()).isTrue();
    assertThat(status.configName()).isEqualTo("offhours-endpoint-config-old");
    assertThat(new SageMakerEndpoint(sageMaker, "offhours-endpoint").describe().foreign())
        .as("the cleanup does not read tags")
        .isFalse();
  }

  @Test
  void theLocalSageMakerRefusesReservedTagKeysAndUnknownResourcesAsSageMakerDoes() {
    model();
    config("offhours-endpoint-config");
    assertThatThrownBy(() -> sageMaker.createEndpoint(r -> r.endpointName("offhours-endpoint")
            .endpointConfigName("offhours-endpoint-config")
            .tags(t -> t.key("aws:cloudformation:stack-id").value("x"))))
        .isInstanceOfSatisfying(SageMakerException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo(
                  "System prefix 'aws:' reserved for AWS usage in tag key: aws:cloudformation:stack-id");
        });
    assertThatThrownBy(() -> sageMaker.listTags(
            r -> r.resourceArn("arn:aws:sagemaker:us-east-1:123456789012:endpoint/nothing")))
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
  }

  private static <T> T await(Supplier<T> probe) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(probe::get, Objects::nonNull);
  }
}
