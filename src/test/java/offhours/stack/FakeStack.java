package offhours.stack;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The values CloudFormation would supply when it deploys template.yaml, fixed for a test: account, region, partition,
 * stack id, parameter values and the physical ids of resources. {@link StackResolver} resolves the template with them,
 * so a test can create local resources under exactly the names the deployed stack would use and compare the ARNs the
 * code touches with the ARNs the roles grant.
 *
 * @param physicalIds overrides of generated ids, e.g. the UUID a local Lambda gave the event source mapping
 */
record FakeStack(
    String account,
    String region,
    String partition,
    String stackName,
    String stackUuid,
    Map<String, String> parameters,
    Map<String, String> physicalIds) {

  /** moto's and the local services' account, in us-east-1 (where AwsServicesExtension's clients point). */
  static final String ACCOUNT = "123456789012";

  static final String REGION = "us-east-1";
  /** The parameters without a Default, with values that satisfy their patterns. */
  static final Map<String, String> REQUIRED_PARAMETERS = Map.of(
      "ModelDataUrl", "s3://offhours-models/image-classification/model.tar.gz",
      "ContainerImage", "811284229777.dkr.ecr.us-east-1.amazonaws.com/image-classification:1");

  FakeStack {
    parameters = Map.copyOf(parameters);
    physicalIds = Map.copyOf(physicalIds);
  }

  /** A new stack named offhours with a random id, the given parameter values and no id overrides. */
  static FakeStack create(Map<String, String> parameters) {
    return new FakeStack(
        ACCOUNT, REGION, "aws", "offhours", UUID.randomUUID().toString(), parameters, Map.of());
  }

  String stackId() {
    return "arn:" + partition + ":cloudformation:" + region + ":" + account + ":stack/" + stackName
        + "/" + stackUuid;
  }

  /**
   * AWS::URLSuffix, the domain of the partition's service endpoints: amazonaws.com.cn in the China Regions
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html).
   */
  String urlSuffix() {
    return partition.equals("aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
  }

  /** What the template derives names from: the first group of the stack id's UUID. */
  String suffix() {
    return stackUuid.substring(0, stackUuid.indexOf('-'));
  }

  /**
   * The physical name CloudFormation would generate for {@code logicalId} (stack name, logical id and a random part,
   * in lower case so that every service accepts it), unless overridden.
   */
  String physicalId(String logicalId) {
    String id = physicalIds.get(logicalId);
    return id != null
        ? id
        : (stackName + "-" + logicalId + "-" + suffix()).toLowerCase(Locale.ROOT);
  }

  FakeStack withPhysicalId(String logicalId, String id) {
    Map<String, String> ids = new HashMap<>(physicalIds);
    ids.put(logicalId, id);
    return new FakeStack(account, region, partition, stackName, stackUuid, parameters, ids);
  }

  FakeStack withParameters(Map<String, String> overrides) {
    Map<String, String> all = new HashMap<>(parameters);
    all.putAll(overrides);
    return new FakeStack(account, region, partition, stackName, stackUuid, all, physicalIds);
  }
}
