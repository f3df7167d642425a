package offhours.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code offhours deploy-policy}: the IAM policy the identity that runs {@code sam deploy} (and later updates and
 * {@code sam delete}) needs, scoped to one stack. A deploy role that lacks one action fails the deploy halfway, and a
 * first deploy that fails leaves the stack in ROLLBACK_COMPLETE; one with AdministratorAccess is what a careful team
 * will not hand out. The policy is deployer-policy.json beside this class, with the stack's name, Region, account and
 * artifact bucket put in; DeployerPolicyTest proves it against what CloudFormation's handlers of every resource type
 * the template creates need, for every Hosting, so one policy serves a stack whose Hosting is changed on update.
 */
public final class DeployPolicyCommand implements Command {

  /** How much of a stack name CloudFormation keeps at least when it cuts a generated name ({@link #generatedNames}). */
  private static final int KEPT_OF_A_CUT_STACK_NAME = 25;

  /** SAM CLI's bucket for {@code --resolve-s3}, in its stack aws-sam-cli-managed-default (a generated suffix). */
  static final String SAM_MANAGED_BUCKET = "aws-sam-cli-managed-default-samclisourcebucket-*";

  /** CloudFormation's stack names: a letter, then letters, digits and hyphens, at most 128 characters. */
  static final Pattern STACK_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,127}");

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  /** S3's bucket names: 3-63 lower-case letters, digits, dots and hyphens. */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(\\w+)}");

  /**
   * The most a managed policy holds, white space not counted
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html, "Managed policy size"): the whole
   * policy is more, so {@code --part} cuts it, statement by statement, into policies that each fit.
   */
  static final int MANAGED_POLICY_CHARACTERS = 6144;

  private static final Option STACK = Option.value(
      Option.STACK.name(),
      "NAME",
      "the stack's name, as sam deploy's --stack-name (default: offhours)");
  private static final Option REGION_OPTION =
      Option.value("region", "R", "the stack's Region, e.g. us-east-1 (default: any Region, *)");
  private static final Option ACCOUNT_OPTION =
      Option.value("account", "ID", "the 12-digit account id (default: any account, *)");
  private static final Option BUCKET_OPTION = Option.value(
      "bucket",
      "NAME",
      "the S3 bucket sam deploy uploads to, as its --s3-bucket (default: the one --resolve-s3 makes, "
          + SAM_MANAGED_BUCKET + ")");
  private static final Option PART = Option.value(
      "part",
      "N",
      "print part N of the policy cut into managed policies of at most " + MANAGED_POLICY_CHARACTERS
          + " characters, IAM's limit (default: the whole policy)");
  private static final Option JSON = Option.flag("json", "print the policy on one line");

  @Override
  public String name() {
    return "deploy-policy";
  }

  @Override
  public String summary() {
    return "print the IAM policy the identity that runs sam deploy and sam delete needs";
  }

  @Override
  public List<Option> options() {
    return List.of(STACK, REGION_OPTION, ACCOUNT_OPTION, BUCKET_OPTION, PART, JSON);
  }

  @Override
  public String description() {
    return """
        Prints an IAM policy document for the role or user that deploys the stack with sam deploy, updates it
        and removes it with sam delete: the calls SAM CLI itself makes (change sets on this stack and on SAM's
        artifact stack aws-sam-cli-managed-default, the SAM transform, the artifact bucket, and asking whether
        the stack's image repositories stack STACK-<md5>-CompanionStack exists), and what CloudFormation needs to
        create, update, read and delete each resource the template makes, in every Hosting (so a change of
        Hosting on update needs nothing more), on the names CloudFormation gives them (STACK-*, or a longer STACK's first 25
        characters, the least it keeps when it cuts a name), and
        iam:PassRole for the stack's roles only to Lambda, SageMaker and EventBridge Scheduler. The calls the
        functions themselves make are their roles', not the deployer's.
        It calls nothing: give --region and --account to scope it to one of each.
        The whole policy is more than the 6,144 characters an IAM managed policy holds: --part 1, --part 2 ...
        print it cut into policies that each fit (a line on stderr says how many there are). Create a managed
        policy from each (aws iam create-policy --policy-name offhours-deployer-1 --policy-document
        file://deployer-1.json) and attach them all to the deploying role.
        """;
  }

  @Override
  public int run(Invocation call) {
    Arguments args = call.args();
    String stack = checked(args, STACK, STACK_NAME, "offhours", "a CloudFormation stack name");
    String region = checked(args, REGION_OPTION, REGION, "*", "a Region such as us-east-1");
    String account = checked(args, ACCOUNT_OPTION, ACCOUNT, "*", "a 12-digit account id");
    String bucket = checked(args, BUCKET_OPTION, BUCKET, SAM_MANAGED_BUCKET, "an S3 bucket name");
    String policy = policy(Map.of(
        "Partition", partition(region),
        "Region", region,
        "Account", account,
        "StackName", stack,
        "GeneratedNames", generatedNames(stack),
        "CompanionStack", companionStack(stack),
        "ArtifactBucket", bucket));
    List<ObjectNode> parts = parts(policy);
    ObjectNode printed = parse(policy);
    Optional<String> part = args.nonEmpty(PART.name(), "a part number");
    if (part.isPresent()) {
      int n = partNumber(part.get(), parts.size());
      printed = parts.get(n - 1);
      call.err()
          .println(
              "offhours: part " + n + " of " + parts.size()
                  + "; create a managed policy from each part and attach them all to the deploying role");
    } else if (parts.size() > 1) {
      call.err()
          .println("offhours: the policy is more than the " + MANAGED_POLICY_CHARACTERS
              + " characters an IAM managed policy holds; --part 1 to --part " + parts.size()
              + " print it in parts that each fit");
    }
    call.out().println(args.has(JSON.name()) ? printed.toString() : pretty(printed));
    return 0;
  }

  private static int partNumber(String text, int parts) {
    if (!text.matches("[1-9]\\d{0,2}") || Integer.parseInt(text) > parts) {
      throw CliException.usage("--part needs a number from 1 to " + parts + " (the policy has "
          + parts + " parts), got '" + Terminal.value(text) + "'");
    }
    return Integer.parseInt(text);
  }

  /**
   * The policy's statements, in order, in as few documents as each stay within {@link #MANAGED_POLICY_CHARACTERS}
   * (counted as IAM counts them, without white space outside the strings, which hold none here).
   */
  static List<ObjectNode> parts(String policy) {
    ObjectNode whole = parse(policy);
    List<ObjectNode> parts = new ArrayList<>();
    ObjectNode current = null;
    for (JsonNode statement : whole.get("Statement")) {
      if (current != null) {
        ((ArrayNode) current.get("Statement")).add(statement);
        if (current.toString().length() <= MANAGED_POLICY_CHARACTERS) {
          continue;
        }
        ArrayNode statements = (ArrayNode) current.get("Statement");
        statements.remove(statements.size() - 1);
      }
      current = Json.MAPPER.createObjectNode();
      current.set("Version", whole.get("Version"));
      current.putArray("Statement").add(statement);
      if (current.toString().length() > MANAGED_POLICY_CHARACTERS) {
        throw new IllegalStateException(
            "statement " + statement.get("Sid") + " alone is more than a managed policy holds");
      }
      parts.add(current);
    }
    return parts;
  }

  private static ObjectNode parse(String policy) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(policy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pretty(JsonNode policy) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(policy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The start every name CloudFormation generates for the stack's resources shares: the stack's name and a hyphen
   * ("offhours-ClassifyRole-1A2B3C4D5E6F"). AWS's pages give that form
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-name.html) but not how a
   * name over the service's limit (64 characters for a role, a function, a rule) is cut. AWS writes the rule down only
   * as code, in the CloudFormation CLI's Java plugin that resource handlers generate names with
   * (IdentifierUtils.generateResourceIdentifier(stackId, logicalId, token, maxLength),
   * https://github.com/aws-cloudformation/cloudformation-cli-java-plugin): runs of hyphens in the stack name become
   * one, 13 characters of the limit are kept for a hyphen and a 12-character random tail, one for the hyphen between,
   * and the rest is shared between the stack name and the logical id, each taking what the other leaves and the stack
   * name rounding up, so at a limit of 64 or more at least its first 25 characters stay. The cut names of older types
   * found in the wild share the same way with 14 characters kept for the tail (convox/rack#2698: a function of a
   * 45-character stack kept 41; a gist's function of a nested stack kept 29; DeployPolicyCommandTest). So a stack
   * name over 25 characters is matched by its first 25, and one with a run of hyphens by the start its name and the
   * collapsed name share, which matches both.
   */
  public static String generatedNames(String stack) {
    String asIs = namesStart(stack);
    String collapsed = namesStart(stack.replaceAll("-{2,}", "-")).replaceAll("-{2,}", "-");
    int shared = 0;
    while (shared < Math.min(asIs.length(), collapsed.length())
        && asIs.charAt(shared) == collapsed.charAt(shared)) {
      shared++;
    }
    return asIs.substring(0, shared);
  }

  private static String namesStart(String stack) {
    return stack.length() > KEPT_OF_A_CUT_STACK_NAME
        ? stack.substring(0, KEPT_OF_A_CUT_STACK_NAME)
        : stack + "-";
  }

  /**
   * The stack SAM CLI keeps a stack's image repositories in, its "companion stack": the stack's first 104 characters,
   * a hyphen, the first 8 hex digits of the MD5 of the stack's name, "-CompanionStack" (CompanionStack in
   * aws/aws-sam-cli's samcli/lib/bootstrap/companion_stack/data_types.py). This template's functions are zips, so it
   * never exists, but {@code sam deploy --guided} and {@code sam delete} ask CloudFormation whether it does, and stop
   * at any answer but "does not exist" (sam-cli-calls.tsv).
   */
  public static String companionStack(String stack) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(stack.getBytes(StandardCharsets.UTF_8));
      return stack.substring(0, Math.min(stack.length(), 104)) + "-"
          + HexFormat.of().formatHex(md5).substring(0, 8) + "-CompanionStack";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }

  /** The policy with each ${Name} replaced; a name without a value fails, so the file cannot drift from here. */
  static String policy(Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template());
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalStateException("deployer-policy.json names ${" + m.group(1)
            + "}, which deploy-policy does not fill in");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String template() {
    try (InputStream in = DeployPolicyCommand.class.getResourceAsStream("deployer-policy.json")) {
      if (in == null) {
        throw new IllegalStateException("deployer-policy.json is missing from the CLI's package");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The partition of a Region's ARNs: the China and GovCloud Regions have their own
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html); for any Region, any partition.
   */
  static String partition(String region) {
    if (region.equals("*")) {
      return "*";
    }
    if (region.startsWith("cn-")) {
      return "aws-cn";
    }
    return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
  }

  private static String checked(
      Arguments args, Option option, Pattern pattern, String fallback, String what) {
    String value = args.nonEmpty(option.name(), what).orElse(fallback);
    if (!value.equals(fallback) && !pattern.matcher(value).matches()) {
      throw CliException.usage(
          "--" + option.name() + " needs " + what + ", got '" + Terminal.value(value) + "'");
    }
    return value;
  }
}
