package offhours.endpoint;

import static offhours.stack.StackSpec.METRICS;

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
  private static final String NAMESPACE = METRICS.namespace();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Emf() {}

  /**
   * One controller run's line (template.yaml alarms on these; names in StackSpec.METRICS). ControllerRuns is the
   * heartbeat: 1 for every run that completed, a lost race included. TestInvocationFailures is 1 for a run whose test
   * invocation of an InService endpoint did not answer as the model's settings expect: the trigger stays off and
   * nothing is classified while instances bill (one the run's deadline cut is no answer: a ControllerStepFailure).
   * ControllerStepFailures is 1 for a run whose step threw (DeleteEndpoint, disabling or enabling the trigger) or ran
   * out of the run's time, which the run catches and retries next run (a call refused because an
   * overlapping run made it first is none: ClaimedStep); a failed CreateEndpoint counts in
   * EndpointCreateFailures instead, so one cause raises one alarm. OverdueSeconds is how long the oldest waiting
   * upload is past its due time (RunPlanner#overdueSeconds), 0 when nothing is late.
   *
   * <p>Every value is in the line (Logs Insights sees them all), but only ControllerRuns is a metric in every run; the
   * others are declared as metrics only in runs where they are not 0 ({@link #published}).
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
    metrics.put(
        METRICS.endpointOn(), ep.state() == Endpoint.State.IN_SERVICE && mp.polling() ? 1.0 : 0.0);
    metrics.put(METRICS.backlog(), (double) q.visible());
    metrics.put(METRICS.endpointRunningOutsideSchedule(), outside ? 1.0 : 0.0);
    metrics.put(METRICS.endpointCreateFailures(), createFailed ? 1.0 : 0.0);
    metrics.put(METRICS.testInvocationFailures(), probeFailed ? 1.0 : 0.0);
    metrics.put(METRICS.controllerStepFailures(), stepFailed ? 1.0 : 0.0);
    metrics.put(METRICS.overdueSeconds(), (double) overdueSeconds);
    metrics.put(HEARTBEAT, 1.0);
    return line(at, endpointName, metrics);
  }

  /** The one metric every run publishes: its absence is what ControllerHeartbeatAlarm watches for. */
  private static final String HEARTBEAT = METRICS.controllerRuns();

  /**
   * Whether a run's value becomes a metric data point. CloudWatch bills a custom metric for each hour in which it
   * receives data (https://aws.amazon.com/cloudwatch/pricing/), so a metric that is 0 every minute of an idle month
   * costs as much as one that says something. Every alarm on these metrics but the heartbeat fires on a Sum or
   * Maximum of at least 1 and treats missing data as not breaching
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data),
   * so a period without a point evaluates as a period of zeros did: the alarms fire and clear as before. EndpointOn and
   * Backlog have no alarm; a graph of them fills gaps with 0 (FILL(m, 0)). The heartbeat is published every run, since
   * its alarm treats missing data as breaching.
   */
  private static boolean published(String name, double value) {
    return name.equals(HEARTBEAT) || value != 0;
  }

  /** A metric named ...Seconds is in seconds, every other one a count; values {@link #published} are declared. */
  private static String line(Instant at, String endpointName, Map<String, Double> metrics) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", at.toEpochMilli());
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    directive.putArray("Dimensions").addArray().add(METRICS.dimension());
    ArrayNode defs = directive.putArray("Metrics");
    root.put(METRICS.dimension(), endpointName);
    metrics.forEach((name, value) -> {
      if (published(name, value)) {
        defs.addObject()
            .put("Name", name)
            .put("Unit", name.endsWith("Seconds") ? "Seconds" : "Count");
      }
      root.put(name, value);
    });
    return root.toString();
  }
}
