package offhours.endpoint.sim;

import java.time.Instant;
import java.util.function.Supplier;
import offhours.endpoint.ComponentEndpoint;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.Endpoint;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.CreateInferenceComponentRequest;
import software.amazon.awssdk.services.sagemaker.model.CreateInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.DeleteEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.DeleteEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DeleteInferenceComponentRequest;
import software.amazon.awssdk.services.sagemaker.model.DeleteInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.ListTagsRequest;
import software.amazon.awssdk.services.sagemaker.model.ListTagsResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantSummary;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemaker.model.UpdateInferenceComponentRuntimeConfigRequest;
import software.amazon.awssdk.services.sagemaker.model.UpdateInferenceComponentRuntimeConfigResponse;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * The SageMaker control plane of the scale-to-zero hosting in memory, answering the SDK's own requests and responses
 * from a {@link SimulatedComponent}, so the simulation runs the deployed adapter ({@code offhours.endpoint
 * .ComponentEndpoint}) unchanged: its state mapping, its createdAt and its resumable are the ones AWS would get. The
 * endpoint exists and stays InService, tagged with the stack's id (the controller created it on its first wake; it
 * is never deleted while it runs the stack's config); every other call is the SDK's default, which throws.
 */
final class SimulatedSageMaker implements SageMakerClient {
  private static final String ARN = "arn:aws:sagemaker:eu-central-1:123456789012:";

  private final SimulatedComponent component;
  private final Supplier<Instant> clock;
  private final Instant endpointCreated;
  private final String endpointName;
  private final String endpointConfigName;
  private final String stackId;
  private final String modelName;

  private SimulatedSageMaker(
      SimulatedComponent component,
      Supplier<Instant> clock,
      Instant endpointCreated,
      String endpointName,
      String endpointConfigName,
      String stackId,
      String modelName) {
    this.component = component;
    this.clock = clock;
    this.endpointCreated = endpointCreated;
    this.endpointName = endpointName;
    this.endpointConfigName = endpointConfigName;
    this.stackId = stackId;
    this.modelName = modelName;
  }

  /**
   * {@link ComponentEndpoint} as the controller's Lambda builds it from {@code cc}, over {@code component} at {@code
   * clock}'s time, on an endpoint created at {@code endpointCreated}; its test invocation answers while a copy serves
   * (the runtime is not simulated).
   */
  static Endpoint endpoint(
      SimulatedComponent component,
      Supplier<Instant> clock,
      Instant endpointCreated,
      ControllerConfig cc) {
    SimulatedSageMaker sageMaker = new SimulatedSageMaker(
        component,
        clock,
        endpointCreated,
        cc.endpointName(),
        cc.endpointConfigName(),
        cc.stackId(),
        cc.modelName());
    SageMakerRuntimeClient noRuntime = new SageMakerRuntimeClient() {
      @Override
      public String serviceName() {
        return SERVICE_NAME;
      }

      @Override
      public void close() {}
    };
    ComponentEndpoint adapter = new ComponentEndpoint(
        sageMaker,
        noRuntime,
        cc.endpointName(),
        cc.endpointConfigName(),
        cc.model().inferenceComponentName(),
        cc.modelName(),
        cc.instanceCount(),
        cc.instanceType(),
        cc.stackId(),
        cc.model());
    return new Endpoint() {
      @Override
      public Status describe() {
        return adapter.describe();
      }

      @Override
      public boolean create() {
        return adapter.create();
      }

      @Override
      public void delete() {
        adapter.delete();
      }

      @Override
      public Probe probe() {
        return component.serving()
            ? new Probe(true, "5 class probabilities")
            : new Probe(
                false,
                "ValidationError: Inference Component has no capacity to process this request");
      }
    };
  }

  @Override
  public DescribeEndpointResponse describeEndpoint(DescribeEndpointRequest r) {
    requireEndpoint(r.endpointName());
    return DescribeEndpointResponse.builder()
        .endpointName(endpointName)
        .endpointArn(ARN + "endpoint/" + endpointName)
        .endpointConfigName(endpointConfigName)
        .endpointStatus("InService")
        .creationTime(endpointCreated)
        .lastModifiedTime(endpointCreated)
        .productionVariants(ProductionVariantSummary.builder()
            .variantName(modelName)
            .currentInstanceCount(component.instances)
            .build())
        .build();
  }

  @Override
  public ListTagsResponse listTags(ListTagsRequest r) {
    return ListTagsResponse.builder()
        .tags(Tag.builder()
            .key(offhours.endpoint.SageMakerEndpoint.STACK_TAG)
            .value(stackId)
            .build())
        .build();
  }

  @Override
  public DescribeInferenceComponentResponse describeInferenceComponent(
      DescribeInferenceComponentRequest r) {
    if (component.status == null) {
      throw validation("Could not find inference component \"" + ARN + "inference-component/"
          + r.inferenceComponentName() + "\".");
    }
    return DescribeInferenceComponentResponse.builder()
        .inferenceComponentName(r.inferenceComponentName())
        .endpointName(endpointName)
        .variantName(modelName)
        .specification(s -> s.modelName(modelName))
        .runtimeConfig(
            c -> c.desiredCopyCount(component.desired).currentCopyCount(component.current))
        .creationTime(component.creationTime)
        .lastModifiedTime(component.lastModifiedTime)
        .inferenceComponentStatus(component.status.aws)
        .failureReason(component.failureReason)
        .build();
  }

  @Override
  public CreateInferenceComponentResponse createInferenceComponent(
      CreateInferenceComponentRequest r) {
    requireEndpoint(r.endpointName());
    call(() -> component.create(r.runtimeConfig().copyCount(), clock.get()));
    return CreateInferenceComponentResponse.builder().build();
  }

  @Override
  public UpdateInferenceComponentRuntimeConfigResponse updateInferenceComponentRuntimeConfig(
      UpdateInferenceComponentRuntimeConfigRequest r) {
    call(() -> component.setCopies(r.desiredRuntimeConfig().copyCount(), clock.get()));
    return UpdateInferenceComponentRuntimeConfigResponse.builder().build();
  }

  @Override
  public DeleteInferenceComponentResponse deleteInferenceComponent(
      DeleteInferenceComponentRequest r) {
    call(() -> component.delete(clock.get()));
    return DeleteInferenceComponentResponse.builder().build();
  }

  /**
   * Refused while the component exists (Deleting too), as SageMaker refuses it. The simulated endpoint runs the
   * stack's config and never fails, so the controller has no reason to delete it: any other call is a fault.
   */
  @Override
  public DeleteEndpointResponse deleteEndpoint(DeleteEndpointRequest r) {
    requireEndpoint(r.endpointName());
    if (component.status != null) {
      throw validation("Cannot delete endpoint \"" + ARN + "endpoint/" + endpointName
          + "\" while it has an inference component (" + component.status.aws
          + "); delete the component first.");
    }
    throw new UnsupportedOperationException(
        "the simulation keeps its endpoint: it runs the stack's config and never fails");
  }

  private void requireEndpoint(String name) {
    if (!endpointName.equals(name)) {
      throw validation("Could not find endpoint \"" + name + "\".");
    }
  }

  /** A refusal of the simulated component, as the ValidationException SageMaker answers. */
  private static void call(Runnable change) {
    try {
      change.run();
    } catch (IllegalStateException e) {
      throw validation(e.getMessage());
    }
  }

  private static SageMakerException validation(String message) {
    return (SageMakerException) SageMakerException.builder()
        .message(message)
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ValidationException")
            .errorMessage(message)
            .serviceName("SageMaker")
            .build())
        .build();
  }

  @Override
  public String serviceName() {
    return SERVICE_NAME;
  }

  @Override
  public void close() {}
}
