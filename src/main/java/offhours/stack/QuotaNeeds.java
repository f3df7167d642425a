package offhours.stack;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a stack asks of its account's per-Region quotas, from the template parameters that size it: the quotas a young
 * account often has too low for it (SageMaker's per-instance-type endpoint quotas start at 0 for many types, Lambda's
 * concurrency at 10), each with the amount the stack needs and why. {@code offhours quotas} compares them with the
 * account's values.
 *
 * @param hosting {@code Hosting}
 * @param instanceType {@code InstanceType} (scheduled and scale-to-zero)
 * @param instanceCount {@code InstanceCount} (scheduled and scale-to-zero)
 * @param classifyConcurrency {@code MaximumConcurrency}, the Classify trigger's
 * @param serverlessConcurrency {@code ServerlessMaxConcurrency} (serverless)
 */
public record QuotaNeeds(
    Hosting hosting,
    String instanceType,
    int instanceCount,
    int classifyConcurrency,
    int serverlessConcurrency) {

  /** Where a quota is read: Service Quotas' service code (Lambda's concurrency comes from GetAccountSettings). */
  public enum QuotaService {
    SAGEMAKER("sagemaker"),
    LAMBDA("lambda");

    private final String code;

    QuotaService(String code) {
      this.code = code;
    }

    /** The service code Service Quotas knows it by. */
    public String code() {
      return code;
    }
  }

  /**
   * One quota the stack needs: its name as Service Quotas lists it, how much, and why in the stack's own terms.
   *
   * @param quota the QuotaName, matched exactly
   * @param needed the least value that lets the stack run as configured
   */
  public record Need(QuotaService service, String quota, int needed, String why) {}

  /**
   * The Service Quotas name of the account's total serverless concurrency, which every serverless endpoint's
   * MaxConcurrency draws from (some accounts get 10, not the documented 200:
   * https://repost.aws/questions/QUY0gXNLrdTH6eqqA4hv5FeA).
   */
  private static final String SERVERLESS_CONCURRENCY =
      "Maximum total concurrency that can be allocated across all serverless endpoints";

  /**
   * Lambda's account concurrency as Service Quotas names it (quota code {@link #LAMBDA_CONCURRENCY_CODE}); new accounts
   * have a reduced value that AWS raises with use (https://docs.aws.amazon.com/general/latest/gr/lambda-service.html).
   */
  private static final String LAMBDA_CONCURRENCY = "Concurrent executions";

  public static final String LAMBDA_CONCURRENCY_CODE = "L-B99A9384";

  /**
   * Controller runs its run-timer trigger may hold at once: the Timer event's MaximumConcurrency in template.yaml (the
   * lowest Lambda allows). Runs the minute tick and state changes start add to these: they invoke the function
   * asynchronously, outside the event source mapping and its limit.
   */
  public static final int CONTROLLER_TIMER_RUNS = 2;

  /** How often the MinuteTick schedule fires (template.yaml's {@code cron(* * * * ? *)}). */
  static final int TICK_SECONDS = 60;

  /**
   * Controller runs of the minute tick at once: Scheduler fires anywhere within its minute (60 s precision,
   * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html), so the next tick may come a second
   * after this one, while this one's run may last the function's Timeout
   * ({@link StackSpec#CONTROLLER_TIMEOUT_SECONDS}). A run is usually a second or two, but one that waits on the test
   * invocation (30 s) or on a slow call can still be running at the next tick; at 60 s it has ended before the tick
   * after that.
   */
  public static final int CONTROLLER_TICK_RUNS =
      1 + Math.ceilDiv(StackSpec.CONTROLLER_TIMEOUT_SECONDS, TICK_SECONDS);

  /**
   * Controller runs of the endpoint's state changes (the EndpointStateChange rule) at once: one event per change,
   * and the changes (Creating, InService or Failed, Deleting) come minutes apart.
   */
  public static final int CONTROLLER_STATE_CHANGE_RUNS = 1;

  /** Invocations of the controller that may run at once, whatever started them: timer, ticks, state changes. */
  public static final int CONTROLLER_CONCURRENCY =
      CONTROLLER_TIMER_RUNS + CONTROLLER_TICK_RUNS + CONTROLLER_STATE_CHANGE_RUNS;

  /**
   * Invocations a person's calls keep running: the HTTP API's function (no reserved concurrency, so every request
   * in progress is one) and the controller runs {@code endpoint start|stop|auto} asks for. How many depends on the
   * caller; one is an operator's occasional call, and each call in progress at the same time adds one. The
   * deploy-time functions (EndpointCleanup's and LiveVersions', custom resources) run only while CloudFormation
   * creates, updates or deletes the stack, so they are not counted.
   */
  public static final int CALLS_CONCURRENCY = 1;

  /** The template's defaults of the parameters read here: a stack of an older template lacks some. */
  public static final Map<String, String> TEMPLATE_DEFAULTS = Map.of(
      "Hosting", "scheduled",
      "InstanceType", "ml.m5.large",
      "InstanceCount", "1",
      "MaximumConcurrency", "5",
      "ServerlessMaxConcurrency", "10");

  /**
   * The whole numbers template.yaml accepts for its parameters read here, as {@code quotas}' flags say them: a value
   * it refuses cannot be deployed, so there is no quota to check for it (QuotaFlagsMatchTemplateTest holds these to
   * the template's AllowedPattern and AllowedValues).
   */
  public static final Map<String, List<Integer>> TEMPLATE_ALLOWED = Map.of(
      "InstanceCount", java.util.stream.IntStream.rangeClosed(1, 10).boxed().toList(),
      "MaximumConcurrency",
          java.util.stream.IntStream.rangeClosed(2, 1000).boxed().toList(),
      "ServerlessMaxConcurrency", List.of(2, 5, 10, 20, 50, 100, 200));

  /**
   * The InstanceType values template.yaml accepts (its AllowedValues), the only types {@code quotas --instance-type}
   * checks: a stack cannot be deployed with another (QuotaFlagsMatchTemplateTest holds them to the template).
   */
  public static final List<String> TEMPLATE_INSTANCE_TYPES = List.of(
      "ml.m5.large",
      "ml.m5.xlarge",
      "ml.c5.large",
      "ml.c5.xlarge",
      "ml.c5.2xlarge",
      "ml.g4dn.xlarge",
      "ml.g5.xlarge",
      "ml.inf2.xlarge");

  /**
   * A rule of template.yaml's that these values break, so a deploy with them would fail.
   *
   * @param parameters the parameters the rule compares, as template.yaml names them
   * @param why what the rule asks, in the stack's terms
   */
  public record BrokenRule(List<String> parameters, String why) {}

  /** How {@link #TEMPLATE_ALLOWED} says {@code parameter}'s values: "2 to 1000", "one of 2, 5, 10". */
  public static String allowedText(String parameter) {
    List<Integer> allowed = TEMPLATE_ALLOWED.get(parameter);
    boolean range = allowed.getLast() - allowed.getFirst() == allowed.size() - 1;
    return range
        ? "a whole number from " + allowed.getFirst() + " to " + allowed.getLast()
        : "one of " + String.join(", ", allowed.stream().map(String::valueOf).toList());
  }

  public QuotaNeeds {
    Objects.requireNonNull(hosting, "hosting");
    Objects.requireNonNull(instanceType, "instanceType");
    if (!instanceType.matches("ml\\.[a-z0-9]+\\.[a-z0-9]+")) {
      throw new IllegalArgumentException(
          "an instance type is named ml.FAMILY.SIZE (e.g. ml.m5.large), got '" + instanceType
              + "'");
    }
    for (int n : new int[] {instanceCount, classifyConcurrency, serverlessConcurrency}) {
      if (n < 1) {
        throw new IllegalArgumentException("counts and concurrencies are at least 1, got " + n);
      }
    }
  }

  /** From a deployed stack's parameters (DescribeStacks), a parameter it lacks taking the template's default. */
  public static QuotaNeeds fromParameters(Map<String, String> parameters) {
    java.util.function.Function<String, String> value =
        name -> parameters.getOrDefault(name, TEMPLATE_DEFAULTS.get(name));
    return new QuotaNeeds(
        Hosting.parse(value.apply("Hosting")),
        value.apply("InstanceType"),
        Integer.parseInt(value.apply("InstanceCount")),
        Integer.parseInt(value.apply("MaximumConcurrency")),
        Integer.parseInt(value.apply("ServerlessMaxConcurrency")));
  }

  /**
   * What template.yaml's Rules refuse of these values, or null. With Hosting serverless: an InstanceType with
   * accelerators (serverless inference runs on CPU only), and a MaximumConcurrency over ServerlessMaxConcurrency (more
   * concurrent Classify invocations than the endpoint serves would be throttled).
   */
  public BrokenRule templateRuleBroken() {
    if (hosting != Hosting.SERVERLESS) {
      return null;
    }
    if (InstanceTypes.accelerated(instanceType)) {
      return new BrokenRule(
          List.of("Hosting", "InstanceType"),
          "with Hosting serverless, InstanceType is a CPU type (serverless inference has no GPU nor"
              + " Inferentia), got " + instanceType
              + ", as template.yaml's Rules say; a GPU or Inferentia"
              + " model needs Hosting scheduled or scale-to-zero");
    }
    return classifyConcurrency > serverlessConcurrency
        ? new BrokenRule(
            List.of("MaximumConcurrency", "ServerlessMaxConcurrency"),
            "with Hosting serverless, MaximumConcurrency (" + classifyConcurrency
                + ") may be at most ServerlessMaxConcurrency (" + serverlessConcurrency
                + "), as template.yaml's Rules say")
        : null;
  }

  /** The quotas this stack needs, SageMaker's first. */
  public List<Need> needs() {
    Need sageMaker = switch (hosting) {
      // The controller never calls UpdateEndpoint, whose blue/green update provisions a second
      // fleet before it retires the first
      // (https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green.html): a
      // hosting or instance-type switch deletes the endpoint, then creates it under the same name.
      // So the stack never holds more than InstanceCount instances.
      case SCHEDULED ->
        new Need(
            QuotaService.SAGEMAKER,
            endpointUsage(instanceType),
            instanceCount,
            "InstanceCount, while the endpoint is on");
      case SCALE_TO_ZERO ->
        new Need(
            QuotaService.SAGEMAKER,
            endpointUsage(instanceType),
            instanceCount,
            "InstanceCount, while copies are up");
      case SERVERLESS ->
        new Need(
            QuotaService.SAGEMAKER,
            SERVERLESS_CONCURRENCY,
            serverlessConcurrency,
            "ServerlessMaxConcurrency");
    };
    return List.of(
        sageMaker,
        new Need(
            QuotaService.LAMBDA,
            LAMBDA_CONCURRENCY,
            classifyConcurrency + CONTROLLER_CONCURRENCY + CALLS_CONCURRENCY,
            "MaximumConcurrency " + classifyConcurrency + " (Classify) + " + CONTROLLER_CONCURRENCY
                + " (controller: timer " + CONTROLLER_TIMER_RUNS + ", ticks " + CONTROLLER_TICK_RUNS
                + ", state change " + CONTROLLER_STATE_CHANGE_RUNS + ") + " + CALLS_CONCURRENCY
                + " (your API or CLI call)"));
  }

  /**
   * SageMaker's quota on real-time endpoint instances of one type, account-wide in a Region, as CreateEndpoint names it
   * when it refuses: "The account-level service limit 'ml.m5.large for endpoint usage' is 0 Instances ..."
   * (https://github.com/aws-samples/sagemaker-custom-project-templates/issues/51).
   */
  private static String endpointUsage(String instanceType) {
    return instanceType + " for endpoint usage";
  }
}
