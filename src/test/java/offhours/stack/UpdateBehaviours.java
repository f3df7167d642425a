package offhours.stack;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What CloudFormation does when a stack update changes one property of a resource, for every property a template
 * parameter reaches, as each resource type's reference says under "Update requires": Replacement (a new resource,
 * then the old one deleted in the cleanup), or No interruption / Some interruptions (updated in place). SAM's types
 * are listed under the resource SAM makes of them: a function's properties are its AWS::Lambda::Function's, an SQS
 * event's its AWS::Lambda::EventSourceMapping's (SAM's Queue is its EventSourceArn), an HTTP API's route settings its
 * AWS::ApiGatewayV2::Stage's. A property a parameter reaches that is not here fails {@link ParameterUpdatesTest}:
 * look it up and add it. Each entry was read again from the page it cites, and agrees with the type's resource schema
 * (a property whose change replaces is one of its createOnlyProperties); {@link UpdateBehavioursTest} checks that each
 * cites the page of its type.
 */
final class UpdateBehaviours {

  /** Whether a change replaces the resource, and the AWS page that says so. */
  record Behaviour(boolean replaces, String source) {}

  static final String REFERENCE =
      "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/";

  private static Behaviour replacement(String page) {
    return new Behaviour(true, REFERENCE + page);
  }

  private static Behaviour inPlace(String page) {
    return new Behaviour(false, REFERENCE + page);
  }

  /**
   * Where a custom resource's update is told: its type's reference page defines only ServiceToken (every other
   * property is its provider's), so the facts below are from the page of the Update request CloudFormation sends.
   */
  static final String CUSTOM_UPDATE =
      "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-update.html";

  private static final String FUNCTION = "aws-resource-lambda-function.html";
  private static final String MAPPING = "aws-resource-lambda-eventsourcemapping.html";
  private static final String MODEL = "aws-resource-sagemaker-model.html";
  private static final String CONFIG = "aws-resource-sagemaker-endpointconfig.html";
  private static final String ALARM = "aws-resource-cloudwatch-alarm.html";
  /**
   * A custom resource: CloudFormation sends it an Update with the old and new properties when any but its
   * ServiceToken changes, and treats it as replaced only when the answer names another PhysicalResourceId, which
   * offhours' handlers never do (they answer the event's own). In place, then, as {@link #CUSTOM_UPDATE} says.
   */
  private static final Behaviour CUSTOM = new Behaviour(false, CUSTOM_UPDATE);

  private static final Map<String, Map<String, Behaviour>> TABLE = Map.ofEntries(
      Map.entry(
          "AWS::Serverless::Function",
          Map.of(
              "Architectures", inPlace(FUNCTION),
              "Environment", inPlace(FUNCTION),
              "SnapStart", inPlace(FUNCTION))),
      Map.entry(
          "AWS::Serverless::Function.Events.SQS",
          Map.of(
              "BatchSize", inPlace(MAPPING),
              "MaximumBatchingWindowInSeconds", inPlace(MAPPING),
              "ScalingConfig", inPlace(MAPPING))),
      Map.entry(
          "AWS::Serverless::HttpApi",
          Map.of("DefaultRouteSettings", inPlace("aws-resource-apigatewayv2-stage.html"))),
      Map.entry(
          "AWS::SageMaker::Model",
          Map.of(
              "PrimaryContainer", replacement(MODEL),
              "EnableNetworkIsolation", replacement(MODEL))),
      Map.entry(
          "AWS::SageMaker::EndpointConfig",
          Map.of(
              "ProductionVariants", replacement(CONFIG),
              "EnableNetworkIsolation", replacement(CONFIG))),
      Map.entry(
          "AWS::SageMaker::Endpoint",
          Map.of("EndpointConfigName", inPlace("aws-resource-sagemaker-endpoint.html"))),
      Map.entry("AWS::SQS::Queue", Map.of("RedrivePolicy", inPlace("aws-resource-sqs-queue.html"))),
      Map.entry("AWS::IAM::Role", Map.of("Policies", inPlace("aws-resource-iam-role.html"))),
      Map.entry(
          "AWS::Logs::LogGroup",
          Map.of("RetentionInDays", inPlace("aws-resource-logs-loggroup.html"))),
      Map.entry(
          "AWS::SNS::Subscription",
          Map.of("Endpoint", replacement("aws-resource-sns-subscription.html"))),
      Map.entry(
          "AWS::CloudWatch::Alarm",
          Map.of(
              "AlarmActions", inPlace(ALARM),
              "OKActions", inPlace(ALARM),
              "Threshold", inPlace(ALARM))),
      Map.entry(
          "AWS::CloudWatch::Dashboard",
          Map.of("DashboardBody", inPlace("aws-resource-cloudwatch-dashboard.html"))),
      Map.entry(
          "Custom::",
          Map.of(
              "Settings", CUSTOM,
              "EndpointConfigName", CUSTOM,
              "ComponentEndpointConfigName", CUSTOM)));

  /**
   * The property that names a resource of each type the stack has. CloudFormation cannot replace a resource whose
   * name the template sets ("If you specify a name, you can't perform updates that require replacement of this
   * resource", e.g. https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queue.html):
   * the new one would need the name the old one still holds, and the update fails.
   */
  static final Map<String, String> NAME_PROPERTY = Map.ofEntries(
      Map.entry("AWS::S3::Bucket", "BucketName"),
      Map.entry("AWS::SQS::Queue", "QueueName"),
      Map.entry("AWS::DynamoDB::Table", "TableName"),
      Map.entry("AWS::SageMaker::Model", "ModelName"),
      Map.entry("AWS::SageMaker::EndpointConfig", "EndpointConfigName"),
      Map.entry("AWS::SageMaker::Endpoint", "EndpointName"),
      Map.entry("AWS::Serverless::Function", "FunctionName"),
      Map.entry("AWS::IAM::Role", "RoleName"),
      Map.entry("AWS::Logs::LogGroup", "LogGroupName"),
      Map.entry("AWS::SNS::Topic", "TopicName"),
      Map.entry("AWS::CloudWatch::Alarm", "AlarmName"),
      Map.entry("AWS::CloudWatch::Dashboard", "DashboardName"),
      Map.entry("AWS::Scheduler::ScheduleGroup", "Name"));

  /** Types whose reference has no name property: CloudFormation may always replace one. */
  static final Set<String> UNNAMED = Set.of("AWS::SNS::Subscription");

  private UpdateBehaviours() {}

  /** Every type and property this table knows, as "TYPE PROPERTY". */
  static Set<String> known() {
    Set<String> all = new TreeSet<>();
    TABLE.forEach((type, properties) -> properties.keySet().forEach(p -> all.add(type + " " + p)));
    return all;
  }

  /** What a change of {@code property} does to a resource of {@code type}; empty when this table does not know. */
  static Optional<Behaviour> of(String type, String property) {
    return Optional.ofNullable(TABLE.getOrDefault(type, Map.of()).get(property));
  }
}
