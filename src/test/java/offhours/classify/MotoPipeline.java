package offhours.classify;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import offhours.aws.AwsClients.Service;
import offhours.results.ResultsTable;
import offhours.stack.StackSpec;
import offhours.testing.AwsServicesExtension.AwsServices;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The consumer's side of the stack on moto_server, with unique names: a bucket whose notifications reach a queue (as
 * template.yaml configures them), its DLQ and a results table. Tests play Lambda's part: receive, hand the handler
 * the event Lambda would deliver, delete what it acknowledged.
 */
final class MotoPipeline {

  final S3Client s3;
  final SqsClient sqs;
  final DynamoDbClient dynamo;
  final String bucket;
  final String table;
  final String queueUrl;
  final String queueArn;
  final String dlqUrl;

  MotoPipeline(AwsServices services) {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    s3 = services.clients().build(Service.S3, S3Client.builder().forcePathStyle(true));
    sqs = services.clients().build(Service.SQS, SqsClient.builder());
    dynamo = services.clients().build(Service.DYNAMODB, DynamoDbClient.builder());
    bucket = "offhours-images-" + suffix;
    table = "offhours-results-" + suffix;
    dlqUrl = sqs.createQueue(r -> r.queueName("offhours-dlq-" + suffix)).queueUrl();
    String dlqArn = arn(dlqUrl);
    queueUrl = sqs.createQueue(r -> r.queueName("offhours-queue-" + suffix)
            .attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}",
                QueueAttributeName.MESSAGE_RETENTION_PERIOD,
                "1209600",
                QueueAttributeName.VISIBILITY_TIMEOUT,
                Integer.toString(StackSpec.QUEUE.visibilityTimeoutSeconds()))))
        .queueUrl();
    queueArn = arn(queueUrl);
    s3.createBucket(r -> r.bucket(bucket));
    // As template.yaml: one rule per image suffix, lower-case filter names (moto answers 500 to the
    // SDK's FilterRuleName.SUFFIX, which is sent as "Suffix"; S3 accepts either), and both cases
    // because S3 matches suffixes case-sensitively.
    List<QueueConfiguration> notifications = new ArrayList<>();
    for (String image : List.of(".jpg", ".jpeg", ".png", ".JPG", ".JPEG", ".PNG")) {
      notifications.add(QueueConfiguration.builder()
          .id("images" + image)
          .queueArn(queueArn)
          .events(Event.S3_OBJECT_CREATED)
          .filter(f -> f.key(k -> k.filterRules(rule -> rule.name("suffix").value(image))))
          .build());
    }
    s3.putBucketNotificationConfiguration(
        r -> r.bucket(bucket).notificationConfiguration(n -> n.queueConfigurations(notifications)));
    dynamo.createTable(StackSpec.RESULTS_TABLE.createTableRequest(table));
  }

  /** The Classify function's environment for these resources and {@code endpoint}, plus {@code pairs}. */
  Map<String, String> classifyEnv(String endpoint, String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of(
        "TABLE_NAME",
        table,
        "QUEUE_URL",
        queueUrl,
        "BUCKET_NAME",
        bucket,
        "ENDPOINT_NAME",
        endpoint,
        "MODEL_NAME",
        "offhours-model",
        "DEFER_SECONDS",
        "0"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  ResultsTable results() {
    return new ResultsTable(dynamo, table);
  }

  void upload(String key, Path file) {
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  void upload(String key, byte[] bytes) {
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
  }

  String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  /** Everything on the queue now: polls until a receive comes back empty (S3 delivers synchronously in moto). */
  List<Message> receiveAll(String url) {
    List<Message> all = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    while (true) {
      List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(url)
              .maxNumberOfMessages(10)
              .waitTimeSeconds(1)
              .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
              .messageAttributeNames("All"))
          .messages();
      if (batch.isEmpty()) {
        return all;
      }
      batch.stream().filter(m -> seen.add(m.messageId())).forEach(all::add);
    }
  }

  /** The S3 notifications on the queue now (not the TestEvent S3 sends when the notification is configured). */
  List<Message> receiveUploads() {
    return receiveAll(queueUrl).stream()
        .filter(m -> m.body().contains("ObjectCreated"))
        .toList();
  }

  /** What the event source mapping does with a partial batch response: delete the acknowledged messages. */
  void acknowledge(List<Message> messages, SQSBatchResponse response) {
    Set<String> failed = response.getBatchItemFailures().stream()
        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .collect(Collectors.toSet());
    messages.stream()
        .filter(m -> !failed.contains(m.messageId()))
        .forEach(
            m -> sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
  }

  /** The SQS event Lambda would deliver for these received messages. */
  SQSEvent event(List<Message> messages) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Message m : messages) {
      SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
      record.setMessageId(m.messageId());
      record.setReceiptHandle(m.receiptHandle());
      record.setBody(m.body());
      record.setMd5OfBody(m.md5OfBody());
      record.setAttributes(new HashMap<>(m.attributesAsStrings()));
      Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
      m.messageAttributes().forEach((name, value) -> {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType(value.dataType());
        a.setStringValue(value.stringValue());
        attributes.put(name, a);
      });
      record.setMessageAttributes(attributes);
      record.setEventSource("aws:sqs");
      record.setEventSourceArn(queueArn);
      record.setAwsRegion("us-east-1");
      records.add(record);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  private String arn(String url) {
    return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }
}
