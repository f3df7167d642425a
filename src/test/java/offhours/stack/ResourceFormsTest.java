package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every grant of template.yaml's roles names a resource of a type its action can be authorized on, and tests only
 * condition keys that action supports. IAM matches a statement only against the ARNs the service authorizes the call
 * on: a Resource of another form (an endpoint config for InvokeEndpoint, a log group without ":*" for PutLogEvents) or
 * a condition key the service never sends makes the call AccessDenied on AWS, while moto, which enforces no IAM, lets
 * it through and PermissionsIT's own reading of the policy agrees with itself. The forms are the Service Authorization
 * Reference's ("Actions, resources, and condition keys for ...",
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html),
 * for the actions the stack grants and, of the types an action lists, those this stack could name.
 */
class ResourceFormsTest {

  /** "*" alone: the action supports no resource-level permission (or AWS documents it with "*"). */
  private static final Map<String, List<String>> RESOURCE_TYPES = forms();

  /** Service-specific condition keys each action supports (aws:* keys are global); none for an action not listed. */
  private static final Map<String, Set<String>> CONDITION_KEYS = Map.of(
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
      "cloudwatch:PutMetricData", Set.of("cloudwatch:namespace"),
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
      "kms:Decrypt", Set.of("kms:ViaService", "kms:CallerAccount", "kms:EncryptionContextKeys"));

  private static Map<String, List<String>> forms() {
    String p = "arn:${Partition}:";
    String sagemaker = p + "sagemaker:${Region}:${Account}:";
    String endpoint = sagemaker + "endpoint/${EndpointName}";
    String config = sagemaker + "endpoint-config/${EndpointConfigName}";
    String component = sagemaker + "inference-component/${InferenceComponentName}";
    String logGroup = p + "logs:${Region}:${Account}:log-group:${LogGroupName}";
    String logStream = logGroup + ":log-stream:${LogStreamName}";
    String object = p + "s3:::${BucketName}/${ObjectName}";
    String queue = p + "sqs:${Region}:${Account}:${QueueName}";
    String table = p + "dynamodb:${Region}:${Account}:table/${TableName}";
    String function = p + "lambda:${Region}:${Account}:function:${FunctionName}";
    String mapping = p + "lambda:${Region}:${Account}:event-source-mapping:${UUID}";
    String repository = p + "ecr:${Region}:${Account}:repository/${RepositoryName}";
    Map<String, List<String>> m = new HashMap<>();
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
    m.put("sagemaker:InvokeEndpoint", List.of(endpoint, component));
    m.put("sagemaker:CreateEndpoint", List.of(endpoint, config));
    m.put("sagemaker:DeleteEndpoint", List.of(endpoint));
    m.put("sagemaker:DescribeEndpoint", List.of(endpoint));
    m.put("sagemaker:AddTags", List.of(endpoint, config, component));
    m.put("sagemaker:ListTags", List.of(endpoint, config, component));
    m.put("sagemaker:CreateInferenceComponent", List.of(endpoint, component));
    m.put("sagemaker:DescribeInferenceComponent", List.of(component));
    m.put("sagemaker:UpdateInferenceComponentRuntimeConfig", List.of(component));
    m.put("sagemaker:DeleteInferenceComponent", List.of(component));
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html; a log
    // group's ARN with ":*" is the form IAM policies use for every action but tagging
    // (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogGroup.html)
    for (String a : List.of("logs:CreateLogStream", "logs:PutLogEvents")) {
      m.put(a, List.of(logStream));
    }
    for (String a :
        List.of("logs:CreateLogGroup", "logs:DescribeLogStreams", "logs:PutRetentionPolicy")) {
      m.put(a, List.of(logGroup + ":*"));
    }
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
    for (String a : List.of("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject")) {
      m.put(a, List.of(object));
    }
    m.put("s3:ListBucket", List.of(p + "s3:::${BucketName}"));
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html
    for (String a : List.of(
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:SendMessage",
        "sqs:ChangeMessageVisibility")) {
      m.put(a, List.of(queue));
    }
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
    for (String a : List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")) {
      m.put(a, List.of(table));
    }
    m.put("dynamodb:Query", List.of(table, table + "/index/${IndexName}"));
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html: the
    // function type, whose ARN a qualifier (version, alias) may follow for the actions on versions
    // and aliases
    for (String a : List.of(
        "lambda:GetFunctionConfiguration",
        "lambda:InvokeFunction",
        "lambda:PublishVersion",
        "lambda:UpdateAlias")) {
      m.put(a, List.of(function, function + ":${Qualifier}"));
    }
    for (String a : List.of("lambda:GetEventSourceMapping", "lambda:UpdateEventSourceMapping")) {
      m.put(a, List.of(mapping));
    }
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
    for (String a : List.of(
        "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")) {
      m.put(a, List.of(repository));
    }
    m.put("ecr:GetAuthorizationToken", List.of("*"));
    // PutMetricData: only the optional dataset type; AWS documents "*" scoped by
    // cloudwatch:namespace
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html)
    m.put("cloudwatch:PutMetricData", List.of("*"));
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
    m.put("kms:Decrypt", List.of(p + "kms:${Region}:${Account}:key/${KeyId}"));
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html
    m.put(
        "cloudformation:DescribeStacks",
        List.of(p + "cloudformation:${Region}:${Account}:stack/${StackName}/${Id}"));
    return Map.copyOf(m);
  }

  static Stream<Map<String, String>> stacks() {
    String labels = "s3://offhours-models/labels.txt";
    return Stream.of("scheduled", "scale-to-zero", "serverless")
        .map(hosting -> Map.of("Hosting", hosting, "LabelsS3Uri", labels));
  }

  /** template.yaml resolved for a stack with these parameter values (and the required ones). */
  static StackResolver stack(Map<String, String> parameters) throws IOException {
    Map<String, Object> template =
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    Map<String, String> all = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    all.putAll(parameters);
    return new StackResolver(template, FakeStack.create(all));
  }

  private static List<String> roles(StackResolver stack) {
    return stack.resources().keySet().stream()
        .filter(r -> stack.type(r).equals("AWS::IAM::Role"))
        .sorted()
        .toList();
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void everyGrantNamesAResourceOfATypeItsActionIsAuthorizedOn(Map<String, String> parameters)
      throws IOException {
    StackResolver stack = stack(parameters);
    List<String> wrong = new ArrayList<>();
    for (String role : roles(stack)) {
      for (IamRole.Grant g : IamRole.atMost(stack, role).grants()) {
        List<String> forms = RESOURCE_TYPES.get(g.action());
        if (forms == null) {
          wrong.add(role + " grants " + g.action()
              + ", whose resource types this test does not know: add them from the Service"
              + " Authorization Reference");
        } else if (forms.stream().noneMatch(f -> names(g.resource(), f))) {
          wrong.add(role + " grants " + g + ", not of a form " + g.action() + " is authorized on: "
              + forms);
        }
      }
    }
    assertThat(wrong).as("grants of %s", parameters).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void everyConditionKeyIsOneItsActionsSupport(Map<String, String> parameters) throws IOException {
    StackResolver stack = stack(parameters);
    Set<String> tested = new TreeSet<>();
    List<String> wrong = new ArrayList<>();
    for (String role : roles(stack)) {
      for (Object policy :
          StackResolver.list(stack.properties(role).getOrDefault("Policies", List.of()))) {
        Object document = StackResolver.map(policy).get("PolicyDocument");
        for (Object s : StackResolver.list(StackResolver.map(document).get("Statement"))) {
          Map<String, Object> statement = StackResolver.map(s);
          Object condition = statement.get("Condition");
          if (condition == null) {
            continue;
          }
          for (Object operator : StackResolver.map(condition).values()) {
            for (String key : StackResolver.map(operator).keySet()) {
              tested.add(key);
              for (Object action : actions(statement.get("Action"))) {
                if (!key.startsWith("aws:")
                    && !CONDITION_KEYS.getOrDefault(action, Set.of()).contains(key)) {
                  wrong.add(role + " statement " + statement.get("Sid") + " tests " + key
                      + ", which " + action + " does not support");
                }
              }
            }
          }
        }
      }
    }
    assertThat(tested).contains("cloudwatch:namespace", "kms:ViaService");
    assertThat(wrong).as("conditions of %s", parameters).isEmpty();
  }

  private static List<Object> actions(Object action) {
    return action instanceof List<?> l ? List.copyOf(l) : List.of(action);
  }

  @Test
  void aResourceOfAnotherTypeIsNotOfTheForm() {
    String endpoint = "arn:${Partition}:sagemaker:${Region}:${Account}:endpoint/${EndpointName}";
    assertThat(names(
            "arn:aws:sagemaker:us-east-1:123456789012:endpoint/offhours-endpoint-1", endpoint))
        .isTrue();
    assertThat(
            names("arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/offhours-1", endpoint))
        .isFalse();
    assertThat(names("arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/*", endpoint))
        .isFalse();
    String stream =
        "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
    assertThat(names("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*", stream))
        .isTrue();
    assertThat(names("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f", stream))
        .isFalse();
    assertThat(names("*", endpoint)).isFalse();
  }

  /**
   * Whether {@code resource}, a policy's Resource (its "*" a wildcard), names ARNs of {@code form}, whose ${...} parts
   * stand for any value: an exact ARN must be of the form, a pattern must be able to reach one.
   */
  static boolean names(String resource, String form) {
    if (form.equals("*") || resource.equals("*")) {
      return form.equals(resource);
    }
    // Partition, Region and Account are one field each; a name may hold "/" and ":" (log groups,
    // objects).
    Pattern arn = Pattern.compile(Pattern.quote(form)
        .replaceAll("\\$\\{(Partition|Region|Account)}", "\\\\E[^:]+\\\\Q")
        .replaceAll("\\$\\{[A-Za-z]+}", "\\\\E\\\\S+\\\\Q"));
    int star = resource.indexOf('*');
    if (star < 0) {
      return arn.matcher(resource).matches();
    }
    Matcher prefix = arn.matcher(resource.substring(0, star));
    return prefix.matches() || prefix.hitEnd();
  }
}
