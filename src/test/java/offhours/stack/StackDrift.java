package offhours.stack;

import static offhours.stack.TemplateDifferences.list;
import static offhours.stack.TemplateDifferences.map;
import static offhours.stack.TemplateDifferences.path;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares template.yaml (parsed by {@link CloudFormationYaml}) with what {@link StackSpec} says, and lists every
 * difference as a sentence naming both sides. Empty means local mode and the template agree. The upload pipeline's
 * resources are {@link PipelineDrift}'s; here the functions' environments and handlers, the API, the labels, the
 * outputs and the alarms.
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
      ControllerMetrics metrics) {

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

  private final TemplateDifferences found;
  private final Expected expected;

  private StackDrift(TemplateDifferences found, Expected expected) {
    this.found = found;
    this.expected = expected;
  }

  static List<String> differences(Map<String, Object> template, Expected expected) {
    TemplateDifferences found = new TemplateDifferences(template);
    PipelineDrift.compare(found, expected);
    StackDrift drift = new StackDrift(found, expected);
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
    return found.all();
  }

  private void environment(String function, Map<String, String> spec) {
    Map<String, Object> variables =
        path(found.resource(function), "Properties", "Environment", "Variables");
    Set<String> names = new LinkedHashSet<>(variables.keySet());
    names.removeAll(PLATFORM_VARIABLES);
    found.expect(function + " environment variable names", names, spec.keySet());
    spec.forEach((name, defaultValue) -> {
      if (defaultValue != null && variables.containsKey(name)) {
        found.expectParameterDefault(function + " " + name, variables.get(name), defaultValue);
      }
    });
  }

  /** The API's routes are StackSpec's (local mode serves exactly those), behind IAM auth and stage throttling. */
  private void api() {
    List<String> routes = new ArrayList<>();
    for (Object event :
        map(path(found.resource("ApiFunction"), "Properties").get("Events")).values()) {
      Map<String, Object> e = map(event);
      if ("HttpApi".equals(e.get("Type"))) {
        Map<String, Object> props = path(e, "Properties");
        routes.add(props.get("Method") + " " + props.get("Path"));
        found.expect("ApiFunction HttpApi event ApiId", props.get("ApiId"), Map.of("Ref", "Api"));
      }
    }
    found.expect(
        "ApiFunction routes",
        new java.util.TreeSet<>(routes),
        new java.util.TreeSet<>(StackSpec.API_ROUTES));
    Map<String, Object> api = path(found.resource("Api"), "Properties");
    found.expect(
        "Api Auth DefaultAuthorizer", path(api, "Auth").get("DefaultAuthorizer"), "AWS_IAM");
    // No CORS: a configured one makes API Gateway answer every preflight itself and add its headers
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html). Nothing in
    // a browser calls this API (the page runs locally with the CLI's clients), so no web page may
    // read its answers.
    found.expect("Api CorsConfiguration", api.get("CorsConfiguration"), null);
    Map<String, Object> throttling = path(api, "DefaultRouteSettings");
    found.expect(
        "Api throttling set",
        throttling.containsKey("ThrottlingRateLimit")
            && throttling.containsKey("ThrottlingBurstLimit"),
        true);
    // Default route settings are route-level limits: each route has its own, so the parameter must
    // say how many routes share the bill.
    String rate = String.valueOf(
        path(map(found.template().get("Parameters")), "ApiRateLimit").get("Description"));
    found.expect(
        "ApiRateLimit Description names the limit per route and the route count",
        rate.contains("on each of its " + routes.size() + " routes"),
        true);
  }

  private void handlers() {
    expected
        .handlers()
        .forEach((function, handler) -> found.expect(
            function + " Handler",
            path(found.resource(function), "Properties").get("Handler"),
            handler));
  }

  private void alarm(String name, String metric) {
    Map<String, Object> props = path(found.resource(name), "Properties");
    found.expect(name + " Namespace", props.get("Namespace"), expected.metrics().namespace());
    found.expect(name + " MetricName", props.get("MetricName"), metric);
    List<Object> dimensions = list(props.get("Dimensions"));
    found.expect(
        name + " Dimensions",
        dimensions.stream().map(d -> map(d).get("Name")).toList(),
        List.of(expected.metrics().dimension()));
  }

  private void outputs() {
    found.expect(
        "Outputs",
        new java.util.TreeSet<>(map(found.template().get("Outputs")).keySet()),
        new java.util.TreeSet<>(expected.outputs()));
  }

  private void labels() {
    found.expect(
        "Parameter Labels Default",
        found.parameterDefault("Labels"),
        String.join(",", expected.labels()));
  }
}
