package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * template.yaml and StackSpec (which local mode provisions from) must say the same thing: they agree today, and
 * {@link StackDrift} reports each kind of difference, on either side, as a sentence naming both. What the template
 * wires beyond StackSpec is {@link TemplateWiringTest}'s.
 */
class TemplateMatchesStackSpecTest {

  private static final Path TEMPLATE = Path.of("template.yaml");

  @Test
  void templateAgreesWithStackSpec() throws IOException {
    assertThat(StackDrift.differences(
            CloudFormationYaml.parse(template()), StackDrift.Expected.fromStackSpec()))
        .isEmpty();
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
