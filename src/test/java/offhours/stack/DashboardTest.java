package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import offhours.cli.Main;
import offhours.testing.MarkdownSections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * template.yaml's dashboard (Dashboard=true), resolved for each hosting and budget (MaxWaitMinutes) as CloudFormation
 * would and read as the JSON CloudWatch reads: every metric it graphs is one this stack has and that can have data
 * under them (AWS's as DocumentedMetrics has them from AWS's pages: under the dimensions and for the hostings they
 * are published with, graphed with a statistic the page gives; the controller's exactly
 * StackSpec.METRICS.publishedUnder(hosting, budget) under its dimension), every resource it names exists under the
 * same condition, its alarm widget lists exactly the alarms the stack creates, each on a metric the hosting
 * publishes, it stays within what CloudWatch takes and what its free tier covers, its text names the counts the
 * Controller graph shows and says what SageMaker's graphs hold under that hosting, and the commands its text shows
 * are ones the CLI runs.
 */
class DashboardTest {

  private static final String RESOURCE = "StackDashboard";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A dashboard is free among an account's first 3 if it references at most 50 metrics (https://aws.amazon.com/cloudwatch/pricing/). */
  static final int FREE_TIER_METRICS = 50;

  private final Map<String, Object> template;

  DashboardTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  private StackResolver stack(String hosting) {
    return stack(hosting, "60");
  }

  private StackResolver stack(String hosting, String maxWaitMinutes) {
    Map<String, String> all = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    all.put("Hosting", hosting);
    all.put("MaxWaitMinutes", maxWaitMinutes);
    all.put("Dashboard", "true");
    return new StackResolver(template, FakeStack.create(all));
  }

  private static JsonNode body(StackResolver stack) throws IOException {
    return JSON.readTree(String.valueOf(stack.properties(RESOURCE).get("DashboardBody")));
  }

  /**
   * One graphed metric: namespace, name and dimensions as the body lists them, and the statistic it is graphed with
   * (its own "stat", else its widget's).
   */
  record Graphed(String namespace, String name, Map<String, String> dimensions, String statistic) {}

  private static List<Graphed> graphed(JsonNode body) {
    List<Graphed> out = new ArrayList<>();
    for (JsonNode widget : body.get("widgets")) {
      if (!"metric".equals(widget.get("type").asText())) {
        continue;
      }
      Set<String> ids = new java.util.HashSet<>();
      widget
          .get("properties")
          .get("metrics")
          .forEach(entry -> entry.forEach(w -> {
            if (w.isObject() && w.has("id") && !w.has("expression")) {
              ids.add(w.get("id").asText());
            }
          }));
      for (JsonNode entry : widget.get("properties").get("metrics")) {
        if (entry.size() == 1 && entry.get(0).has("expression")) {
          // Metric math over the widget's own metrics: each id it names is one of them.
          String expression = entry.get(0).get("expression").asText();
          assertThat(expression)
              .as("an expression of this widget's metrics: %s", expression)
              .matches("FILL\\([a-z][A-Za-z0-9_]*, 0\\)");
          assertThat(ids).contains(expression.substring(5, expression.indexOf(',')));
          continue;
        }
        List<String> words = new ArrayList<>();
        entry.forEach(w -> {
          if (w.isTextual()) {
            words.add(w.asText());
          }
        });
        assertThat(words)
            .as("a metric written out in full (no \".\" repeating the line above): %s", entry)
            .doesNotContain(".")
            .hasSizeGreaterThanOrEqualTo(2);
        assertThat(words.size() % 2)
            .as("dimension names and values in pairs: %s", entry)
            .isZero();
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (int i = 2; i < words.size(); i += 2) {
          dimensions.put(words.get(i), words.get(i + 1));
        }
        JsonNode options = entry.get(entry.size() - 1);
        String statistic = options.has("stat")
            ? options.get("stat").asText()
            : widget.get("properties").get("stat").asText();
        out.add(new Graphed(words.get(0), words.get(1), dimensions, statistic));
      }
    }
    return out;
  }

  /** The alarms the stack creates under its parameters (their Condition holds), as ARNs. */
  private static Set<String> createdAlarms(StackResolver stack) {
    return stack.resources().keySet().stream()
        .filter(r -> stack.type(r).equals("AWS::CloudWatch::Alarm"))
        .filter(r -> {
          Object condition = stack.resource(r).get("Condition");
          return condition == null || stack.condition(String.valueOf(condition));
        })
        .map(r -> String.valueOf(stack.getAtt(r, "Arn")))
        .collect(Collectors.toSet());
  }

  /**
   * Each hosting with a budget, without one (MaxWaitMinutes 0) and with next-opening, which a serverless endpoint has
   * no working hours for: where no upload is ever due, the controller publishes no OverdueSeconds.
   */
  private static final String BUDGETS = """
      scheduled, 60
      scheduled, 0
      scheduled, next-opening
      scale-to-zero, 60
      scale-to-zero, 0
      serverless, 60
      serverless, 0
      serverless, next-opening
      """;

  @ParameterizedTest
  @CsvSource(textBlock = BUDGETS)
  void everyGraphedMetricIsOneThisStackHasUnderTheDimensionItIsPublishedWith(
      String hosting, String maxWait) throws IOException {
    StackResolver stack = stack(hosting, maxWait);
    String endpoint = String.valueOf(stack.properties("EndpointCleanup").get("EndpointName"));
    String component = stack.environment("ClassifyFunction").get("INFERENCE_COMPONENT_NAME");
    Map<String, Set<String>> values = Map.of(
        "QueueName",
        Set.of(
            String.valueOf(stack.getAtt("ImagesQueue", "QueueName")),
            String.valueOf(stack.getAtt("DeadLetterQueue", "QueueName"))),
        "FunctionName",
        Set.of(
            String.valueOf(stack.ref("ClassifyFunction")),
            String.valueOf(stack.ref("ControllerFunction")),
            String.valueOf(stack.ref("ApiFunction"))),
        "EndpointName",
        Set.of(endpoint),
        "VariantName",
        Set.of(String.valueOf(stack.getAtt("Model", "ModelName"))),
        "InferenceComponentName",
        component.isEmpty() ? Set.of() : Set.of(component),
        "ApiId",
        Set.of(String.valueOf(stack.ref("Api"))));
    List<Graphed> graphed = graphed(body(stack));
    assertThat(graphed).isNotEmpty().allSatisfy(g -> {
      if (g.namespace().equals(StackSpec.METRICS.namespace())) {
        assertThat(g.dimensions())
            .as("the controller's metric %s under the one dimension it emits", g.name())
            .isEqualTo(Map.of(StackSpec.METRICS.dimension(), endpoint));
        return;
      }
      assertThat(DocumentedMetrics.published(
              g.namespace(), g.name(), g.dimensions().keySet(), Hosting.parse(hosting)))
          .as(
              "%s %s by %s is a metric AWS documents for Hosting=%s",
              g.namespace(), g.name(), g.dimensions().keySet(), hosting)
          .isTrue();
      DocumentedMetrics.Statistics documented =
          DocumentedMetrics.statistics(g.namespace(), g.name());
      assertThat(documented.allows(g.statistic()))
          .as(
              "%s %s graphed as %s: %s documents %s%s",
              g.namespace(),
              g.name(),
              g.statistic(),
              documented.documentedAt(),
              documented.names(),
              documented.percentiles() ? " and percentiles" : "")
          .isTrue();
      g.dimensions()
          .forEach((name, value) -> assertThat(values.get(name))
              .as("%s %s: %s is this stack's", g.namespace(), g.name(), name)
              .contains(value));
    });
    // Exactly the controller's metrics this hosting publishes, each graphed once: none that cannot
    // have data here.
    assertThat(graphed.stream()
            .filter(g -> g.namespace().equals(StackSpec.METRICS.namespace()))
            .map(Graphed::name))
        .as("the controller's metrics graphed with Hosting=%s, MaxWaitMinutes=%s", hosting, maxWait)
        .containsExactlyInAnyOrderElementsOf(
            StackSpec.METRICS.publishedUnder(Hosting.parse(hosting), maxWait));
    // SageMaker counts an inference component's invocations under the component, a variant's under
    // endpoint and variant: the hosting decides which exist.
    Set<Set<String>> sageMaker = graphed.stream()
        .filter(g -> g.namespace().equals("AWS/SageMaker"))
        .map(g -> g.dimensions().keySet())
        .collect(Collectors.toSet());
    assertThat(sageMaker)
        .containsExactly(
            hosting.equals("scale-to-zero")
                ? DocumentedMetrics.COMPONENT
                : DocumentedMetrics.VARIANT);
    assertThat(graphed.stream().filter(g -> g.name().equals("NoCapacityInvocationFailures")))
        .as("only a component scales to zero copies")
        .hasSize(hosting.equals("scale-to-zero") ? 1 : 0);
    assertThat(graphed.stream().filter(g -> g.name().equals("ModelSetupTime")))
        .as("only serverless has cold starts of new compute")
        .hasSize(hosting.equals("serverless") ? 1 : 0);
    assertThat(graphed.stream().filter(g -> g.name().equals("InvocationModelErrors")))
        .as("a serverless endpoint publishes no model errors")
        .hasSize(hosting.equals("serverless") ? 0 : 1);
    // The queue's three counts and age, the DLQ's count; Invocations, Errors, Throttles,
    // Duration and ConcurrentExecutions of each function.
    assertThat(graphed)
        .extracting(g -> g.name() + " " + g.dimensions().values())
        .contains(
            "ApproximateNumberOfMessagesVisible [" + stack.getAtt("ImagesQueue", "QueueName") + "]",
            "ApproximateNumberOfMessagesNotVisible [" + stack.getAtt("ImagesQueue", "QueueName")
                + "]",
            "ApproximateNumberOfMessagesDelayed [" + stack.getAtt("ImagesQueue", "QueueName") + "]",
            "ApproximateAgeOfOldestMessage [" + stack.getAtt("ImagesQueue", "QueueName") + "]",
            "ApproximateNumberOfMessagesVisible [" + stack.getAtt("DeadLetterQueue", "QueueName")
                + "]");
    // The HTTP API's answers as API Gateway counts them: the API function's Lambda Errors stay 0
    // while it answers 5xx itself.
    assertThat(graphed)
        .filteredOn(g -> g.namespace().equals("AWS/ApiGateway"))
        .extracting(g -> g.name() + " " + g.dimensions())
        .containsExactlyInAnyOrder(
            "Count {ApiId=" + stack.ref("Api") + "}",
            "4xx {ApiId=" + stack.ref("Api") + "}",
            "5xx {ApiId=" + stack.ref("Api") + "}");
    for (String function : List.of("ClassifyFunction", "ControllerFunction", "ApiFunction")) {
      assertThat(graphed)
          .filteredOn(g -> g.namespace().equals("AWS/Lambda")
              && g.dimensions().get("FunctionName").equals(stack.ref(function)))
          .extracting(Graphed::name)
          .as(function)
          .containsExactlyInAnyOrder(
              "Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions");
    }
  }

  @ParameterizedTest
  @CsvSource(textBlock = BUDGETS)
  void theAlarmWidgetListsExactlyTheAlarmsThisHostingCreates(String hosting, String maxWait)
      throws IOException {
    StackResolver stack = stack(hosting, maxWait);
    List<String> listed = new ArrayList<>();
    for (JsonNode widget : body(stack).get("widgets")) {
      if ("alarm".equals(widget.get("type").asText())) {
        widget.get("properties").get("alarms").forEach(a -> listed.add(a.asText()));
      }
    }
    assertThat(listed).doesNotHaveDuplicates();
    assertThat(Set.copyOf(listed)).isEqualTo(createdAlarms(stack));
    // Each alarm on a controller metric watches one this hosting publishes: none waits for data
    // that cannot come.
    List<String> watched = stack.resources().keySet().stream()
        .filter(r -> stack.type(r).equals("AWS::CloudWatch::Alarm"))
        .filter(r -> listed.contains(String.valueOf(stack.getAtt(r, "Arn"))))
        .map(stack::properties)
        .filter(p -> StackSpec.METRICS.namespace().equals(String.valueOf(p.get("Namespace"))))
        .map(p -> String.valueOf(p.get("MetricName")))
        .toList();
    assertThat(watched)
        .as(
            "the controller's metrics the alarms of Hosting=%s, MaxWaitMinutes=%s watch",
            hosting, maxWait)
        .isNotEmpty()
        .isSubsetOf(StackSpec.METRICS.publishedUnder(Hosting.parse(hosting), maxWait));
    boolean due = Hosting.parse(hosting).hasDueTimes(maxWait);
    assertThat(listed).hasSize(alarmsWithDueTimes(hosting) - (due ? 0 : 1));
    assertThat(stack.condition("HasDueTimes"))
        .as("UploadsOverdueAlarm exactly where an upload can be due")
        .isEqualTo(due);
  }

  /**
   * The text says which of the controller's counts have points when not 0: exactly those the Controller graph shows,
   * in its order; and what SageMaker's graphs hold under this hosting: nothing while a scheduled endpoint is off (it is
   * deleted), the no-capacity requests of a sleeping component, the cold starts and no model errors of a serverless
   * endpoint, which the controller never creates nor switches off.
   */
  @ParameterizedTest
  @CsvSource(textBlock = BUDGETS)
  void theTextNamesTheCountsTheControllerGraphShowsAndWhatSageMakerHasUnderThisHosting(
      String hosting, String maxWait) throws IOException {
    JsonNode body = body(stack(hosting, maxWait));
    String markdown = "";
    List<String> counts = new ArrayList<>();
    for (JsonNode w : body.get("widgets")) {
      if ("text".equals(w.get("type").asText())) {
        markdown = w.get("properties").get("markdown").asText();
      }
      if ("Controller".equals(w.get("properties").path("title").asText())) {
        for (JsonNode entry : w.get("properties").get("metrics")) {
          if (!entry.get(1).asText().equals(StackSpec.METRICS.controllerRuns())) {
            counts.add(entry.get(entry.size() - 1).get("label").asText());
          }
        }
      }
    }
    Matcher named = Pattern.compile(
            "The controller's counts \\(([^)]*)\\) have points only when they" + " are not 0")
        .matcher(markdown);
    assertThat(named.find()).as(markdown).isTrue();
    assertThat(List.of(named.group(1).split(", ")))
        .isEqualTo(counts)
        .hasSizeGreaterThanOrEqualTo(2);
    Set<String> graphed = graphed(body).stream().map(Graphed::name).collect(Collectors.toSet());
    Hosting h = Hosting.parse(hosting);
    assertThat(markdown.contains("SageMaker has none while the endpoint is off"))
        .as("only a scheduled endpoint is deleted when off")
        .isEqualTo(h == Hosting.SCHEDULED);
    assertThat(markdown.contains(
            "a request made while the endpoint has no active instances counts as no capacity"))
        .as("what AWS documents NoCapacityInvocationFailures to count, and nothing more")
        .isEqualTo(graphed.contains("NoCapacityInvocationFailures"));
    assertThat(markdown.contains("add the cold starts"))
        .isEqualTo(graphed.contains("ModelSetupTime"));
    assertThat(markdown.contains("publishes no model errors"))
        .isEqualTo(!graphed.contains("InvocationModelErrors"));
    assertThat(markdown.contains("never creates the serverless endpoint nor switches it off"))
        .isEqualTo(!h.switchesTheEndpoint());
    assertThat(markdown.contains("An upload is late when **overdue seconds** rises above 0"))
        .as("the text speaks of the overdue graph only where it is")
        .isEqualTo(graphed.contains(StackSpec.METRICS.overdueSeconds()));
    assertThat(markdown.contains("No upload is ever late"))
        .isEqualTo(!graphed.contains(StackSpec.METRICS.overdueSeconds()));
  }

  /**
   * Statically, whatever the parameters: a reference in the dashboard to a resource with a Condition sits in the true
   * branch of an Fn::If on that condition (or the dashboard has that condition itself), so no parameters make the
   * body name a resource the stack does not create. cfn-lint checks Ref and GetAtt, not names inside a Sub string.
   */
  @Test
  void everyResourceTheBodyNamesExistsUnderTheSameCondition() {
    Map<String, Object> dashboard =
        StackResolver.map(StackResolver.map(template.get("Resources")).get(RESOURCE));
    Set<String> referenced = new LinkedHashSet<>();
    Deque<String> enclosing = new ArrayDeque<>();
    enclosing.push(String.valueOf(dashboard.get("Condition")));
    visit(dashboard.get("Properties"), enclosing, (name, conditions) -> {
      Object resource = StackResolver.map(template.get("Resources")).get(name);
      if (resource == null) {
        return; // a parameter, a pseudo parameter or a Sub variable
      }
      referenced.add(name);
      Object condition = StackResolver.map(resource).get("Condition");
      assertThat(condition == null || conditions.contains(String.valueOf(condition)))
          .as("%s (Condition %s) is named under %s", name, condition, conditions)
          .isTrue();
    });
    assertThat(referenced)
        .as("the conditional alarms are among the names, so the check above saw them")
        .contains(
            "EndpointCreateFailuresAlarm",
            "EndpointRunningOutsideScheduleAlarm",
            "UploadsOverdueAlarm",
            "Model");
  }

  private interface Reference {
    void named(String name, Set<String> conditions);
  }

  private static final Pattern SUB_NAME = Pattern.compile("\\$\\{([A-Za-z0-9]+)(?:\\.[^}]*)?}");

  private static void visit(Object node, Deque<String> conditions, Reference reference) {
    if (node instanceof List<?> list) {
      list.forEach(item -> visit(item, conditions, reference));
      return;
    }
    if (node instanceof String text) {
      Matcher m = SUB_NAME.matcher(text);
      while (m.find()) {
        reference.named(m.group(1), Set.copyOf(conditions));
      }
      return;
    }
    if (!(node instanceof Map<?, ?> map)) {
      return;
    }
    if (map.size() == 1 && map.containsKey("Fn::If")) {
      List<Object> args = StackResolver.list(map.get("Fn::If"));
      conditions.push(String.valueOf(args.get(0)));
      visit(args.get(1), conditions, reference);
      conditions.pop();
      visit(args.get(2), conditions, reference);
      return;
    }
    if (map.size() == 1 && map.containsKey("Ref")) {
      reference.named(String.valueOf(map.get("Ref")), Set.copyOf(conditions));
      return;
    }
    if (map.size() == 1 && map.containsKey("Fn::GetAtt")) {
      reference.named(
          String.valueOf(StackResolver.list(map.get("Fn::GetAtt")).get(0)), Set.copyOf(conditions));
      return;
    }
    map.values().forEach(v -> visit(v, conditions, reference));
  }

  /**
   * What CloudWatch documents of a body (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
   * at most 500 widgets, each on the 24-column grid (x 0-23, width 1-24, height 1-1000), a metric widget's region and
   * at most 500 metrics, periods in multiples of 60 s, an alarm widget's 1-100 ARNs. AWS documents no byte limit for
   * DashboardBody (PutDashboard's reference and the resource's CloudFormation schema give none); its bytes are part
   * of the template, whose 1 MB DeployLimitsTest checks. And the free tier: at most 50 metrics.
   */
  @ParameterizedTest
  @CsvSource(textBlock = BUDGETS)
  void theBodyKeepsWithinWhatCloudWatchTakesAndTheFreeTiersFiftyMetrics(
      String hosting, String maxWait) throws IOException {
    StackResolver stack = stack(hosting, maxWait);
    JsonNode body = body(stack);
    JsonNode widgets = body.get("widgets");
    assertThat(widgets.size()).isBetween(1, 500);
    for (JsonNode w : widgets) {
      int x = w.get("x").asInt();
      int width = w.get("width").asInt();
      assertThat(x).as("%s", w.get("type")).isBetween(0, 23);
      assertThat(width).isBetween(1, 24);
      assertThat(x + width).as("within the 24 columns").isLessThanOrEqualTo(24);
      assertThat(w.get("height").asInt()).isBetween(1, 1000);
      JsonNode p = w.get("properties");
      switch (w.get("type").asText()) {
        case "metric" -> {
          assertThat(p.get("region").asText()).isEqualTo(stack.stack().region());
          assertThat(p.get("metrics").size()).isBetween(1, 500);
          assertThat(p.get("period").asInt() % 60).isZero();
        }
        case "alarm" -> assertThat(p.get("alarms").size()).isBetween(1, 100);
        case "text" -> assertThat(p.get("markdown").asText()).isNotBlank();
        default -> throw new AssertionError("a widget of an unexpected type: " + w);
      }
    }
    // No overlapping widgets.
    Set<String> cells = new java.util.HashSet<>();
    for (JsonNode w : widgets) {
      for (int dx = 0; dx < w.get("width").asInt(); dx++) {
        for (int dy = 0; dy < w.get("height").asInt(); dy++) {
          assertThat(cells.add((w.get("x").asInt() + dx) + "," + (w.get("y").asInt() + dy)))
              .as("widgets overlap at %s", w.get("properties").path("title"))
              .isTrue();
        }
      }
    }
    int metrics = graphed(body).size();
    assertThat(metrics)
        .as("template.yaml's comment counts them: 37, 38 with scale-to-zero, 35 with serverless;"
            + " one fewer where no upload is ever due")
        .isEqualTo(
            metricsWithDueTimes(hosting) - (Hosting.parse(hosting).hasDueTimes(maxWait) ? 0 : 1))
        .isLessThanOrEqualTo(FREE_TIER_METRICS);
    System.out.printf(
        "dashboard (%s, MaxWaitMinutes %s): %d metrics, %d widgets, body %,d bytes%n",
        hosting,
        maxWait,
        metrics,
        widgets.size(),
        String.valueOf(stack.properties(RESOURCE).get("DashboardBody"))
            .getBytes(StandardCharsets.UTF_8)
            .length);
  }

  /**
   * The alarms a stack of this hosting has where uploads can be due: the default stack's (IdleCost prices them), two
   * fewer with serverless, whose endpoint the controller neither creates nor schedules.
   */
  private static int alarmsWithDueTimes(String hosting) {
    return IdleCost.DEFAULT.alarms() - (hosting.equals("serverless") ? 2 : 0);
  }

  /** README's Dashboard says how many alarms the alarm widget lists, as the widget test counts them. */
  @Test
  void readmeSaysHowManyAlarmsTheAlarmWidgetLists() throws IOException {
    String quote =
        "those in ALARM first (" + alarmsWithDueTimes("serverless") + " with `Hosting=serverless`, "
            + alarmsWithDueTimes("scheduled")
            + " otherwise; one fewer, `UploadsOverdueAlarm`, where no upload is ever"
            + " due";
    assertThat(MarkdownSections.readme("### Dashboard").replaceAll("\\s+", " ").contains(quote))
        .as("README's Dashboard says %s", quote)
        .isTrue();
  }

  /** The metrics the dashboard references under a hosting whose uploads can be due (MaxWaitMinutes 60). */
  private static int metricsWithDueTimes(String hosting) {
    return switch (hosting) {
      case "scheduled" -> 37;
      case "scale-to-zero" -> 38;
      default -> 35;
    };
  }

  /**
   * README's "What it costs" and template.yaml's comment on the dashboard quote the counts (whether it stays within
   * the 50 metrics a free one may reference), so they cannot change without both.
   */
  @Test
  void readmeQuotesTheMetricsTheDashboardReferencesUnderEachHosting() throws IOException {
    String readme = Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");
    String quote = "(it references " + metricsWithDueTimes("scheduled") + " metrics, "
        + metricsWithDueTimes("scale-to-zero") + " with `scale-to-zero`, "
        + metricsWithDueTimes("serverless")
        + " with `serverless`, one fewer where no upload is ever due,"
        + " within the " + FREE_TIER_METRICS + " the free tier allows each)";
    assertThat(readme.contains(quote))
        .as("README's What it costs says %s", quote)
        .isTrue();
    String comment = "# " + metricsWithDueTimes("scheduled") + " metrics ("
        + metricsWithDueTimes("scale-to-zero") + " with scale-to-zero, "
        + metricsWithDueTimes("serverless")
        + " with serverless; one fewer each where no upload is ever due";
    assertThat(Files.readString(Path.of("template.yaml")).contains(comment))
        .as("template.yaml's comment on StackDashboard says %s", comment)
        .isTrue();
  }

  /**
   * Dashboards are global: the name carries stack name and Region, and PutDashboard takes 1-255 characters of A-Z,
   * a-z, 0-9, - and _ (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html), also
   * for the longest stack name in the longest Region names.
   */
  @Test
  void theNameIsTheStacksAndItsRegionsWithinPutDashboardsRulesForTheLongestStackName() {
    Map<String, String> parameters = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    parameters.put("Dashboard", "true");
    assertThat(stack("scheduled").ref(RESOURCE)).isEqualTo("offhours-us-east-1");
    for (List<String> place : LongestStack.PLACES) {
      FakeStack longest = new FakeStack(
          FakeStack.ACCOUNT,
          place.get(1),
          place.get(0),
          LongestStack.STACK_NAME,
          UUID.randomUUID().toString(),
          parameters,
          Map.of());
      String name = String.valueOf(new StackResolver(template, longest).ref(RESOURCE));
      assertThat(name)
          .isEqualTo(LongestStack.STACK_NAME + "-" + place.get(1))
          .matches("[A-Za-z0-9_-]{1,255}");
    }
  }

  /** The text names the CLI commands for the rest, with this stack's name and Region, as the CLI parses them. */
  @Test
  void theTextsCommandsAreOnesTheCliRunsForThisStack() throws IOException {
    StackResolver stack = stack("scheduled");
    String markdown = "";
    for (JsonNode w : body(stack).get("widgets")) {
      if ("text".equals(w.get("type").asText())) {
        markdown = w.get("properties").get("markdown").asText();
      }
    }
    Matcher m = Pattern.compile("`AWS_REGION=(\\S+) scripts/offhours ([^`]+)`").matcher(markdown);
    List<String> commands = new ArrayList<>();
    while (m.find()) {
      assertThat(m.group(1)).isEqualTo(stack.stack().region());
      String args = m.group(2);
      commands.add(args);
      List<String> words = new ArrayList<>(List.of(args.split(" ")));
      assertThat(words.subList(0, 2)).isEqualTo(List.of("--stack", stack.stack().stackName()));
      words.add("--help");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = new Main(
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              Map.of("AWS_REGION", stack.stack().region()))
          .run(words.toArray(String[]::new));
      assertThat(code)
          .as(
              "%s: %s%s",
              args, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8))
          .isZero();
    }
    assertThat(new Main(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                Map.of())
            .run("--stack", "offhours", "queues", "--help"))
        .as("a command the CLI lacks fails even with --help, so the runs above prove something")
        .isNotZero();
    assertThat(commands)
        .containsExactly(
            "--stack offhours queue",
            "--stack offhours endpoint status",
            "--stack offhours cost",
            "--stack offhours ui");
  }
}
