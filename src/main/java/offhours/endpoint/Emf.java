package offhours.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CloudWatch Embedded Metric Format: one JSON log line becomes metrics in namespace "offhours", dimension EndpointName
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 */
final class Emf {
  static final String NAMESPACE = "offhours";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Emf() {}

  /**
   * One controller run's line (template.yaml alarms on these; names in StackSpec.METRICS). ControllerRuns is the
   * heartbeat: 1 for every run that completed, a lost race included. TestInvocationFailures is 1 for a run whose test
   * invocation of an InService endpoint did not answer as the model's settings expect: the trigger stays off and
   * nothing is classified while instances bill. ControllerStepFailures is 1 for a run whose step threw (DeleteEndpoint,
   * disabling or enabling the trigger), which the run catches and retries next run; a failed CreateEndpoint counts in
   * EndpointCreateFailures instead, so one cause raises one alarm. OverdueSeconds is how long the oldest waiting
   * upload is past its due time (EndpointController#overdueSeconds), 0 when nothing is late.
   */
  static String run(
      Instant at,
      String endpointName,
      Endpoint.Status ep,
      Mapping.TriggerState mp,
      Backlog.Snapshot q,
      boolean outside,
      boolean createFailed,
      boolean probeFailed,
      boolean stepFailed,
      long overdueSeconds) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("EndpointOn", ep.state() == Endpoint.State.IN_SERVICE && mp.polling() ? 1.0 : 0.0);
    metrics.put("Backlog", (double) q.visible());
    metrics.put("EndpointRunningOutsideSchedule", outside ? 1.0 : 0.0);
    metrics.put("EndpointCreateFailures", createFailed ? 1.0 : 0.0);
    metrics.put("TestInvocationFailures", probeFailed ? 1.0 : 0.0);
    metrics.put("ControllerStepFailures", stepFailed ? 1.0 : 0.0);
    metrics.put("OverdueSeconds", (double) overdueSeconds);
    metrics.put("ControllerRuns", 1.0);
    return line(at, endpointName, metrics);
  }

  /** A metric named ...Seconds is in seconds, every other one a count. */
  static String line(Instant at, String endpointName, Map<String, Double> metrics) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", at.toEpochMilli());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    directive.putArray("Dimensions").addArray().add("EndpointName");
    ArrayNode defs = directive.putArray("Metrics");
    root.put("EndpointName", endpointName);
    metrics.forEach((name, value) -> {
      defs.addObject()
          .put("Name", name)
          .put("Unit", name.endsWith("Seconds") ? "Seconds" : "Count");
      root.put(name, value);
    });
    return root.toString();
  }
}
