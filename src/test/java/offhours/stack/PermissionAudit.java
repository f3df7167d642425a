package offhours.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import offhours.stack.AwsCallRecorder.Call;
import offhours.stack.IamRole.Grant;
import offhours.stack.IamRole.Permission;

/**
 * Checks one function's recorded AWS calls against its role in template.yaml, scenario by scenario: every call must
 * be granted, and after all scenarios every grant must have been used by some call. Besides the code's own calls, a
 * function's role carries what Lambda does with it on the function's behalf, and only that: writing the function's
 * logs to its own log group, and polling the queue of an SQS event source.
 */
final class PermissionAudit {

  private final String function;
  private final Set<String> missing = new LinkedHashSet<>();
  private final Map<String, Boolean> grantUsed = new LinkedHashMap<>();
  private final Map<String, String> grantShown = new LinkedHashMap<>();

  PermissionAudit(String function) {
    this.function = function;
  }

  /** One scenario's calls, against the role as the scenario's stack resolves it. */
  void add(StackResolver stack, String scenario, List<Call> calls) {
    IamRole role = IamRole.ofFunction(stack, function);
    IamActions actions = new IamActions(stack.stack().partition(), stack.stack().account());
    List<Permission> needed = new ArrayList<>(platform(stack, function));
    for (Call call : calls) {
      needed.addAll(actions.required(call));
    }
    for (Permission p : needed) {
      if (!role.allows(p)) {
        missing.add(role.name() + " lacks " + p + " in scenario '" + scenario + "'");
      }
    }
    for (Grant g : role.grants()) {
      boolean used = needed.stream().anyMatch(g::covers);
      grantUsed.merge(g.key(), used, Boolean::logicalOr);
      grantShown.putIfAbsent(g.key(), role.name() + " grants " + g);
    }
  }

  /** Calls no grant allows. */
  List<String> missing() {
    return List.copyOf(missing);
  }

  /** Grants no recorded call (nor Lambda on the function's behalf) used in any scenario. */
  List<String> surplus() {
    return grantUsed.entrySet().stream()
        .filter(e -> !e.getValue())
        .map(e -> grantShown.get(e.getKey()) + ", which no scenario used")
        .toList();
  }

  /**
   * What Lambda itself does with the function's role: the runtime writes the function's logs (CreateLogStream,
   * PutLogEvents) to its log group, and an SQS event source polls with ReceiveMessage, DeleteMessage and
   * GetQueueAttributes (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html, "Execution role
   * permissions"; https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html).
   */
  static List<Permission> platform(StackResolver stack, String function) {
    Map<String, Object> props = stack.properties(function);
    Object group = StackResolver.path(props, "LoggingConfig", "LogGroup");
    String logGroup = group != null ? String.valueOf(group) : "/aws/lambda/" + stack.ref(function);
    String stream = stack.arn(
        "logs", "log-group:" + logGroup + ":log-stream:2026/01/14/[$LATEST]0123456789abcdef");
    List<Permission> needed = new ArrayList<>();
    needed.add(new Permission(
        "logs:CreateLogStream", stream, "the Lambda runtime writing " + function + "'s logs"));
    needed.add(new Permission(
        "logs:PutLogEvents", stream, "the Lambda runtime writing " + function + "'s logs"));
    Object events = props.get("Events");
    if (events != null) {
      for (var e : StackResolver.map(events).entrySet()) {
        Map<String, Object> event = StackResolver.map(e.getValue());
        if ("SQS".equals(event.get("Type"))) {
          String queue =
              String.valueOf(StackResolver.map(event.get("Properties")).get("Queue"));
          for (String action :
              List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes")) {
            needed.add(new Permission(
                action, queue, "Lambda polling " + function + "'s SQS event " + e.getKey()));
          }
        }
      }
    }
    return needed;
  }
}
