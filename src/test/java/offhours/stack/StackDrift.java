package offhours.stack;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares template.yaml (parsed by {@link CloudFormationYaml}) with what {@link StackSpec} says, and lists every
 * difference as a sentence naming both sides. Empty means local mode and the template agree.
 */
final class StackDrift {

  /** What the template must agree with; {@link #fromStackSpec()} in production, altered copies in tests. */
  record Expected(
      StackSpec.Notification notification,
      StackSpec.Queue queue,
      int classifyTimeoutSeconds,
      TableSchema results,
      TableSchema control,
      StackSpec.Trigger trigger,
      Map<String, String> classifyEnv,
      Map<String, String> controllerEnv,
      Map<String, String> cleanupEnv,
      List<String> labels,
      Map<String, String> handlers,
      List<String> outputs,
      StackSpec.Metrics metrics) {

    static Expected fromStackSpec() {
      return new Expected(
          StackSpec.NOTIFICATION,
          StackSpec.QUEUE,
          StackSpec.CLASSIFY_TIMEOUT_SECONDS,
          StackSpec.RESULTS_TABLE,
          StackSpec.CONTROL_TABLE,
          StackSpec.TRIGGER,
          FunctionVariables.CLASSIFY_ENV,
          FunctionVariables.CONTROLLER_ENV,
          FunctionVariables.CLEANUP_ENV,
          StackSpec.DEFAULT_LABELS,
          Map.of(
              "ClassifyFunction",
              StackSpec.CLASSIFY_HANDLER,
              "ControllerFunction",
              StackSpec.CONTROLLER_HANDLER,
              "EndpointCleanupFunction",
              StackSpec.CLEANUP_HANDLER,
              "ApiFunction",
              StackSpec.API_HANDLER),
          StackSpec.STACK_OUTPUTS,
          StackSpec.METRICS);
    }
  }

  /** Runtime options the template sets for the JVM; not part of the functions' own configuration. */
  private static final Set<String> PLATFORM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

  private final Map<String, Object> template;
  private final Expected expected;
  private final List<String> differences = new ArrayList<>();

  private StackDrift(Map<String, Object> template, Expected expected) {
    this.template = template;
    this.expected = expected;
  }

  static List<String> differences(Map<String, Object> template, Expected expected) {
    StackDrift drift = new StackDrift(template, expected);
    drift.notification();
    drift.bucketFingerprint();
    drift.queues();
    drift.table("ResultsTable", expected.results());
    drift.table("ControlTable", expected.control());
    drift.trigger();
    drift.environment("ClassifyFunction", expected.classifyEnv());
    drift.environment("ControllerFunction", expected.controllerEnv());
    drift.environment("EndpointCleanupFunction", expected.cleanupEnv());
    drift.environment("ApiFunction", FunctionVariables.API_ENV);
    drift.api();
    drift.handlers();
    drift.labels();
    drift.outputs();
    drift.alarm("EndpointCreateFailuresAlarm", expected.metrics().endpointCreateFailures());
    drift.alarm(
        "EndpointRunningOutsideScheduleAlarm", expected.metrics().endpointRunningOutsideSchedule());
    drift.alarm("ControllerHeartbeatAlarm", expected.metrics().controllerRuns());
    drift.alarm("TestInvocationFailuresAlarm", expected.metrics().testInvocationFailures());
    drift.alarm("ControllerStepFailuresAlarm", expected.metrics().controllerStepFailures());
    drift.alarm("UploadsOverdueAlarm", expected.metrics().overdueSeconds());
    return List.copyOf(drift.differences);
  }

  private void notification() {
    List<Object> configs =
        list(path(resource("ImagesBucket"), "Properties", "NotificationConfiguration")
            .get("QueueConfigurations"));
    List<String> suffixes = new ArrayList<>();
    for (Object config : configs) {
      Map<String, Object> c = map(config);
      expect(
          "ImagesBucket notification Event",
          c.get("Event"),
          expected.notification().event());
      for (Object rule : list(path(c, "Filter", "S3Key").get("Rules"))) {
        expect(
            "ImagesBucket notification filter rule Name",
            map(rule).get("Name"),
            expected.notification().filterRuleName());
        suffixes.add(String.valueOf(map(rule).get("Value")));
      }
    }
    expect(
        "ImagesBucket notification suffixes", suffixes, expected.notification().suffixes());
  }

  private void bucketFingerprint() {
    Object stated = path(resource("EndpointCleanup"), "Properties").get("ImagesBucketFingerprint");
    String hashed = ResourceFingerprint.of(resource("ImagesBucket"));
    if (!hashed.equals(stated)) {
      differences.add("EndpointCleanup ImagesBucketFingerprint: template.yaml has " + stated
          + ", the ImagesBucket resource hashes to " + hashed
          + " (set it, so that an update of the bucket sweeps the s3:TestEvent S3 sends)");
    }
  }

  private void queues() {
    Map<String, Object> queue = path(resource("ImagesQueue"), "Properties");
    Map<String, Object> dlq = path(resource("DeadLetterQueue"), "Properties");
    expect(
        "ImagesQueue MessageRetentionPeriod",
        queue.get("MessageRetentionPeriod"),
        expected.queue().retentionSeconds());
    expect(
        "DeadLetterQueue MessageRetentionPeriod",
        dlq.get("MessageRetentionPeriod"),
        expected.queue().retentionSeconds());
    expect(
        "ImagesQueue VisibilityTimeout",
        queue.get("VisibilityTimeout"),
        expected.queue().visibilityTimeoutSeconds());
    expect(
        "ClassifyFunction Timeout",
        path(resource("ClassifyFunction"), "Properties").get("Timeout"),
        expected.classifyTimeoutSeconds());
    differences.addAll(QueueVisibility.differences(template));
    expectParameterDefault(
        "ImagesQueue RedrivePolicy maxReceiveCount",
        path(queue, "RedrivePolicy").get("maxReceiveCount"),
        expected.queue().maxReceiveCount());
    expect("ImagesQueue SqsManagedSseEnabled", queue.get("SqsManagedSseEnabled"), true);
    Map<String, Object> timer = path(resource("ControllerTimerQueue"), "Properties");
    expect(
        "ControllerTimerQueue MessageRetentionPeriod",
        timer.get("MessageRetentionPeriod"),
        StackSpec.TIMER_QUEUE.retentionSeconds());
    expect(
        "ControllerTimerQueue VisibilityTimeout",
        timer.get("VisibilityTimeout"),
        StackSpec.TIMER_QUEUE.visibilityTimeoutSeconds());
    expect("ControllerTimerQueue SqsManagedSseEnabled", timer.get("SqsManagedSseEnabled"), true);
    Map<String, Object> controller = path(resource("ControllerFunction"), "Properties");
    expect(
        "ControllerFunction Timeout",
        controller.get("Timeout"),
        StackSpec.CONTROLLER_TIMEOUT_SECONDS);
    Map<String, Object> timerTrigger = path(controller, "Events", "Timer", "Properties");
    expect(
        "ControllerFunction Timer BatchSize",
        timerTrigger.get("BatchSize"),
        StackSpec.TIMER_QUEUE.batchSize());
    expect(
        "ControllerFunction Timer MaximumBatchingWindowInSeconds",
        timerTrigger.get("MaximumBatchingWindowInSeconds"),
        StackSpec.TIMER_QUEUE.batchingWindowSeconds());
    expect("DeadLetterQueue SqsManagedSseEnabled", dlq.get("SqsManagedSseEnabled"), true);
  }

  private void table(String name, TableSchema spec) {
    Map<String, Object> props = path(resource(name), "Properties");
    expect(name + " BillingMode", props.get("BillingMode"), "PAY_PER_REQUEST");
    expect(
        name + " KeySchema",
        keySchema(props.get("KeySchema")),
        List.of(spec.partitionKey(), spec.sortKey()));
    List<String> defined = new ArrayList<>();
    for (Object def : list(props.get("AttributeDefinitions"))) {
      defined.add(String.valueOf(map(def).get("AttributeName")));
      expect(
          name + " type of " + map(def).get("AttributeName"), map(def).get("AttributeType"), "S");
    }
    expect(
        name + " AttributeDefinitions",
        new java.util.TreeSet<>(defined),
        new java.util.TreeSet<>(spec.keyAttributes()));
    List<Object> indexes = props.containsKey("GlobalSecondaryIndexes")
        ? list(props.get("GlobalSecondaryIndexes"))
        : List.of();
    expect(
        name + " GlobalSecondaryIndexes",
        indexes.stream().map(i -> String.valueOf(map(i).get("IndexName"))).toList(),
        spec.indexes().stream().map(TableSchema.Index::name).toList());
    for (TableSchema.Index index : spec.indexes()) {
      indexes.stream()
          .map(StackDrift::map)
          .filter(gsi -> index.name().equals(gsi.get("IndexName")))
          .findFirst()
          .ifPresent(gsi -> {
            expect(
                name + " GSI " + index.name() + " KeySchema",
                keySchema(gsi.get("KeySchema")),
                List.of(index.partitionKey(), index.sortKey()));
            expect(
                name + " GSI " + index.name() + " ProjectionType",
                path(gsi, "Projection").get("ProjectionType"),
                "ALL");
          });
    }
  }

  private void trigger() {
    Map<String, Object> sqs =
        path(resource("ClassifyFunction"), "Properties", "Events", "Queue", "Properties");
    expectParameterDefault(
        "ClassifyFunction SQS BatchSize",
        sqs.get("BatchSize"),
        expected.trigger().batchSize());
    expectParameterDefault(
        "ClassifyFunction SQS MaximumBatchingWindowInSeconds",
        sqs.get("MaximumBatchingWindowInSeconds"),
        expected.trigger().maximumBatchingWindowSeconds());
    expectParameterDefault(
        "ClassifyFunction SQS ScalingConfig MaximumConcurrency",
        path(sqs, "ScalingConfig").get("MaximumConcurrency"),
        expected.trigger().maximumConcurrency());
    expect(
        "ClassifyFunction SQS FunctionResponseTypes",
        sqs.get("FunctionResponseTypes"),
        List.of("ReportBatchItemFailures"));
  }

  private void environment(String function, Map<String, String> spec) {
    Map<String, Object> variables =
        path(resource(function), "Properties", "Environment", "Variables");
    Set<String> names = new LinkedHashSet<>(variables.keySet());
    names.removeAll(PLATFORM_VARIABLES);
    expect(function + " environment variable names", names, spec.keySet());
    spec.forEach((name, defaultValue) -> {
      if (defaultValue != null && variables.containsKey(name)) {
        expectParameterDefault(function + " " + name, variables.get(name), defaultValue);
      }
    });
  }

  /** The API's routes are StackSpec's (local mode serves exactly those), behind IAM auth and stage throttling. */
  private void api() {
    List<String> routes = new ArrayList<>();
    for (Object event :
        map(path(resource("ApiFunction"), "Properties").get("Events")).values()) {
      Map<String, Object> e = map(event);
      if ("HttpApi".equals(e.get("Type"))) {
        Map<String, Object> props = path(e, "Properties");
        routes.add(props.get("Method") + " " + props.get("Path"));
        expect("ApiFunction HttpApi event ApiId", props.get("ApiId"), Map.of("Ref", "Api"));
      }
    }
    expect(
        "ApiFunction routes",
        new java.util.TreeSet<>(routes),
        new java.util.TreeSet<>(StackSpec.API_ROUTES));
    Map<String, Object> api = path(resource("Api"), "Properties");
    expect("Api Auth DefaultAuthorizer", path(api, "Auth").get("DefaultAuthorizer"), "AWS_IAM");
    // No CORS: a configured one makes API Gateway answer every preflight itself and add its headers
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html). Nothing in
    // a browser calls this API (the page runs locally with the CLI's clients), so no web page may
    // read its answers.
    expect("Api CorsConfiguration", api.get("CorsConfiguration"), null);
    Map<String, Object> throttling = path(api, "DefaultRouteSettings");
    expect(
        "Api throttling set",
        throttling.containsKey("ThrottlingRateLimit")
            && throttling.containsKey("ThrottlingBurstLimit"),
        true);
    // Default route settings are route-level limits: each route has its own, so the parameter must
    // say how many routes share the bill.
    String rate =
        String.valueOf(path(map(template.get("Parameters")), "ApiRateLimit").get("Description"));
    expect(
        "ApiRateLimit Description names the limit per route and the route count",
        rate.contains("on each of its " + routes.size() + " routes"),
        true);
  }

  private void handlers() {
    expected
        .handlers()
        .forEach((function, handler) -> expect(
            function + " Handler", path(resource(function), "Properties").get("Handler"), handler));
  }

  private void alarm(String name, String metric) {
    Map<String, Object> props = path(resource(name), "Properties");
    expect(name + " Namespace", props.get("Namespace"), expected.metrics().namespace());
    expect(name + " MetricName", props.get("MetricName"), metric);
    List<Object> dimensions = list(props.get("Dimensions"));
    expect(
        name + " Dimensions",
        dimensions.stream().map(d -> map(d).get("Name")).toList(),
        List.of(expected.metrics().dimension()));
  }

  private void outputs() {
    expect(
        "Outputs",
        new java.util.TreeSet<>(map(template.get("Outputs")).keySet()),
        new java.util.TreeSet<>(expected.outputs()));
  }

  private void labels() {
    expect(
        "Parameter Labels Default",
        parameterDefault("Labels"),
        String.join(",", expected.labels()));
  }

  /** {@code value} is a literal equal to {@code wanted}, or a Ref to a parameter whose Default equals it. */
  private void expectParameterDefault(String what, Object value, Object wanted) {
    if (value instanceof Map<?, ?> choice
        && choice.get("Fn::If") instanceof List<?> branches
        && branches.size() == 3) {
      // A value that depends on a condition (MAX_IMAGE_BYTES by Hosting): StackSpec's default is
      // one of its branches.
      if (Objects.equals(String.valueOf(branches.get(1)), wanted)
          || Objects.equals(String.valueOf(branches.get(2)), wanted)) {
        return;
      }
    }
    if (value instanceof Map<?, ?> ref && ref.get("Ref") instanceof String parameter) {
      expect(
          what + " (Default of parameter " + parameter + ")", parameterDefault(parameter), wanted);
    } else {
      expect(what, value, wanted);
    }
  }

  private Object parameterDefault(String parameter) {
    Map<String, Object> parameters = map(template.get("Parameters"));
    if (!parameters.containsKey(parameter)) {
      differences.add("template.yaml has no parameter " + parameter);
      return null;
    }
    return map(parameters.get(parameter)).get("Default");
  }

  /** Compares as text where one side is a number and the other a string (CloudFormation parameters are strings). */
  private void expect(String what, Object actual, Object wanted) {
    boolean same = Objects.equals(actual, wanted)
        || (actual != null
            && wanted != null
            && (actual instanceof Number || wanted instanceof Number)
            && String.valueOf(actual).equals(String.valueOf(wanted)));
    if (!same) {
      differences.add(what + ": template.yaml has " + actual + ", StackSpec says " + wanted);
    }
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

  private Map<String, Object> resource(String name) {
    Map<String, Object> resources = map(template.get("Resources"));
    if (!resources.containsKey(name)) {
      throw new IllegalArgumentException("template.yaml has no resource " + name);
    }
    return map(resources.get(name));
  }

  private static Map<String, Object> path(Map<String, Object> from, String... keys) {
    Map<String, Object> node = from;
    for (String key : keys) {
      if (!node.containsKey(key)) {
        throw new IllegalArgumentException(
            "template.yaml lacks " + key + " (path " + String.join(".", keys) + ")");
      }
      node = map(node.get(key));
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException("expected a mapping in template.yaml, got "
          + (o == null ? "nothing" : o.getClass().getSimpleName()));
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    if (!(o instanceof List)) {
      throw new IllegalArgumentException("expected a list in template.yaml, got "
          + (o == null ? "nothing" : o.getClass().getSimpleName()));
    }
    return (List<Object>) o;
  }
}
