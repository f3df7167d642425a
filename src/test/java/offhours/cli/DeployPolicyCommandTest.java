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

  /** Which hyphens a way of generating names makes one. */
  private enum Runs {
    KEPT,
    IN_THE_STACK_NAME,
    IN_THE_WHOLE_NAME
  }

  /**
   * A name generated by the rule {@link DeployPolicyCommand#generatedNames} cites: the stack name, a hyphen, the
   * logical id, a hyphen and a random tail, with {@code tail} characters of {@code limit} kept for the tail and its
   * hyphen, one for the hyphen between, and the rest shared, the stack name rounding up.
   */
  private static String generated(String stack, String logicalId, int limit, int tail, Runs runs) {
    String name = runs == Runs.KEPT ? stack : stack.replaceAll("-{2,}", "-");
    int free = limit - tail - 1;
    int forStack = Math.min(name.length(), Math.max((free + 1) / 2, free - logicalId.length()));
    int forId = Math.min(logicalId.length(), free - forStack);
    String generated = name.substring(0, forStack) + "-" + logicalId.substring(0, forId) + "-"
        + "R".repeat(tail - 1);
    return runs == Runs.IN_THE_WHOLE_NAME ? generated.replaceAll("-{2,}", "-") : generated;
  }

  private static String withoutTail(String name) {
    return name.substring(0, name.lastIndexOf('-'));
  }

  @Test
  void everyNameTheRuleGeneratesAtALimitOf64OrMoreStartsWithThePoliciesPrefix() {
    List<String> stacks = List.of(
        "offhours",
        "a".repeat(25),
        "b".repeat(26),
        "image-classification-for-the-photo-desk",
        "Offhours-" + "x".repeat(119),
        "my--stack",
        "ends-",
        "a-b--c" + "d".repeat(40));
    List<String> ids = List.of(
        "Api",
        "ClassifyFunctionRole",
        "x".repeat(24),
        "y".repeat(25),
        "z".repeat(60),
        "w".repeat(255));
    for (String stack : stacks) {
      String prefix = DeployPolicyCommand.generatedNames(stack);
      for (String id : ids) {
        for (int limit : List.of(64, 80, 255)) {
          for (int tail : List.of(13, 14)) {
            for (Runs runs : Runs.values()) {
              assertThat(generated(stack, id, limit, tail, runs))
                  .as(
                      "%s's %s at %d, %d for the tail, runs of hyphens %s",
                      stack, id, limit, tail, runs)
                  .hasSizeLessThanOrEqualTo(limit)
                  .startsWith(prefix);
            }
          }
        }
      }
    }
    assertThat(DeployPolicyCommand.generatedNames("my--stack")).isEqualTo("my-");
    assertThat(DeployPolicyCommand.generatedNames("ends-")).isEqualTo("ends-");
  }

  @Test
  void theCutNamesCloudFormationGaveFitTheRuleAndStartWithThePoliciesPrefix() {
    // https://github.com/convox/rack/issues/2698: a function of a 45-character stack.
    String stack = "content-author-apps-production-content-syslog";
    String function = "content-author-apps-production-content-sy-Function-U6NI8XUG1KBU";
    // https://gist.github.com/christianklotz/468a240a75f4ae3e73bd52722f926acb: a function of a
    // nested stack.
    String nested = "MyStackDev-MyNestedApplicationStack-K87FLFVLYVQJ";
    String nestedFunction = "MyStackDev-MyNestedApplicatio-MyLambdaFunctionName-1U44TLUZ7OR55";
    assertThat(withoutTail(generated(stack, "Function", 64, 14, Runs.KEPT)))
        .isEqualTo(withoutTail(function));
    assertThat(withoutTail(generated(nested, "MyLambdaFunctionName", 64, 14, Runs.KEPT)))
        .isEqualTo(withoutTail(nestedFunction));
    assertThat(function).startsWith(DeployPolicyCommand.generatedNames(stack));
    assertThat(nestedFunction).startsWith(DeployPolicyCommand.generatedNames(nested));
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
