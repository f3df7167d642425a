package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantInstanceType;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;

/** Inference components through the real SageMakerClient and SageMakerRuntimeClient: copies 1 -> 0 -> 1, deletion. */
class InferenceComponentsTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/offhours";

  private final List<FakeContainer> launched = new CopyOnWriteArrayList<>();
  private final Fixture f = new Fixture(LocalSageMaker.builder()
      .creatingDelay(Duration.ofMillis(50))
      .deletingDelay(Duration.ofMillis(50))
      .container(Fixture.IMAGE, spec -> {
        FakeContainer container = new FakeContainer();
        launched.add(container);
        return container;
      }));

  @AfterEach
  void close() {
    f.close();
    launched.forEach(FakeContainer::close);
  }

  private void componentEndpoint(String name) {
    f.control.createModel(r -> r.modelName(name + "-model")
        .executionRoleArn(ROLE)
        .primaryContainer(c -> c.image(Fixture.IMAGE).modelDataUrl("file:///tmp/model.onnx")));
    f.control.createEndpointConfig(r -> r.endpointConfigName(name + "-config")
        .executionRoleArn(ROLE)
        .productionVariants(ProductionVariant.builder()
            .variantName("AllTraffic")
            .instanceType(ProductionVariantInstanceType.ML_M5_LARGE)
            .initialInstanceCount(1)
            .managedInstanceScaling(
                m -> m.status("ENABLED").minInstanceCount(0).maxInstanceCount(2))
            .routingConfig(rc -> rc.routingStrategy("LEAST_OUTSTANDING_REQUESTS"))
            .build()));
    f.control.createEndpoint(r -> r.endpointName(name).endpointConfigName(name + "-config"));
    f.awaitStatus(name, EndpointStatus.IN_SERVICE);
  }

  private void createComponent(String endpoint, String name, int copies) {
    f.control.createInferenceComponent(r -> r.inferenceComponentName(name)
        .endpointName(endpoint)
        .variantName("AllTraffic")
        .specification(s -> s.modelName(endpoint + "-model")
            .computeResourceRequirements(
                c -> c.numberOfCpuCoresRequired(1f).minMemoryRequiredInMb(1024)))
        .runtimeConfig(c -> c.copyCount(copies)));
  }

  private DescribeInferenceComponentResponse awaitComponent(
      String name, InferenceComponentStatus status, int currentCopies) {
    return Fixture.await(
        () -> {
          DescribeInferenceComponentResponse d =
              f.control.describeInferenceComponent(r -> r.inferenceComponentName(name));
          return d.inferenceComponentStatus() == status
                  && d.runtimeConfig().currentCopyCount() == currentCopies
              ? d
              : null;
        },
        "component " + name + " " + status + " with " + currentCopies + " copies");
  }

  private InvokeEndpointResponse invoke(String endpoint, String component) {
    return f.runtime.invokeEndpoint(r -> r.endpointName(endpoint)
        .inferenceComponentName(component)
        .contentType("application/x-image")
        .body(SdkBytes.fromString("hello", StandardCharsets.UTF_8)));
  }

  private int instances(String endpoint) {
    return f.control
        .describeEndpoint(r -> r.endpointName(endpoint))
        .productionVariants()
        .getFirst()
        .currentInstanceCount();
  }

  @Test
  void componentScalesToZeroAndBackWhileTheEndpointStays() {
    componentEndpoint("ep");
    assertThat(instances("ep"))
        .as("InitialInstanceCount, with no component yet")
        .isEqualTo(1);
    createComponent("ep", "ep-ic", 1);
    DescribeInferenceComponentResponse up =
        awaitComponent("ep-ic", InferenceComponentStatus.IN_SERVICE, 1);
    assertThat(up.endpointName()).isEqualTo("ep");
    assertThat(up.inferenceComponentArn())
        .isEqualTo("arn:aws:sagemaker:eu-central-1:123456789012:inference-component/ep-ic");
    assertThat(up.specification().modelName()).isEqualTo("ep-model");
    assertThat(up.specification().computeResourceRequirements().minMemoryRequiredInMb())
        .isEqualTo(1024);
    assertThat(up.runtimeConfig().desiredCopyCount()).isEqualTo(1);
    assertThat(instances("ep")).isEqualTo(1);
    assertThat(invoke("ep", "ep-ic").invokedProductionVariant()).isEqualTo("AllTraffic");

    f.control.updateInferenceComponentRuntimeConfig(
        r -> r.inferenceComponentName("ep-ic").desiredRuntimeConfig(c -> c.copyCount(0)));
    awaitComponent("ep-ic", InferenceComponentStatus.IN_SERVICE, 0);
    assertThatThrownBy(() -> invoke("ep", "ep-ic"))
        .isInstanceOfSatisfying(ValidationErrorException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(InferenceComponents.NO_CAPACITY);
        });
    Fixture.await(() -> instances("ep") == 0 ? Boolean.TRUE : null, "instances scaled in");
    assertThat(launched).singleElement().satisfies(c -> assertThat(c.closed).isTrue());
    assertThat(f.control.describeEndpoint(r -> r.endpointName("ep")).endpointStatus())
        .isEqualTo(EndpointStatus.IN_SERVICE);

    f.control.updateInferenceComponentRuntimeConfig(
        r -> r.inferenceComponentName("ep-ic").desiredRuntimeConfig(c -> c.copyCount(2)));
    assertThat(f.control
            .describeInferenceComponent(r -> r.inferenceComponentName("ep-ic"))
            .runtimeConfig())
        .satisfies(rc -> assertThat(rc.desiredCopyCount()).isEqualTo(2));
    awaitComponent("ep-ic", InferenceComponentStatus.IN_SERVICE, 2);
    assertThat(instances("ep")).isEqualTo(2);
    assertThat(invoke("ep", "ep-ic").body().asUtf8String()).contains("\"bytes\":5");
    assertThat(f.control
            .listInferenceComponents(r -> r.endpointNameEquals("ep"))
            .inferenceComponents())
        .singleElement()
        .satisfies(s -> assertThat(s.inferenceComponentName()).isEqualTo("ep-ic"));

    assertThatThrownBy(() -> f.control.deleteEndpoint(r -> r.endpointName("ep")))
        .as("SageMaker deletes an endpoint only once its components are gone")
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("Cannot delete endpoint"
                    + " \"arn:aws:sagemaker:eu-central-1:123456789012:endpoint/ep\" while it has"
                    + " inference components: ep-ic (InService). Delete them first; the endpoint can be"
                    + " deleted once none is left."));
    f.control.deleteInferenceComponent(r -> r.inferenceComponentName("ep-ic"));
    Fixture.await(
        () -> f.control
                .listInferenceComponents(r -> r.endpointNameEquals("ep"))
                .inferenceComponents()
                .isEmpty()
            ? Boolean.TRUE
            : null,
        "component deleted");
    assertThat(launched).allSatisfy(c -> assertThat(c.closed).isTrue());
    assertThatThrownBy(
            () -> f.control.describeInferenceComponent(r -> r.inferenceComponentName("ep-ic")))
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo(
                    "Could not find inference component"
                        + " \"arn:aws:sagemaker:eu-central-1:123456789012:inference-component/ep-ic\"."));
    f.control.deleteEndpoint(r -> r.endpointName("ep"));
    f.awaitAbsent("ep");
  }

  @Test
  void aComponentEndpointNeedsTheComponentNameAndAModelEndpointRefusesOne() {
    componentEndpoint("ce");
    assertThatThrownBy(() -> f.runtime.invokeEndpoint(r -> r.endpointName("ce")
            .contentType("application/x-image")
            .body(SdkBytes.fromUtf8String("x"))))
        .isInstanceOfSatisfying(
            ValidationErrorException.class,
            e -> assertThat(e.getMessage())
                .startsWith("Inference Component Name header is required"));
    assertThatThrownBy(() -> invoke("ce", "nope"))
        .isInstanceOfSatisfying(
            ValidationErrorException.class,
            e -> assertThat(e.getMessage())
                .startsWith("Inference Component nope not found for endpoint ce"));

    f.createEndpoint("plain", Fixture.IMAGE, java.util.Map.of());
    f.awaitStatus("plain", EndpointStatus.IN_SERVICE);
    assertThatThrownBy(() -> createComponent("plain", "plain-ic", 1))
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage())
                .contains(
                    "inference components need an endpoint config whose variant has no ModelName"));
  }

  @Test
  void aComponentCreatedWithNoCopyIsInServiceWithoutCapacityUntilCopiesAreSet() {
    componentEndpoint("z");
    createComponent("z", "z-ic", 0);
    DescribeInferenceComponentResponse idle =
        awaitComponent("z-ic", InferenceComponentStatus.IN_SERVICE, 0);
    assertThat(idle.runtimeConfig().desiredCopyCount()).isZero();
    Fixture.await(() -> instances("z") == 0 ? Boolean.TRUE : null, "instances scaled in");
    assertThat(launched).as("no copy, no container").isEmpty();
    assertThatThrownBy(() -> invoke("z", "z-ic"))
        .isInstanceOfSatisfying(
            ValidationErrorException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo(InferenceComponents.NO_CAPACITY));

    f.control.updateInferenceComponentRuntimeConfig(
        r -> r.inferenceComponentName("z-ic").desiredRuntimeConfig(c -> c.copyCount(1)));
    awaitComponent("z-ic", InferenceComponentStatus.IN_SERVICE, 1);
    assertThat(instances("z")).isEqualTo(1);
    assertThat(invoke("z", "z-ic").invokedProductionVariant()).isEqualTo("AllTraffic");
  }

  /**
   * SageMaker scales an endpoint's instances to zero only while it hosts a component: the ones it was created with
   * stay until a component is there, then go with its copies at 0.
   */
  @Test
  void theInstancesAnEndpointStartsWithGoOnlyOnceAComponentWithNoCopyIsOnIt() {
    componentEndpoint("i");
    assertThat(instances("i")).as("InitialInstanceCount, with no component yet").isEqualTo(1);
    createComponent("i", "i-ic", 0);
    awaitComponent("i-ic", InferenceComponentStatus.IN_SERVICE, 0);
    Fixture.await(() -> instances("i") == 0 ? Boolean.TRUE : null, "instances scaled in");
    assertThat(launched).as("no copy, no container").isEmpty();
  }

  /**
   * With their own delay the instances outlast the copies: a scale-in held half done (no copy, the instance up) for
   * as long as a test needs, and copies set back meanwhile come up on that instance.
   */
  @Test
  void theInstancesOutlastTheCopiesByTheirOwnDelay() {
    componentEndpoint("h");
    createComponent("h", "h-ic", 1);
    awaitComponent("h-ic", InferenceComponentStatus.IN_SERVICE, 1);
    f.sageMaker.delays(Duration.ZERO, Duration.ZERO, Duration.ofHours(1));

    f.control.updateInferenceComponentRuntimeConfig(
        r -> r.inferenceComponentName("h-ic").desiredRuntimeConfig(c -> c.copyCount(0)));
    awaitComponent("h-ic", InferenceComponentStatus.IN_SERVICE, 0);
    assertThat(launched).singleElement().satisfies(c -> assertThat(c.closed).isTrue());
    assertThat(instances("h")).as("the instance, an hour before it goes").isEqualTo(1);

    f.control.updateInferenceComponentRuntimeConfig(
        r -> r.inferenceComponentName("h-ic").desiredRuntimeConfig(c -> c.copyCount(1)));
    awaitComponent("h-ic", InferenceComponentStatus.IN_SERVICE, 1);
    assertThat(instances("h")).isEqualTo(1);
    assertThat(invoke("h", "h-ic").invokedProductionVariant()).isEqualTo("AllTraffic");
    assertThatThrownBy(
            () -> f.sageMaker.delays(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instances delay must be zero or positive, was PT-1S");
  }

  @Test
  void updatesWaitForInServiceAndCopiesAreNeverNegative() {
    componentEndpoint("w");
    assertThatThrownBy(() -> createComponent("w", "w-ic", -1))
        .isInstanceOfSatisfying(
            SageMakerException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage())
                .contains("'runtimeConfig.copyCount'")
                .contains("greater than or equal to 0"));
    f.sageMaker.delays(Duration.ofSeconds(30), Duration.ZERO);
    createComponent("w", "w-ic", 1);
    assertThatThrownBy(() -> f.control.updateInferenceComponentRuntimeConfig(
            r -> r.inferenceComponentName("w-ic").desiredRuntimeConfig(c -> c.copyCount(0))))
        .isInstanceOfSatisfying(SageMakerException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage()).contains("while it is Creating");
        });
    assertThatThrownBy(
            () -> f.control.deleteInferenceComponent(r -> r.inferenceComponentName("w-ic")))
        .as("no deletion mid-transition either")
        .isInstanceOfSatisfying(SageMakerException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage()).contains("while it is Creating");
        });
    assertThatThrownBy(() -> invoke("w", "w-ic"))
        .isInstanceOfSatisfying(
            ValidationErrorException.class,
            e -> assertThat(e.getMessage()).startsWith(InferenceComponents.NO_CAPACITY));
  }
}
