package offhours.stack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The stacks of template.yaml whose names and values are the longest CloudFormation lets a user create, for
 * {@link DeployLimitsTest}: the longest stack name, the longest partition and Region names, names CloudFormation
 * generates at their longest, and every free-text parameter at the longest value its constraints accept, built from
 * the characters that weigh most once JSON-escaped and UTF-8 encoded (what Lambda measures of an environment).
 */
final class LongestStack {

  /**
   * A stack name is at most 128 characters, a letter then letters, digits and hyphens
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
   */
  static final String STACK_NAME = ("Offhours-" + "x".repeat(128)).substring(0, 128);

  /**
   * A parameter value is at most 4,096 bytes
   * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
   */
  static final int PARAMETER_VALUE_BYTES = 4096;

  /** Partition and Region: the longest commercial names, the China Regions and GovCloud. */
  static final List<List<String>> PLACES = List.of(
      List.of("aws", "ap-southeast-5"),
      List.of("aws-cn", "cn-northwest-1"),
      List.of("aws-us-gov", "us-gov-west-1"));

  /**
   * The longest name each type's generated physical name may have: CloudFormation joins stack name, logical id and a
   * random part and cuts it to what the service takes (SQS 80, Lambda 64, IAM roles 64, SageMaker 63, DynamoDB 255,
   * SNS 256; a log group is never cut, its generated name is shorter than the 512 CloudWatch Logs allows).
   */
  private static final Map<String, Integer> GENERATED_NAME_MAX = Map.of(
      "AWS::SQS::Queue", 80,
      "AWS::Serverless::Function", 64,
      "AWS::IAM::Role", 64,
      "AWS::SageMaker::Model", 63,
      "AWS::SageMaker::EndpointConfig", 63,
      "AWS::DynamoDB::Table", 255,
      "AWS::SNS::Topic", 256,
      "AWS::Logs::LogGroup", 512);

  /**
   * What a free-text parameter's longest value is made of: a fixed start, then as many of one filler as the
   * constraints accept. Each filler is tried, and the one whose value weighs most in JSON (UTF-8) wins.
   */
  private record Shape(String start, List<String> fillers, String end) {
    Shape(String start, List<String> fillers) {
      this(start, fillers, "");
    }

    String value(String filler, int n) {
      return start + filler.repeat(n) + end;
    }
  }

  private static final List<String> ANY_TEXT =
      List.of("a", "\u00e9", "\u732b", "\"", "\\", "\t", "\u001f", "\ud83d\ude00");

  private static final Map<String, Shape> FREE_TEXT = Map.of(
      "ModelDataUrl",
      new Shape("s3://" + "b".repeat(63) + "/", ANY_TEXT, ".tar.gz"),
      "LabelsS3Uri",
      new Shape("s3://" + "b".repeat(63) + "/", ANY_TEXT),
      "Labels",
      new Shape("a", ANY_TEXT),
      "ContentType",
      new Shape("image/jpeg;", List.of("~", "\"", "\\")),
      "Accept",
      new Shape("application/json;", List.of("~", "\"", "\\")),
      "WorkingHours",
      new Shape("Mon 00:00-00:01", List.of("; Mon 00:00-00:01")),
      "Holidays",
      new Shape("2000-01-01", List.of(",2000-01-01")),
      "AlarmEmail",
      new Shape("a@b.c", List.of("c", "\u00e9", "\u732b", "\ud83d\ude00")),
      "ContainerImage",
      new Shape("123456789012.dkr.ecr.ap-southeast-5.amazonaws.com.cn/r", List.of("/r")),
      "AlarmTopicArn",
      new Shape("arn:aws-", List.of("x"), ":sns:us-gov-west-1:123456789012:" + "t".repeat(256)));

  /** The parameters whose patterns bound them, at their longest. */
  private static final Map<String, String> LONGEST_BOUNDED = Map.ofEntries(
      Map.entry("InstanceCount", "10"),
      Map.entry("InstanceHourlyPriceUsd", "99999.999999"),
      Map.entry("WakeBacklogMessages", "1000000"),
      Map.entry("WakeBacklogAgeMinutes", "20160"),
      Map.entry("MaxWaitMinutes", "next-opening"),
      Map.entry("IdleStopMinutes", "10080"),
      Map.entry("CreateTimeoutMinutes", "1440"),
      Map.entry("DrainTimeoutMinutes", "720"),
      Map.entry("TopK", "100"),
      Map.entry("BatchingWindowSeconds", "300"),
      Map.entry("MaximumConcurrency", "1000"),
      Map.entry("DeferSeconds", "900"),
      Map.entry("MaxDeferrals", "1000"),
      Map.entry("MaxReceiveCount", "1000"),
      Map.entry("OldestMessageAlarmSeconds", "1209600"),
      Map.entry("ApiRateLimit", "10000"),
      Map.entry("ApiBurstLimit", "5000"),
      Map.entry("LiveVersionsRevision", "r".repeat(64)));

  private LongestStack() {}

  /** A value and how many characters short of its constraints' longest it had to stay (0: exactly the longest). */
  record Longest(String value, int shortBy) {}

  /**
   * Each free-text parameter at its longest: up to its MaxLength in characters and the 4,096-byte parameter cap.
   * A value its filler cannot bring to exactly the longest keeps how many characters it is short by.
   */
  static Map<String, Longest> freeText(ParameterConstraints constraints) {
    Map<String, Longest> out = new LinkedHashMap<>();
    FREE_TEXT.forEach((parameter, shape) -> {
      Object max = StackResolver.map(constraints.declarations().get(parameter)).get("MaxLength");
      int maxChars = max == null ? Integer.MAX_VALUE : Integer.parseInt(String.valueOf(max));
      Longest best = null;
      for (String filler : shape.fillers()) {
        // The most fillers the constraints and the byte cap take (binary search: a value they take
        // with n fillers they take with fewer).
        int low = 0;
        int high = Math.max(0, PARAMETER_VALUE_BYTES - utf8(shape.value(filler, 0))) / utf8(filler);
        while (low < high) {
          int n = (low + high + 1) / 2;
          if (fits(constraints, parameter, shape.value(filler, n), maxChars)) {
            low = n;
          } else {
            high = n - 1;
          }
        }
        String value = shape.value(filler, low);
        if (!fits(constraints, parameter, value, maxChars)) {
          continue;
        }
        // Room left that this filler is too long for, unless the constraints themselves end the
        // value.
        String more = shape.value(filler, low + 1);
        boolean constraintsEndIt = !fits(constraints, parameter, more, maxChars)
            && more.length() <= maxChars
            && utf8(more) <= PARAMETER_VALUE_BYTES;
        int room = Math.min(maxChars - value.length(), PARAMETER_VALUE_BYTES - utf8(value));
        Longest candidate = new Longest(value, constraintsEndIt ? 0 : Math.max(0, room));
        if (best == null
            || DeployLimitsTest.jsonBytes(candidate.value())
                > DeployLimitsTest.jsonBytes(best.value())) {
          best = candidate;
        }
      }
      if (best == null) {
        throw new IllegalStateException("no filler makes a value of " + parameter
            + " that template.yaml accepts; fix LongestStack's shape for it");
      }
      out.put(parameter, best);
    });
    return out;
  }

  private static boolean fits(
      ParameterConstraints constraints, String parameter, String value, int maxChars) {
    if (value.length() > maxChars || utf8(value) > PARAMETER_VALUE_BYTES) {
      return false;
    }
    try {
      return constraints.refusal(parameter, value) == null;
    } catch (StackOverflowError e) {
      // Java's regex engine recurses per repetition of a group: thousands of them overflow the
      // stack. Such a value is past any MaxLength offhours sets; count it as refused and keep the
      // longest the engine can judge.
      return false;
    }
  }

  static int utf8(CharSequence s) {
    return s.toString().getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Every parameter at its longest: free text as {@link #freeText}, a parameter with AllowedValues at its longest
   * allowed value, the rest at their Default or the required values. {@code hosting} picks the hosting.
   */
  static Map<String, String> parameters(ParameterConstraints constraints, String hosting) {
    Map<String, String> values = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    constraints.declarations().forEach((name, declaration) -> {
      if (StackResolver.map(declaration).get("AllowedValues") instanceof List<?> allowed) {
        allowed.stream()
            .map(String::valueOf)
            .filter(v -> constraints.refusal(name, v) == null)
            .reduce((a, b) -> b.length() >= a.length() ? b : a)
            .ifPresent(v -> values.put(name, v));
      }
    });
    values.putAll(LONGEST_BOUNDED);
    freeText(constraints).forEach((name, longest) -> values.put(name, longest.value()));
    values.put("Hosting", hosting);
    values.put("ContainerEnvironment", containerEnvironment());
    // Serverless inference is CPU only (rule ServerlessIsCpuOnly); the longest CPU type.
    if (hosting.equals("serverless")) {
      values.put("InstanceType", "ml.c5.2xlarge");
      values.put("MaximumConcurrency", "200");
      values.put("ServerlessMaxConcurrency", "200");
    }
    return values;
  }

  /** Every name ContainerEnvironment passes through, each with the longest value it takes (256 characters). */
  private static String containerEnvironment() {
    List<String> pairs = new ArrayList<>();
    for (String name : offhours.stack.ContainerEnvironment.NAMES) {
      pairs.add(name + "=" + "v".repeat(256));
    }
    return String.join(",", pairs);
  }

  /** The stack in {@code place} with the longest names, its generated names at their longest. */
  static StackResolver resolve(
      Map<String, Object> template, List<String> place, Map<String, String> parameters) {
    FakeStack stack = new FakeStack(
        "123456789012",
        place.get(1),
        place.get(0),
        STACK_NAME,
        UUID.randomUUID().toString(),
        parameters,
        Map.of());
    for (var r : StackResolver.map(template.get("Resources")).entrySet()) {
      Object type = StackResolver.map(r.getValue()).get("Type");
      Integer max = GENERATED_NAME_MAX.get(String.valueOf(type));
      if (max != null) {
        stack = stack.withPhysicalId(r.getKey(), generatedName(r.getKey(), max));
      }
    }
    // An event source mapping's Ref is its UUID.
    stack = stack.withPhysicalId("ClassifyFunctionQueue", UUID.randomUUID().toString());
    return new StackResolver(template, stack);
  }

  /** CloudFormation's generated name: stack name, logical id and 12 random characters, cut to {@code max}. */
  static String generatedName(String logicalId, int max) {
    String random = "AbCdEf123456";
    String full = STACK_NAME + "-" + logicalId + "-" + random;
    if (full.length() <= max) {
      return full;
    }
    String head = (STACK_NAME + "-" + logicalId).substring(0, max - random.length() - 1);
    return head + "-" + random;
  }

  /** Every longest stack: each hosting in each place. */
  static List<StackResolver> everywhere(
      Map<String, Object> template, ParameterConstraints constraints, List<String> hostings) {
    List<StackResolver> stacks = new java.util.ArrayList<>();
    for (String hosting : hostings) {
      Map<String, String> parameters = parameters(constraints, hosting);
      for (List<String> place : PLACES) {
        stacks.add(resolve(template, place, parameters));
      }
    }
    return stacks;
  }
}
