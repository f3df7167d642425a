package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What template.yaml wires together that the functions and the command line rely on and {@link StackDrift} does not
 * compare with StackSpec: the names the controller and the functions compare after a model change, the scheduler
 * tick's one shape, the serverless endpoint the controller knows and the cleanup deletes, the alias the command line
 * invokes, how controller runs are retried and may overlap, and the parameters the command line reads settings from.
 */
class TemplateWiringTest {

  private static final Path TEMPLATE = Path.of("template.yaml");

  @Test
  void theEndpointConfigNamesItsVariantAfterItsModelSoResultsRecordTheModelThatAnswered()
      throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    Map<?, ?> properties =
        (Map<?, ?>) ((Map<?, ?>) resources.get("EndpointConfig")).get("Properties");

    assertThat((List<?>) properties.get("ProductionVariants"))
        .singleElement()
        .satisfies(variant -> {
          assertThat(((Map<?, ?>) variant).get("VariantName"))
              .isEqualTo(Map.of("Fn::GetAtt", List.of("Model", "ModelName")));
          assertThat(((Map<?, ?>) variant).get("ModelName"))
              .isEqualTo(Map.of("Fn::GetAtt", List.of("Model", "ModelName")));
        });
  }

  /**
   * A new model (image, artifact, environment, network isolation) replaces the Model, and a new model or
   * InstanceType/InstanceCount the endpoint configs: every property of both resources requires replacement
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-model.html,
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-endpointconfig.html),
   * and CloudFormation can replace only a resource whose name it generates, each time a new one. The controller tells
   * a stale endpoint by its config's name, and each function reads an answer only if its variant is named after the
   * function's MODEL_NAME: both configs name their variant after the model, and every function names that model.
   */
  @Test
  void aNewModelOrInstanceSettingGivesNewNamesThatTheControllerAndTheFunctionsCompare()
      throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    Map<String, String> fixedNames = Map.of(
        "Model", "ModelName",
        "EndpointConfig", "EndpointConfigName",
        "ComponentEndpointConfig", "EndpointConfigName");
    fixedNames.forEach((resource, nameProperty) -> {
      Map<?, ?> properties = (Map<?, ?>) ((Map<?, ?>) resources.get(resource)).get("Properties");
      assertThat(properties.containsKey(nameProperty))
          .as(resource + " is named by CloudFormation, so a change replaces it under a new name")
          .isFalse();
    });

    Map<?, ?> component =
        (Map<?, ?>) ((Map<?, ?>) resources.get("ComponentEndpointConfig")).get("Properties");
    assertThat((List<?>) component.get("ProductionVariants"))
        .singleElement()
        .satisfies(variant -> assertThat(((Map<?, ?>) variant).get("VariantName"))
            .isEqualTo(Map.of("Fn::GetAtt", List.of("Model", "ModelName"))));

    for (String function : List.of("ClassifyFunction", "ControllerFunction", "ApiFunction")) {
      Map<?, ?> properties = (Map<?, ?>) ((Map<?, ?>) resources.get(function)).get("Properties");
      Map<?, ?> variables =
          (Map<?, ?>) ((Map<?, ?>) properties.get("Environment")).get("Variables");
      assertThat(variables.get("MODEL_NAME"))
          .as(function + "'s MODEL_NAME")
          .isEqualTo(Map.of("Fn::GetAtt", List.of("Model", "ModelName")));
    }
  }

  @Test
  void theSchedulerTickHasOneShapeTheTemplatesInputTheLocalSchedulersAndTheFixture()
      throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    Map<?, ?> events = (Map<?, ?>)
        ((Map<?, ?>) ((Map<?, ?>) resources.get("ControllerFunction")).get("Properties"))
            .get("Events");
    Map<?, ?> schedule = (Map<?, ?>) ((Map<?, ?>) events.get("MinuteTick")).get("Properties");
    ObjectMapper json = new ObjectMapper();

    assertThat(json.readTree(String.valueOf(schedule.get("Input"))))
        .isEqualTo(json.readTree(StackSpec.SCHEDULER_TICK));
    assertThat(json.readTree(Path.of("events/scheduler-tick.json").toFile()))
        .isEqualTo(json.readTree(StackSpec.SCHEDULER_TICK));
    assertThat(schedule.get("ScheduleExpressionTimezone"))
        .as("a per-minute cron in a zone with DST gets no ticks in the repeated autumn hour")
        .isEqualTo("UTC");
  }

  @Test
  void theStackDeletesItsServerlessEndpointBeforeTheCleanupLooksForIt() throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    assertThat(((Map<?, ?>) resources.get("ServerlessEndpoint")).get("DependsOn"))
        .as("without an order, CloudFormation and the cleanup would delete the endpoint at once")
        .isEqualTo("EndpointCleanup");
  }

  /**
   * The tags the controller reads to know the stack's serverless endpoint (SageMakerEndpoint): its stack id, and its
   * hosting for when DescribeEndpoint shows no variant (a creation that failed early).
   */
  @Test
  void theServerlessEndpointCarriesTheTagsTheControllerKnowsItBy() throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    List<?> tags =
        (List<?>) ((Map<?, ?>) ((Map<?, ?>) resources.get("ServerlessEndpoint")).get("Properties"))
            .get("Tags");
    assertThat(tags.stream()
            .map(t -> String.valueOf(((Map<?, ?>) t).get("Key")))
            .toList())
        .containsExactly(
            offhours.endpoint.SageMakerEndpoint.STACK_TAG,
            offhours.endpoint.SageMakerEndpoint.HOSTING_TAG);
    assertThat(((Map<?, ?>) tags.get(1)).get("Value")).isEqualTo(Hosting.SERVERLESS.value());
  }

  /**
   * The controller knows an older template's serverless endpoint by CloudFormation's own aws:cloudformation:logical-id
   * tag (SageMakerEndpoint.SERVERLESS_LOGICAL_ID): sound only while the template's one endpoint has that logical id.
   */
  @Test
  void theTemplatesOnlyEndpointIsTheServerlessOneTheControllerKnowsByItsLogicalId()
      throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    assertThat(resources.entrySet().stream()
            .filter(e -> "AWS::SageMaker::Endpoint".equals(((Map<?, ?>) e.getValue()).get("Type")))
            .map(e -> String.valueOf(e.getKey()))
            .toList())
        .containsExactly(offhours.endpoint.SageMakerEndpoint.SERVERLESS_LOGICAL_ID);
  }

  @Test
  void everyFunctionIsPublishedUnderTheAliasTheCommandLineInvokes() throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    List<Object> aliases = resources.values().stream()
        .map(r -> (Map<?, ?>) r)
        .filter(r -> "AWS::Serverless::Function".equals(r.get("Type")))
        .map(r -> ((Map<?, ?>) r.get("Properties")).get("AutoPublishAlias"))
        .filter(java.util.Objects::nonNull)
        .map(a -> (Object) a)
        .toList();
    assertThat(aliases).isNotEmpty().containsOnly(StackSpec.FUNCTION_ALIAS);
    assertThat(((Map<?, ?>) ((Map<?, ?>) resources.get("ControllerFunction")).get("Properties"))
            .get("AutoPublishAlias"))
        .isEqualTo(StackSpec.FUNCTION_ALIAS);
  }

  /**
   * The API forecasts a new upload's first look by the controller's period (CONTROLLER_INTERVAL_SECONDS), which
   * template.yaml writes as a number beside the MinuteTick schedule that sets the period: a changed schedule must
   * change the number too.
   */
  @Test
  void theApisControllerIntervalIsTheMinuteTicksPeriod() throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    Map<?, ?> controller =
        (Map<?, ?>) ((Map<?, ?>) resources.get("ControllerFunction")).get("Properties");
    Object expression = ((Map<?, ?>)
            ((Map<?, ?>) ((Map<?, ?>) controller.get("Events")).get("MinuteTick"))
                .get("Properties"))
        .get("ScheduleExpression");
    java.util.regex.Matcher rate = java.util.regex.Pattern.compile("rate\\((\\d+) minutes?\\)")
        .matcher(String.valueOf(expression));
    int period;
    if ("cron(* * * * ? *)".equals(expression)) {
      period = 60;
    } else if (rate.matches()) {
      period = 60 * Integer.parseInt(rate.group(1));
    } else {
      throw new AssertionError("MinuteTick's ScheduleExpression " + expression
          + " is neither cron(* * * * ? *) nor rate(N minutes): state its period here");
    }
    Map<?, ?> api = (Map<?, ?>) ((Map<?, ?>) resources.get("ApiFunction")).get("Properties");
    Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>) api.get("Environment")).get("Variables");
    assertThat(String.valueOf(variables.get("CONTROLLER_INTERVAL_SECONDS")))
        .as(
            "ApiFunction CONTROLLER_INTERVAL_SECONDS against ControllerFunction MinuteTick %s",
            expression)
        .isEqualTo(Integer.toString(period));
  }

  @Test
  void aFailedControllerRunIsNotRetriedLate() throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    Map<?, ?> properties =
        (Map<?, ?>) ((Map<?, ?>) resources.get("ControllerFunction")).get("Properties");
    Map<?, ?> invoke = (Map<?, ?>) properties.get("EventInvokeConfig");
    assertThat(invoke.get("MaximumRetryAttempts")).isEqualTo(0);
    assertThat(invoke.get("MaximumEventAgeInSeconds")).isEqualTo(60);
    assertThat(Files.readString(Path.of("README.md")).replaceAll("\\s+", " "))
        .as(
            "README quotes template.yaml's ControllerFunction EventInvokeConfig MaximumEventAgeInSeconds")
        .contains(
            "for its " + invoke.get("MaximumEventAgeInSeconds") + " s `MaximumEventAgeInSeconds`");
  }

  /**
   * Overlapping controller runs are made harmless by the conditional claim (EndpointController), not prevented: a
   * reserved concurrency of 1 would throttle the timer queue's trigger, whose throttled batches come back only after the
   * queue's visibility timeout (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
   */
  @Test
  void controllerRunsMayOverlapAndNothingSerializesThemButTheClaim() throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    Map<?, ?> properties =
        (Map<?, ?>) ((Map<?, ?>) resources.get("ControllerFunction")).get("Properties");
    assertThat(properties.containsKey("ReservedConcurrentExecutions")).isFalse();
    Map<?, ?> timer = (Map<?, ?>)
        ((Map<?, ?>) ((Map<?, ?>) properties.get("Events")).get("Timer")).get("Properties");
    assertThat(((Map<?, ?>) timer.get("ScalingConfig")).get("MaximumConcurrency"))
        .as("SQS's least: two timer runs may overlap")
        .isEqualTo(2);
  }

  @Test
  void theFunctionsTakeTheirSettingsFromTheParametersTheCommandLineReads() throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    Map<?, ?> parameters = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Parameters");
    List<Map.Entry<String, Map<String, String>>> read = List.of(
        Map.entry("ControllerFunction", FunctionVariables.CONTROLLER_PARAMETERS),
        Map.entry("ApiFunction", FunctionVariables.CONTROLLER_PARAMETERS),
        // The serverless endpoint's memory, which cost --compare models the serverless option with.
        Map.entry("ClassifyFunction", FunctionVariables.CLASSIFY_PARAMETERS),
        // The model's settings, whose fingerprint results and GET /results compare: the command
        // line resolves them from the same parameters.
        Map.entry("ClassifyFunction", FunctionVariables.MODEL_PARAMETERS),
        Map.entry("ApiFunction", FunctionVariables.MODEL_PARAMETERS));
    for (Map.Entry<String, Map<String, String>> entry : read) {
      String function = entry.getKey();
      Map<?, ?> variables = (Map<?, ?>) ((Map<?, ?>)
              ((Map<?, ?>) ((Map<?, ?>) resources.get(function)).get("Properties"))
                  .get("Environment"))
          .get("Variables");
      entry.getValue().forEach((variable, parameter) -> {
        assertThat(parameters.containsKey(parameter))
            .as("parameter %s", parameter)
            .isTrue();
        assertThat(variables.get(variable))
            .as("%s %s", function, variable)
            .isEqualTo(Map.of("Ref", parameter));
      });
    }
  }

  private static String template() throws IOException {
    return Files.readString(TEMPLATE, StandardCharsets.UTF_8);
  }
}
