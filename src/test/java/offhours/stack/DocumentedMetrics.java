package offhours.stack;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The AWS metrics template.yaml's alarms and dashboard read, as AWS's pages document them (no AWS account runs here, so
 * the pages are the proof): each metric with its namespace, the dimension set it is published under, the hostings whose
 * resources publish it, and the statistics the pages give for it. CloudWatch finds a metric only by its exact namespace,
 * name and dimension set, so a graph or alarm off by one dimension shows nothing and never fires: DashboardTest and
 * AlarmsTest hold every AWS metric the stack names to this table.
 */
final class DocumentedMetrics {

  private DocumentedMetrics() {}

  /**
   * A metric AWS publishes: namespace, name, the dimension names it is published under, the hostings whose resources
   * publish it, and the page saying so.
   */
  record ServiceMetric(
      String namespace,
      String name,
      Set<String> dimensions,
      Set<Hosting> hostings,
      String documentedAt) {

    /** A metric of a queue or a function: every hosting has the same. */
    ServiceMetric(String namespace, String name, Set<String> dimensions, String documentedAt) {
      this(namespace, name, dimensions, EnumSet.allOf(Hosting.class), documentedAt);
    }
  }

  /**
   * The statistics a page gives for a metric (CloudWatch's names: Sum, Average, Minimum, Maximum, SampleCount), and
   * whether it supports percentiles (p99 and the like).
   */
  record Statistics(Set<String> names, boolean percentiles, String documentedAt) {

    boolean allows(String statistic) {
      return names.contains(statistic)
          || percentiles && PERCENTILE.matcher(statistic).matches();
    }
  }

  /** CloudWatch's percentile statistic: p0 to p100, decimals allowed (p99.9). */
  private static final Pattern PERCENTILE = Pattern.compile("p(100|[0-9]{1,2}(\\.[0-9]+)?)");

  /**
   * Each metric's "Valid Statistics", and "Dimensions for Amazon SQS metrics": "The only dimension that Amazon SQS
   * sends to CloudWatch is QueueName".
   */
  static final String SQS =
      "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html";

  /**
   * Invocation metrics: "View these metrics with the Sum statistic"; Duration: "Duration also supports percentile
   * statistics".
   */
  static final String LAMBDA =
      "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html";

  /**
   * ConcurrentExecutions: "Lambda emits this metric for all functions, versions, and aliases", to be viewed with the
   * MAX statistic.
   */
  static final String LAMBDA_CONCURRENCY =
      "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-concurrency.html";

  /**
   * "SageMaker AI endpoint invocation metrics" in AWS/SageMaker, each with its valid statistics (ModelLatency's and
   * ModelSetupTime's include Percentiles), under the "Dimensions for endpoint invocation metrics": "EndpointName,
   * VariantName" for a production variant, "InferenceComponentName" alone for an inference component. The
   * /aws/sagemaker/InferenceComponents namespace holds only the components' utilization (CPUUtilizationNormalized and
   * the like), none of what the stack reads.
   */
  static final String SAGEMAKER =
      "https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html#cloudwatch-metrics-endpoint-invocation";

  /**
   * The scale-out alarm it shows: NoCapacityInvocationFailures in AWS/SageMaker, dimension InferenceComponentName
   * alone, statistic Sum.
   */
  static final String SCALE_TO_ZERO =
      "https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html";

  /**
   * "The metrics below are an exhaustive list of metrics for serverless endpoints. Any metric not listed below is not
   * published for serverless endpoints": Invocations, the 4xx and 5xx errors, ModelLatency, OverheadLatency,
   * ModelSetupTime, MemoryUtilization and the concurrency ones; no InvocationModelErrors. It spells the error counts
   * "Invocations4XXErrors" and "Invocations5XXErrors" and points to SAGEMAKER for them, whose table names them
   * Invocation4XXErrors and Invocation5XXErrors: the names used here.
   */
  static final String SERVERLESS =
      "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-monitoring.html";

  /**
   * "Monitor CloudWatch metrics for HTTP APIs": 4xx, 5xx and Count, each the number of errors or requests "in a given
   * period", sent "in one-minute periods", under ApiId, or ApiId and Stage; the set with Method, Resource and Stage
   * only once detailed metrics are enabled on the stage, which this stack does not do. It gives no statistics
   * (API_GATEWAY does).
   */
  static final String HTTP_API =
      "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html";

  /**
   * API Gateway's metrics are in "the AWS/ApiGateway namespace", sent "every minute". Its table is the REST API's
   * (4XXError, 5XXError, Count), whose statistics are read here as an HTTP API's 4xx, 5xx and Count's too (HTTP_API
   * gives none, and they count the same kind of answers): an error count's Sum is the errors in the period and its
   * Average their rate; Count is read as SampleCount.
   */
  static final String API_GATEWAY =
      "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html";

  static final Set<String> VARIANT = Set.of("EndpointName", "VariantName");
  static final Set<String> COMPONENT = Set.of("InferenceComponentName");

  /** A variant's metric: a real-time endpoint's (scheduled) and, where SERVERLESS lists it, a serverless one's. */
  private static final Set<Hosting> VARIANTS = EnumSet.of(Hosting.SCHEDULED, Hosting.SERVERLESS);

  private static final Set<Hosting> COMPONENTS = EnumSet.of(Hosting.SCALE_TO_ZERO);

  static final List<ServiceMetric> SERVICE_METRICS = List.of(
      new ServiceMetric("AWS/SQS", "ApproximateNumberOfMessagesVisible", Set.of("QueueName"), SQS),
      new ServiceMetric(
          "AWS/SQS", "ApproximateNumberOfMessagesNotVisible", Set.of("QueueName"), SQS),
      new ServiceMetric("AWS/SQS", "ApproximateNumberOfMessagesDelayed", Set.of("QueueName"), SQS),
      new ServiceMetric("AWS/SQS", "ApproximateAgeOfOldestMessage", Set.of("QueueName"), SQS),
      new ServiceMetric("AWS/Lambda", "Invocations", Set.of("FunctionName"), LAMBDA),
      new ServiceMetric("AWS/Lambda", "Errors", Set.of("FunctionName"), LAMBDA),
      new ServiceMetric("AWS/Lambda", "Throttles", Set.of("FunctionName"), LAMBDA),
      new ServiceMetric("AWS/Lambda", "Duration", Set.of("FunctionName"), LAMBDA),
      new ServiceMetric(
          "AWS/Lambda", "ConcurrentExecutions", Set.of("FunctionName"), LAMBDA_CONCURRENCY),
      // Every hosting has the HTTP API.
      new ServiceMetric("AWS/ApiGateway", "Count", Set.of("ApiId"), HTTP_API),
      new ServiceMetric("AWS/ApiGateway", "4xx", Set.of("ApiId"), HTTP_API),
      new ServiceMetric("AWS/ApiGateway", "5xx", Set.of("ApiId"), HTTP_API),
      new ServiceMetric("AWS/ApiGateway", "Count", Set.of("ApiId", "Stage"), HTTP_API),
      new ServiceMetric("AWS/ApiGateway", "4xx", Set.of("ApiId", "Stage"), HTTP_API),
      new ServiceMetric("AWS/ApiGateway", "5xx", Set.of("ApiId", "Stage"), HTTP_API),
      new ServiceMetric("AWS/SageMaker", "Invocations", VARIANT, VARIANTS, SERVERLESS),
      new ServiceMetric("AWS/SageMaker", "Invocations", COMPONENT, COMPONENTS, SAGEMAKER),
      new ServiceMetric("AWS/SageMaker", "Invocation4XXErrors", VARIANT, VARIANTS, SERVERLESS),
      new ServiceMetric("AWS/SageMaker", "Invocation4XXErrors", COMPONENT, COMPONENTS, SAGEMAKER),
      new ServiceMetric("AWS/SageMaker", "Invocation5XXErrors", VARIANT, VARIANTS, SERVERLESS),
      new ServiceMetric("AWS/SageMaker", "Invocation5XXErrors", COMPONENT, COMPONENTS, SAGEMAKER),
      // Not among the serverless endpoint's metrics.
      new ServiceMetric(
          "AWS/SageMaker",
          "InvocationModelErrors",
          VARIANT,
          EnumSet.of(Hosting.SCHEDULED),
          SAGEMAKER),
      new ServiceMetric("AWS/SageMaker", "InvocationModelErrors", COMPONENT, COMPONENTS, SAGEMAKER),
      new ServiceMetric("AWS/SageMaker", "ModelLatency", VARIANT, VARIANTS, SERVERLESS),
      new ServiceMetric("AWS/SageMaker", "ModelLatency", COMPONENT, COMPONENTS, SAGEMAKER),
      // A serverless endpoint's cold start.
      new ServiceMetric(
          "AWS/SageMaker", "ModelSetupTime", VARIANT, EnumSet.of(Hosting.SERVERLESS), SERVERLESS),
      new ServiceMetric(
          "AWS/SageMaker", "NoCapacityInvocationFailures", COMPONENT, COMPONENTS, SCALE_TO_ZERO));

  private static final Set<String> SQS_GAUGE =
      Set.of("Average", "Minimum", "Maximum", "Sum", "SampleCount");
  private static final Set<String> SUM = Set.of("Sum");
  private static final Set<String> ERROR_COUNT = Set.of("Average", "Sum");

  /** By namespace and name: a metric's statistics are the same under each of its dimension sets. */
  private static final Map<String, Statistics> STATISTICS = Map.ofEntries(
      Map.entry(
          "AWS/SQS ApproximateNumberOfMessagesVisible", new Statistics(SQS_GAUGE, false, SQS)),
      Map.entry(
          "AWS/SQS ApproximateNumberOfMessagesNotVisible", new Statistics(SQS_GAUGE, false, SQS)),
      Map.entry(
          "AWS/SQS ApproximateNumberOfMessagesDelayed", new Statistics(SQS_GAUGE, false, SQS)),
      Map.entry("AWS/SQS ApproximateAgeOfOldestMessage", new Statistics(SQS_GAUGE, false, SQS)),
      Map.entry("AWS/Lambda Invocations", new Statistics(SUM, false, LAMBDA)),
      Map.entry("AWS/Lambda Errors", new Statistics(SUM, false, LAMBDA)),
      Map.entry("AWS/Lambda Throttles", new Statistics(SUM, false, LAMBDA)),
      Map.entry("AWS/Lambda Duration", new Statistics(Set.of("Average", "Maximum"), true, LAMBDA)),
      Map.entry(
          "AWS/Lambda ConcurrentExecutions",
          new Statistics(Set.of("Maximum"), false, LAMBDA_CONCURRENCY)),
      Map.entry("AWS/ApiGateway Count", new Statistics(Set.of("SampleCount"), false, API_GATEWAY)),
      Map.entry("AWS/ApiGateway 4xx", new Statistics(ERROR_COUNT, false, API_GATEWAY)),
      Map.entry("AWS/ApiGateway 5xx", new Statistics(ERROR_COUNT, false, API_GATEWAY)),
      Map.entry("AWS/SageMaker Invocations", new Statistics(SUM, false, SAGEMAKER)),
      Map.entry("AWS/SageMaker Invocation4XXErrors", new Statistics(ERROR_COUNT, false, SAGEMAKER)),
      Map.entry("AWS/SageMaker Invocation5XXErrors", new Statistics(ERROR_COUNT, false, SAGEMAKER)),
      Map.entry(
          "AWS/SageMaker InvocationModelErrors", new Statistics(ERROR_COUNT, false, SAGEMAKER)),
      Map.entry(
          "AWS/SageMaker ModelLatency",
          new Statistics(
              Set.of("Average", "Sum", "Minimum", "Maximum", "SampleCount"), true, SAGEMAKER)),
      Map.entry(
          "AWS/SageMaker ModelSetupTime",
          new Statistics(Set.of("Average", "Minimum", "Maximum", "SampleCount"), true, SAGEMAKER)),
      Map.entry(
          "AWS/SageMaker NoCapacityInvocationFailures", new Statistics(SUM, false, SCALE_TO_ZERO)));

  /**
   * "CloudWatch metrics for your Amazon SQS queues are automatically collected and pushed to CloudWatch at one-minute
   * intervals", for queues CloudWatch considers active: "for up to six hours if it contains any messages or if any
   * action accesses it". The metrics page adds that ApproximateAgeOfOldestMessage is reported only while the queue
   * holds a message.
   */
  static final String SQS_PUBLISHING =
      "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-monitoring-using-cloudwatch.html";

  /**
   * "When your function finishes processing an event, Lambda sends metrics about the invocation to Amazon CloudWatch",
   * at a 1-minute granularity.
   */
  static final String LAMBDA_PUBLISHING =
      "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html";

  /**
   * How a namespace's data points arrive: every {@code seconds} at most (a period shorter than that, or not a multiple
   * of it, has periods without a point), and only {@code when} something happened, so a period without a point means
   * nothing did.
   */
  record Publishing(int seconds, String when, String documentedAt) {}

  /**
   * By namespace. SageMaker's invocation metrics come from calls to InvokeEndpoint, "available at a 1-minute
   * frequency" (SAGEMAKER). API Gateway's count the requests an API answered, in one-minute periods (HTTP_API): a
   * minute without a request has nothing to count.
   */
  private static final Map<String, Publishing> PUBLISHING = Map.of(
      "AWS/ApiGateway",
      new Publishing(60, "for the requests the API answered", HTTP_API),
      "AWS/SQS",
      new Publishing(
          60,
          "while the queue is active (holds messages or was called in the last six hours)",
          SQS_PUBLISHING),
      "AWS/Lambda",
      new Publishing(60, "after an invocation finished", LAMBDA_PUBLISHING),
      "AWS/SageMaker",
      new Publishing(60, "from calls to InvokeEndpoint", SAGEMAKER));

  /** How AWS publishes the metrics of {@code namespace}; fails for a namespace the table lacks. */
  static Publishing publishing(String namespace) {
    Publishing p = PUBLISHING.get(namespace);
    if (p == null) {
      throw new AssertionError("no documented publishing for " + namespace);
    }
    return p;
  }

  /** Whether AWS documents {@code name} in {@code namespace} under exactly {@code dimensions} for {@code hosting}. */
  static boolean published(String namespace, String name, Set<String> dimensions, Hosting hosting) {
    return SERVICE_METRICS.stream()
        .anyMatch(m -> m.namespace().equals(namespace)
            && m.name().equals(name)
            && m.dimensions().equals(dimensions)
            && m.hostings().contains(hosting));
  }

  /** The statistics AWS documents for {@code name} in {@code namespace}; fails for a metric the table lacks. */
  static Statistics statistics(String namespace, String name) {
    Statistics s = STATISTICS.get(namespace + " " + name);
    if (s == null) {
      throw new AssertionError("no documented statistics for " + namespace + " " + name);
    }
    return s;
  }
}
