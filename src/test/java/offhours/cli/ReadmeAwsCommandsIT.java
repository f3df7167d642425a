// Needs the AWS CLI v1 (`aws` on the PATH or in ~/.pyenv/shims) and the python3 it runs on
// (its awscli package: the command tables and botocore's models), and moto_server
// (AwsServicesExtension); skipped, saying so, without the CLI.
package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import offhours.testing.ShellWords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code aws} commands ({@link ReadmeAwsCommands}) are commands the AWS CLI has: each operation exists,
 * each option is exactly one of its arguments, a full command gives the arguments its operation requires, and each
 * {@code --query} names fields of the operation's output (checked by the CLI's own tables and models, nothing sent).
 * Those a local service answers and no other test runs are run as written against moto_server.
 */
@ExtendWith(AwsServicesExtension.class)
class ReadmeAwsCommandsIT {

  private static final Path CHECK =
      Path.of("src/test/resources/offhours/cli/aws_cli_commands.py").toAbsolutePath();
  private static final Path SERVICE_AUTHORIZATION =
      Path.of("src/test/resources/offhours/stack/service-authorization.tsv");
  private static final String RUNBOOK = "\n### When an alarm fires\n";

  @TempDir
  Path work;

  @Test
  void everyCommandIsOneTheAwsCliHas() throws Exception {
    Path aws = awsCli();
    List<String> commands = ReadmeAwsCommands.extract(ReadmeCommands.readme());
    StringBuilder input = new StringBuilder();
    for (String command : commands) {
      input.append(Json.MAPPER.writeValueAsString(ShellWords.split(command))).append('\n');
    }
    Path in = Files.writeString(work.resolve("commands.jsonl"), input);
    Run check = run(List.of(python().toString(), CHECK.toString()), Map.of(), in);
    assumeThat(check.out + check.err)
        .as(
            "the python3 beside %s has no awscli package (AWS CLI v2 ships none): %s",
            aws, check.err)
        .doesNotContain("ModuleNotFoundError");
    assertThat(check.code).as("%s:\n%s", CHECK, check.err).isZero();
    List<JsonNode> results = new ArrayList<>();
    for (String line : check.out.lines().toList()) {
      results.add(Json.MAPPER.readTree(line));
    }
    assertThat(results).as("one answer per README command").hasSameSizeAs(commands);

    String readme = ReadmeCommands.readme();
    String runbook = readme.substring(
        readme.indexOf(RUNBOOK), readme.indexOf("\n### ", readme.indexOf(RUNBOOK) + 1));
    List<String> authorized = Files.readAllLines(SERVICE_AUTHORIZATION, StandardCharsets.UTF_8);
    int runbookCommands = 0;
    for (int i = 0; i < commands.size(); i++) {
      String command = commands.get(i);
      JsonNode result = results.get(i);
      List<String> problems = new ArrayList<>();
      result.get("problems").forEach(p -> problems.add(p.asText()));
      if (ReadmeAwsCommands.V2_ONLY.contains(command)) {
        assertThat(problems)
            .as("%s is not in AWS CLI v1 (else drop it from V2_ONLY)", command)
            .isNotEmpty();
        String text = readme.replaceAll("\\s+", " ");
        int at = text.indexOf("`" + command + "`") + command.length() + 2;
        assertThat(text.substring(at, Math.min(text.length(), at + 80)))
            .as("what README says after %s: that it is the AWS CLI v2's", command)
            .startsWith(", a command of AWS CLI v2");
        continue;
      }
      assertThat(problems).as("README's %s", command).isEmpty();
      if (runbook.contains("`" + command + "`")) {
        // The runbook's commands are the operator's own calls: it names the IAM action each needs.
        runbookCommands++;
        String action = result.get("operation").asText();
        assertThat(runbook.replaceAll("\\s+", " "))
            .as("the runbook names the permission %s needs", command)
            .contains("`" + action + "`");
        assertThat(authorized)
            .as("%s is an IAM action (service-authorization.tsv)", action)
            .anyMatch(l -> l.startsWith(action + "\t"));
      }
    }
    assertThat(runbookCommands).as("aws commands in the runbook").isPositive();
  }

  @Test
  void theDeployAndApiCommandsRunOnMoto(AwsServices services) throws Exception {
    Path aws = awsCli();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> env = awsEnv();
    String endpoint = services.endpoint().toString();

    // What the README's deploy-policy lines write, in the directory the commands run in.
    for (String command : ReadmeCommands.coveredBy(ReadmeCommands.DEPLOY_POLICY_PARTS)) {
      String[] args =
          command.substring("scripts/offhours ".length(), command.indexOf(" >")).split(" ");
      CliRun part = CliRun.run(work, Clock.systemUTC(), () -> null, Commands.all(), args);
      assertThat(part.exitCode()).as(command).isZero();
      Files.writeString(work.resolve(command.substring(command.indexOf("> ") + 2)), part.out());
    }
    String role = "offhours-deployer-role-" + suffix;
    Run created = aws(
        aws,
        endpoint,
        env,
        "iam",
        "create-role",
        "--role-name",
        role,
        "--assume-role-policy-document",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
            + "\"cloudformation.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}");
    assertThat(created.code).as("create-role: %s", created.err).isZero();
    String account = Json.MAPPER
        .readTree(aws(aws, endpoint, env, "sts", "get-caller-identity").out)
        .get("Account")
        .asText();
    String stack = "offhours-readme-api-" + suffix;
    String api = "https://abc" + suffix + ".execute-api.us-east-1.amazonaws.com";
    Run stackCreated = aws(
        aws,
        endpoint,
        env,
        "cloudformation",
        "create-stack",
        "--stack-name",
        stack,
        "--template-body",
        """
        Resources:
          Placeholder: {Type: AWS::SQS::Queue}
        Outputs:
          BucketName: {Value: offhours-readme-%s}
          ApiUrl: {Value: %s}
        """.formatted(suffix, api));
    assertThat(stackCreated.code).as("create-stack: %s", stackCreated.err).isZero();
    String group = "/aws/sagemaker/Endpoints/offhours-endpoint-" + suffix;
    assertThat(aws(aws, endpoint, env, "logs", "create-log-group", "--log-group-name", group).code)
        .isZero();

    // The README's names with this run's: the ones fixed there would clash on a shared endpoint.
    Map<String, String> placeholders = new LinkedHashMap<>();
    placeholders.put("offhours-deployer-", "offhours-deployer-" + suffix + "-");
    placeholders.put("arn:aws:iam::123456789012:", "arn:aws:iam::" + account + ":");
    placeholders.put("--role-name ROLE", "--role-name " + role);
    placeholders.put("--stack-name offhours ", "--stack-name " + stack + " ");
    placeholders.put("--log-group-name NAME", "--log-group-name " + group);
    List<String> ran = new ArrayList<>();
    for (String command : ReadmeAwsCommands.coveredBy(ReadmeAwsCommands.ON_MOTO)) {
      String line = command;
      for (var p : placeholders.entrySet()) {
        line = line.replace(p.getKey(), p.getValue());
      }
      List<String> words = new ArrayList<>(ShellWords.split(line));
      words.subList(0, 1).clear();
      Run run = aws(aws, endpoint, env, words.toArray(String[]::new));
      assertThat(run.code).as("%s:\n%s%s", line, run.out, run.err).isZero();
      if (command.contains("describe-stacks")) {
        assertThat(run.out).as("%s prints the URL alone", command).isEqualTo(api + "\n");
      }
      ran.add(command);
    }
    assertThat(ran)
        .as("README commands run")
        .anyMatch(c -> c.startsWith("aws iam create-policy"))
        .anyMatch(c -> c.startsWith("aws iam attach-role-policy"))
        .anyMatch(c -> c.contains("describe-stacks"))
        .anyMatch(c -> c.startsWith("aws logs delete-log-group"));
    JsonNode attached = Json.MAPPER.readTree(
        aws(aws, endpoint, env, "iam", "list-attached-role-policies", "--role-name", role).out);
    List<String> names = new ArrayList<>();
    attached.get("AttachedPolicies").forEach(p -> names.add(p.get("PolicyName").asText()));
    assertThat(names)
        .as("the deploying role's policies: one per part")
        .hasSize(ReadmeCommands.coveredBy(ReadmeCommands.DEPLOY_POLICY_PARTS).size())
        .allMatch(n -> n.startsWith("offhours-deployer-" + suffix + "-"));
    assertThat(
            aws(aws, endpoint, env, "logs", "describe-log-groups", "--log-group-name-prefix", group)
                .out)
        .as("the log group after delete-log-group")
        .doesNotContain(group);
    aws(aws, endpoint, env, "cloudformation", "delete-stack", "--stack-name", stack);
  }

  /** The AWS CLI on the PATH or in pyenv's shims; the test is skipped, saying so, where it is not installed. */
  private static Path awsCli() {
    Optional<Path> aws = onPath("aws");
    assumeThat(aws)
        .as("the AWS CLI ('aws') is not installed: on the PATH or in ~/.pyenv/shims")
        .isPresent();
    return aws.get();
  }

  /** python3 where the AWS CLI v1's pip install puts it: pyenv's shims first, then the PATH. */
  private static Path python() {
    Path shim = Path.of(System.getProperty("user.home"), ".pyenv", "shims", "python3");
    Optional<Path> python = Files.isExecutable(shim) ? Optional.of(shim) : onPath("python3");
    assumeThat(python).as("python3 is not installed").isPresent();
    return python.get();
  }

  private static Optional<Path> onPath(String name) {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      candidates.add(Path.of(dir, name));
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", name));
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** Dummy credentials and a region; nothing of the user's own AWS configuration is read. */
  private Map<String, String> awsEnv() {
    return Map.of(
        "AWS_ACCESS_KEY_ID", "offhours",
        "AWS_SECRET_ACCESS_KEY", "offhours",
        "AWS_DEFAULT_REGION", "us-east-1",
        "AWS_CONFIG_FILE", work.resolve("aws-config").toString(),
        "AWS_SHARED_CREDENTIALS_FILE", work.resolve("aws-credentials").toString(),
        "AWS_PAGER", "");
  }

  private Run aws(Path aws, String endpoint, Map<String, String> env, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(aws.toString(), "--endpoint-url", endpoint));
    command.addAll(List.of(args));
    return run(command, env, null);
  }

  private record Run(int code, String out, String err) {}

  private Run run(List<String> command, Map<String, String> env, Path input)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(work.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(
            input == null ? new File("/dev/null") : input.toAbsolutePath().toFile());
    builder.environment().putAll(env);
    builder.environment().remove("AWS_PROFILE");
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
