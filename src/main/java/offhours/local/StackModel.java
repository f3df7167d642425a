package offhours.local;

import java.util.Map;
import offhours.local.model.ModelFiles;
import offhours.local.model.Preprocessing;
import offhours.local.sagemaker.LocalSageMaker;
import offhours.stack.FunctionVariables;
import offhours.stack.Hosting;
import offhours.stack.StackSpec;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ManagedInstanceScalingStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantInstanceType;

/**
 * The local stack's Model and EndpointConfig, as template.yaml's: created when the stack starts, and again under new
 * names when {@link LocalDeployment#update} gives it a new model, as a stack update replaces both on AWS.
 */
final class StackModel {
  /** The local SageMaker's image that serves an ONNX file ({@code ModelDataUrl file:///...}). */
  static final String ONNX_IMAGE = "offhours-local/onnx";

  /** Local mode's serverless endpoint: the template's default memory (Classify's ledger multiplies by it). */
  static final int SERVERLESS_MEMORY_MB =
      Integer.parseInt(FunctionVariables.CLASSIFY_ENV.get("SERVERLESS_MEMORY_MB"));

  private StackModel() {}

  /**
   * Creates model {@code names.model()} and endpoint config {@code names.endpointConfig()}: {@code model}'s ONNX file
   * served by the ONNX image, or, with a container command, the local SageMaker's {@code commandImage}.
   */
  static void create(
      SageMakerClient sm,
      String accountId,
      StackSpec.Names names,
      LocalDeployment.Options options,
      ModelFiles model,
      String commandImage) {
    createModel(sm, accountId, names, options, model, commandImage);
    createEndpointConfig(sm, accountId, names, options);
  }

  /** The Model of {@link #create}, alone: a model update undoes it when its endpoint config fails. */
  static void createModel(
      SageMakerClient sm,
      String accountId,
      StackSpec.Names names,
      LocalDeployment.Options options,
      ModelFiles model,
      String commandImage) {
    String role = role(accountId);
    boolean command = options.containerCommand().isPresent();
    sm.createModel(r -> r.modelName(names.model()).executionRoleArn(role).primaryContainer(c -> {
      if (command) {
        c.image(commandImage); // runs the command the local SageMaker serves under it
      } else {
        c.image(ONNX_IMAGE).modelDataUrl(model.onnx().toUri().toString());
        // Its resize, normalization and input size in its environment, as a container of one's
        // own is told.
        Map<String, String> preprocessing = Preprocessing.among(options.modelSettings());
        if (!preprocessing.isEmpty()) {
          c.environment(preprocessing);
        }
      }
    }));
  }

  /** The EndpointConfig of {@link #create}, alone, on model {@code names.model()}. */
  static void createEndpointConfig(
      SageMakerClient sm,
      String accountId,
      StackSpec.Names names,
      LocalDeployment.Options options) {
    String role = role(accountId);
    if (options.hosting() == Hosting.SCALE_TO_ZERO) {
      // As the template's ComponentEndpointConfig: no model in the variant (the controller deploys
      // it as an inference component), instances scaled by the components' copies down to 0.
      sm.createEndpointConfig(r -> r.endpointConfigName(names.endpointConfig())
          .executionRoleArn(role)
          .productionVariants(v -> v.variantName(names.model())
              .instanceType(ProductionVariantInstanceType.ML_M5_LARGE)
              .initialInstanceCount(1)
              .managedInstanceScaling(m -> m.status(ManagedInstanceScalingStatus.ENABLED)
                  .minInstanceCount(0)
                  .maxInstanceCount(1))));
      return;
    }
    boolean serverless = options.hosting() == Hosting.SERVERLESS;
    sm.createEndpointConfig(r -> r.endpointConfigName(names.endpointConfig())
        // Named after the model, as in template.yaml: results record the variant that answered.
        .productionVariants(v -> {
          v.variantName(names.model()).modelName(names.model());
          if (serverless) {
            v.serverlessConfig(s -> s.memorySizeInMB(SERVERLESS_MEMORY_MB)
                .maxConcurrency(serverlessMaxConcurrency(options)));
          } else {
            v.instanceType(ProductionVariantInstanceType.ML_M5_LARGE).initialInstanceCount(1);
          }
        }));
  }

  private static String role(String accountId) {
    return "arn:aws:iam::" + accountId + ":role/offhours-local-model";
  }

  /** The image of the stack's first container command, which the local SageMaker serves from its start. */
  static String firstCommandImage() {
    return LocalSageMaker.COMMAND_IMAGE;
  }

  /** The template's default ServerlessMaxConcurrency, unless the model settings give SERVERLESS_MAX_CONCURRENCY. */
  private static int serverlessMaxConcurrency(LocalDeployment.Options options) {
    return Integer.parseInt(
        options.modelSettings().getOrDefault("SERVERLESS_MAX_CONCURRENCY", "10"));
  }
}
