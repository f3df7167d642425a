package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import offhours.stack.StackSpec;
import offhours.testing.MarkdownSections;
import org.junit.jupiter.api.Test;

/**
 * The controller's Embedded Metric Format line: every value in every run, but a metric data point (which CloudWatch
 * bills per metric and hour) only for the heartbeat and for values that are not 0. AlarmsTest proves the alarms read a
 * missing point as they read a 0.
 */
class EmfTest {

  private static final List<String> VALUES = List.of(
      "EndpointOn",
      "Backlog",
      StackSpec.METRICS.endpointRunningOutsideSchedule(),
      StackSpec.METRICS.endpointCreateFailures(),
      StackSpec.METRICS.testInvocationFailures(),
      StackSpec.METRICS.controllerStepFailures(),
      StackSpec.METRICS.overdueSeconds(),
      StackSpec.METRICS.controllerRuns());

  private static JsonNode read(String line) throws Exception {
    return new ObjectMapper().readTree(line);
  }

  private static List<String> declared(JsonNode line) {
    return line.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics").findValuesAsText("Name");
  }

  private static List<String> fields(JsonNode line) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  /**
   * The namespace and the one dimension the line declares are StackSpec.METRICS', which the template's alarms and
   * dashboard name (AlarmsTest, DashboardTest): a metric under another dimension would be another metric.
   */
  @Test
  void theLineDeclaresStackSpecsNamespaceAndItsOneDimensionWithTheEndpointsName() throws Exception {
    Rig rig = new Rig();
    rig.runAt("2026-01-17T02:00:00Z");
    JsonNode line = read(rig.metrics.getLast());
    JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);
    assertThat(directive.get("Namespace").asText()).isEqualTo(StackSpec.METRICS.namespace());
    assertThat(directive.get("Dimensions").toString())
        .isEqualTo("[[\"" + StackSpec.METRICS.dimension() + "\"]]");
    assertThat(line.get(StackSpec.METRICS.dimension()).asText()).isNotBlank();
  }

  @Test
  void anIdleRunPublishesOnlyTheHeartbeatAndStillLogsEveryValue() throws Exception {
    Rig rig = new Rig();
    Decision d = rig.runAt("2026-01-17T02:00:00Z"); // Saturday night in Berlin, nothing waits
    assertThat(d.action()).isEqualTo(Decision.Action.NONE);
    JsonNode line = read(rig.metrics.getLast());
    assertThat(declared(line)).containsExactly(StackSpec.METRICS.controllerRuns());
    assertThat(fields(line)).containsAll(VALUES);
    for (String name : VALUES) {
      assertThat(line.get(name).asDouble())
          .as(name)
          .isEqualTo(name.equals(StackSpec.METRICS.controllerRuns()) ? 1.0 : 0.0);
    }
  }

  /** A run's line with every value other than 0, so every one a metric. */
  private static JsonNode everyValueSet() throws Exception {
    return read(Emf.run(
        Instant.parse("2026-01-17T02:00:00Z"),
        "offhours-endpoint",
        Endpoint.Status.of(Endpoint.State.IN_SERVICE, null, null, null),
        Mapping.TriggerState.ENABLED,
        new Backlog.Snapshot(7, 0, 0, 0),
        true,
        true,
        true,
        true,
        120));
  }

  @Test
  void everyValueThatIsNotZeroIsAMetricWithItsUnit() throws Exception {
    JsonNode line = everyValueSet();
    assertThat(declared(line)).containsExactlyElementsOf(VALUES);
    for (JsonNode metric : line.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics")) {
      assertThat(metric.get("Unit").asText())
          .as(metric.get("Name").asText())
          .isEqualTo(metric.get("Name").asText().endsWith("Seconds") ? "Seconds" : "Count");
    }
    assertThat(line.get(StackSpec.METRICS.overdueSeconds()).asDouble()).isEqualTo(120.0);
  }

  /**
   * README's "What it reports: metrics" gives what the line declares and what an operator needs to find the metrics
   * in CloudWatch: the namespace, the one dimension, the resolution (standard: no StorageResolution) and each unit.
   */
  @Test
  void theReadmeGivesTheLinesNamespaceDimensionResolutionAndUnits() throws Exception {
    String section =
        MarkdownSections.readme("#### What it reports: metrics").replaceAll("\\s+", " ");
    JsonNode directive = everyValueSet().get("_aws").get("CloudWatchMetrics").get(0);
    assertThat(section)
        .contains("namespace `" + directive.get("Namespace").asText() + "`")
        .contains("one dimension `" + directive.get("Dimensions").get(0).get(0).asText() + "`")
        .contains("standard 1-minute resolution")
        .contains("every other one a `Count`");
    List<String> counts = new ArrayList<>();
    for (JsonNode metric : directive.get("Metrics")) {
      String name = metric.get("Name").asText();
      assertThat(metric.has("StorageResolution")).as(name).isFalse();
      if (metric.get("Unit").asText().equals("Count")) {
        counts.add(name);
      } else {
        assertThat(section)
            .contains("`" + name + "` is in `" + metric.get("Unit").asText() + "`");
      }
    }
    assertThat(counts).hasSize(VALUES.size() - 1);
  }

  @Test
  void oneAlarmingValueIsTheOnlyMetricBesideTheHeartbeat() throws Exception {
    JsonNode line = read(Emf.run(
        Instant.parse("2026-01-17T02:00:00Z"),
        "offhours-endpoint",
        Endpoint.Status.ABSENT,
        Mapping.TriggerState.DISABLED,
        Backlog.Snapshot.EMPTY,
        false,
        false,
        false,
        true,
        0));
    assertThat(declared(line))
        .containsExactly(
            StackSpec.METRICS.controllerStepFailures(), StackSpec.METRICS.controllerRuns());
  }
}
