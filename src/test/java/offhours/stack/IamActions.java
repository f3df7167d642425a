package offhours.stack;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import offhours.stack.AwsCallRecorder.Call;
import offhours.stack.IamRole.Permission;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutRetentionPolicyRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.PublishVersionRequest;
import software.amazon.awssdk.services.lambda.model.UpdateAliasRequest;
import software.amazon.awssdk.services.lambda.model.UpdateEventSourceMappingRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.sagemaker.model.CreateEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.CreateInferenceComponentRequest;
import software.amazon.awssdk.services.sagemaker.model.DeleteEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.ListTagsRequest;
import software.amazon.awssdk.services.sagemaker.model.UpdateEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;

/**
 * What IAM authorizes for each SDK operation offhours' functions use: the action and the resource ARN, from the
 * Service Authorization Reference ("Actions, resources, and condition keys" of S3, SQS, DynamoDB, SageMaker,
 * Lambda, CloudFormation and CloudWatch Logs). An operation without an entry fails loudly: a new AWS call must come with its mapping.
 */
final class IamActions {

  private final String partition;
  private final String account;

  IamActions(String partition, String account) {
    this.partition = partition;
    this.account = account;
  }

  List<Permission> required(Call call) {
    String because = call.toString();
    List<Permission> needed = new ArrayList<>();
    String op = call.service() + "." + call.operation();
    switch (op) {
      case "S3.GetObject", "S3.HeadObject" -> {
        String bucket;
        String key;
        String version;
        if (call.request() instanceof GetObjectRequest r) {
          bucket = r.bucket();
          key = r.key();
          version = r.versionId();
        } else {
          HeadObjectRequest r = (HeadObjectRequest) call.request();
          bucket = r.bucket();
          key = r.key();
          version = r.versionId();
        }
        // Reading a given version is its own action (s3:GetObjectVersion).
        needed.add(new Permission(
            version == null ? "s3:GetObject" : "s3:GetObjectVersion",
            "arn:" + partition + ":s3:::" + bucket + "/" + key,
            because));
        if (call.kmsKeyId() != null) {
          // S3 decrypts an SSE-KMS object with the caller's kms:Decrypt on the key, asking KMS on
          // the caller's behalf: the request carries kms:ViaService s3.REGION.URLSUFFIX, the
          // endpoint the call went to (amazonaws.com.cn in the China Regions)
          // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html,
          // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
          String keyArn = call.kmsKeyId().startsWith("arn:")
              ? call.kmsKeyId()
              : arn(call, "kms", "key/" + call.kmsKeyId());
          needed.add(new Permission(
              "kms:Decrypt",
              keyArn,
              because + " of an object encrypted with SSE-KMS",
              Map.of(
                  "kms:viaservice",
                  "s3." + call.region().id()
                      + (partition.equals("aws-cn") ? ".amazonaws.com.cn" : ".amazonaws.com"))));
        }
        if (call.status() == 404) {
          // S3 answers 404 for a missing key only to a caller that may list the bucket; others get
          // 403 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html,
          // "Permissions"). The code relied on the 404, so the role needs s3:ListBucket.
          needed.add(new Permission(
              "s3:ListBucket",
              "arn:" + partition + ":s3:::" + bucket,
              because + ", which needs the 404 S3 gives only with s3:ListBucket"));
        }
      }
      case "S3.PutObject" -> {
        PutObjectRequest r = (PutObjectRequest) call.request();
        needed.add(new Permission(
            "s3:PutObject", "arn:" + partition + ":s3:::" + r.bucket() + "/" + r.key(), because));
      }
      case "Sqs.SendMessage",
          "Sqs.GetQueueAttributes",
          "Sqs.ReceiveMessage",
          "Sqs.DeleteMessage",
          "Sqs.ChangeMessageVisibility",
          "Sqs.DeleteMessageBatch",
          "Sqs.SendMessageBatch",
          "Sqs.ChangeMessageVisibilityBatch" -> {
        String url =
            (String) call.request().getValueForField("QueueUrl", String.class).orElseThrow();
        String action = call.operation().replace("Batch", "");
        needed.add(new Permission("sqs:" + action, queueArn(url, call), because));
      }
      // Authorized on the source queue, which the request names by ARN (Service Authorization
      // Reference, Amazon SQS: StartMessageMoveTask and ListMessageMoveTasks, resource type queue).
      case "Sqs.StartMessageMoveTask", "Sqs.ListMessageMoveTasks" ->
        needed.add(new Permission(
            "sqs:" + call.operation(),
            (String) call.request().getValueForField("SourceArn", String.class).orElseThrow(),
            because));
      // ListObjectVersions is authorized as s3:ListBucketVersions on the bucket: "Be aware of the
      // name difference"
      // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html).
      case "S3.ListObjectVersions" ->
        needed.add(new Permission(
            "s3:ListBucketVersions",
            "arn:" + partition + ":s3:::" + ((ListObjectVersionsRequest) call.request()).bucket(),
            because));
      case "DynamoDb.GetItem", "DynamoDb.PutItem", "DynamoDb.UpdateItem", "DynamoDb.DeleteItem" -> {
        String table =
            (String) call.request().getValueForField("TableName", String.class).orElseThrow();
        needed.add(new Permission(
            "dynamodb:" + call.operation(), arn(call, "dynamodb", "table/" + table), because));
      }
      // A transaction has no action of its own: each of its writes is authorized as the single-item
      // call it stands for
      // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html).
      case "DynamoDb.TransactWriteItems" -> {
        for (TransactWriteItem item :
            ((TransactWriteItemsRequest) call.request()).transactItems()) {
          String action;
          String table;
          if (item.update() != null) {
            action = "dynamodb:UpdateItem";
            table = item.update().tableName();
          } else if (item.put() != null) {
            action = "dynamodb:PutItem";
            table = item.put().tableName();
          } else if (item.delete() != null) {
            action = "dynamodb:DeleteItem";
            table = item.delete().tableName();
          } else {
            action = "dynamodb:ConditionCheckItem";
            table = item.conditionCheck().tableName();
          }
          needed.add(new Permission(action, arn(call, "dynamodb", "table/" + table), because));
        }
      }
      case "DynamoDb.BatchGetItem" ->
        ((BatchGetItemRequest) call.request())
            .requestItems()
            .keySet()
            .forEach(table -> needed.add(new Permission(
                "dynamodb:BatchGetItem", arn(call, "dynamodb", "table/" + table), because)));
      case "DynamoDb.Query", "DynamoDb.Scan" -> {
        String table =
            (String) call.request().getValueForField("TableName", String.class).orElseThrow();
        String index = call.request() instanceof QueryRequest q
            ? q.indexName()
            : ((ScanRequest) call.request()).indexName();
        needed.add(new Permission(
            "dynamodb:" + call.operation(),
            arn(call, "dynamodb", "table/" + table + (index == null ? "" : "/index/" + index)),
            because));
      }
      case "SageMaker.DescribeEndpoint" ->
        add(
            needed,
            "sagemaker:DescribeEndpoint",
            endpoint(call, ((DescribeEndpointRequest) call.request()).endpointName()),
            because);
      case "SageMaker.DescribeEndpointConfig" ->
        add(
            needed,
            "sagemaker:DescribeEndpointConfig",
            endpointConfig(
                call, ((DescribeEndpointConfigRequest) call.request()).endpointConfigName()),
            because);
      case "SageMaker.DeleteEndpoint" ->
        add(
            needed,
            "sagemaker:DeleteEndpoint",
            endpoint(call, ((DeleteEndpointRequest) call.request()).endpointName()),
            because);
      case "SageMaker.CreateEndpoint" -> {
        // CreateEndpoint is authorized on the endpoint and on the endpoint config it reads; tags
        // given with it also need sagemaker:AddTags
        // (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html).
        CreateEndpointRequest r = (CreateEndpointRequest) call.request();
        add(needed, "sagemaker:CreateEndpoint", endpoint(call, r.endpointName()), because);
        add(
            needed,
            "sagemaker:CreateEndpoint",
            endpointConfig(call, r.endpointConfigName()),
            because);
        if (r.hasTags() && !r.tags().isEmpty()) {
          add(
              needed,
              "sagemaker:AddTags",
              endpoint(call, r.endpointName()),
              because + " with Tags");
        }
      }
      case "SageMaker.UpdateEndpoint" -> {
        UpdateEndpointRequest r = (UpdateEndpointRequest) call.request();
        add(needed, "sagemaker:UpdateEndpoint", endpoint(call, r.endpointName()), because);
        add(
            needed,
            "sagemaker:UpdateEndpoint",
            endpointConfig(call, r.endpointConfigName()),
            because);
      }
      case "SageMaker.ListTags" ->
        needed.add(new Permission(
            "sagemaker:ListTags", ((ListTagsRequest) call.request()).resourceArn(), because));
      case "SageMakerRuntime.InvokeEndpoint" -> {
        // Invoking an inference component is authorized on the endpoint and on the component
        // (Service Authorization Reference, Amazon SageMaker AI: InvokeEndpoint, resource types
        // endpoint* and inference-component).
        InvokeEndpointRequest r = (InvokeEndpointRequest) call.request();
        add(needed, "sagemaker:InvokeEndpoint", endpoint(call, r.endpointName()), because);
        if (r.inferenceComponentName() != null) {
          add(
              needed,
              "sagemaker:InvokeEndpoint",
              component(call, r.inferenceComponentName()),
              because + " of an inference component");
        }
      }
      case "SageMaker.CreateInferenceComponent" -> {
        // Authorized on the component and on the endpoint it goes on (Service Authorization
        // Reference, Amazon SageMaker AI: CreateInferenceComponent, resource types endpoint* and
        // inference-component*).
        CreateInferenceComponentRequest r = (CreateInferenceComponentRequest) call.request();
        add(
            needed,
            "sagemaker:CreateInferenceComponent",
            component(call, r.inferenceComponentName()),
            because);
        add(
            needed,
            "sagemaker:CreateInferenceComponent",
            endpoint(call, r.endpointName()),
            because + " on its endpoint");
      }
      case "SageMaker.DescribeInferenceComponent",
          "SageMaker.UpdateInferenceComponentRuntimeConfig",
          "SageMaker.DeleteInferenceComponent" -> {
        String name = (String) call.request()
            .getValueForField("InferenceComponentName", String.class)
            .orElseThrow();
        add(needed, "sagemaker:" + call.operation(), component(call, name), because);
      }
      case "Lambda.GetEventSourceMapping" ->
        needed.add(new Permission(
            "lambda:GetEventSourceMapping",
            arn(
                call,
                "lambda",
                "event-source-mapping:" + ((GetEventSourceMappingRequest) call.request()).uuid()),
            because));
      case "Lambda.UpdateEventSourceMapping" ->
        needed.add(new Permission(
            "lambda:UpdateEventSourceMapping",
            arn(
                call,
                "lambda",
                "event-source-mapping:"
                    + ((UpdateEventSourceMappingRequest) call.request()).uuid()),
            because));
      // Service Authorization Reference, AWS Lambda: GetFunctionConfiguration, PublishVersion and
      // UpdateAlias on resource type function; a request with a Qualifier (an alias or a version)
      // is authorised on the qualified ARN (function:NAME:QUALIFIER), one without on the function's
      // ARN. UpdateAlias names the alias in its Name, not as a qualifier, so it is authorised on
      // the function's ARN.
      case "Lambda.GetFunctionConfiguration" -> {
        GetFunctionConfigurationRequest r = (GetFunctionConfigurationRequest) call.request();
        needed.add(new Permission(
            "lambda:GetFunctionConfiguration",
            function(call, r.functionName(), r.qualifier()),
            because));
      }
      // Invoke is authorized as lambda:InvokeFunction, on the qualified ARN when it names an alias.
      case "Lambda.Invoke" -> {
        InvokeRequest r = (InvokeRequest) call.request();
        needed.add(new Permission(
            "lambda:InvokeFunction", function(call, r.functionName(), r.qualifier()), because));
      }
      case "Lambda.PublishVersion" ->
        needed.add(new Permission(
            "lambda:PublishVersion",
            function(call, ((PublishVersionRequest) call.request()).functionName(), null),
            because));
      case "Lambda.UpdateAlias" ->
        needed.add(new Permission(
            "lambda:UpdateAlias",
            function(call, ((UpdateAliasRequest) call.request()).functionName(), null),
            because));
      // Service Authorization Reference, AWS CloudFormation: DescribeStacks on resource type stack,
      // whose ARN is the StackId (stack/NAME/ID). A function names its stack by that id; the
      // command line (--stack NAME) by name, which any id of that name matches.
      case "CloudFormation.DescribeStacks" -> {
        String stack = ((DescribeStacksRequest) call.request()).stackName();
        if (stack == null || stack.isBlank()) {
          throw new IllegalStateException(
              "the permission test maps DescribeStacks of one stack, not of every stack");
        }
        needed.add(new Permission(
            "cloudformation:DescribeStacks",
            stack.startsWith("arn:") ? stack : arn(call, "cloudformation", "stack/" + stack + "/*"),
            because));
      }
      // Service Authorization Reference, Amazon CloudWatch Logs: PutRetentionPolicy on resource
      // type log-group. A log group's ARN ends in :* for every action but TagResource,
      // UntagResource and ListTagsForResource
      // (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogGroup.html,
      // arn).
      case "CloudWatchLogs.PutRetentionPolicy" ->
        needed.add(new Permission(
            "logs:PutRetentionPolicy",
            arn(
                call,
                "logs",
                "log-group:" + ((PutRetentionPolicyRequest) call.request()).logGroupName() + ":*"),
            because));
      default ->
        throw new IllegalStateException(
            "the permission test has no IAM mapping for " + op + ": add the action"
                + " and resource the Service Authorization Reference gives for it to "
                + IamActions.class.getSimpleName());
    }
    return needed;
  }

  /** A function's ARN from the name a request gives (never an ARN: the functions call each other by name). */
  private String function(Call call, String name, String qualifier) {
    if (name.contains(":")) {
      throw new IllegalStateException("the permission test maps function names, not ARNs: " + name);
    }
    return arn(call, "lambda", "function:" + name)
        + (qualifier == null || qualifier.equals("$LATEST") ? "" : ":" + qualifier);
  }

  private String arn(Call call, String service, String resource) {
    return "arn:" + partition + ":" + service + ":" + call.region().id() + ":" + account + ":"
        + resource;
  }

  /**
   * The ARNs a SageMaker resource named {@code name} may be authorized on. The ARNs SageMaker returns carry the name in
   * lower case, and IAM compares resource ARNs case-sensitively, but AWS does not document which case SageMaker
   * authorizes a request on: denials quote the lower-case ARN for InvokeEndpoint
   * (https://github.com/philschmid/cdk-samples/issues/2) and the name as the request gave it for a create
   * (https://github.com/awslabs/service-workbench-on-aws/issues/1176). So a role must allow both; they are one ARN
   * for a name that is lower case already, as the names the template builds from the stack id are.
   */
  private List<String> sageMaker(Call call, String type, String name) {
    String asNamed = arn(call, "sagemaker", type + "/" + name);
    String lower = arn(call, "sagemaker", type + "/" + name.toLowerCase(Locale.ROOT));
    return asNamed.equals(lower) ? List.of(lower) : List.of(lower, asNamed);
  }

  private List<String> endpoint(Call call, String name) {
    return sageMaker(call, "endpoint", name);
  }

  private List<String> component(Call call, String name) {
    return sageMaker(call, "inference-component", name);
  }

  private List<String> endpointConfig(Call call, String name) {
    return sageMaker(call, "endpoint-config", name);
  }

  private static void add(
      List<Permission> needed, String action, List<String> resources, String because) {
    resources.forEach(r -> needed.add(new Permission(action, r, because)));
  }

  /** https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (or a local endpoint's http://host:port/ACCOUNT/NAME). */
  private String queueArn(String url, Call call) {
    String[] path = URI.create(url).getPath().split("/");
    if (path.length != 3) {
      throw new IllegalArgumentException("queue URL " + url + " is not .../ACCOUNT/NAME");
    }
    return "arn:" + partition + ":sqs:" + call.region().id() + ":" + path[1] + ":" + path[2];
  }
}
