package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code offhours deploy-policy} fills the stack's name, Region and account into the policy and refuses bad ones. */
class DeployPolicyCommandTest {

  @TempDir
  Path cache;

  private CliRun run(String... args) {
    return CliRun.run(cache, Clock.systemUTC(), () -> null, Commands.all(), args);
  }

  private static List<String> resources(JsonNode policy) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : policy.get("Statement")) {
      JsonNode r = s.get("Resource");
      if (r.isArray()) {
        r.forEach(n -> out.add(n.asText()));
      } else {
        out.add(r.asText());
      }
    }
    return out;
  }

  @Test
  void theReadmesCommandPrintsThePolicyForThatStackRegionAndAccount() throws Exception {
    CliRun run = run(
        "deploy-policy",
        "--stack",
        "offhours",
        "--region",
        "us-east-1",
        "--account",
        "123456789012");
    assertThat(run.exitCode()).isZero();
    assertThat(run.err())
        .isEqualTo("offhours: the policy is more than the 6144 characters an IAM managed policy"
            + " holds; --part 1 to --part 2 print it in parts that each fit\n");
    JsonNode policy = Json.MAPPER.readTree(run.out());
    assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
    assertThat(run.out()).doesNotContain("${");
    assertThat(resources(policy))
        .contains(
            "arn:aws:cloudformation:us-east-1:123456789012:stack/offhours/*",
            "arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31",
            "arn:aws:scheduler:us-east-1:123456789012:schedule-group/offhours-*",
            "arn:aws:iam::123456789012:role/offhours-*",
            "arn:aws:s3:::aws-sam-cli-managed-default-samclisourcebucket-*/*")
        .allSatisfy(r -> assertThat(r)
            .satisfiesAnyOf(
                a -> assertThat(a).isEqualTo("*"), a -> assertThat(a).startsWith("arn:aws:")));
  }

  @Test
  void theReadmesPartsAreEveryPartEachFitsAManagedPolicyAndTogetherTheyAreThePolicy()
      throws Exception {
    List<String> commands = ReadmeCommands.coveredBy(ReadmeCommands.DEPLOY_POLICY_PARTS);
    String whole = "scripts/offhours deploy-policy --stack offhours --region us-east-1 --account"
        + " 123456789012";
    List<JsonNode> statements = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      String command = commands.get(i);
      assertThat(command)
          .isEqualTo(whole + " --part " + (i + 1) + " > deployer-" + (i + 1) + ".json");
      String[] args =
          command.substring("scripts/offhours ".length(), command.indexOf(" >")).split(" ");
      CliRun run = run(args);
      assertThat(run.exitCode()).as(command).isZero();
      assertThat(run.err())
          .startsWith("offhours: part " + (i + 1) + " of " + commands.size() + ";");
      JsonNode part = Json.MAPPER.readTree(run.out());
      // IAM counts a managed policy's characters without white space.
      assertThat(run.out().replaceAll("\\s", "").length())
          .as(command)
          .isLessThanOrEqualTo(DeployPolicyCommand.MANAGED_POLICY_CHARACTERS);
      part.get("Statement").forEach(statements::add);
    }
    JsonNode policy = Json.MAPPER.readTree(
        run(whole.substring("scripts/offhours ".length()).split(" ")).out());
    List<JsonNode> all = new ArrayList<>();
    policy.get("Statement").forEach(all::add);
    assertThat(statements).as("the parts' statements").isEqualTo(all);
    assertThat(run(whole.substring("scripts/offhours ".length()).split(" ")).err())
        .as("the README shows every part")
        .contains("--part " + commands.size() + " print");
    assertThat(
            run("deploy-policy", "--part", String.valueOf(commands.size() + 1)).err())
        .startsWith("offhours: --part needs a number from 1 to " + commands.size());
  }

  @Test
  void theChinaRegionsArnsAreOfTheirPartitionAndJsonIsOneLine() throws Exception {
    CliRun run =
        run("deploy-policy", "--region", "cn-north-1", "--bucket", "my-artifacts", "--json");
    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines()).hasSize(1);
    assertThat(resources(Json.MAPPER.readTree(run.out())))
        .contains(
            "arn:aws-cn:cloudformation:cn-north-1:*:stack/offhours/*",
            "arn:aws-cn:s3:::my-artifacts/*");
  }

  /**
   * CloudFormation cuts a generated name over its limit and keeps at least the stack name's first 25 characters: a
   * role of a 40-character stack is named like the one below, which "role/STACK-*" would not match.
   */
  @Test
  void aLongStackNamesResourcesAreMatchedByTheStartCloudFormationKeeps() throws Exception {
    String stack = "image-classification-for-the-photo-desk"; // 39 characters
    CliRun run = run(
        "deploy-policy",
        "--stack",
        stack,
        "--region",
        "eu-west-1",
        "--account",
        "123456789012",
        "--json");
    assertThat(run.exitCode()).isZero();
    List<String> resources = resources(Json.MAPPER.readTree(run.out()));
    assertThat(resources)
        .contains(
            "arn:aws:cloudformation:eu-west-1:123456789012:stack/" + stack + "/*",
            "arn:aws:iam::123456789012:role/image-classification-for-*",
            // SAM CLI's stack of the stack's image repositories, which sam delete asks about.
            "arn:aws:cloudformation:eu-west-1:123456789012:stack/" + stack
                + "-9fd60126-CompanionStack/*")
        .noneMatch(r -> r.contains(stack + "-") && !r.endsWith("-CompanionStack/*"));
    String cutRole =
        "image-classification-for-ControllerScheduleR-1A2B3C4D5E6F7"; // 25 + 1 + 20 + 13
    assertThat(resources)
        .anyMatch(r -> ("arn:aws:iam::123456789012:role/" + cutRole)
            .matches(Pattern.quote(r).replace("*", "\\E.*\\Q")));
    assertThat(DeployPolicyCommand.generatedNames("offhours")).isEqualTo("offhours-");
    assertThat(DeployPolicyCommand.generatedNames("a".repeat(25))).isEqualTo("a".repeat(25) + "-");
    assertThat(DeployPolicyCommand.generatedNames("a".repeat(26))).isEqualTo("a".repeat(25));
  }

  @Test
  void aStackNameRegionAccountOrBucketOfAnotherShapeIsRefusedNamingTheOption() {
    assertThat(run("deploy-policy", "--stack", "my stack").err())
        .isEqualTo("offhours: --stack needs a CloudFormation stack name, got 'my stack'; see"
            + " 'offhours deploy-policy --help'\n");
    assertThat(run("deploy-policy", "--region", "US-EAST-1").err())
        .startsWith("offhours: --region needs a Region such as us-east-1, got 'US-EAST-1'");
    assertThat(run("deploy-policy", "--account", "1234").exitCode()).isEqualTo(2);
    assertThat(run("deploy-policy", "--bucket", "Bad_Bucket").err())
        .startsWith("offhours: --bucket needs an S3 bucket name, got 'Bad_Bucket'");
  }

  @Test
  void topLevelHelpListsIt() {
    assertThat(run("--help").out()).contains("  deploy-policy ");
  }
}
