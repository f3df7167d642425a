package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import offhours.endpoint.ControllerHandler;
import offhours.testing.MarkdownSections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * template.yaml's alarms reach a person: each one notifies the stack's encrypted topic (and AlarmTopicArn when given),
 * CloudWatch may publish to that topic and use its key, AlarmEmail is subscribed, and every condition issue 8 names has
 * an alarm watching the right metric of the right resource.
 */
class AlarmsTest {

  private final Map<String, Object> template;

  AlarmsTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  private StackResolver stack(Map<String, String> parameters) {
    Map<String, String> all = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    all.putAll(parameters);
    return new StackResolver(template, FakeStack.create(all));
  }

  private static List<String> alarms(StackResolver stack) {
    return stack.resources().keySet().stream()
        .filter(r -> stack.type(r).equals("AWS::CloudWatch::Alarm"))
        .toList();
  }

  @Test
  void everyAlarmNotifiesTheStacksTopicOnAlarmAndOnOk() {
    StackResolver stack = stack(Map.of());
    String topic = String.valueOf(stack.ref("AlarmTopic"));
    assertThat(alarms(stack)).hasSizeGreaterThanOrEqualTo(11).allSatisfy(alarm -> {
      Map<String, Object> props = stack.properties(alarm);
      assertThat(props.get("AlarmActions"))
          .as("AlarmActions of %s", alarm)
          .isEqualTo(List.of(topic));
      assertThat(props.get("OKActions")).as("OKActions of %s", alarm).isEqualTo(List.of(topic));
    });
  }

  @Test
  void withAnExistingTopicEveryAlarmNotifiesBoth() {
    String existing = "arn:aws:sns:us-east-1:123456789012:team-alerts";
    StackResolver stack = stack(Map.of("AlarmTopicArn", existing));
    String topic = String.valueOf(stack.ref("AlarmTopic"));
    assertThat(alarms(stack))
        .allSatisfy(alarm -> assertThat(stack.properties(alarm).get("AlarmActions"))
            .as("AlarmActions of %s", alarm)
            .isEqualTo(List.of(topic, existing)));
  }

  @Test
  void theTopicIsEncryptedWithAKeyCloudWatchMayUseAndCloudWatchMayPublish() {
    StackResolver stack = stack(Map.of());
    Map<String, Object> topic = stack.properties("AlarmTopic");
    assertThat(topic.get("KmsMasterKeyId"))
        .as("the topic's key: the stack's own, not alias/aws/sns, whose policy"
            + " cannot let CloudWatch in")
        .isEqualTo(stack.ref("AlarmTopicKey"));
    assertThat(stack.properties("AlarmTopicKey").get("EnableKeyRotation")).isEqualTo(true);
    assertThat(statements(stack.properties("AlarmTopicKey").get("KeyPolicy"))).anySatisfy(s -> {
      assertThat(s.get("Effect")).isEqualTo("Allow");
      assertThat(s.get("Principal")).isEqualTo(Map.of("Service", "cloudwatch.amazonaws.com"));
      assertThat(s.get("Action")).isEqualTo(List.of("kms:Decrypt", "kms:GenerateDataKey*"));
      assertThat(s)
          .as("as AWS documents it: a condition key CloudWatch does not send would drop every"
              + " notification")
          .doesNotContainKey("Condition");
    });
    Map<String, Object> policy = stack.properties("AlarmTopicPolicy");
    assertThat(policy.get("Topics")).isEqualTo(List.of(stack.ref("AlarmTopic")));
    assertThat(statements(policy.get("PolicyDocument"))).anySatisfy(s -> {
      assertThat(s.get("Effect")).isEqualTo("Allow");
      assertThat(s.get("Principal")).isEqualTo(Map.of("Service", "cloudwatch.amazonaws.com"));
      assertThat(s.get("Action")).isEqualTo("sns:Publish");
      assertThat(s.get("Resource")).isEqualTo(stack.ref("AlarmTopic"));
    });
  }

  @Test
  void alarmEmailIsSubscribedOnlyWhenGiven() {
    Map<String, Object> subscription = StackResolver.map(
        StackResolver.map(template.get("Resources")).get("AlarmEmailSubscription"));
    assertThat(subscription.get("Condition")).isEqualTo("HasAlarmEmail");
    assertThat(stack(Map.of()).condition("HasAlarmEmail")).isFalse();
    StackResolver withEmail = stack(Map.of("AlarmEmail", "ops@example.com"));
    assertThat(withEmail.condition("HasAlarmEmail")).isTrue();
    assertThat(withEmail.properties("AlarmEmailSubscription"))
        .containsEntry("Protocol", "email")
        .containsEntry("Endpoint", "ops@example.com")
        .containsEntry("TopicArn", withEmail.ref("AlarmTopic"));
  }

  /** One condition issue 8 wants an alarm for: the metric, the resource it watches, and how it fires. */
  record Condition(
      String what,
      String namespace,
      String metric,
      Map<String, Object> dimensions,
      Predicate<Map<String, Object>> fires) {}

  /**
   * Fires on {@code statistic} over 5 minutes breaching in three periods in a row, a missing point not breaching (the
   * controller declares these metrics only when they are not 0).
   */
  private static Predicate<Map<String, Object>> threeFiveMinutePeriodsInARow(String statistic) {
    return p -> statistic.equals(p.get("Statistic"))
        && "notBreaching".equals(p.get("TreatMissingData"))
        && "300".equals(String.valueOf(p.get("Period")))
        && "3".equals(String.valueOf(p.get("EvaluationPeriods")))
        && "3".equals(String.valueOf(p.get("DatapointsToAlarm")));
  }

  @Test
  void everyConditionThatMustReachAPersonHasAnAlarm() {
    StackResolver stack = stack(Map.of());
    Map<String, Object> endpoint =
        Map.of("EndpointName", stack.properties("EndpointCleanup").get("EndpointName"));
    Predicate<Map<String, Object>> anyAtAll =
        p -> "GreaterThanOrEqualToThreshold".equals(p.get("ComparisonOperator"))
            && Double.parseDouble(String.valueOf(p.get("Threshold"))) <= 1;
    Predicate<Map<String, Object>> olderThanTheParameter =
        p -> "GreaterThanOrEqualToThreshold".equals(p.get("ComparisonOperator"))
            && String.valueOf(p.get("Threshold"))
                .equals(stack.parameters().get("OldestMessageAlarmSeconds"));
    List<Condition> conditions = List.of(
        new Condition(
            "anything in the DLQ",
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            Map.of("QueueName", stack.getAtt("DeadLetterQueue", "QueueName")),
            anyAtAll),
        new Condition(
            "the oldest upload older than OldestMessageAlarmSeconds",
            "AWS/SQS",
            "ApproximateAgeOfOldestMessage",
            Map.of("QueueName", stack.getAtt("ImagesQueue", "QueueName")),
            olderThanTheParameter),
        new Condition(
            "the oldest DLQ message older than OldestMessageAlarmSeconds",
            "AWS/SQS",
            "ApproximateAgeOfOldestMessage",
            Map.of("QueueName", stack.getAtt("DeadLetterQueue", "QueueName")),
            olderThanTheParameter),
        new Condition(
            "Classify errors",
            "AWS/Lambda",
            "Errors",
            Map.of("FunctionName", stack.ref("ClassifyFunction")),
            anyAtAll),
        new Condition(
            "Classify throttles",
            "AWS/Lambda",
            "Throttles",
            Map.of("FunctionName", stack.ref("ClassifyFunction")),
            anyAtAll),
        new Condition(
            "the controller failing",
            "AWS/Lambda",
            "Errors",
            Map.of("FunctionName", stack.ref("ControllerFunction")),
            anyAtAll),
        new Condition(
            "no completed controller run for 15 minutes",
            StackSpec.METRICS.namespace(),
            StackSpec.METRICS.controllerRuns(),
            endpoint,
            p -> "LessThanThreshold".equals(p.get("ComparisonOperator"))
                && "breaching".equals(p.get("TreatMissingData"))
                && Integer.parseInt(String.valueOf(p.get("Period")))
                        * Integer.parseInt(String.valueOf(p.get("EvaluationPeriods")))
                    == 900
                && String.valueOf(p.get("EvaluationPeriods"))
                    .equals(String.valueOf(p.get("DatapointsToAlarm")))),
        new Condition(
            "endpoint create failures",
            StackSpec.METRICS.namespace(),
            StackSpec.METRICS.endpointCreateFailures(),
            endpoint,
            anyAtAll),
        new Condition(
            "the endpoint running outside the schedule",
            StackSpec.METRICS.namespace(),
            StackSpec.METRICS.endpointRunningOutsideSchedule(),
            endpoint,
            anyAtAll),
        new Condition(
            "failed test invocations in three 5-minute periods in a row",
            StackSpec.METRICS.namespace(),
            StackSpec.METRICS.testInvocationFailures(),
            endpoint,
            anyAtAll.and(threeFiveMinutePeriodsInARow("Sum"))),
        new Condition(
            "a failed controller step (not CreateEndpoint) in three 5-minute periods in a row",
            StackSpec.METRICS.namespace(),
            StackSpec.METRICS.controllerStepFailures(),
            endpoint,
            anyAtAll.and(threeFiveMinutePeriodsInARow("Sum"))),
        new Condition(
            "the HTTP API answering 5xx in three 5-minute periods in a row",
            "AWS/ApiGateway",
            "5xx",
            Map.of("ApiId", stack.ref("Api")),
            anyAtAll.and(threeFiveMinutePeriodsInARow("Sum"))),
        new Condition(
            "the oldest waiting upload past its due time in three 5-minute periods in a row",
            StackSpec.METRICS.namespace(),
            StackSpec.METRICS.overdueSeconds(),
            endpoint,
            anyAtAll.and(threeFiveMinutePeriodsInARow("Maximum"))));

    List<Map<String, Object>> alarms =
        alarms(stack).stream().map(stack::properties).toList();
    assertThat(conditions)
        .allSatisfy(c -> assertThat(alarms).as("an alarm on %s", c.what()).anySatisfy(a -> {
          assertThat(a.get("Namespace")).isEqualTo(c.namespace());
          assertThat(a.get("MetricName")).isEqualTo(c.metric());
          assertThat(dimensions(a)).isEqualTo(c.dimensions());
          assertThat(c.fires().test(a)).as("how %s fires: %s", c.what(), a).isTrue();
        }));
    assertThat(stack.parameters().get("OldestMessageAlarmSeconds"))
        .as(
            "default: 4 days, beyond a long weekend's wait (Thursday 19:00 to Monday 08:00 is 85 h)")
        .isEqualTo("345600");
  }

  /**
   * No AWS account runs here, so AWS's pages are the proof that an alarm on a service's metric can fire: each such
   * alarm the stack creates, under every hosting, watches a metric AWS documents in its namespace under exactly the
   * alarm's dimensions (CloudWatch matches the whole set), with a statistic the page gives for it (DocumentedMetrics).
   * It reads a period without a point as nothing happening, as it does for AWS (an idle queue, a function not invoked
   * publish none): not breaching, since breaching would fire on a quiet night and missing would leave the alarm in
   * INSUFFICIENT_DATA. Its period is a whole number of AWS's publishing intervals, so no period lacks a point by
   * construction.
   */
  @ParameterizedTest
  @ValueSource(strings = {"scheduled", "scale-to-zero", "serverless"})
  void everyAlarmOnAnAwsMetricWatchesOneAwsDocumentsUnderItsDimensionsAndStatistic(String hosting) {
    StackResolver stack = stack(Map.of("Hosting", hosting));
    List<Map<String, Object>> watching = alarms(stack).stream()
        .filter(r -> {
          Object condition = stack.resource(r).get("Condition");
          return condition == null || stack.condition(String.valueOf(condition));
        })
        .map(stack::properties)
        .filter(p -> String.valueOf(p.get("Namespace")).startsWith("AWS/"))
        .toList();
    assertThat(watching).hasSize(7).allSatisfy(p -> {
      String namespace = String.valueOf(p.get("Namespace"));
      String metric = String.valueOf(p.get("MetricName"));
      assertThat(DocumentedMetrics.published(
              namespace, metric, dimensions(p).keySet(), Hosting.parse(hosting)))
          .as(
              "%s %s by %s is a metric AWS documents",
              namespace, metric, dimensions(p).keySet())
          .isTrue();
      DocumentedMetrics.Statistics documented = DocumentedMetrics.statistics(namespace, metric);
      assertThat(p)
          .as("a statistic, not a percentile: %s", p)
          .doesNotContainKey("ExtendedStatistic");
      assertThat(documented.allows(String.valueOf(p.get("Statistic"))))
          .as(
              "%s %s watched as %s: %s documents %s",
              namespace, metric, p.get("Statistic"), documented.documentedAt(), documented.names())
          .isTrue();
      DocumentedMetrics.Publishing publishing = DocumentedMetrics.publishing(namespace);
      assertThat(p.get("TreatMissingData"))
          .as(
              "%s %s has points only %s (%s)",
              namespace, metric, publishing.when(), publishing.documentedAt())
          .isEqualTo("notBreaching");
      assertThat(Integer.parseInt(String.valueOf(p.get("Period"))) % publishing.seconds())
          .as(
              "%s %s is published every %d s (%s): %s",
              namespace, metric, publishing.seconds(), publishing.documentedAt(), p)
          .isZero();
    });
  }

  /**
   * An alarm names no Unit: without one CloudWatch evaluates whatever unit the metric was published with (the
   * controller's Count and Seconds, SQS's Count and Seconds), while a Unit the metric is not published with "can get
   * stuck in the INSUFFICIENT DATA state"
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
   */
  @Test
  void noAlarmNamesAUnit() {
    StackResolver stack = stack(Map.of());
    assertThat(alarms(stack))
        .hasSize(13)
        .allSatisfy(
            alarm -> assertThat(stack.properties(alarm)).as(alarm).doesNotContainKey("Unit"));
  }

  private static final List<String> WORDS =
      List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

  /**
   * How long README's Alarms table and each alarm's description say a condition lasts before the alarm fires is the
   * alarm's own Period x EvaluationPeriods with every period breaching (DatapointsToAlarm absent, which means all, or
   * equal): "for N minutes" for a condition that holds throughout, "N 5-minute periods in a row" for one that recurs.
   */
  @Test
  void theTimesTheTextsGiveAreTheAlarmsOwn() throws IOException {
    StackResolver stack = stack(Map.of());
    String readme = Files.readString(Path.of("README.md"));
    List<String> timed = new ArrayList<>();
    for (String alarm : alarms(stack)) {
      Map<String, Object> p = stack.properties(alarm);
      int period = Integer.parseInt(String.valueOf(p.get("Period")));
      int evaluations = Integer.parseInt(String.valueOf(p.get("EvaluationPeriods")));
      String row = readme
          .lines()
          .filter(l -> l.startsWith("| `") && l.split("\\|")[1].contains("`" + alarm + "`"))
          .findFirst()
          .orElseThrow();
      String description = String.valueOf(p.get("AlarmDescription")).replaceAll("\\s+", " ");
      if (!row.contains("minute") && !description.contains("minute")) {
        continue;
      }
      timed.add(alarm);
      assertThat(String.valueOf(p.getOrDefault("DatapointsToAlarm", evaluations)))
          .as("%s fires only when every period breaches", alarm)
          .isEqualTo(String.valueOf(evaluations));
      if (row.contains("periods in a row")) {
        assertThat(row)
            .as("README on %s", alarm)
            .contains(WORDS.get(evaluations) + " " + period / 60 + "-minute periods in a row");
        assertThat(description)
            .as("%s's description", alarm)
            .contains(evaluations + " " + WORDS.get(period / 60) + "-minute periods in a row");
      } else {
        String lasting = "for " + period * evaluations / 60 + " minutes";
        assertThat(row).as("README on %s", alarm).contains(lasting);
        assertThat(description).as("%s's description", alarm).contains(lasting);
      }
    }
    assertThat(timed)
        .containsExactlyInAnyOrder(
            "ControllerHeartbeatAlarm",
            "EndpointRunningOutsideScheduleAlarm",
            "TestInvocationFailuresAlarm",
            "ControllerStepFailuresAlarm",
            "UploadsOverdueAlarm",
            "ApiServerErrorsAlarm");
  }

  /**
   * The controller declares a metric only in runs where it is not 0, the heartbeat in every run (offhours.endpoint.Emf):
   * safe only while each alarm on the others reads a missing point as a 0 would read (not breaching, and a Sum or
   * Maximum that a 0 never reaches).
   */
  @Test
  void everyAlarmOnAControllerMetricButTheHeartbeatReadsAMissingPointAsAZero() {
    StackResolver stack = stack(Map.of());
    List<Map<String, Object>> controllers = alarms(stack).stream()
        .map(stack::properties)
        .filter(p -> StackSpec.METRICS.namespace().equals(p.get("Namespace")))
        .toList();
    assertThat(controllers).hasSize(6).allSatisfy(p -> {
      if (StackSpec.METRICS.controllerRuns().equals(p.get("MetricName"))) {
        assertThat(p.get("TreatMissingData")).isEqualTo("breaching");
        return;
      }
      assertThat(p.get("TreatMissingData")).as("%s", p).isEqualTo("notBreaching");
      assertThat(p.get("Statistic")).as("%s", p).isIn("Sum", "Maximum");
      assertThat(p.get("ComparisonOperator"))
          .as("%s", p)
          .isEqualTo("GreaterThanOrEqualToThreshold");
      assertThat(Double.parseDouble(String.valueOf(p.get("Threshold"))))
          .as("%s", p)
          .isGreaterThan(0);
      assertThat(p).as("%s", p).doesNotContainKey("Metrics"); // no metric math over the gaps
    });
  }

  @Test
  void theOverdueAlarmWatchesEveryHostingAndTheQueueAgeAlarmIsTheBackstop() {
    StackResolver stack = stack(Map.of("Hosting", "serverless"));
    Map<String, Object> overdue = stack.resource("UploadsOverdueAlarm");
    assertThat(overdue.get("Condition")).isEqualTo("HasDueTimes");
    assertThat(stack.condition("HasDueTimes"))
        .as("a serverless endpoint's uploads wait while it throttles: they are due too")
        .isTrue();
    Map<String, Object> props = stack.properties("UploadsOverdueAlarm");
    assertThat(props)
        .containsEntry("Namespace", StackSpec.METRICS.namespace())
        .containsEntry("MetricName", StackSpec.METRICS.overdueSeconds());
    assertThat(dimensions(props))
        .isEqualTo(Map.of("EndpointName", stack.properties("EndpointCleanup").get("EndpointName")));
    assertThat(String.valueOf(props.get("AlarmDescription")))
        .contains("MaxWaitMinutes", "handing back", "scripts/offhours endpoint status");
    assertThat(String.valueOf(stack.properties("QueueAgeAlarm").get("AlarmDescription")))
        .as("the queue-age alarm says what it misses and which alarm does not")
        .contains("14 days", "handed back", "UploadsOverdueAlarm");
  }

  /**
   * The controller publishes OverdueSeconds only where an upload can be due (PublishedMetricsTest): without a budget,
   * and with next-opening on a serverless endpoint, the stack has no alarm waiting for it.
   */
  @Test
  void theOverdueAlarmExistsExactlyWhereAnUploadCanBeDue() {
    for (String hosting : List.of("scheduled", "scale-to-zero", "serverless")) {
      for (String maxWait : List.of("60", "0", "next-opening")) {
        StackResolver stack = stack(Map.of("Hosting", hosting, "MaxWaitMinutes", maxWait));
        assertThat(stack.condition("HasDueTimes"))
            .as("UploadsOverdueAlarm with Hosting=%s, MaxWaitMinutes=%s", hosting, maxWait)
            .isEqualTo(!maxWait.equals("0")
                && !(hosting.equals("serverless") && maxWait.equals("next-opening")))
            .isEqualTo(Hosting.parse(hosting).hasDueTimes(maxWait));
      }
    }
  }

  @Test
  void theReadmesAlarmTableNamesEveryAlarm() {
    String section = MarkdownSections.readme("### Alarms");
    assertThat(alarms(stack(Map.of())))
        .isNotEmpty()
        .allSatisfy(alarm -> assertThat(section)
            .as("README's Alarms table names %s", alarm)
            .contains("`" + alarm + "`"));
  }

  /**
   * The operator's runbook: an alarm the template gains without a line in README's "When an alarm fires" (what to look
   * at first, which command fixes it) fails here, as one the table misses fails the test above.
   */
  @Test
  void theReadmesRunbookSaysWhatToDoForEveryAlarm() {
    String section = MarkdownSections.readme("### When an alarm fires");
    List<String> items = section.lines().filter(l -> l.startsWith("- `")).toList();
    assertThat(alarms(stack(Map.of())))
        .hasSize(13)
        .allSatisfy(alarm -> assertThat(items)
            .as("README's runbook has an item for %s", alarm)
            .anySatisfy(item ->
                assertThat(item.substring(0, item.indexOf(':'))).contains("`" + alarm + "`")));
  }

  @Test
  void theHeartbeatAlarmIsCreatedAfterTheControllersSchedule() {
    Map<String, Object> heartbeat = StackResolver.map(
        StackResolver.map(template.get("Resources")).get("ControllerHeartbeatAlarm"));
    Map<String, Object> events = StackResolver.map(StackResolver.map(StackResolver.map(
                StackResolver.map(template.get("Resources")).get("ControllerFunction"))
            .get("Properties"))
        .get("Events"));
    assertThat(StackResolver.map(events.get("MinuteTick")).get("Type"))
        .as("SAM names a function's ScheduleV2 event's schedule FunctionEvent")
        .isEqualTo("ScheduleV2");
    assertThat(heartbeat.get("DependsOn")).isEqualTo("ControllerFunctionMinuteTick");
  }

  @Test
  void theTestInvocationAlarmExistsWithEveryHostingAndSaysWhereTheReasonIs() {
    StackResolver stack = stack(Map.of("Hosting", "serverless"));
    assertThat(stack.resource("EndpointCreateFailuresAlarm").get("Condition"))
        .as("the create alarm is dropped with Hosting=serverless")
        .isEqualTo("NotServerless");
    assertThat(stack.resource("TestInvocationFailuresAlarm").get("Condition"))
        .as("the controller probes a serverless endpoint too before it enables the trigger")
        .isNull();
    assertThat(
            String.valueOf(stack.properties("TestInvocationFailuresAlarm").get("AlarmDescription")))
        .contains(
            "scripts/offhours endpoint status",
            "controller's log",
            ControllerHandler.SAGEMAKER_SAID.strip(),
            "Labels",
            "ContentType");
  }

  @Test
  void theStepFailureAlarmExistsWithEveryHostingAndSaysWhereTheReasonIs() {
    StackResolver stack = stack(Map.of("Hosting", "serverless"));
    assertThat(stack.resource("ControllerStepFailuresAlarm").get("Condition"))
        .as("the controller pauses and resumes a serverless endpoint's trigger too")
        .isNull();
    assertThat(
            String.valueOf(stack.properties("ControllerStepFailuresAlarm").get("AlarmDescription")))
        .contains(
            "scripts/offhours endpoint status",
            "failed, retry next run",
            "controller's log",
            "EndpointCreateFailuresAlarm");
  }

  /**
   * The API answers its own failures (offhours.api.Api), so only API Gateway's count of its 5xx answers sees them: the
   * alarm exists with every hosting, and its description says what each code means and where the cause is, in the
   * words the API function logs.
   */
  @Test
  void theApiAlarmExistsWithEveryHostingAndSaysWhereTheCauseIs() {
    assertThat(stack(Map.of()).resource("ApiServerErrorsAlarm").get("Condition"))
        .as("every hosting has the HTTP API")
        .isNull();
    assertThat(String.valueOf(
            stack(Map.of()).properties("ApiServerErrorsAlarm").get("AlarmDescription")))
        .contains(
            "500: a bug or a control-table item",
            "502: an AWS service refused",
            "503 or 504: throttled",
            "ApiAccessLogGroup",
            "\"offhours api: ROUTE failed (request ID)\"",
            "InvokeEndpoint failed (");
    StackResolver stack = stack(Map.of());
    assertThat(StackResolver.path(stack.properties("Api"), "AccessLogSettings", "DestinationArn"))
        .as("the log group the description names is the API's access log")
        .isEqualTo(stack.getAtt("ApiAccessLogGroup", "Arn"));
  }

  private static Map<String, Object> dimensions(Map<String, Object> alarm) {
    Map<String, Object> out = new HashMap<>();
    for (Object d : StackResolver.list(alarm.get("Dimensions"))) {
      out.put(
          String.valueOf(StackResolver.map(d).get("Name")), StackResolver.map(d).get("Value"));
    }
    return out;
  }

  private static List<Map<String, Object>> statements(Object document) {
    return StackResolver.list(StackResolver.map(document).get("Statement")).stream()
        .map(StackResolver::map)
        .toList();
  }
}
