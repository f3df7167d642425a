package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * template.yaml within the quotas and naming rules a real deploy (and the controller's later calls) runs into, for
 * the longest stack CloudFormation lets a user create ({@link LongestStack}): every hosting, the longest Region names,
 * the China Regions and GovCloud, every free-text parameter at its longest. No AWS account checks this here, so the
 * template and the names the code builds are measured against each limit, each with its AWS page. Each check prints
 * what it measured and the headroom left.
 */
class DeployLimitsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> HOSTINGS = List.of("scheduled", "scale-to-zero", "serverless");

  private final String text;
  private final Map<String, Object> template;
  private final ParameterConstraints constraints;

  DeployLimitsTest() throws IOException {
    text = Files.readString(Path.of("template.yaml"));
    template = CloudFormationYaml.parse(text);
    constraints = new ParameterConstraints(template);
  }

  static int jsonBytes(Object value) {
    try {
      return JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void report(String limit, long measured, long max) {
    System.out.printf(
        "limit %-60s measured %,9d of %,9d (headroom %,d)%n", limit, measured, max, max - measured);
  }

  /** Every longest stack: each hosting in each place. */
  private List<StackResolver> longestStacks() {
    return LongestStack.everywhere(template, constraints, HOSTINGS);
  }

  // ------------------------------------------------------------------ CloudFormation

  /**
   * A template body passed in the request may have 51,200 bytes, one in S3 1 MB
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html). sam deploy passes
   * it through S3 (TemplateURL) whenever it has a bucket (samcli/lib/deploy/deployer.py, create_changeset), which
   * samconfig.toml's resolve_s3 gives every `sam deploy` the README shows.
   */
  @Test
  void theTemplateTravelsThroughS3AndFitsItsSizeLimit() throws IOException {
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    report("template body in S3 (bytes, 1 MB)", bytes, 1_000_000);
    assertThat(bytes).isLessThanOrEqualTo(1_000_000);
    if (bytes > 51_200) {
      String samconfig = Files.readString(Path.of("samconfig.toml"));
      String deploy = samconfig.substring(samconfig.indexOf("[default.deploy.parameters]"));
      assertThat(deploy)
          .as(
              "template.yaml is %,d bytes, over the 51,200 CloudFormation takes in a request: sam"
                  + " deploy must upload it to S3",
              bytes)
          .containsPattern("(?m)^(resolve_s3 = true|s3_bucket = \\S+)");
    }
    String description = String.valueOf(template.get("Description"));
    report("template description (bytes)", LongestStack.utf8(description), 1024);
    assertThat(LongestStack.utf8(description)).isLessThanOrEqualTo(1024);
  }

  /**
   * 500 resources (counting those the SAM transform generates), 200 parameters, 200 outputs, 200 mappings, names
   * up to 255 characters (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
   */
  @Test
  void theTemplateDeclaresNoMoreThanCloudFormationTakes() {
    Map<String, Object> resources = StackResolver.map(template.get("Resources"));
    int generated = 0;
    for (var r : resources.entrySet()) {
      Map<String, Object> resource = StackResolver.map(r.getValue());
      generated += switch (String.valueOf(resource.get("Type"))) {
        // The function, a role, a version, an alias, an EventInvokeConfig; per event at most two (a
        // schedule and its role, a rule and its permission, a mapping, a permission).
        case "AWS::Serverless::Function" -> {
          Object events = StackResolver.path(
              StackResolver.map(resource.getOrDefault("Properties", Map.of())), "Events");
          yield 5 + 2 * (events == null ? 0 : StackResolver.map(events).size());
        }
        // The API, its stage, a deployment.
        case "AWS::Serverless::HttpApi" -> 3;
        default -> 1;
      };
    }
    int parameters = constraints.declarations().size();
    Map<String, Object> outputs = StackResolver.map(template.get("Outputs"));
    int mappings = template.get("Mappings") == null
        ? 0
        : StackResolver.map(template.get("Mappings")).size();
    report("resources after the SAM transform (at most)", generated, 500);
    report("parameters", parameters, 200);
    report("outputs", outputs.size(), 200);
    report("mappings", mappings, 200);
    assertThat(generated).isLessThanOrEqualTo(500);
    assertThat(parameters).isLessThanOrEqualTo(200);
    assertThat(outputs.size()).isLessThanOrEqualTo(200);
    assertThat(mappings).isLessThanOrEqualTo(200);
    List<String> names = new ArrayList<>(resources.keySet());
    names.addAll(outputs.keySet());
    names.addAll(constraints.declarations().keySet());
    assertThat(names).allSatisfy(n -> assertThat(n.length()).as(n).isLessThanOrEqualTo(255));
    // A parameter's Description takes 4,000 characters
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
    constraints
        .declarations()
        .forEach((name, d) -> assertThat(
                String.valueOf(StackResolver.map(d).getOrDefault("Description", ""))
                    .length())
            .as("%s's Description", name)
            .isLessThanOrEqualTo(4000));
  }

  /**
   * The longest values {@link LongestStack} builds are values CloudFormation accepts, and every free-text parameter
   * (no AllowedValues) that ends up in a function's environment, a policy or a SageMaker resource is one of them, so
   * no unbounded value escapes the checks below.
   */
  @Test
  void theLongestValuesAreAcceptedAndCoverEveryFreeTextParameter() {
    for (String hosting : HOSTINGS) {
      Map<String, String> parameters = LongestStack.parameters(constraints, hosting);
      StackResolver stack = LongestStack.resolve(template, LongestStack.PLACES.get(0), parameters);
      assertThat(constraints.refusals(stack)).as(hosting).isEmpty();
    }
    Map<String, LongestStack.Longest> free = LongestStack.freeText(constraints);
    free.forEach((p, longest) -> System.out.printf(
        "longest %-14s %,5d characters, %,5d bytes in JSON%s%n",
        p,
        longest.value().length(),
        jsonBytes(longest.value()),
        longest.shortBy() == 0 ? "" : " (up to " + longest.shortBy() + " more)"));
    constraints.declarations().forEach((name, d) -> {
      Map<String, Object> declaration = StackResolver.map(d);
      boolean choice = declaration.containsKey("AllowedValues");
      boolean number = "Number".equals(declaration.get("Type"));
      String pattern = String.valueOf(declaration.get("AllowedPattern"));
      // A pattern without * or + (outside a character class) nor {n,} bounds the value by itself.
      boolean bounded = !pattern.replaceAll("\\[[^\\]]*]", "").matches(".*([*+]|\\{\\d+,}).*");
      assertThat(choice
              || number
              || bounded
              || free.containsKey(name)
              || name.equals("ContainerEnvironment"))
          .as("%s takes free text: give LongestStack a shape for its longest value", name)
          .isTrue();
    });
  }

  // ------------------------------------------------------------------ Lambda

  /**
   * A function's environment variables may weigh 4 KB in all; Lambda measures them as one JSON object (its error
   * says "exceeded the 4KB limit. String measured: {...}")
   * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
   */
  @ParameterizedTest
  @ValueSource(strings = {"scheduled", "scale-to-zero", "serverless"})
  void everyFunctionsEnvironmentFitsLambdas4Kb(String hosting) {
    Map<String, String> parameters = LongestStack.parameters(constraints, hosting);
    Map<String, LongestStack.Longest> free = LongestStack.freeText(constraints);
    Map<String, Integer> worst = new TreeMap<>();
    for (List<String> place : LongestStack.PLACES) {
      StackResolver stack = LongestStack.resolve(template, place, parameters);
      for (var r : stack.resources().entrySet()) {
        if (!"AWS::Serverless::Function".equals(StackResolver.map(r.getValue()).get("Type"))) {
          continue;
        }
        Map<String, String> env = stack.environment(r.getKey());
        int bytes = jsonBytes(env);
        // What a value short of its longest could still add (6 bytes: one character's JSON escape).
        for (var f : free.entrySet()) {
          if (env.containsValue(f.getValue().value())) {
            bytes += 6 * f.getValue().shortBy();
          }
        }
        worst.merge(r.getKey(), bytes, Math::max);
      }
    }
    worst.forEach((function, bytes) ->
        report(hosting + " " + function + " environment (bytes)", bytes, 4096));
    assertThat(worst)
        .allSatisfy((function, bytes) -> assertThat(bytes)
            .as("%s's environment with the longest values", function)
            .isLessThanOrEqualTo(4096));
  }

  /**
   * A function's Description takes 256 characters
   * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html), an alarm's 1,024
   * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html), a role's 1,000
   * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html).
   */
  @Test
  void descriptionsFitTheirServices() {
    StackResolver stack = longestStacks().get(0);
    Map<String, Integer> max = Map.of(
        "AWS::Serverless::Function", 256, "AWS::CloudWatch::Alarm", 1024, "AWS::IAM::Role", 1000);
    for (String resource : stack.resources().keySet()) {
      Integer limit = max.get(stack.type(resource));
      if (limit == null) {
        continue;
      }
      Map<String, Object> props = stack.properties(resource);
      Object description = props.getOrDefault("Description", props.get("AlarmDescription"));
      if (description != null) {
        assertThat(String.valueOf(description).length())
            .as("%s's description", resource)
            .isLessThanOrEqualTo(limit);
      }
    }
  }

  /**
   * The Model SageMaker is asked to create: an image URI of at most 255 characters, a model URL of at most 1,024, at
   * most 100 container variables of at most 1,024 characters each and 32 KB in all
   * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html).
   */
  @Test
  void theModelIsOneSageMakerTakes() {
    for (StackResolver stack : longestStacks()) {
      Map<String, Object> container =
          StackResolver.map(stack.properties("Model").get("PrimaryContainer"));
      String image = String.valueOf(container.get("Image"));
      String url = String.valueOf(container.get("ModelDataUrl"));
      report("Model image URI (characters)", image.length(), 255);
      report("Model data URL (characters)", url.length(), 1024);
      assertThat(image).hasSizeLessThanOrEqualTo(255);
      assertThat(url).hasSizeLessThanOrEqualTo(1024);
      Map<String, Object> env = StackResolver.map(container.getOrDefault("Environment", Map.of()));
      assertThat(env).hasSizeLessThanOrEqualTo(100);
      int total = 0;
      for (var e : env.entrySet()) {
        assertThat(e.getKey().length()).isLessThanOrEqualTo(1024);
        assertThat(String.valueOf(e.getValue()).length()).as(e.getKey()).isLessThanOrEqualTo(1024);
        total += LongestStack.utf8(e.getKey()) + LongestStack.utf8(String.valueOf(e.getValue()));
      }
      assertThat(total).isLessThanOrEqualTo(32 * 1024);
    }
  }

  // ------------------------------------------------------------------ IAM

  /**
   * A role's inline policies may hold 10,240 characters in all, its trust policy 2,048, a managed policy 6,144
   * (whitespace not counted); a role takes 10 managed policies; a policy document holds only tab, line feed, carriage
   * return and U+0020 to U+00FF (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). The
   * roles are written out (no SAM policy templates, and the controller's schedule names its own role, so SAM adds
   * none).
   */
  @Test
  void everyRolesPoliciesFitIam() {
    Map<String, Integer> worst = new TreeMap<>();
    List<String> badCharacters = new ArrayList<>();
    for (StackResolver stack : longestStacks()) {
      for (String resource : stack.resources().keySet()) {
        String type = stack.type(resource);
        if (type.equals("AWS::IAM::ManagedPolicy")) {
          worst.merge(
              resource + " (managed, 6,144)",
              policySize(stack.properties(resource).get("PolicyDocument")),
              Math::max);
        }
        if (!type.equals("AWS::IAM::Role")) {
          continue;
        }
        Map<String, Object> role = stack.properties(resource);
        int inline = 0;
        List<Object> documents = new ArrayList<>();
        documents.add(role.get("AssumeRolePolicyDocument"));
        for (Object policy : StackResolver.list(role.getOrDefault("Policies", List.of()))) {
          Object document = StackResolver.map(policy).get("PolicyDocument");
          inline += policySize(document);
          documents.add(document);
        }
        worst.merge(resource + " inline", inline, Math::max);
        worst.merge(
            resource + " trust", policySize(role.get("AssumeRolePolicyDocument")), Math::max);
        assertThat(StackResolver.list(role.getOrDefault("ManagedPolicyArns", List.of())))
            .as("%s's managed policies", resource)
            .hasSizeLessThanOrEqualTo(10);
        for (Object document : documents) {
          strings(document)
              .flatMapToInt(String::chars)
              .filter(c -> !(c == 0x09 || c == 0x0A || c == 0x0D || (c >= 0x20 && c <= 0xFF)))
              .findFirst()
              .ifPresent(c -> badCharacters.add(resource + " holds U+" + Integer.toHexString(c)));
        }
      }
    }
    worst.forEach((name, size) -> report(name + " (characters)", size, limit(name)));
    assertThat(badCharacters).as("characters IAM refuses in a policy").isEmpty();
    assertThat(worst)
        .allSatisfy((name, size) -> assertThat(size).as(name).isLessThanOrEqualTo(limit(name)));
  }

  /** Every string in a policy document, as IAM reads it (its JSON decoded). */
  private static java.util.stream.Stream<String> strings(Object node) {
    if (node instanceof Map<?, ?> m) {
      return java.util.stream.Stream.concat(
          m.keySet().stream().map(String::valueOf),
          m.values().stream().flatMap(DeployLimitsTest::strings));
    }
    if (node instanceof List<?> l) {
      return l.stream().flatMap(DeployLimitsTest::strings);
    }
    return java.util.stream.Stream.of(String.valueOf(node));
  }

  private static int limit(String policy) {
    return policy.endsWith("inline") ? 10_240 : policy.endsWith("trust") ? 2_048 : 6_144;
  }

  /** A policy's size as IAM counts it: the characters of its JSON that are not whitespace. */
  private static int policySize(Object document) {
    return json(document).replaceAll("\\s", "").length();
  }

  // ------------------------------------------------------------------ names, tags, ranges
}
