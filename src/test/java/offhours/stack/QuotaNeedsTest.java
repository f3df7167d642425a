package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import offhours.stack.QuotaNeeds.Need;
import offhours.stack.QuotaNeeds.QuotaService;
import org.junit.jupiter.api.Test;

class QuotaNeedsTest {

  private final Map<String, Object> template;

  QuotaNeedsTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  @Test
  void theDefaultsAreTheTemplates() {
    Map<String, Object> parameters = StackResolver.map(template.get("Parameters"));
    QuotaNeeds.TEMPLATE_DEFAULTS.forEach((name, value) -> assertThat(
            String.valueOf(StackResolver.map(parameters.get(name)).get("Default")))
        .as(name)
        .isEqualTo(value));
  }

  /**
   * The controller's part counts each of its triggers in template.yaml: the Timer's MaximumConcurrency, the minute tick
   * (whose runs overlap as far as the function's Timeout lets them) and the state-change rule, and nothing else.
   */
  @Test
  void theControllersPartCountsEachOfItsTriggersInTheTemplate() {
    StackResolver stack =
        new StackResolver(template, FakeStack.create(new HashMap<>(FakeStack.REQUIRED_PARAMETERS)));
    Map<String, Object> controller = stack.properties("ControllerFunction");
    Map<String, Object> events = StackResolver.map(controller.get("Events"));
    Map<String, Object> types = new HashMap<>();
    events.forEach((name, event) -> types.put(name, StackResolver.map(event).get("Type")));
    assertThat(types)
        .as("the triggers QuotaNeeds counts: a new one needs its share in CONTROLLER_CONCURRENCY")
        .isEqualTo(Map.of(
            "Timer", "SQS", "MinuteTick", "ScheduleV2", "EndpointStateChange", "EventBridgeRule"));
    Map<String, Object> timer =
        StackResolver.map(StackResolver.path(events, "Timer", "Properties"));
    assertThat(StackResolver.path(timer, "ScalingConfig", "MaximumConcurrency"))
        .isEqualTo(QuotaNeeds.CONTROLLER_TIMER_RUNS);
    Map<String, Object> tick =
        StackResolver.map(StackResolver.path(events, "MinuteTick", "Properties"));
    assertThat(tick.get("ScheduleExpression")).isEqualTo("cron(* * * * ? *)");
    assertThat(StackResolver.path(tick, "FlexibleTimeWindow", "Mode")).isEqualTo("OFF");
    assertThat(controller.get("Timeout")).isEqualTo(StackSpec.CONTROLLER_TIMEOUT_SECONDS);
    assertThat(QuotaNeeds.CONTROLLER_TICK_RUNS)
        .as("a tick's run may last the 60 s Timeout and the next tick may come a second later")
        .isEqualTo(2);
    assertThat(QuotaNeeds.CONTROLLER_CONCURRENCY).isEqualTo(2 + 2 + 1);
  }

  /**
   * Every function of the template is counted, or runs only while CloudFormation deploys the stack: no triggers, the
   * ServiceToken of a custom resource. None reserves concurrency, which would take its share from the account's.
   */
  @Test
  void everyFunctionOfTheTemplateIsCountedOrRunsOnlyDuringADeploy() {
    StackResolver stack =
        new StackResolver(template, FakeStack.create(new HashMap<>(FakeStack.REQUIRED_PARAMETERS)));
    Set<String> tokens = new HashSet<>();
    Set<String> functions = new HashSet<>();
    for (String resource : stack.resources().keySet()) {
      String type = stack.type(resource);
      if (type.startsWith("Custom::")) {
        Object token =
            StackResolver.map(stack.resource(resource).get("Properties")).get("ServiceToken");
        tokens.add(String.valueOf(
            StackResolver.list(StackResolver.map(token).get("Fn::GetAtt")).getFirst()));
      }
      if (type.equals("AWS::Serverless::Function") || type.startsWith("AWS::Lambda::")) {
        functions.add(resource);
      }
    }
    Set<String> counted = Set.of("ClassifyFunction", "ControllerFunction", "ApiFunction");
    assertThat(functions).containsAll(counted);
    for (String function : functions) {
      Map<String, Object> properties =
          StackResolver.map(stack.resource(function).getOrDefault("Properties", Map.of()));
      assertThat(properties)
          .as(function)
          .doesNotContainKeys("ReservedConcurrentExecutions", "ProvisionedConcurrencyConfig");
      if (!counted.contains(function)) {
        assertThat(properties).as(function + " has triggers: count it").doesNotContainKey("Events");
        assertThat(tokens).as(function + " serves a custom resource").contains(function);
      }
    }
    assertThat(StackResolver.path(
            stack.resource("ClassifyFunction"),
            "Properties",
            "Events",
            "Queue",
            "Properties",
            "ScalingConfig",
            "MaximumConcurrency"))
        .as("Classify's part is the MaximumConcurrency parameter")
        .isEqualTo(Map.of("Ref", "MaximumConcurrency"));
  }

  @Test
  void aScheduledStackNeedsInstanceCountOfItsTypeAndLambdaConcurrencyForClassifyAndTheController() {
    QuotaNeeds needs = QuotaNeeds.fromParameters(Map.of());
    assertThat(needs.needs())
        .containsExactly(
            new Need(
                QuotaService.SAGEMAKER,
                "ml.m5.large for endpoint usage",
                1,
                "InstanceCount, while the endpoint is on"),
            new Need(
                QuotaService.LAMBDA,
                "Concurrent executions",
                11,
                "MaximumConcurrency 5 (Classify) + 5 (controller: timer 2, ticks 2, state change 1)"
                    + " + 1 (your API or CLI call)"));
  }

  @Test
  void aGpuTypeIsItsOwnQuotaAndScaleToZeroNeedsInstanceCountToo() {
    QuotaNeeds needs = QuotaNeeds.fromParameters(
        Map.of("Hosting", "scale-to-zero", "InstanceType", "ml.g4dn.xlarge", "InstanceCount", "3"));
    assertThat(needs.needs().getFirst())
        .isEqualTo(new Need(
            QuotaService.SAGEMAKER,
            "ml.g4dn.xlarge for endpoint usage",
            3,
            "InstanceCount, while copies are up"));
  }

  @Test
  void aServerlessStackNeedsTheAccountsServerlessConcurrencyAndNoInstances() {
    QuotaNeeds needs = QuotaNeeds.fromParameters(Map.of(
        "Hosting", "serverless", "ServerlessMaxConcurrency", "50", "MaximumConcurrency", "50"));
    assertThat(needs.needs())
        .extracting(Need::quota, Need::needed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "Maximum total concurrency that can be allocated across all serverless endpoints",
                50),
            org.assertj.core.groups.Tuple.tuple("Concurrent executions", 56));
    assertThat(needs.needs()).noneMatch(n -> n.quota().endsWith("for endpoint usage"));
  }

  @Test
  void anInstanceTypeThatIsNotOneIsRefused() {
    assertThatThrownBy(() -> QuotaNeeds.fromParameters(Map.of("InstanceType", "m5.large")))
        .hasMessage("an instance type is named ml.FAMILY.SIZE (e.g. ml.m5.large), got 'm5.large'");
  }
}
