package offhours.stack;

import static offhours.stack.TemplateDifferences.list;
import static offhours.stack.TemplateDifferences.map;
import static offhours.stack.TemplateDifferences.path;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The upload pipeline's part of {@link StackDrift}: the bucket's notification to the queue (and the fingerprint that
 * makes an update of the bucket sweep the test event S3 then sends), the queues, the tables and Classify's SQS
 * trigger.
 */
final class PipelineDrift {

  private final TemplateDifferences found;
  private final StackDrift.Expected expected;

  private PipelineDrift(TemplateDifferences found, StackDrift.Expected expected) {
    this.found = found;
    this.expected = expected;
  }

  /** Adds to {@code found} each way the pipeline's resources differ from {@code expected}. */
  static void compare(TemplateDifferences found, StackDrift.Expected expected) {
    PipelineDrift drift = new PipelineDrift(found, expected);
    drift.notification();
    drift.bucketFingerprint();
    drift.queues();
    drift.table("ResultsTable", expected.results());
    drift.table("ControlTable", expected.control());
    drift.trigger();
  }

  private void notification() {
    List<Object> configs =
        list(path(found.resource("ImagesBucket"), "Properties", "NotificationConfiguration")
            .get("QueueConfigurations"));
    List<String> suffixes = new ArrayList<>();
    for (Object config : configs) {
      Map<String, Object> c = map(config);
      found.expect(
          "ImagesBucket notification Event",
          c.get("Event"),
          expected.notification().event());
      for (Object rule : list(path(c, "Filter", "S3Key").get("Rules"))) {
        found.expect(
            "ImagesBucket notification filter rule Name",
            map(rule).get("Name"),
            expected.notification().filterRuleName());
        suffixes.add(String.valueOf(map(rule).get("Value")));
      }
    }
    found.expect(
        "ImagesBucket notification suffixes", suffixes, expected.notification().suffixes());
  }

  private void bucketFingerprint() {
    Object stated =
        path(found.resource("EndpointCleanup"), "Properties").get("ImagesBucketFingerprint");
    String hashed = ResourceFingerprint.of(found.resource("ImagesBucket"));
    if (!hashed.equals(stated)) {
      found.add("EndpointCleanup ImagesBucketFingerprint: template.yaml has " + stated
          + ", the ImagesBucket resource hashes to " + hashed
          + " (set it, so that an update of the bucket sweeps the s3:TestEvent S3 sends)");
    }
  }

  private void queues() {
    Map<String, Object> queue = path(found.resource("ImagesQueue"), "Properties");
    Map<String, Object> dlq = path(found.resource("DeadLetterQueue"), "Properties");
    found.expect(
        "ImagesQueue MessageRetentionPeriod",
        queue.get("MessageRetentionPeriod"),
        expected.queue().retentionSeconds());
    found.expect(
        "DeadLetterQueue MessageRetentionPeriod",
        dlq.get("MessageRetentionPeriod"),
        expected.queue().retentionSeconds());
    found.expect(
        "ImagesQueue VisibilityTimeout",
        queue.get("VisibilityTimeout"),
        expected.queue().visibilityTimeoutSeconds());
    found.expect(
        "ClassifyFunction Timeout",
        path(found.resource("ClassifyFunction"), "Properties").get("Timeout"),
        expected.classifyTimeoutSeconds());
    found.addAll(QueueVisibility.differences(found.template()));
    found.expectParameterDefault(
        "ImagesQueue RedrivePolicy maxReceiveCount",
        path(queue, "RedrivePolicy").get("maxReceiveCount"),
        expected.queue().maxReceiveCount());
    found.expect("ImagesQueue SqsManagedSseEnabled", queue.get("SqsManagedSseEnabled"), true);
    Map<String, Object> timer = path(found.resource("ControllerTimerQueue"), "Properties");
    found.expect(
        "ControllerTimerQueue MessageRetentionPeriod",
        timer.get("MessageRetentionPeriod"),
        StackSpec.TIMER_QUEUE.retentionSeconds());
    found.expect(
        "ControllerTimerQueue VisibilityTimeout",
        timer.get("VisibilityTimeout"),
        StackSpec.TIMER_QUEUE.visibilityTimeoutSeconds());
    found.expect(
        "ControllerTimerQueue SqsManagedSseEnabled", timer.get("SqsManagedSseEnabled"), true);
    Map<String, Object> controller = path(found.resource("ControllerFunction"), "Properties");
    found.expect(
        "ControllerFunction Timeout",
        controller.get("Timeout"),
        StackSpec.CONTROLLER_TIMEOUT_SECONDS);
    found.expect(
        "ApiFunction Timeout",
        path(found.resource("ApiFunction"), "Properties").get("Timeout"),
        StackSpec.API_TIMEOUT_SECONDS);
    Map<String, Object> timerTrigger = path(controller, "Events", "Timer", "Properties");
    found.expect(
        "ControllerFunction Timer BatchSize",
        timerTrigger.get("BatchSize"),
        StackSpec.TIMER_QUEUE.batchSize());
    found.expect(
        "ControllerFunction Timer MaximumBatchingWindowInSeconds",
        timerTrigger.get("MaximumBatchingWindowInSeconds"),
        StackSpec.TIMER_QUEUE.batchingWindowSeconds());
    found.expect("DeadLetterQueue SqsManagedSseEnabled", dlq.get("SqsManagedSseEnabled"), true);
  }

  private void table(String name, TableSchema spec) {
    Map<String, Object> props = path(found.resource(name), "Properties");
    found.expect(name + " BillingMode", props.get("BillingMode"), "PAY_PER_REQUEST");
    found.expect(
        name + " KeySchema",
        keySchema(props.get("KeySchema")),
        List.of(spec.partitionKey(), spec.sortKey()));
    List<String> defined = new ArrayList<>();
    for (Object def : list(props.get("AttributeDefinitions"))) {
      defined.add(String.valueOf(map(def).get("AttributeName")));
      found.expect(
          name + " type of " + map(def).get("AttributeName"), map(def).get("AttributeType"), "S");
    }
    found.expect(
        name + " AttributeDefinitions",
        new java.util.TreeSet<>(defined),
        new java.util.TreeSet<>(spec.keyAttributes()));
    List<Object> indexes = props.containsKey("GlobalSecondaryIndexes")
        ? list(props.get("GlobalSecondaryIndexes"))
        : List.of();
    found.expect(
        name + " GlobalSecondaryIndexes",
        indexes.stream().map(i -> String.valueOf(map(i).get("IndexName"))).toList(),
        spec.indexes().stream().map(TableSchema.Index::name).toList());
    for (TableSchema.Index index : spec.indexes()) {
      indexes.stream()
          .map(TemplateDifferences::map)
          .filter(gsi -> index.name().equals(gsi.get("IndexName")))
          .findFirst()
          .ifPresent(gsi -> {
            found.expect(
                name + " GSI " + index.name() + " KeySchema",
                keySchema(gsi.get("KeySchema")),
                List.of(index.partitionKey(), index.sortKey()));
            found.expect(
                name + " GSI " + index.name() + " ProjectionType",
                path(gsi, "Projection").get("ProjectionType"),
                "ALL");
          });
    }
  }

  private void trigger() {
    Map<String, Object> sqs =
        path(found.resource("ClassifyFunction"), "Properties", "Events", "Queue", "Properties");
    found.expectParameterDefault(
        "ClassifyFunction SQS BatchSize",
        sqs.get("BatchSize"),
        expected.trigger().batchSize());
    found.expectParameterDefault(
        "ClassifyFunction SQS MaximumBatchingWindowInSeconds",
        sqs.get("MaximumBatchingWindowInSeconds"),
        expected.trigger().maximumBatchingWindowSeconds());
    found.expectParameterDefault(
        "ClassifyFunction SQS ScalingConfig MaximumConcurrency",
        path(sqs, "ScalingConfig").get("MaximumConcurrency"),
        expected.trigger().maximumConcurrency());
    found.expect(
        "ClassifyFunction SQS FunctionResponseTypes",
        sqs.get("FunctionResponseTypes"),
        List.of("ReportBatchItemFailures"));
  }

  private static List<String> keySchema(Object schema) {
    List<String> keys = new ArrayList<>();
    for (String type : List.of("HASH", "RANGE")) {
      for (Object key : list(schema)) {
        if (type.equals(map(key).get("KeyType"))) {
          keys.add(String.valueOf(map(key).get("AttributeName")));
        }
      }
    }
    return keys;
  }
}
