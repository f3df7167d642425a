package offhours.endpoint;

import java.util.Locale;
import java.util.Objects;
import offhours.stack.InstanceTypes;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * The stack's inference component on SageMaker's control plane (Hosting=scale-to-zero): its name, and the calls that
 * describe, create, scale and delete it. {@link ComponentEndpoint} decides when; this class only speaks the API, as
 * {@link SageMakerEndpoint} does for the endpoint.
 */
public final class InferenceComponent {
  /**
   * What each copy reserves on its instance (CreateInferenceComponent's ComputeResourceRequirements, where
   * MinMemoryRequiredInMb is required): one core and 1 GiB, which every ml.* type offers, and on an accelerated type
   * ({@link InstanceTypes#accelerated}) one accelerator, without which the container sees no GPU or Inferentia chip
   * ({@link #ACCELERATORS}); one copy per instance.
   */
  private static final float CPU_CORES = 1;

  private static final int MIN_MEMORY_MB = 1024;

  /** Accelerators each copy asks for on an accelerated instance type (NumberOfAcceleratorDevicesRequired). */
  private static final float ACCELERATORS = 1;

  private final SageMakerClient sageMaker;
  private final String name;
  private final String endpointName;
  private final String modelName;
  private final boolean accelerated;

  /**
   * Component {@code name} on endpoint {@code endpointName}, whose copies run model {@code modelName} (null: this
   * view only describes and deletes), each with an accelerator when {@code accelerated}.
   */
  InferenceComponent(
      SageMakerClient sageMaker,
      String name,
      String endpointName,
      String modelName,
      boolean accelerated) {
    this.sageMaker = Objects.requireNonNull(sageMaker, "sageMaker");
    this.name = Objects.requireNonNull(name, "name");
    this.endpointName = endpointName;
    this.modelName = modelName;
    this.accelerated = accelerated;
  }

  /**
   * The name Hosting=scale-to-zero gives the component on endpoint {@code endpointName}: template.yaml names them
   * offhours-endpoint-SUFFIX and offhours-component-SUFFIX, local mode offhours-endpoint and offhours-component
   * (HostingSwitchNamesTest reads both from the template). A scheduled controller retires a component left by a switch
   * from scale-to-zero by this name ({@link RetiringEndpoint}).
   */
  public static String nameOn(String endpointName) {
    if (!endpointName.startsWith("offhours-endpoint")) {
      throw new IllegalArgumentException(
          "endpoint name " + endpointName + " does not start with offhours-endpoint");
    }
    return "offhours-component" + endpointName.substring("offhours-endpoint".length());
  }

  String name() {
    return name;
  }

  /** DescribeInferenceComponent, or null when there is none of that name. */
  DescribeInferenceComponentResponse describe() {
    return describe(sageMaker, name);
  }

  /** DescribeInferenceComponent of component {@code name}, or null when there is none of that name. */
  public static DescribeInferenceComponentResponse describe(
      SageMakerClient sageMaker, String name) {
    try {
      return sageMaker.describeInferenceComponent(b -> b.inferenceComponentName(name));
    } catch (SageMakerException e) {
      if (absent(e)) {
        return null;
      }
      throw e;
    }
  }

  /** A missing component is a ValidationException ("Could not find inference component ..."), not a 404. */
  private static boolean absent(SageMakerException e) {
    if (e.awsErrorDetails() == null
        || !"ValidationException".equals(e.awsErrorDetails().errorCode())) {
      return false;
    }
    String message = String.valueOf(e.awsErrorDetails().errorMessage()).toLowerCase(Locale.ROOT);
    return message.contains("inference component")
        && (message.contains("could not find")
            || message.contains("not found")
            || message.contains("does not exist"));
  }

  /** CreateInferenceComponent with {@code count} copies; false when an overlapping run created it first. */
  boolean create(int count) {
    try {
      sageMaker.createInferenceComponent(b -> b.inferenceComponentName(name)
          .endpointName(endpointName)
          .variantName(modelName) // the config's variant is named after the model (template.yaml)
          .specification(s -> s.modelName(modelName)
              .computeResourceRequirements(r -> r.numberOfCpuCoresRequired(CPU_CORES)
                  .minMemoryRequiredInMb(MIN_MEMORY_MB)
                  .numberOfAcceleratorDevicesRequired(accelerated ? ACCELERATORS : null)))
          .runtimeConfig(r -> r.copyCount(count)));
    } catch (SageMakerException e) {
      if (!SageMakerEndpoint.alreadyExists(e)) {
        throw e;
      }
      // An overlapping run created it since this one looked: done (see SageMakerEndpoint#create).
      return false;
    }
    return true;
  }

  /** UpdateInferenceComponentRuntimeConfig to {@code count} copies. */
  void setCopies(int count) {
    sageMaker.updateInferenceComponentRuntimeConfig(
        b -> b.inferenceComponentName(name).desiredRuntimeConfig(r -> r.copyCount(count)));
  }

  /** DeleteInferenceComponent. */
  void delete() {
    sageMaker.deleteInferenceComponent(b -> b.inferenceComponentName(name));
  }
}
