package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import offhours.endpoint.cfn.EndpointCleanupHandler;
import offhours.testing.MarkdownSections;
import org.junit.jupiter.api.Test;

/**
 * What template.yaml keeps and what it lets the model do: a stack delete keeps the queues (the only pointer to an
 * unclassified upload), the model's container runs without network by default (not serverless, which does not support
 * it), and it may pull exactly its own image repository.
 */
class TemplateSafetyTest {

  private final Map<String, Object> template;

  TemplateSafetyTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  private StackResolver stack(FakeStack fake, Map<String, String> parameters) {
    Map<String, String> all = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    all.putAll(parameters);
    return new StackResolver(template, fake.withParameters(all));
  }

  private StackResolver stack(Map<String, String> parameters) {
    return stack(FakeStack.create(Map.of()), parameters);
  }

  /**
   * Kept by a delete or a replacement, but not by the rollback of the create that made them: plain Retain would leave
   * a new, empty bucket, two queues and a table behind each time a first deploy fails (an InstanceType the Region
   * lacks, a wrong ContainerImage), and the user could not tell them from a kept stack's.
   */
  @Test
  void aStackDeleteOrReplacementKeepsTheQueuesTheBucketAndTheResultsAFailedCreateDoesNot() {
    StackResolver stack = stack(Map.of());
    for (String kept : List.of(
        "ImagesQueue",
        "DeadLetterQueue",
        "ImagesBucket",
        "ResultsTable",
        // their TLS-only policies go with them
        "ImagesQueuePolicy",
        "DeadLetterQueuePolicy",
        "ImagesBucketPolicy")) {
      assertThat(stack.resource(kept))
          .as(kept)
          .containsEntry("DeletionPolicy", "RetainExceptOnCreate")
          .containsEntry("UpdateReplacePolicy", "Retain");
    }
  }

  /**
   * README's "Removing the stack" names the deletion policy the template gives what it keeps, and, since the queue's
   * policy and the bucket's notification are kept too, says that uploads still reach the kept queue.
   */
  @Test
  void theReadmeSaysWhatAStackDeleteKeeps() {
    String section = MarkdownSections.readme("### Removing the stack");
    StackResolver stack = stack(Map.of());
    assertThat(section)
        .contains("`DeletionPolicy: " + stack.resource("ImagesQueue").get("DeletionPolicy") + "`");
    assertThat(stack.resource("ImagesQueuePolicy").get("DeletionPolicy")).isNotEqualTo("Delete");
    assertThat(section.replaceAll("\\s+", " "))
        .contains("uploads to the kept bucket still reach the kept queue")
        .doesNotContain("no upload reaches the kept queue");
  }

  @Test
  void aServerlessModelRunsWithNetworkTheOthersAsTheParameterSays() {
    // Serverless Inference does not support network isolation: SageMaker would refuse the model.
    for (String isolation : List.of("true", "false")) {
      assertThat(stack(Map.of("Hosting", "serverless", "EnableNetworkIsolation", isolation))
              .properties("Model"))
          .as("serverless with EnableNetworkIsolation %s", isolation)
          .containsEntry("EnableNetworkIsolation", "false");
      for (String hosting : List.of("scheduled", "scale-to-zero")) {
        assertThat(stack(Map.of("Hosting", hosting, "EnableNetworkIsolation", isolation))
                .properties("Model"))
            .as("%s with EnableNetworkIsolation %s", hosting, isolation)
            .containsEntry("EnableNetworkIsolation", isolation);
      }
    }
    assertThat(stack(Map.of("Hosting", "serverless")).properties("Model"))
        .as("serverless with the defaults")
        .containsEntry("EnableNetworkIsolation", "false");
  }

  @Test
  void aComponentEndpointIsolatesItsContainersInItsConfig() {
    // An endpoint that hosts inference components takes the setting in its endpoint config.
    for (String isolation : List.of("true", "false")) {
      assertThat(stack(Map.of("Hosting", "scale-to-zero", "EnableNetworkIsolation", isolation))
              .properties("ComponentEndpointConfig"))
          .as("scale-to-zero with EnableNetworkIsolation %s", isolation)
          .containsEntry("EnableNetworkIsolation", isolation);
    }
  }

  @Test
  void theModelRunsWithoutNetworkUnlessTheParameterSaysOtherwise() {
    assertThat(stack(Map.of()).properties("Model")).containsEntry("EnableNetworkIsolation", "true");
    assertThat(stack(Map.of("EnableNetworkIsolation", "false")).properties("Model"))
        .containsEntry("EnableNetworkIsolation", "false");
    assertThat(StackResolver.map(
            StackResolver.map(template.get("Parameters")).get("EnableNetworkIsolation")))
        .containsEntry("AllowedValues", List.of("true", "false"));
  }

  @Test
  void theStackDeleteCleanupHasTimeToWaitAndStillAnswersWithinItsServiceTimeout() {
    StackResolver stack = stack(Map.of());
    long timeout = Long.parseLong(
        String.valueOf(stack.properties("EndpointCleanupFunction").get("Timeout")));
    long serviceTimeout =
        Long.parseLong(String.valueOf(stack.properties("EndpointCleanup").get("ServiceTimeout")));
    assertThat(timeout)
        .as("the function's Timeout holds the longest wait and the response")
        .isGreaterThanOrEqualTo(
            EndpointCleanupHandler.BUDGET.plus(EndpointCleanupHandler.RESERVE).toSeconds());
    assertThat(timeout)
        .as("CloudFormation gets the answer before its ServiceTimeout")
        .isLessThan(serviceTimeout);
  }

  /** The repository ARNs the SageMaker role may pull from, for one ContainerImage. */
  private List<String> pullable(StackResolver stack) {
    IamRole role = IamRole.atMost(stack, "SageMakerExecutionRole");
    return role.grants().stream()
        .filter(g -> g.action().equals("ecr:BatchGetImage"))
        .map(IamRole.Grant::resource)
        .toList();
  }

  @Test
  void theSageMakerRoleMayPullOnlyTheImagesOwnRepository() {
    assertThat(pullable(stack(Map.of(
            "ContainerImage",
            "811284229777.dkr.ecr.us-east-1.amazonaws.com/image-classification:1"))))
        .containsExactly("arn:aws:ecr:us-east-1:811284229777:repository/image-classification");
    String digest = "a".repeat(64);
    assertThat(pullable(stack(Map.of(
            "ContainerImage",
            "123456789012.dkr.ecr.eu-central-1.amazonaws.com/team/models/classifier@sha256:"
                + digest))))
        .as("a namespaced repository, pinned by digest")
        .containsExactly("arn:aws:ecr:eu-central-1:123456789012:repository/team/models/classifier");
    assertThat(pullable(stack(Map.of(
            "ContainerImage",
            "763104351884.dkr.ecr.us-west-2.amazonaws.com/"
                + "huggingface-pytorch-inference:2.1.0-transformers4.37.0-cpu-py310-ubuntu22.04"))))
        .containsExactly(
            "arn:aws:ecr:us-west-2:763104351884:repository/huggingface-pytorch-inference");
    assertThat(pullable(
            stack(Map.of("ContainerImage", "123456789012.dkr.ecr.us-east-1.amazonaws.com/plain"))))
        .as("no tag")
        .containsExactly("arn:aws:ecr:us-east-1:123456789012:repository/plain");
    FakeStack china = new FakeStack(
        "123456789012",
        "cn-north-1",
        "aws-cn",
        "offhours",
        UUID.randomUUID().toString(),
        Map.of(),
        Map.of());
    assertThat(pullable(stack(
            china,
            Map.of(
                "ModelDataUrl",
                "s3://models-cn/m.tar.gz",
                "ContainerImage",
                "390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/image-classification:1"))))
        .containsExactly("arn:aws-cn:ecr:cn-north-1:390948362332:repository/image-classification");
  }

  @Test
  void theSageMakerRoleReadsOnlyTheArtifactsBucketAndWritesOnlyItsEndpointsLogs() {
    StackResolver stack =
        stack(Map.of("ModelDataUrl", "s3://my-models/image-classification/model.tar.gz"));
    IamRole role = IamRole.atMost(stack, "SageMakerExecutionRole");
    assertThat(role.grants())
        .filteredOn(g -> g.action().startsWith("s3:"))
        .extracting(IamRole.Grant::toString)
        .as(
            "GetObject in the artifact's bucket (ParameterUpdatesTest: the old artifact stays readable)")
        .containsExactly(
            "s3:GetObject on arn:aws:s3:::my-models/* (statement ReadTheModelArtifacts)");
    assertThat(role.grants())
        .filteredOn(g -> g.resource().equals("*"))
        .extracting(IamRole.Grant::action)
        .as(
            "the only actions on every resource: ECR's login and PutMetricData, which have no resource")
        .containsExactlyInAnyOrder("ecr:GetAuthorizationToken", "cloudwatch:PutMetricData");
    assertThat(statements(stack.properties("SageMakerExecutionRole")))
        .filteredOn(s -> "cloudwatch:PutMetricData".equals(s.get("Action")))
        .singleElement()
        .satisfies(s -> assertThat(s.get("Condition"))
            .as("metrics of SageMaker's namespaces only")
            .isEqualTo(Map.of("StringLike", Map.of("cloudwatch:namespace", "/aws/sagemaker/*"))));
    assertThat(role.grants())
        .filteredOn(g -> g.action().startsWith("logs:"))
        .extracting(IamRole.Grant::resource)
        .containsOnly(
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/offhours-endpoint-"
                + stack.stack().suffix() + ":*");
  }

  /**
   * An artifact under a customer-managed KMS key (SSE-KMS) needs the reader's kms:Decrypt: the SageMaker role may use
   * this account's keys through S3 of the stack's Region only, the way to its artifacts' bucket, and with no artifact
   * (an image that downloads its model) not at all. In every Hosting: SageMaker reads the artifact with this role for
   * an endpoint's instances, an inference component's copies and a serverless endpoint's cold starts alike.
   */
  @Test
  void theSageMakerRoleDecryptsTheArtifactThroughS3OnlyWhenThereIsOne() {
    List<Object> hostings = StackResolver.list(
        StackResolver.map(StackResolver.map(template.get("Parameters")).get("Hosting"))
            .get("AllowedValues"));
    assertThat(hostings).containsExactlyInAnyOrder("scheduled", "scale-to-zero", "serverless");
    for (Object hosting : hostings) {
      StackResolver stack =
          stack(Map.of("ModelDataUrl", "s3://my-models/m.tar.gz", "Hosting", hosting.toString()));
      assertThat(IamRole.atMost(stack, "SageMakerExecutionRole").grants())
          .as("Hosting %s", hosting)
          .filteredOn(g -> g.action().startsWith("kms:"))
          .extracting(IamRole.Grant::toString)
          .containsExactly("kms:Decrypt on arn:aws:kms:us-east-1:123456789012:key/*"
              + " (statement DecryptTheModelArtifactsThroughS3)");
      assertThat(statements(stack.properties("SageMakerExecutionRole")))
          .filteredOn(s -> "kms:Decrypt".equals(s.get("Action")))
          .singleElement()
          .satisfies(s -> assertThat(s.get("Condition"))
              .as("Hosting %s: through S3 of the stack's Region only", hosting)
              .isEqualTo(
                  Map.of("StringEquals", Map.of("kms:ViaService", "s3.us-east-1.amazonaws.com"))));
      assertThat(IamRole.atMost(
                  stack(Map.of("ModelDataUrl", "", "Hosting", hosting.toString())),
                  "SageMakerExecutionRole")
              .grants())
          .as("Hosting %s: no artifact, nothing to decrypt", hosting)
          .noneMatch(g -> g.action().startsWith("kms:"));
    }
  }

  @Test
  void withScaleToZeroTheSageMakerRoleAlsoWritesItsComponentsLogs() {
    StackResolver stack =
        stack(Map.of("ModelDataUrl", "s3://my-models/m.tar.gz", "Hosting", "scale-to-zero"));
    String suffix = stack.stack().suffix();
    assertThat(IamRole.atMost(stack, "SageMakerExecutionRole").grants())
        .filteredOn(g -> g.action().equals("logs:PutLogEvents"))
        .extracting(IamRole.Grant::resource)
        .containsExactlyInAnyOrder(
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/Endpoints/offhours-endpoint-"
                + suffix + ":*",
            "arn:aws:logs:us-east-1:123456789012:log-group:/aws/sagemaker/InferenceComponents/"
                + "offhours-component-" + suffix + ":*");
  }

  /**
   * The roles that read LabelsS3Uri name its object in their ReadLabels grant, and IAM reads "${" in a Resource as the
   * start of a policy variable (reference_policies_variables.html: "${$}" is a literal $), as it reads * and ? as
   * wildcards: a key holding one would grant another object or none, and every function would fail at init, unable
   * to read its labels, with an AccessDenied nothing in the template explains. So LabelsS3Uri refuses those keys and
   * still takes a $ or a brace on its own.
   */
  @Test
  void theLabelsGrantNamesExactlyTheLabelsObject() {
    ParameterConstraints constraints = new ParameterConstraints(template);
    for (String uri : List.of(
        "s3://labels-bucket/${aws:username}/labels.txt",
        "s3://labels-bucket/labels-${*}.txt",
        "s3://labels-bucket/a$${b}.txt")) {
      assertThat(constraints.refusal("LabelsS3Uri", uri))
          .as("%s holds a policy variable", uri)
          .isNotNull();
    }
    for (String uri : List.of(
        "s3://labels-bucket/labels.txt",
        "s3://labels-bucket/price$5/{v2}.txt",
        "s3://labels-bucket/$/{$}/$")) {
      assertThat(constraints.refusal("LabelsS3Uri", uri)).as(uri).isNull();
      StackResolver stack = stack(Map.of("LabelsS3Uri", uri));
      for (String role : List.of("ClassifyRole", "ControllerRole", "ApiRole")) {
        assertThat(IamRole.atMost(stack, role).grants())
            .filteredOn(g -> "ReadLabels".equals(g.sid()))
            .extracting(IamRole.Grant::resource)
            .as("%s reading %s", role, uri)
            .containsExactly("arn:aws:s3:::" + uri.substring("s3://".length()));
      }
    }
  }

  /** The statements of a role's inline policies, resolved. */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> statements(Map<String, Object> role) {
    List<Map<String, Object>> all = new java.util.ArrayList<>();
    for (Object policy : (List<Object>) role.get("Policies")) {
      Map<String, Object> document =
          (Map<String, Object>) ((Map<String, Object>) policy).get("PolicyDocument");
      for (Object statement : (List<Object>) document.get("Statement")) {
        all.add((Map<String, Object>) statement);
      }
    }
    return all;
  }
}
