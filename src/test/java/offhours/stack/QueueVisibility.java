package offhours.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every queue an SQS trigger of template.yaml reads hides a received message for {@link
 * StackSpec#visibilityTimeoutFor} its function's Timeout and the longest batching window the trigger may have: its
 * MaximumBatchingWindowInSeconds as written, or the largest whole number the parameter it names accepts. CloudFormation
 * has no arithmetic, so each VisibilityTimeout is written out as a number; this check ties it to both the function's
 * Timeout and the parameter's constraint, so that a change to either without the queue is reported.
 */
final class QueueVisibility {

  /** SQS's longest visibility timeout: no window longer than that can matter. */
  private static final int MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

  /** SAM's Timeout for a function that sets none, here or in Globals. */
  private static final int SAM_DEFAULT_TIMEOUT_SECONDS = 3;

  private QueueVisibility() {}

  /** One sentence for each queue whose VisibilityTimeout is not what its trigger needs; empty when all are. */
  static List<String> differences(Map<String, Object> template) {
    StackResolver resolver =
        new StackResolver(template, FakeStack.create(FakeStack.REQUIRED_PARAMETERS));
    ParameterConstraints constraints = new ParameterConstraints(template);
    List<String> differences = new ArrayList<>();
    for (var resource : resolver.resources().entrySet()) {
      String function = resource.getKey();
      if (!"AWS::Serverless::Function".equals(resolver.type(function))) {
        continue;
      }
      Map<String, Object> props =
          StackResolver.map(resolver.resource(function).getOrDefault("Properties", Map.of()));
      Object events = props.get("Events");
      if (events == null) {
        continue;
      }
      for (var event : StackResolver.map(events).entrySet()) {
        Map<String, Object> e = StackResolver.map(event.getValue());
        if (!"SQS".equals(e.get("Type"))) {
          continue;
        }
        Map<String, Object> trigger = StackResolver.map(e.get("Properties"));
        String queue = queueOf(trigger.get("Queue"));
        int timeout = timeout(resolver, props);
        Object window = trigger.getOrDefault("MaximumBatchingWindowInSeconds", 0);
        String windowSays;
        int longestWindow;
        if (window instanceof Map<?, ?> ref && ref.get("Ref") instanceof String parameter) {
          longestWindow = largestAccepted(constraints, parameter);
          windowSays = parameter + " allows up to " + longestWindow;
        } else {
          longestWindow = Integer.parseInt(String.valueOf(window));
          windowSays = "MaximumBatchingWindowInSeconds " + longestWindow;
        }
        int needed;
        try {
          needed = StackSpec.visibilityTimeoutFor(timeout, longestWindow);
        } catch (IllegalArgumentException ex) {
          differences.add(function + " " + event.getKey() + ": " + ex.getMessage());
          continue;
        }
        Object actual =
            StackResolver.map(resolver.resource(queue).get("Properties")).get("VisibilityTimeout");
        if (!String.valueOf(needed).equals(String.valueOf(actual))) {
          differences.add(queue + " VisibilityTimeout is " + actual + " but must be 6 x " + function
              + " Timeout (" + timeout + ") + the longest batching window of its " + event.getKey()
              + " trigger (" + windowSays + ") = " + needed);
        }
      }
    }
    return differences;
  }

  /**
   * The largest whole number of seconds, up to SQS's longest visibility timeout, that CloudFormation accepts for
   * {@code parameter}: what its AllowedPattern, AllowedValues or MaxValue let through.
   */
  static int largestAccepted(ParameterConstraints constraints, String parameter) {
    for (int n = MAX_VISIBILITY_TIMEOUT_SECONDS; n >= 0; n--) {
      if (constraints.refusal(parameter, Integer.toString(n)) == null) {
        return n;
      }
    }
    throw new IllegalArgumentException(
        "parameter " + parameter + " accepts no whole number of seconds");
  }

  /** The queue an SQS event names by {@code !GetAtt Queue.Arn}. */
  private static String queueOf(Object arn) {
    if (arn instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> parts) {
      return String.valueOf(parts.get(0));
    }
    if (arn instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof String dotted) {
      return dotted.substring(0, dotted.indexOf('.'));
    }
    throw new IllegalArgumentException(
        "an SQS event's Queue is expected as !GetAtt QUEUE.Arn, got " + arn);
  }

  private static int timeout(StackResolver resolver, Map<String, Object> props) {
    Object timeout = props.containsKey("Timeout")
        ? resolver.resolve(props.get("Timeout"))
        : resolver.functionGlobals().getOrDefault("Timeout", SAM_DEFAULT_TIMEOUT_SECONDS);
    return Integer.parseInt(String.valueOf(timeout));
  }
}
