package offhours.local.sagemaker;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.units.Shown;

/**
 * CreateEndpointConfig, DescribeEndpointConfig, DeleteEndpointConfig: each variant names an existing model, or none
 * for an endpoint that hosts inference components (then the config needs an ExecutionRoleArn and the variant an
 * InstanceType).
 */
final class EndpointConfigs {

  /**
   * @param modelName null for a variant that hosts inference components
   * @param minInstanceCount ManagedInstanceScaling's MinInstanceCount, null when the variant has none
   * @param maxInstanceCount ManagedInstanceScaling's MaxInstanceCount, null when the variant has none
   * @param serverless null for a variant on instances
   */
  record Variant(
      String variantName,
      String modelName,
      String instanceType,
      int initialInstanceCount,
      float weight,
      Integer minInstanceCount,
      Integer maxInstanceCount,
      Serverless serverless) {}

  /**
   * A serverless variant's ServerlessConfig, as SageMaker checks it: MemorySizeInMB 1024-6144 in 1 GB steps,
   * MaxConcurrency 1-200
   * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantServerlessConfig.html).
   */
  record Serverless(int memorySizeInMb, int maxConcurrency) {
    Serverless {
      if (memorySizeInMb < 1024 || memorySizeInMb > 6144 || memorySizeInMb % 1024 != 0) {
        throw AwsError.validation("1 validation error detected: Value '" + memorySizeInMb + "' at"
            + " 'productionVariants.1.member.serverlessConfig.memorySizeInMB' failed to satisfy constraint: Member must"
            + " be one of 1024, 2048, 3072, 4096, 5120 or 6144");
      }
      if (maxConcurrency < 1 || maxConcurrency > 200) {
        throw AwsError.validation("1 validation error detected: Value '" + maxConcurrency + "' at"
            + " 'productionVariants.1.member.serverlessConfig.maxConcurrency' failed to satisfy constraint: Member must"
            + " have value between 1 and 200");
      }
    }
  }

  record EndpointConfig(
      String name, String arn, List<Variant> variants, Instant created, String executionRoleArn) {}

  private final Arns arns;
  private final Clock clock;
  private final Models models;
  private final Map<String, EndpointConfig> configs = new HashMap<>();

  EndpointConfigs(Arns arns, Clock clock, Models models) {
    this.arns = arns;
    this.clock = clock;
    this.models = models;
  }

  synchronized EndpointConfig create(String name, List<Variant> variants, String executionRoleArn) {
    String arn = arns.arn("endpoint-config", name);
    if (configs.containsKey(Arns.key(name))) {
      throw AwsError.validation(
          "Cannot create already existing endpoint configuration \"" + arn + "\".");
    }
    if (variants.isEmpty()) {
      throw AwsError.validation(
          "Endpoint configuration " + name + " needs at least one ProductionVariants entry.");
    }
    for (Variant v : variants) {
      if (v.modelName() != null) {
        models.get(v.modelName());
      } else if (executionRoleArn == null || v.instanceType() == null) {
        throw AwsError.validation(
            "Endpoint configuration " + name + ": variant " + Shown.value(v.variantName())
                + " names no"
                + " model, so it hosts inference components; that needs ExecutionRoleArn on the configuration and"
                + " InstanceType on the variant.");
      }
      if (v.minInstanceCount() != null
          && (v.maxInstanceCount() == null
              || v.minInstanceCount() < 0
              || v.maxInstanceCount() < Math.max(1, v.minInstanceCount()))) {
        throw AwsError.validation(
            "Endpoint configuration " + name + ": ManagedInstanceScaling of variant "
                + Shown.value(v.variantName())
                + " needs 0 <= MinInstanceCount <= MaxInstanceCount and MaxInstanceCount >= 1, got "
                + v.minInstanceCount() + ".." + v.maxInstanceCount() + ".");
      }
    }
    EndpointConfig config =
        new EndpointConfig(name, arn, List.copyOf(variants), clock.instant(), executionRoleArn);
    configs.put(Arns.key(name), config);
    return config;
  }

  synchronized EndpointConfig get(String name) {
    EndpointConfig config = configs.get(Arns.key(name));
    if (config == null) {
      throw AwsError.validation(
          "Could not find endpoint configuration \"" + arns.shown("endpoint-config", name) + "\".");
    }
    return config;
  }

  synchronized void delete(String name) {
    configs.remove(Arns.key(get(name).name()));
  }

  synchronized boolean hasArn(String arn) {
    return configs.values().stream().anyMatch(c -> c.arn().equals(arn));
  }
}
