package offhours.local.sagemaker;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** CreateEndpointConfig, DescribeEndpointConfig, DeleteEndpointConfig: each variant must name an existing model. */
final class EndpointConfigs {

  record Variant(String variantName, String modelName, String instanceType, int initialInstanceCount, float weight) {}

  record EndpointConfig(String name, String arn, List<Variant> variants, Instant created) {}

  private final Arns arns;
  private final Clock clock;
  private final Models models;
  private final Map<String, EndpointConfig> configs = new HashMap<>();

  EndpointConfigs(Arns arns, Clock clock, Models models) {
    this.arns = arns;
    this.clock = clock;
    this.models = models;
  }

  synchronized EndpointConfig create(String name, List<Variant> variants) {
    String arn = arns.arn("endpoint-config", name);
    if (configs.containsKey(Arns.key(name))) {
      throw AwsError.validation("Cannot create already existing endpoint configuration \"" + arn + "\".");
    }
    if (variants.isEmpty()) {
      throw AwsError.validation("Endpoint configuration " + name + " needs at least one ProductionVariants entry.");
    }
    variants.forEach(v -> models.get(v.modelName()));
    EndpointConfig config = new EndpointConfig(name, arn, List.copyOf(variants), clock.instant());
    configs.put(Arns.key(name), config);
    return config;
  }

  synchronized EndpointConfig get(String name) {
    EndpointConfig config = configs.get(Arns.key(name));
    if (config == null) {
      throw AwsError.validation("Could not find endpoint configuration \"" + arns.arn("endpoint-config", name) + "\".");
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
