package offhours.local.sagemaker;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import org.awaitility.Awaitility;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/** Real SDK clients (retries off, so every error is seen once) against one local SageMaker. */
final class Fixture implements AutoCloseable {
  static final Region REGION = Region.EU_CENTRAL_1;
  static final String IMAGE = "test/fake";

  final LocalSageMaker sageMaker;
  final AwsClients clients;
  final SageMakerClient control;
  final SageMakerRuntimeClient runtime;

  Fixture(LocalSageMakerBuilder builder) {
    sageMaker = builder.region(REGION).start();
    clients = AwsClients.local(
        REGION,
        sageMaker.credentials(),
        Map.of(
            Service.SAGEMAKER,
            sageMaker.endpoint(),
            Service.SAGEMAKER_RUNTIME,
            sageMaker.endpoint()));
    control = clients.build(
        Service.SAGEMAKER,
        SageMakerClient.builder()
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())));
    runtime = clients.build(
        Service.SAGEMAKER_RUNTIME,
        SageMakerRuntimeClient.builder()
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())));
  }

  /** Model {@code name}-model, config {@code name}-config, then the endpoint {@code name}. */
  void createEndpoint(String name, String image, Map<String, String> environment) {
    control.createModel(r -> r.modelName(name + "-model")
        .executionRoleArn("arn:aws:iam::123456789012:role/offhours")
        .primaryContainer(
            c -> c.image(image).modelDataUrl("file:///tmp/model.onnx").environment(environment)));
    control.createEndpointConfig(r -> r.endpointConfigName(name + "-config")
        .productionVariants(ProductionVariant.builder()
            .variantName("AllTraffic")
            .modelName(name + "-model")
            .instanceType("ml.m5.large")
            .initialInstanceCount(1)
            .build()));
    control.createEndpoint(r -> r.endpointName(name).endpointConfigName(name + "-config"));
  }

  DescribeEndpointResponse awaitStatus(String name, EndpointStatus status) {
    return await(
        () -> {
          DescribeEndpointResponse d = control.describeEndpoint(r -> r.endpointName(name));
          return d.endpointStatus() == status ? d : null;
        },
        "endpoint " + name + " " + status);
  }

  void awaitAbsent(String name) {
    await(
        () -> {
          try {
            control.describeEndpoint(r -> r.endpointName(name));
            return null;
          } catch (SageMakerException e) {
            return e.awsErrorDetails().errorCode().equals("ValidationException")
                ? Boolean.TRUE
                : null;
          }
        },
        "endpoint " + name + " gone");
  }

  /** Polls until {@code probe} gives non-null, with a generous deadline (no timing is asserted). */
  static <T> T await(Supplier<T> probe, String what) {
    return Awaitility.await(what)
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(20))
        .until(probe::get, Objects::nonNull);
  }

  @Override
  public void close() {
    control.close();
    runtime.close();
    clients.close();
    sageMaker.close();
  }
}
