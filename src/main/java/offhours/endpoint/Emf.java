package offhours.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * CloudWatch Embedded Metric Format: one JSON log line becomes metrics in namespace "offhours", dimension EndpointName
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 */
final class Emf {
  static final String NAMESPACE = "offhours";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Emf() {}

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
      defs.addObject().put("Name", name).put("Unit", "Count");
      root.put(name, value);
    });
    return root.toString();
  }
}
