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

/** template.yaml and StackSpec (which local mode provisions from) must say the same thing. */
class TemplateMatchesStackSpecTest {

  private static final Path TEMPLATE = Path.of("template.yaml");

  @Test
  void templateAgreesWithStackSpec() throws IOException {
    assertThat(StackDrift.differences(
            CloudFormationYaml.parse(template()), StackDrift.Expected.fromStackSpec()))
        .isEmpty();
  }

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

  @Test
  void aFailedControllerRunIsNotRetriedLate() throws IOException {
    Map<?, ?> resources = (Map<?, ?>) CloudFormationYaml.parse(template()).get("Resources");
    Map<?, ?> properties =
        (Map<?, ?>) ((Map<?, ?>) resources.get("ControllerFunction")).get("Properties");
    Map<?, ?> invoke = (Map<?, ?>) properties.get("EventInvokeConfig");
    assertThat(invoke.get("MaximumRetryAttempts")).isEqualTo(0);
    assertThat(invoke.get("MaximumEventAgeInSeconds")).isEqualTo(60);
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

  @Test
  void readsShortFormIntrinsicsAsReferencesNotLiterals() throws IOException {
    Map<String, Object> t = CloudFormationYaml.parse(template());

    Map<?, ?> redrive = (Map<?, ?>) ((Map<?, ?>)
            ((Map<?, ?>) ((Map<?, ?>) t.get("Resources")).get("ImagesQueue")).get("Properties"))
        .get("RedrivePolicy");

    assertThat(redrive.get("maxReceiveCount")).isEqualTo(Map.of("Ref", "MaxReceiveCount"));
    assertThat(redrive.get("deadLetterTargetArn"))
        .isEqualTo(Map.of("Fn::GetAtt", List.of("DeadLetterQueue", "Arn")));
  }

  @Test
  void aChangedSuffixInTheTemplateIsReported() throws IOException {
    List<String> changed = StackSpec.NOTIFICATION.suffixes().stream()
        .map(x -> x.equals(".png") ? ".gif" : x)
        .toList();
    assertThat(driftOf(template().replace("Value: .png}", "Value: .gif}")))
        .filteredOn(d -> !d.startsWith("EndpointCleanup ImagesBucketFingerprint"))
        .containsExactly("ImagesBucket notification suffixes: template.yaml has " + changed
            + ", StackSpec says " + StackSpec.NOTIFICATION.suffixes());
  }

  @Test
  void anUpperCaseFilterRuleNameIsReported() throws IOException {
    assertThat(driftOf(
            template().replace("{Name: suffix, Value: .jpg}", "{Name: Suffix, Value: .jpg}")))
        .filteredOn(d -> !d.startsWith("EndpointCleanup ImagesBucketFingerprint"))
        .containsExactly(
            "ImagesBucket notification filter rule Name: template.yaml has Suffix, StackSpec says suffix");
  }

  /**
   * A change of the bucket (here one rule more) without a new fingerprint is reported: otherwise the stack update that
   * puts the new notification configuration would not sweep the test event S3 then sends.
   */
  @Test
  void aChangedBucketWithTheOldFingerprintIsReported() throws IOException {
    String changed = template()
        .replace(
            "            Filter: {S3Key: {Rules: [{Name: suffix, Value: .PNG}]}}\n",
            "            Filter: {S3Key: {Rules: [{Name: suffix, Value: .PNG}]}}\n"
                + "          - Event: s3:ObjectCreated:*\n"
                + "            Queue: !GetAtt ImagesQueue.Arn\n"
                + "            Filter: {S3Key: {Rules: [{Name: suffix, Value: .webp}]}}\n");
    assertThat(changed).isNotEqualTo(template());
    Map<String, Object> bucket = StackResolver.map(
        StackResolver.map(CloudFormationYaml.parse(changed).get("Resources")).get("ImagesBucket"));

    assertThat(driftOf(changed))
        .contains("EndpointCleanup ImagesBucketFingerprint: template.yaml has "
            + ResourceFingerprint.of(StackResolver.map(
                StackResolver.map(CloudFormationYaml.parse(template()).get("Resources"))
                    .get("ImagesBucket")))
            + ", the ImagesBucket resource hashes to " + ResourceFingerprint.of(bucket)
            + " (set it, so that an update of the bucket sweeps the s3:TestEvent S3 sends)");
  }

  /** Six function timeouts alone, without the batching window, as the queue had before. */
  @Test
  void aVisibilityTimeoutWithoutRoomForTheBatchingWindowIsReported() throws IOException {
    assertThat(driftOf(template().replace("VisibilityTimeout: 1020", "VisibilityTimeout: 720")))
        .containsExactly(
            "ImagesQueue VisibilityTimeout: template.yaml has 720, StackSpec says 1020",
            "ImagesQueue VisibilityTimeout is 720 but must be 6 x ClassifyFunction Timeout (120) + the"
                + " longest batching window of its Queue trigger (BatchingWindowSeconds allows up to 300)"
                + " = 1020");
  }

  @Test
  void aChangedParameterDefaultIsReported() throws IOException {
    String changed = template()
        .replace(
            "    Default: \"10\"\n    AllowedValues: [\"1\", \"2\", \"4\"",
            "    Default: \"25\"\n    AllowedValues: [\"1\", \"2\", \"4\"");
    assertThat(changed).isNotEqualTo(template());

    assertThat(driftOf(changed))
        .containsExactly(
            "ClassifyFunction SQS BatchSize (Default of parameter BatchSize): template.yaml has 25, StackSpec says 10");
  }

  @Test
  void aMissingEnvironmentVariableIsReported() throws IOException {
    String changed = template().replace("          DEFER_SECONDS: !Ref DeferSeconds\n", "");

    List<String> stackSpec = List.copyOf(FunctionVariables.CLASSIFY_ENV.keySet());
    List<String> template =
        stackSpec.stream().filter(name -> !name.equals("DEFER_SECONDS")).toList();
    assertThat(stackSpec).contains("DEFER_SECONDS");
    assertThat(driftOf(changed))
        .containsExactly("ClassifyFunction environment variable names: template.yaml has "
            + template + ", StackSpec says " + stackSpec);
  }

  @Test
  void aChangeOnTheStackSpecSideIsReportedToo() throws IOException {
    StackDrift.Expected spec = StackDrift.Expected.fromStackSpec();
    StackDrift.Expected changed = new StackDrift.Expected(
        spec.notification(),
        StackSpec.Queue.forTrigger(
            spec.classifyTimeoutSeconds(), StackSpec.MAX_BATCHING_WINDOW_SECONDS, 3),
        spec.classifyTimeoutSeconds(),
        new TableSchema(
            "pk",
            "sk",
            List.of(
                new TableSchema.Index("byLabel", "topLabel", "uploadedAt"),
                new TableSchema.Index("byStatus", "status", "classifiedAt"))),
        spec.control(),
        spec.trigger(),
        spec.classifyEnv(),
        spec.controllerEnv(),
        spec.cleanupEnv(),
        spec.labels(),
        spec.handlers(),
        spec.outputs(),
        spec.metrics());

    assertThat(StackDrift.differences(CloudFormationYaml.parse(template()), changed))
        .containsExactlyInAnyOrder(
            "ImagesQueue RedrivePolicy maxReceiveCount (Default of parameter MaxReceiveCount): template.yaml has 5,"
                + " StackSpec says 3",
            "ResultsTable AttributeDefinitions: template.yaml has [classifiedAt, pk, sk, status, topLabel],"
                + " StackSpec says [classifiedAt, pk, sk, status, topLabel, uploadedAt]",
            "ResultsTable GSI byLabel KeySchema: template.yaml has [topLabel, classifiedAt],"
                + " StackSpec says [topLabel, uploadedAt]");
  }

  @Test
  void aMissingOutputIsReported() throws IOException {
    String changed = template().replace("\n  ClassifyMappingId:\n", "\n  ClassifyMappingUuid:\n");
    assertThat(changed).isNotEqualTo(template());

    assertThat(driftOf(changed))
        .singleElement()
        .asString()
        .startsWith("Outputs: template.yaml has [")
        .contains("ClassifyMappingUuid")
        .endsWith("StackSpec says " + new java.util.TreeSet<>(StackSpec.STACK_OUTPUTS));
  }

  @Test
  void anAlarmOnAMetricTheControllerDoesNotEmitIsReported() throws IOException {
    String changed = template()
        .replace("MetricName: EndpointCreateFailures", "MetricName: EndpointCreateFailed");

    assertThat(driftOf(changed))
        .containsExactly("EndpointCreateFailuresAlarm MetricName: template.yaml has"
            + " EndpointCreateFailed, StackSpec says EndpointCreateFailures");
  }

  @Test
  void theTestInvocationAlarmOnAnotherMetricOrDimensionIsReported() throws IOException {
    String changed = template()
        .replace("MetricName: TestInvocationFailures", "MetricName: ProbeFailures")
        .replace(
            "MetricName: ProbeFailures\n      Dimensions:\n        - Name: EndpointName",
            "MetricName: ProbeFailures\n      Dimensions:\n        - Name: FunctionName");
    assertThat(changed)
        .contains("- Name: FunctionName\n          Value: !Sub\n            - offhours-endpoint-");

    assertThat(driftOf(changed))
        .containsExactly(
            "TestInvocationFailuresAlarm MetricName: template.yaml has ProbeFailures,"
                + " StackSpec says TestInvocationFailures",
            "TestInvocationFailuresAlarm Dimensions: template.yaml has [FunctionName],"
                + " StackSpec says [EndpointName]");
  }

  @Test
  void theStepFailureAlarmOnAnotherMetricIsReported() throws IOException {
    String changed =
        template().replace("MetricName: ControllerStepFailures", "MetricName: StepFailures");
    assertThat(changed).isNotEqualTo(template());

    assertThat(driftOf(changed))
        .containsExactly("ControllerStepFailuresAlarm MetricName: template.yaml has StepFailures,"
            + " StackSpec says ControllerStepFailures");
  }

  @Test
  void anApiRouteLocalModeDoesNotServeIsReported() throws IOException {
    String changed =
        template().replace("Method: GET, Path: /status}", "Method: GET, Path: /health}");
    assertThat(changed).isNotEqualTo(template());

    assertThat(driftOf(changed))
        .containsExactly("ApiFunction routes: template.yaml has [GET /health, GET /results,"
            + " GET /results/{key+}, POST /classify], StackSpec says [GET /results, GET /results/{key+}, GET /status,"
            + " POST /classify]");
  }

  @Test
  void anApiWithoutIamAuthorizationIsReported() throws IOException {
    String changed = template().replace("DefaultAuthorizer: AWS_IAM", "DefaultAuthorizer: NONE");
    assertThat(changed).isNotEqualTo(template());

    assertThat(driftOf(changed))
        .containsExactly(
            "Api Auth DefaultAuthorizer: template.yaml has NONE, StackSpec says" + " AWS_IAM");
  }

  private static List<String> driftOf(String templateText) {
    return StackDrift.differences(
        CloudFormationYaml.parse(templateText), StackDrift.Expected.fromStackSpec());
  }

  private static String template() throws IOException {
    return Files.readString(TEMPLATE, StandardCharsets.UTF_8);
  }
}
