package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import offhours.cli.DeployPolicyCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deployer's policy lets SAM CLI make every call sam-cli-calls.tsv lists (read from aws/aws-sam-cli's source: the
 * file says which paths), on the resource SAM CLI makes it on, for any stack name and partition; and it lets
 * CloudFormation create SAM CLI's artifact stack, whose template (samcli/lib/bootstrap/bootstrap.py) makes the bucket
 * and its bucket policy with the deployer's credentials.
 */
class SamCliCallsTest {

  private static final Path CALLS = Path.of("src/test/resources/offhours/stack/sam-cli-calls.tsv");

  /** A bucket --resolve-s3 gets: CloudFormation names it from aws-sam-cli-managed-default's logical id. */
  private static final String MANAGED_BUCKET =
      "aws-sam-cli-managed-default-samclisourcebucket-1a2b3c4d5e6f";

  record Call(String action, String on, String why, String source) {}

  static List<Call> calls() throws IOException {
    List<Call> calls = new ArrayList<>();
    for (String line : Files.readAllLines(CALLS)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      assertThat(f).as("sam-cli-calls.tsv: four columns in %s", line).hasSize(4);
      calls.add(new Call(f[0], f[1], f[2], f[3]));
    }
    return calls;
  }

  /** Every action SAM CLI calls, for DeployerPolicyFormsTest's "who needs it". */
  static Set<String> actions() throws IOException {
    return Set.copyOf(calls().stream().map(Call::action).toList());
  }

  static Stream<FakeStack> stacks() {
    return Stream.of(
        FakeStack.create(FakeStack.REQUIRED_PARAMETERS),
        new FakeStack(
            "210987654321",
            "cn-north-1",
            "aws-cn",
            "image-classification-for-the-photo-desk",
            UUID.randomUUID().toString(),
            FakeStack.REQUIRED_PARAMETERS,
            Map.of()),
        new FakeStack(
            FakeStack.ACCOUNT,
            "eu-west-1",
            "aws",
            "offhours-" + "x".repeat(111),
            UUID.randomUUID().toString(),
            FakeStack.REQUIRED_PARAMETERS,
            Map.of()));
  }

  /** The ARN SAM CLI's call is authorized on, by the file's second column. */
  private static String arn(FakeStack s, String on) {
    String cloudFormation = "arn:" + s.partition() + ":cloudformation:" + s.region() + ":";
    String anId = "/0a1b2c3d-0000-4000-8000-000000000000";
    return switch (on) {
      case "stack" -> s.stackId();
      case "artifact-stack" ->
        cloudFormation + s.account() + ":stack/aws-sam-cli-managed-default" + anId;
      case "image-repos" ->
        cloudFormation + s.account() + ":stack/" + companionStack(s.stackName()) + anId;
      case "transform" -> cloudFormation + "aws:transform/Serverless-2016-10-31";
      case "artifact-object" ->
        "arn:" + s.partition() + ":s3:::" + MANAGED_BUCKET
            + "/offhours/0123456789abcdef0123456789abcdef";
      case "artifact-bucket" -> "arn:" + s.partition() + ":s3:::" + MANAGED_BUCKET;
      default -> throw new IllegalArgumentException("sam-cli-calls.tsv: no resource '" + on + "'");
    };
  }

  /**
   * SAM CLI's name for the stack's image repositories stack, worked out with its rule by hand (Python's
   * hashlib.md5 of the name) so that DeployPolicyCommand.companionStack is checked, not repeated.
   */
  private static String companionStack(String stack) {
    return switch (stack) {
      case "offhours" -> "offhours-9c11c6c0-CompanionStack";
      case "image-classification-for-the-photo-desk" ->
        "image-classification-for-the-photo-desk-9fd60126-CompanionStack";
      default -> {
        assertThat(stack).isEqualTo("offhours-" + "x".repeat(111));
        yield stack.substring(0, 104) + "-24a8e765-CompanionStack";
      }
    };
  }

  /** Each call the policy does not allow, with why SAM CLI makes it. */
  private static List<String> missing(DeployerPolicy policy, FakeStack s) throws IOException {
    List<String> missing = new ArrayList<>();
    for (Call c : calls()) {
      if (!policy.allows(c.action(), arn(s, c.on()))) {
        missing.add(
            c.action() + " on " + arn(s, c.on()) + " (" + c.why() + ", " + c.source() + ")");
      }
    }
    return missing;
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void thePolicyAllowsEveryCallSamCliMakesOnTheResourceItMakesItOn(FakeStack s) throws IOException {
    assertThat(missing(DeployerPolicy.forStack(s), s)).isEmpty();
  }

  @Test
  void aPolicyWithoutACallOrOnlyForAnotherStacksImageRepositoriesIsCaught() throws IOException {
    FakeStack s = stacks().findFirst().orElseThrow();
    DeployerPolicy policy = DeployerPolicy.forStack(s);
    assertThat(missing(policy.without("cloudformation:ListChangeSets"), s))
        .singleElement()
        .asString()
        .startsWith(
            "cloudformation:ListChangeSets on " + s.stackId() + " (sam delete, for a stack");
    assertThat(missing(
            policy.replacing(
                "arn:aws:cloudformation:us-east-1:123456789012:stack/offhours-9c11c6c0-CompanionStack/*",
                "arn:aws:cloudformation:us-east-1:123456789012:stack/offhours-00000000-CompanionStack/*"),
            s))
        .hasSize(2)
        .allSatisfy(m -> assertThat(m).contains("CompanionStack"));
  }

  @Test
  void theCommandNamesTheImageRepositoriesStackAsSamCliDoes() {
    stacks()
        .forEach(s -> assertThat(DeployPolicyCommand.companionStack(s.stackName()))
            .isEqualTo(companionStack(s.stackName()))
            .hasSizeLessThanOrEqualTo(128));
  }

  @Test
  void eachCallNamesTheSamCliSourceFileAndCommitItWasReadFrom() throws IOException {
    assertThat(calls())
        .hasSizeGreaterThan(20)
        .allSatisfy(c -> assertThat(c.source()).matches("samcli/[a-z0-9_/]+\\.py@[0-9a-f]{8}"));
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void cloudFormationMayCreateUpdateAndDeleteTheArtifactStacksBucketAndPolicy(FakeStack s)
      throws IOException {
    List<String> bucket = List.of("arn:" + s.partition() + ":s3:::" + MANAGED_BUCKET);
    assertThat(DeployerPolicyTest.missing(
            DeployerPolicy.forStack(s),
            List.of(
                new TransformedResources.Created("SamCliSourceBucket", "AWS::S3::Bucket", bucket),
                new TransformedResources.Created(
                    "SamCliSourceBucketBucketPolicy", "AWS::S3::BucketPolicy", bucket)),
            s.partition(),
            DeployerPolicyTest.needs()))
        .isEmpty();
  }
}
