package offhours.stack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves template.yaml's intrinsic functions the way CloudFormation (after the SAM transform) would for one
 * {@link FakeStack}: Ref, Fn::GetAtt, Fn::Sub, Fn::Select, Fn::Split, Fn::Join, Fn::If and the condition functions,
 * with AWS::NoValue dropped. What a resource's Ref or GetAtt gives follows each type's documented return values; a
 * type or attribute the resolver does not know fails loudly, so a resource added later cannot slip past a test that
 * resolves it.
 */
final class StackResolver {

  private static final Object NO_VALUE = new Object();
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

  private final Map<String, Object> template;
  private final FakeStack stack;
  private final Map<String, String> parameters;

  StackResolver(Map<String, Object> template, FakeStack stack) {
    this.template = template;
    this.stack = stack;
    this.parameters = parameterValues(template, stack);
  }

  FakeStack stack() {
    return stack;
  }

  /** Every parameter's value: the stack's, else the template's Default; a parameter with neither fails. */
  Map<String, String> parameters() {
    return parameters;
  }

  private static Map<String, String> parameterValues(
      Map<String, Object> template, FakeStack stack) {
    Map<String, String> values = new LinkedHashMap<>();
    for (var p : map(template.get("Parameters")).entrySet()) {
      String value = stack.parameters().get(p.getKey());
      if (value == null) {
        Object dflt = map(p.getValue()).get("Default");
        if (dflt == null) {
          throw new IllegalArgumentException(
              "parameter " + p.getKey() + " has no Default; the FakeStack must set it");
        }
        value = String.valueOf(dflt);
      }
      values.put(p.getKey(), value);
    }
    for (String name : stack.parameters().keySet()) {
      if (!values.containsKey(name)) {
        throw new IllegalArgumentException(
            "the FakeStack sets " + name + ", which template.yaml does not declare");
      }
    }
    return values;
  }

  Map<String, Object> resource(String logicalId) {
    Map<String, Object> resources = map(template.get("Resources"));
    if (!resources.containsKey(logicalId)) {
      throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
    }
    return map(resources.get(logicalId));
  }

  Map<String, Object> resources() {
    return map(template.get("Resources"));
  }

  String type(String logicalId) {
    return String.valueOf(resource(logicalId).get("Type"));
  }

  /** The resource's Properties with every intrinsic resolved (AWS::NoValue entries removed). */
  Map<String, Object> properties(String logicalId) {
    Object props = resource(logicalId).get("Properties");
    return props == null ? Map.of() : map(resolve(props));
  }

  /** The properties Globals gives every AWS::Serverless::Function, intrinsics resolved (none: empty). */
  Map<String, Object> functionGlobals() {
    Object globals = template.get("Globals");
    Object function = globals == null ? null : map(globals).get("Function");
    return function == null ? Map.of() : map(resolve(function));
  }

  /** A function's Environment.Variables as the deployed function would see them. */
  Map<String, String> environment(String function) {
    Map<String, String> env = new LinkedHashMap<>();
    Object raw = path(
        map(resource(function).getOrDefault("Properties", Map.of())), "Environment", "Variables");
    if (raw != null) {
      map(resolve(raw)).forEach((k, v) -> env.put(k, String.valueOf(v)));
    }
    return env;
  }

  boolean condition(String name) {
    Map<String, Object> conditions =
        template.containsKey("Conditions") ? map(template.get("Conditions")) : Map.of();
    if (!conditions.containsKey(name)) {
      throw new IllegalArgumentException("template.yaml has no condition " + name);
    }
    return truth(resolve(conditions.get(name)));
  }

  /** Resolves any template value: plain values come back as they are, intrinsics are evaluated. */
  Object resolve(Object node) {
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object item : list) {
        Object value = resolve(item);
        if (value != NO_VALUE) {
          out.add(value);
        }
      }
      return out;
    }
    if (!(node instanceof Map<?, ?> m)) {
      return node;
    }
    if (m.size() == 1) {
      String key = String.valueOf(m.keySet().iterator().next());
      Object arg = m.values().iterator().next();
      if (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::")) {
        return intrinsic(key, arg);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (var e : m.entrySet()) {
      Object value = resolve(e.getValue());
      if (value != NO_VALUE) {
        out.put(String.valueOf(e.getKey()), value);
      }
    }
    return out;
  }

  private Object intrinsic(String function, Object arg) {
    return switch (function) {
      case "Ref" -> ref(String.valueOf(arg));
      case "Condition" -> condition(String.valueOf(arg));
      case "Fn::GetAtt" -> {
        List<Object> parts = arg instanceof String s
            ? List.of(s.substring(0, s.indexOf('.')), s.substring(s.indexOf('.') + 1))
            : list(resolve(arg));
        yield getAtt(String.valueOf(parts.get(0)), String.valueOf(parts.get(1)));
      }
      case "Fn::Sub" -> sub(arg);
      case "Fn::Select" -> {
        List<Object> a = list(arg);
        int index = Integer.parseInt(String.valueOf(resolve(a.get(0))));
        List<Object> from = list(resolve(a.get(1)));
        if (index < 0 || index >= from.size()) {
          throw new IllegalArgumentException("Fn::Select index " + index + " is out of range for "
              + from + " (CloudFormation fails the stack operation)");
        }
        yield from.get(index);
      }
      case "Fn::Split" -> {
        List<Object> a = list(arg);
        String delimiter = String.valueOf(a.get(0));
        String text = String.valueOf(resolve(a.get(1)));
        yield new ArrayList<Object>(Arrays.asList(text.split(Pattern.quote(delimiter), -1)));
      }
      case "Fn::Join" -> {
        List<Object> a = list(arg);
        List<String> parts =
            list(resolve(a.get(1))).stream().map(String::valueOf).toList();
        yield String.join(String.valueOf(a.get(0)), parts);
      }
      case "Fn::If" -> {
        List<Object> a = list(arg);
        yield condition(String.valueOf(a.get(0))) ? resolve(a.get(1)) : resolve(a.get(2));
      }
      case "Fn::Equals" -> {
        List<Object> a = list(arg);
        yield String.valueOf(resolve(a.get(0))).equals(String.valueOf(resolve(a.get(1))));
      }
      case "Fn::Not" -> !truth(resolve(list(arg).get(0)));
      case "Fn::And" -> list(arg).stream().allMatch(c -> truth(resolve(c)));
      case "Fn::Or" -> list(arg).stream().anyMatch(c -> truth(resolve(c)));
      default ->
        throw new IllegalArgumentException("the test's resolver does not know " + function);
    };
  }

  private static boolean truth(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException("a condition must evaluate to true or false, got " + value);
  }

  /** Ref: a pseudo parameter, a parameter's value, or what the resource type's Ref returns. */
  Object ref(String name) {
    switch (name) {
      case "AWS::AccountId":
        return stack.account();
      case "AWS::Region":
        return stack.region();
      case "AWS::Partition":
        return stack.partition();
      case "AWS::StackId":
        return stack.stackId();
      case "AWS::StackName":
        return stack.stackName();
      case "AWS::URLSuffix":
        return stack.urlSuffix();
      case "AWS::NoValue":
        return NO_VALUE;
      default:
        break;
    }
    if (parameters.containsKey(name)) {
      return parameters.get(name);
    }
    String versioned = name.endsWith(".Version") ? name.substring(0, name.length() - 8) : null;
    if (versioned != null && "AWS::Serverless::Function".equals(type(versioned))) {
      // SAM's reference to the version it publishes of a function with AutoPublishAlias: the
      // version's ARN.
      return arn("lambda", "function:" + stack.physicalId(versioned) + ":1");
    }
    String aliased = name.endsWith(".Alias") ? name.substring(0, name.length() - 6) : null;
    if (aliased != null && "AWS::Serverless::Function".equals(type(aliased))) {
      // SAM's reference to the alias it keeps on the published version: the alias's ARN.
      Object alias = map(resource(aliased).get("Properties")).get("AutoPublishAlias");
      return arn("lambda", "function:" + stack.physicalId(aliased) + ":" + resolve(alias));
    }
    String type = generatedType(name);
    String id = stack.physicalId(name);
    return switch (type) {
      case "AWS::SQS::Queue" ->
        "https://sqs." + stack.region() + "." + stack.urlSuffix() + "/" + stack.account() + "/"
            + id;
      case "AWS::S3::Bucket" -> named(name, "BucketName");
      // The ARN SageMaker returned when CloudFormation created it, which carries the name in lower
      // case (as DescribeEndpointConfig's EndpointConfigArn does), whatever the case of the name
      // itself.
      case "AWS::SageMaker::Model" -> arn("sagemaker", "model/" + id.toLowerCase(Locale.ROOT));
      case "AWS::SageMaker::EndpointConfig" ->
        arn("sagemaker", "endpoint-config/" + id.toLowerCase(Locale.ROOT));
      case "AWS::SNS::Topic" -> arn("sns", id);
      case "AWS::KMS::Key" -> stack.suffix() + "-0000-4000-8000-" + "0".repeat(12);
      // Ref gives the DashboardName, which the template sets.
      case "AWS::CloudWatch::Dashboard" -> named(name, "DashboardName");
      case "AWS::Scheduler::ScheduleGroup" -> named(name, "Name");
      case "AWS::DynamoDB::Table",
          "AWS::Logs::LogGroup",
          "AWS::IAM::Role",
          "AWS::Serverless::Function",
          "AWS::Lambda::Function",
          "AWS::Lambda::EventSourceMapping",
          "AWS::CloudWatch::Alarm",
          "AWS::SNS::Subscription",
          "AWS::SNS::TopicPolicy",
          "AWS::SQS::QueuePolicy",
          "AWS::S3::BucketPolicy",
          "AWS::KMS::Alias",
          "AWS::Serverless::HttpApi" -> id;
      default -> {
        if (type.startsWith("Custom::")) {
          yield id;
        }
        throw new IllegalArgumentException(
            "the test's resolver does not know what Ref " + name + " (" + type + ") returns");
      }
    };
  }

  Object getAtt(String resource, String attribute) {
    String type = generatedType(resource);
    String id = stack.physicalId(resource);
    String key = type + "." + attribute;
    return switch (key) {
      case "AWS::SQS::Queue.Arn" -> arn("sqs", id);
      case "AWS::SQS::Queue.QueueName" -> id;
      case "AWS::SQS::Queue.QueueUrl" -> ref(resource);
      case "AWS::S3::Bucket.Arn" ->
        "arn:" + stack.partition() + ":s3:::" + named(resource, "BucketName");
      case "AWS::DynamoDB::Table.Arn" -> arn("dynamodb", "table/" + id);
      case "AWS::Logs::LogGroup.Arn" -> arn("logs", "log-group:" + id + ":*");
      case "AWS::IAM::Role.Arn" ->
        "arn:" + stack.partition() + ":iam::" + stack.account() + ":role/" + id;
      case "AWS::SageMaker::Model.ModelName" -> id;
      case "AWS::SageMaker::EndpointConfig.EndpointConfigName" -> id;
      case "AWS::Serverless::Function.Arn", "AWS::Lambda::Function.Arn" ->
        arn("lambda", "function:" + id);
      case "AWS::SNS::Topic.TopicArn" -> arn("sns", id);
      case "AWS::SNS::Topic.TopicName" -> id;
      case "AWS::KMS::Key.Arn" -> arn("kms", "key/" + ref(resource));
      case "AWS::CloudWatch::Alarm.Arn" -> arn("cloudwatch", "alarm:" + id);
      case "AWS::Scheduler::ScheduleGroup.Arn" ->
        arn("scheduler", "schedule-group/" + ref(resource));
      default ->
        throw new IllegalArgumentException("the test's resolver does not know GetAtt " + resource
            + "." + attribute + " (" + type + ")");
    };
  }

  /** The name a resource's {@code property} sets, resolved; without one, the name CloudFormation generates. */
  private String named(String logicalId, String property) {
    Object name = map(resource(logicalId).getOrDefault("Properties", Map.of())).get(property);
    return name == null ? stack.physicalId(logicalId) : String.valueOf(resolve(name));
  }

  /** An ARN in this stack's partition, region and account. */
  String arn(String service, String resource) {
    return "arn:" + stack.partition() + ":" + service + ":" + stack.region() + ":" + stack.account()
        + ":" + resource;
  }

  /**
   * The type of a template resource, or of one the SAM transform generates from a function's events: an SQS event
   * {@code Queue} of {@code ClassifyFunction} becomes the event source mapping {@code ClassifyFunctionQueue}.
   */
  String generatedType(String logicalId) {
    Map<String, Object> resources = resources();
    if (resources.containsKey(logicalId)) {
      return type(logicalId);
    }
    for (var r : resources.entrySet()) {
      Map<String, Object> res = map(r.getValue());
      if (!"AWS::Serverless::Function".equals(res.get("Type"))) {
        continue;
      }
      Object events = path(map(res.getOrDefault("Properties", Map.of())), "Events");
      if (events == null) {
        continue;
      }
      for (var e : map(events).entrySet()) {
        if ((r.getKey() + e.getKey()).equals(logicalId)
            && "SQS".equals(map(e.getValue()).get("Type"))) {
          return "AWS::Lambda::EventSourceMapping";
        }
      }
    }
    throw new IllegalArgumentException("template.yaml has no resource " + logicalId
        + " (nor does the SAM transform generate one)");
  }

  private Object sub(Object arg) {
    String text;
    Map<String, Object> variables = Map.of();
    if (arg instanceof List<?> l) {
      text = String.valueOf(l.get(0));
      variables = map(resolve(l.get(1)));
    } else {
      text = String.valueOf(arg);
    }
    Matcher m = SUB_VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      Object value;
      if (variables.containsKey(name)) {
        value = variables.get(name);
      } else if (name.contains(".") && !name.startsWith("AWS::")) {
        value = getAtt(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
      } else {
        value = ref(name);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
    }
    m.appendTail(out);
    return out.toString().replace("${!", "${");
  }

  static Object path(Map<String, Object> from, String... keys) {
    Object node = from;
    for (String key : keys) {
      if (!(node instanceof Map<?, ?> m) || !m.containsKey(key)) {
        return null;
      }
      node = m.get(key);
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException("expected a mapping, got " + (o == null ? "nothing" : o));
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    if (!(o instanceof List)) {
      throw new IllegalArgumentException("expected a list, got " + (o == null ? "nothing" : o));
    }
    return (List<Object>) o;
  }
}
