package offhours.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The resources template.yaml creates for one {@link StackResolver}, of the types CloudFormation creates after the SAM
 * transform (each function's Lambda function, version, alias and event invoke config, each event's mapping, schedule,
 * rule or permission, the HTTP API's API and stage), with the ARNs IAM authorizes their handlers' calls on. A type or
 * event this class does not know fails loudly, so a resource added to the template cannot slip past the deployer's
 * policy. TransformedResourcesIT compares the types with what SAM's own translator makes of the template.
 */
final class TransformedResources {

  private TransformedResources() {}

  /** A resource the stack creates: its type after the SAM transform, the ARNs IAM authorizes its handlers' calls on. */
  record Created(String logicalId, String type, List<String> arns) {}

  /** Whether the stack creates template resource {@code id}: it has no Condition, or one that holds. */
  static boolean exists(StackResolver stack, String id) {
    Object condition = stack.resource(id).get("Condition");
    return condition == null || stack.condition(String.valueOf(condition));
  }

  /** Every resource the resolved template creates, the SAM transform's included. */
  static List<Created> created(StackResolver stack) {
    List<Created> out = new ArrayList<>();
    for (String id : stack.resources().keySet()) {
      if (!exists(stack, id)) {
        continue;
      }
      String type = stack.type(id);
      switch (type) {
        case "AWS::Serverless::Function" -> function(stack, id, out);
        case "AWS::Serverless::HttpApi" -> {
          String api = "arn:" + stack.stack().partition() + ":apigateway:"
              + stack.stack().region() + "::/apis/" + stack.stack().physicalId(id);
          out.add(new Created(id, "AWS::ApiGatewayV2::Api", List.of(api)));
          out.add(new Created(id, "AWS::ApiGatewayV2::Stage", List.of(api + "/stages/$default")));
        }
        default -> {
          if (type.startsWith("Custom::")) {
            Object token = stack.properties(id).get("ServiceToken");
            out.add(new Created(id, "Custom::", List.of(String.valueOf(token))));
          } else {
            out.add(new Created(id, type, arns(stack, id, type)));
          }
        }
      }
    }
    return out;
  }

  private static void function(StackResolver stack, String id, List<Created> out) {
    Map<String, Object> props = StackResolver.map(stack.resource(id).get("Properties"));
    String function = String.valueOf(stack.getAtt(id, "Arn"));
    String alias = String.valueOf(stack.ref(id + ".Alias"));
    out.add(new Created(id, "AWS::Lambda::Function", List.of(function)));
    if (props.containsKey("AutoPublishAlias")) {
      out.add(new Created(
          id, "AWS::Lambda::Version", List.of(String.valueOf(stack.ref(id + ".Version")))));
      out.add(new Created(id, "AWS::Lambda::Alias", List.of(alias)));
    }
    if (props.containsKey("EventInvokeConfig")) {
      out.add(new Created(id, "AWS::Lambda::EventInvokeConfig", List.of(alias)));
    }
    Object events = props.get("Events");
    if (events == null) {
      return;
    }
    for (var e : StackResolver.map(events).entrySet()) {
      String event = id + e.getKey();
      Map<String, Object> spec = StackResolver.map(e.getValue());
      Map<String, Object> p = StackResolver.map(stack.resolve(spec.get("Properties")));
      switch (String.valueOf(spec.get("Type"))) {
        case "SQS" ->
          out.add(new Created(
              event,
              "AWS::Lambda::EventSourceMapping",
              List.of(
                  stack.arn("lambda", "event-source-mapping:" + stack.stack().physicalId(event)))));
        case "ScheduleV2" ->
          out.add(new Created(
              event,
              "AWS::Scheduler::Schedule",
              List.of(stack.arn(
                  "scheduler",
                  "schedule/" + p.get("GroupName") + "/" + stack.stack().physicalId(event)))));
        case "EventBridgeRule" -> {
          out.add(new Created(
              event,
              "AWS::Events::Rule",
              List.of(stack.arn("events", "rule/" + stack.stack().physicalId(event)))));
          out.add(new Created(event + "Permission", "AWS::Lambda::Permission", List.of(alias)));
        }
        case "HttpApi" ->
          out.add(new Created(event + "Permission", "AWS::Lambda::Permission", List.of(alias)));
        default ->
          throw new IllegalArgumentException(id + "'s event " + e.getKey() + " is of type "
              + spec.get("Type") + ", whose generated resources this test does not know: add them");
      }
    }
  }

  private static List<String> arns(StackResolver stack, String id, String type) {
    FakeStack s = stack.stack();
    Map<String, Object> p = stack.properties(id);
    return switch (type) {
      case "AWS::S3::Bucket",
          "AWS::SQS::Queue",
          "AWS::DynamoDB::Table",
          "AWS::IAM::Role",
          "AWS::Scheduler::ScheduleGroup",
          "AWS::KMS::Key",
          "AWS::CloudWatch::Alarm" -> List.of(String.valueOf(stack.getAtt(id, "Arn")));
      case "AWS::SageMaker::Model", "AWS::SageMaker::EndpointConfig", "AWS::SNS::Topic" ->
        List.of(String.valueOf(stack.ref(id)));
      case "AWS::SageMaker::Endpoint" ->
        List.of(stack.arn(
            "sagemaker",
            "endpoint/" + String.valueOf(p.get("EndpointName")).toLowerCase(Locale.ROOT)));
      case "AWS::Logs::LogGroup" -> List.of(stack.arn("logs", "log-group:" + stack.ref(id)));
      case "AWS::S3::BucketPolicy" -> List.of("arn:" + s.partition() + ":s3:::" + p.get("Bucket"));
      case "AWS::SQS::QueuePolicy" ->
        StackResolver.list(p.get("Queues")).stream()
            .map(url -> String.valueOf(url))
            .map(url -> stack.arn("sqs", url.substring(url.lastIndexOf('/') + 1)))
            .toList();
      case "AWS::SNS::TopicPolicy" ->
        StackResolver.list(p.get("Topics")).stream().map(String::valueOf).toList();
      case "AWS::SNS::Subscription" -> List.of(String.valueOf(p.get("TopicArn")));
      case "AWS::CloudWatch::Dashboard" ->
        List.of("arn:" + s.partition() + ":cloudwatch::" + s.account() + ":dashboard/"
            + p.get("DashboardName"));
      default ->
        throw new IllegalArgumentException(
            id + " is a " + type
                + ", whose ARN this test does not know: add it, and its handlers to handler-permissions.tsv");
    };
  }

  /** The service prefix of a type's own actions: AWS::ApiGatewayV2::Api's are apigateway:VERB. */
  static String service(String type) {
    String s = type.split("::")[1].toLowerCase(Locale.ROOT);
    return s.equals("apigatewayv2") ? "apigateway" : s;
  }
}
