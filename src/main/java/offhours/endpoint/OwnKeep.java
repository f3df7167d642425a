package offhours.endpoint;

import java.time.Duration;
import offhours.aws.InvocationDeadline;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;

/**
 * What a request keeps of its run's time when it says so itself, through its override configuration's execution
 * attributes (https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/interceptors.html): a call whose
 * operation others share but whose place in the run differs. {@link RunDeadline} reads it. A class of its own so that
 * {@link DynamoControlTable}, which the Api's package carries too, sets it without the controller's interceptor.
 */
final class OwnKeep {

  /** The attribute {@link RunDeadline} reads before its table of operations. */
  static final ExecutionAttribute<Duration> KEEP =
      new ExecutionAttribute<>("offhours.RunDeadline.keep");

  /** Kept by the decision's PutItem, the run's last call ({@link DynamoControlTable#recordDecision}): the end only. */
  static final Duration LAST_CALL = InvocationDeadline.END;

  private OwnKeep() {}
}
