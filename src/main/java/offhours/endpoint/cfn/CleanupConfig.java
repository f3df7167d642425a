package offhours.endpoint.cfn;

import java.util.Map;

/**
 * The cleanup's settings, and only those: which stack it belongs to, which endpoint and mapping it removes, where the
 * controller's state lives, and the images queue it sweeps of S3's test event. Nothing of the schedule: a WorkingHours
 * value the controller refuses must not stop the stack from being created, rolled back or deleted.
 *
 * @param stackId the ARN of the stack the function belongs to (STACK_ID); events of other stacks are not acted on
 * @param queueUrl the images queue (QUEUE_URL), swept of S3's test event when the stack is created or its bucket
 *     changes ({@link offhours.endpoint.TestEventSweep})
 * @param inferenceComponentName the component to delete before the endpoint (INFERENCE_COMPONENT_NAME, set with
 *     Hosting scale-to-zero), or null
 */
public record CleanupConfig(
    String stackId,
    String endpointName,
    String mappingUuid,
    String controlTableName,
    String queueUrl,
    String inferenceComponentName) {

  public static CleanupConfig fromEnvironment(Map<String, String> env) {
    String component = env.getOrDefault("INFERENCE_COMPONENT_NAME", "").strip();
    return new CleanupConfig(
        required(env, "STACK_ID"),
        required(env, "ENDPOINT_NAME"),
        required(env, "MAPPING_UUID"),
        required(env, "CONTROL_TABLE_NAME"),
        required(env, "QUEUE_URL"),
        component.isEmpty() ? null : component);
  }

  /** What the cleanup answers as PhysicalResourceId: the same for every event of one stack. */
  String physicalResourceId() {
    return "offhours-endpoint-cleanup-" + endpointName;
  }

  private static String required(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          name + " is not set; the stack passes it to the cleanup function");
    }
    return value.strip();
  }
}
