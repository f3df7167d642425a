package offhours.local.sagemaker;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** CreateModel, DescribeModel, DeleteModel: a model is a definition, it has no life cycle of its own. */
final class Models {

  record HostedModel(
      String name,
      String arn,
      String image,
      String modelDataUrl,
      Map<String, String> environment,
      String executionRoleArn,
      Instant created) {}

  private final Arns arns;
  private final Clock clock;
  private final Map<String, HostedModel> models = new HashMap<>();

  Models(Arns arns, Clock clock) {
    this.arns = arns;
    this.clock = clock;
  }

  synchronized HostedModel create(
      String name,
      String image,
      String modelDataUrl,
      Map<String, String> environment,
      String executionRoleArn) {
    String arn = arns.arn("model", name);
    if (models.containsKey(Arns.key(name))) {
      throw AwsError.validation("Cannot create already existing model \"" + arn + "\".");
    }
    HostedModel model = new HostedModel(
        name, arn, image, modelDataUrl, Map.copyOf(environment), executionRoleArn, clock.instant());
    models.put(Arns.key(name), model);
    return model;
  }

  synchronized HostedModel get(String name) {
    HostedModel model = models.get(Arns.key(name));
    if (model == null) {
      throw AwsError.validation("Could not find model \"" + arns.shown("model", name) + "\".");
    }
    return model;
  }

  synchronized void delete(String name) {
    models.remove(Arns.key(get(name).name()));
  }

  synchronized boolean hasArn(String arn) {
    return models.values().stream().anyMatch(m -> m.arn().equals(arn));
  }
}
