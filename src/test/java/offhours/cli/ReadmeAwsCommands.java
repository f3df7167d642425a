package offhours.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code aws ...} command the README gives, in code blocks (a line of its own, a {@code $(aws ...)}, or after
 * "with: " in a command's output) and in inline code, and the test that runs it. {@link ReadmeAwsCommandsIT} checks
 * each one against the AWS CLI's own command tables and models (its options, and the fields its --query names);
 * {@link ReadmeAwsCommandsTest} fails on a README command without an entry here, or an entry the README no longer has.
 */
public final class ReadmeAwsCommands {

  /** Checked against the CLI's model only: no local service answers it (or it is a mention of the operation). */
  static final String MODEL = "offhours.cli.ReadmeAwsCommandsIT#everyCommandIsOneTheAwsCliHas";

  static final String ON_MOTO = "offhours.cli.ReadmeAwsCommandsIT#theDeployAndApiCommandsRunOnMoto";

  static final String REMOVING =
      "offhours.stack.RemovingTheStackReadmeIT#theCommandsDeleteWhatSamDeleteKeeps";

  /**
   * Run as written against the stack {@code local start} started, PORT its port and photo.jpg a Neutral photo; the
   * DLQ's message then goes through {@code dlq list}, {@code dlq show} and {@code dlq redrive} to its REJECTED result.
   */
  public static final String LOCAL_START = "offhours.local.LocalStartAwsCliIT#"
      + "theAwsCliUploadsAndQueriesAgainstTheLocalStackAndLocalStopLeavesNoProcess";

  /**
   * Commands of AWS CLI v2 that v1, which the tests run, does not have: the test checks that v1 lacks them (so that an
   * entry here is not left over), and the README must say they are v2's.
   */
  static final Set<String> V2_ONLY =
      Set.of("aws sso login", "aws configure export-credentials --format env");

  /** README command -> the test that runs it ("class#method"); every one is also checked by {@link #MODEL}. */
  static final Map<String, String> COVERED = ReadmeCommands.ordered(
      "aws sagemaker delete-endpoint",
      MODEL,
      "aws --endpoint-url http://127.0.0.1:PORT s3 cp photo.jpg s3://offhours-images/",
      LOCAL_START,
      "aws --endpoint-url http://127.0.0.1:PORT dynamodb query --table-name offhours-results --index-name byLabel"
          + " --key-condition-expression \"topLabel = :l\" --expression-attribute-values"
          + " '{\":l\":{\"S\":\"Neutral\"}}' --no-scan-index-forward",
      LOCAL_START,
      "aws --endpoint-url http://127.0.0.1:PORT sqs send-message --queue-url"
          + " http://127.0.0.1:PORT/123456789012/offhours-dlq --message-body 'not an upload'",
      LOCAL_START,
      "aws iam create-policy --policy-name offhours-deployer-1 --policy-document file://deployer-1.json",
      ON_MOTO,
      "aws iam create-policy --policy-name offhours-deployer-2 --policy-document file://deployer-2.json",
      ON_MOTO,
      "aws iam attach-role-policy --role-name ROLE --policy-arn"
          + " arn:aws:iam::123456789012:policy/offhours-deployer-1",
      ON_MOTO,
      "aws iam attach-role-policy --role-name ROLE --policy-arn"
          + " arn:aws:iam::123456789012:policy/offhours-deployer-2",
      ON_MOTO,
      "aws configure",
      MODEL,
      // What it leaves behind (the SSO token cache) is what StackEnvironmentIT signs in with.
      "aws sso login",
      "offhours.cli.StackEnvironmentIT#anIamIdentityCenterProfileSignsWithTheRoleCredentialsOfItsSession",
      "aws cloudformation describe-stacks --region us-east-1 --stack-name offhours --query"
          + " \"Stacks[0].Outputs[?OutputKey=='ApiUrl'].OutputValue\" --output text",
      ON_MOTO,
      // What it prints, the credentials' export lines, is what ApiLocalIT gives README's
      // curl lines.
      "aws configure export-credentials --format env",
      MODEL,
      "aws service-quotas request-service-quota-increase --region us-east-1 --service-code sagemaker"
          + " --quota-code L-1928E07B --desired-value 1",
      MODEL,
      "aws service-quotas request-service-quota-increase --region us-east-1 --service-code lambda"
          + " --quota-code L-B99A9384 --desired-value 11",
      MODEL,
      "aws sagemaker delete-endpoint --endpoint-name offhours-endpoint-...",
      MODEL,
      "aws cloudformation describe-stacks --stack-name offhours --query 'Stacks[0].Outputs' --output table",
      REMOVING,
      "aws sqs get-queue-attributes --queue-url QUEUE_URL --attribute-names All",
      REMOVING,
      "aws sqs get-queue-attributes --queue-url DEAD_LETTER_QUEUE_URL --attribute-names ApproximateNumberOfMessages",
      REMOVING,
      "aws sqs delete-queue --queue-url QUEUE_URL",
      REMOVING,
      "aws sqs delete-queue --queue-url DEAD_LETTER_QUEUE_URL",
      REMOVING,
      "aws s3 rm s3://BUCKET --recursive",
      REMOVING,
      "aws s3 rb s3://BUCKET",
      REMOVING,
      "aws dynamodb delete-table --table-name RESULTS_TABLE",
      REMOVING,
      "aws logs delete-log-group --log-group-name NAME",
      ON_MOTO,
      "aws lambda get-function-configuration --function-name NAME --query LoggingConfig.LogGroup",
      MODEL,
      "aws dynamodb export-table-to-point-in-time",
      MODEL);

  private static final Pattern INLINE = Pattern.compile("`(aws [^`\\n]+)`");

  /** Where an {@code aws} command starts in a code block's line: the line itself, {@code $(}, or "with: ". */
  private static final Pattern IN_BLOCK = Pattern.compile("(?:^|\\$\\(|with: )(aws .*)$");

  private ReadmeAwsCommands() {}

  /** The commands in order of first appearance, each once; a block's line continued with {@code \} is one command. */
  static List<String> extract(String markdown) {
    Set<String> commands = new LinkedHashSet<>();
    boolean inBlock = false;
    StringBuilder continued = new StringBuilder();
    for (String line : markdown.split("\n", -1)) {
      if (line.strip().startsWith("```")) {
        inBlock = !inBlock;
        continue;
      }
      if (inBlock) {
        String text = line.strip();
        if (text.endsWith("\\")) {
          continued.append(text, 0, text.length() - 1).append(' ');
          continue;
        }
        text = continued + withoutComment(text);
        continued.setLength(0);
        Matcher command = IN_BLOCK.matcher(text);
        if (command.find()) {
          String found = command.group(1).strip();
          if (text.contains("$(" + found)) {
            found = found.substring(0, found.lastIndexOf(')'));
          }
          commands.add(found.replaceAll("\\s+", " "));
        }
      } else {
        Matcher inline = INLINE.matcher(line);
        while (inline.find()) {
          commands.add(inline.group(1).strip());
        }
      }
    }
    return List.copyOf(commands);
  }

  /** The line before a shell comment: a {@code #} after white space and outside quotes. */
  private static String withoutComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
        return line.substring(0, i).strip();
      }
    }
    return line;
  }

  /** The README's commands that {@code test} runs, in README order. */
  public static List<String> coveredBy(String test) {
    return extract(ReadmeCommands.readme()).stream()
        .filter(c -> test.equals(COVERED.get(c)))
        .toList();
  }
}
