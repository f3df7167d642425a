package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The names, tags, alarm ranges and numbers the longest stack ({@link LongestStack}) hands to each service, against
 * what the service takes: the second half of {@link DeployLimitsTest}, which measures the template itself.
 */
class ServiceLimitsTest {

  private static final List<String> HOSTINGS = List.of("scheduled", "scale-to-zero", "serverless");

  private final Map<String, Object> template;
  private final ParameterConstraints constraints;

  ServiceLimitsTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    constraints = new ParameterConstraints(template);
  }

  private List<StackResolver> longestStacks() {
    return LongestStack.everywhere(template, constraints, HOSTINGS);
  }

  private static void report(String limit, long measured, long max) {
    DeployLimitsTest.report(limit, measured, max);
  }

  /**
   * The names the stack and the controller build: SageMaker endpoint, component and variant names are
   * [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62} (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html,
   * API_InferenceComponentSummary.html); a bucket 3-63 lower-case letters, digits, dots and hyphens
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html); a log group 1-512 of
   * [.-_/#A-Za-z0-9] (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html);
   * a SageMaker tag key 128 and value 256 characters of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]
   * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_Tag.html); an alarm dimension value 1,024
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html).
   */
  @Test
  void everyNameAndTagTheStackAndTheControllerBuildIsOneTheServiceTakes() {
    Pattern tag = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    int longestTag = 0;
    for (StackResolver stack : longestStacks()) {
      Hosting hosting = Hosting.parse(stack.parameters().get("Hosting"));
      List<String> sageMakerNames = new ArrayList<>();
      for (String function : List.of(
          "ClassifyFunction", "ControllerFunction", "ApiFunction", "EndpointCleanupFunction")) {
        Map<String, String> env = stack.environment(function);
        sageMakerNames.add(env.get("ENDPOINT_NAME"));
        if (!env.getOrDefault("INFERENCE_COMPONENT_NAME", "").isEmpty()) {
          sageMakerNames.add(env.get("INFERENCE_COMPONENT_NAME"));
        }
      }
      for (String config : List.of("EndpointConfig", "ComponentEndpointConfig")) {
        if (config.equals("EndpointConfig") || hosting == Hosting.SCALE_TO_ZERO) {
          for (Object variant :
              StackResolver.list(stack.properties(config).get("ProductionVariants"))) {
            sageMakerNames.add(String.valueOf(StackResolver.map(variant).get("VariantName")));
          }
        }
      }
      assertThat(sageMakerNames).allSatisfy(n -> assertThat(n).matches(sageMakerName()));
      String bucket = String.valueOf(stack.properties("ImagesBucket").get("BucketName"));
      assertThat(bucket).matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
      Map<String, String> controller = stack.environment("ControllerFunction");
      List<String> groups = offhours.endpoint.ContainerLogRetention.groups(
          hosting, controller.get("ENDPOINT_NAME"), controller.get("INFERENCE_COMPONENT_NAME"));
      assertThat(groups).allSatisfy(g -> assertThat(g).matches("[.\\-_/#A-Za-z0-9]{1,512}"));
      // The controller tags each endpoint it creates with the stack id and a request UUID
      // (SageMakerEndpoint).
      List<String> tagValues = new ArrayList<>(
          List.of(controller.get("STACK_ID"), java.util.UUID.randomUUID().toString()));
      if (hosting == Hosting.SERVERLESS) {
        for (Object t :
            StackResolver.list(stack.properties("ServerlessEndpoint").get("Tags"))) {
          tagValues.add(String.valueOf(StackResolver.map(t).get("Value")));
        }
      }
      for (String value : tagValues) {
        assertThat(value).matches(tag).hasSizeLessThanOrEqualTo(256);
        longestTag = Math.max(longestTag, value.length());
      }
      for (String key : List.of(
          offhours.endpoint.SageMakerEndpoint.STACK_TAG,
          offhours.endpoint.SageMakerEndpoint.CREATE_REQUEST_TAG)) {
        assertThat(key).matches(tag).hasSizeLessThanOrEqualTo(128);
      }
      for (String resource : stack.resources().keySet()) {
        if (stack.type(resource).equals("AWS::CloudWatch::Alarm")) {
          for (Object d : StackResolver.list(
              stack.properties(resource).getOrDefault("Dimensions", List.of()))) {
            assertThat(String.valueOf(StackResolver.map(d).get("Value")))
                .hasSizeLessThanOrEqualTo(1024);
          }
        }
      }
    }
    report("SageMaker tag value offhours:stack-id (characters)", longestTag, 256);
  }

  /**
   * An alarm's Period is 10, 20, 30 or a multiple of 60, and Period x EvaluationPeriods at most a day below an hour's
   * period, a week otherwise; DatapointsToAlarm at most EvaluationPeriods
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
   */
  @Test
  void everyAlarmsEvaluationRangeIsOneCloudWatchTakes() {
    StackResolver stack = longestStacks().get(0);
    int longest = 0;
    for (String resource : stack.resources().keySet()) {
      if (!stack.type(resource).equals("AWS::CloudWatch::Alarm")) {
        continue;
      }
      Map<String, Object> alarm = stack.properties(resource);
      int period = Integer.parseInt(String.valueOf(alarm.get("Period")));
      int evaluations = Integer.parseInt(String.valueOf(alarm.get("EvaluationPeriods")));
      int datapoints =
          Integer.parseInt(String.valueOf(alarm.getOrDefault("DatapointsToAlarm", evaluations)));
      assertThat(period == 10 || period == 20 || period == 30 || period % 60 == 0)
          .as(resource)
          .isTrue();
      assertThat(period * evaluations)
          .as(resource)
          .isLessThanOrEqualTo(period < 3600 ? 86_400 : 604_800);
      assertThat(datapoints).as(resource).isBetween(1, evaluations);
      longest = Math.max(longest, period * evaluations);
    }
    report("alarm Period x EvaluationPeriods (seconds)", longest, 86_400);
  }

  /**
   * The numbers a deploy hands to SQS, Lambda's SQS trigger, SageMaker and EventBridge Scheduler, for every value the
   * parameters allow: SQS retention 60-1,209,600 s, visibility 0-43,200 s and at least the function's timeout,
   * delay 0-900 s, maxReceiveCount 1-1,000 (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html,
   * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html); BatchSize 1-10,000, batching window
   * 0-300 s, MaximumConcurrency 2-1,000 (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html);
   * serverless memory 1,024-6,144 MB in 1 GB steps and concurrency 1-200
   * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantServerlessConfig.html); a
   * schedule's time zone is an IANA name (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
   */
  @Test
  void everyNumberTheParametersAllowIsInItsServicesRange() {
    Map<String, long[]> ranges = Map.of(
        "BatchSize", new long[] {1, 10_000},
        "BatchingWindowSeconds", new long[] {0, 300},
        "MaximumConcurrency", new long[] {2, 1_000},
        "MaxReceiveCount", new long[] {1, 1_000},
        "DeferSeconds", new long[] {0, 900},
        "ServerlessMaxConcurrency", new long[] {1, 200},
        "ServerlessMemorySizeInMB", new long[] {1_024, 6_144});
    ranges.forEach((parameter, range) -> {
      List<Long> accepted = new ArrayList<>();
      for (long v = -1; v <= 20_000; v++) {
        if (constraints.refusal(parameter, Long.toString(v)) == null) {
          accepted.add(v);
        }
      }
      assertThat(accepted)
          .as(parameter)
          .isNotEmpty()
          .allSatisfy(v -> assertThat(v).as(parameter).isBetween(range[0], range[1]));
      if (parameter.equals("ServerlessMemorySizeInMB")) {
        assertThat(accepted).allSatisfy(v -> assertThat(v % 1024).isZero());
      }
    });
    StackResolver stack = longestStacks().get(0);
    Map<String, Integer> timeouts = Map.of(
        "ImagesQueue", intOf(stack.properties("ClassifyFunction").get("Timeout")),
        "ControllerTimerQueue", intOf(stack.properties("ControllerFunction").get("Timeout")));
    for (String queue : List.of("ImagesQueue", "DeadLetterQueue", "ControllerTimerQueue")) {
      Map<String, Object> q = stack.properties(queue);
      assertThat(intOf(q.get("MessageRetentionPeriod"))).as(queue).isBetween(60, 1_209_600);
      if (q.containsKey("VisibilityTimeout")) {
        assertThat(intOf(q.get("VisibilityTimeout")))
            .as(queue)
            .isBetween(timeouts.getOrDefault(queue, 0), 43_200);
      }
    }
    Map<String, Object> schedule = StackResolver.map(StackResolver.path(
        stack.properties("ControllerFunction"), "Events", "MinuteTick", "Properties"));
    assertThat(String.valueOf(schedule.get("ScheduleExpression")))
        .matches("cron\\(\\S+ \\S+ \\S+ \\S+ \\S+ \\S+\\)");
    assertThat(java.time.ZoneId.of(String.valueOf(schedule.get("ScheduleExpressionTimezone"))))
        .isNotNull();
  }

  private static int intOf(Object value) {
    return Integer.parseInt(String.valueOf(value));
  }

  static Pattern sageMakerName() {
    return Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  }
}
