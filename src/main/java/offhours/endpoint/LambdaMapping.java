package offhours.endpoint;

import java.util.Objects;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * {@link Mapping} through GetEventSourceMapping / UpdateEventSourceMapping. Disabling pauses polling without touching
 * the messages; batches already handed to the function finish
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
 */
public final class LambdaMapping implements Mapping {
  private final LambdaClient lambda;
  private final String uuid;

  public LambdaMapping(LambdaClient lambda, String uuid) {
    this.lambda = Objects.requireNonNull(lambda, "lambda");
    this.uuid = Objects.requireNonNull(uuid, "uuid");
  }

  @Override
  public TriggerState state() {
    String state;
    try {
      state = lambda.getEventSourceMapping(b -> b.uuid(uuid)).state();
    } catch (ResourceNotFoundException e) {
      return TriggerState.ABSENT;
    }
    return switch (state == null ? "" : state) {
      case "Creating" -> TriggerState.CREATING;
      case "Enabling" -> TriggerState.ENABLING;
      case "Enabled" -> TriggerState.ENABLED;
      case "Disabling" -> TriggerState.DISABLING;
      case "Disabled" -> TriggerState.DISABLED;
      case "Updating" -> TriggerState.UPDATING;
      case "Deleting" -> TriggerState.DELETING;
      default ->
        throw new IllegalStateException("event source mapping " + uuid + " has state '" + state
            + "', which offhours does not know");
    };
  }

  @Override
  public void enable() {
    lambda.updateEventSourceMapping(b -> b.uuid(uuid).enabled(true));
  }

  @Override
  public void disable() {
    try {
      lambda.updateEventSourceMapping(b -> b.uuid(uuid).enabled(false));
    } catch (ResourceNotFoundException e) {
      // Nothing polls a mapping that does not exist.
    }
  }
}
