package offhours.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import offhours.aws.SqsErrors;
import offhours.stack.StackSpec;
import offhours.stack.TableSchema;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * Creates offhours' resources on local, protocol-compatible services (moto_server, LocalStack) with the names and
 * settings of template.yaml, taken from {@link StackSpec}: the bucket and its notification, the queue with its
 * redrive to the dead-letter queue, the controller's timer queue, the results table with its label index, and the
 * control table.
 *
 * <p>Idempotent: what exists is reused (queues get their attributes set again; a table whose keys differ from
 * StackSpec is an error, since DynamoDB cannot change keys in place). What the template adds only for AWS (IAM,
 * the queue's S3 policy, point-in-time recovery, KMS) is left out; emulators do not enforce it.
 *
 * <p>A labels file goes to a bucket of its own, with no notification, and the functions read it through LABELS_S3_URI
 * as they read the stack's LabelsS3Uri ({@link #putLabels}).
 *
 * <p>Putting the bucket's notification makes the emulator send S3's s3:TestEvent to the queue, as S3 does. This class
 * leaves it there: the local stack's start sweeps it once the trigger exists ({@link DeploymentWiring}), as the
 * stack's custom resource does on AWS.
 */
public final class LocalResources {

  /** What {@link #provision} created or found. */
  public record Provisioned(
      String bucket,
      String queueUrl,
      String queueArn,
      String deadLetterQueueUrl,
      String deadLetterQueueArn,
      String resultsTable,
      String controlTable,
      String timerQueueUrl,
      String timerQueueArn) {}

  /** Local mode's bucket for the model's labels file: not the images bucket, so no upload event is sent for it. */
  public static final String MODELS_BUCKET = "offhours-models";
  /** The labels file's key in {@link #MODELS_BUCKET}. */
  private static final String LABELS_KEY = "labels.txt";

  private final S3Client s3;
  private final SqsClient sqs;
  private final DynamoDbClient dynamoDb;

  /** The S3 client must use path-style addressing against an emulator ({@code forcePathStyle(true)}). */
  public LocalResources(S3Client s3, SqsClient sqs, DynamoDbClient dynamoDb) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.sqs = Objects.requireNonNull(sqs, "sqs");
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
  }

  public Provisioned provision(StackSpec.Names names) {
    StackSpec.Queue spec = StackSpec.QUEUE;
    String dlqUrl = queue(
        names.deadLetterQueue(),
        Map.of(
            QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            Integer.toString(spec.retentionSeconds()),
            QueueAttributeName.SQS_MANAGED_SSE_ENABLED,
            "true"));
    String dlqArn = arnOf(dlqUrl);
    String queueUrl = queue(
        names.queue(),
        Map.of(
            QueueAttributeName.MESSAGE_RETENTION_PERIOD, Integer.toString(spec.retentionSeconds()),
            QueueAttributeName.VISIBILITY_TIMEOUT,
                Integer.toString(spec.visibilityTimeoutSeconds()),
            QueueAttributeName.REDRIVE_POLICY, spec.redrivePolicy(dlqArn),
            QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true"));
    String queueArn = arnOf(queueUrl);
    StackSpec.TimerQueue timer = StackSpec.TIMER_QUEUE;
    String timerQueueUrl = queue(
        names.timerQueue(),
        Map.of(
            QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            Integer.toString(timer.retentionSeconds()),
            QueueAttributeName.VISIBILITY_TIMEOUT,
            Integer.toString(timer.visibilityTimeoutSeconds()),
            QueueAttributeName.SQS_MANAGED_SSE_ENABLED,
            "true"));

    bucket(names.bucket(), queueArn);
    table(names.resultsTable(), StackSpec.RESULTS_TABLE);
    table(names.controlTable(), StackSpec.CONTROL_TABLE);
    return new Provisioned(
        names.bucket(),
        queueUrl,
        queueArn,
        dlqUrl,
        dlqArn,
        names.resultsTable(),
        names.controlTable(),
        timerQueueUrl,
        arnOf(timerQueueUrl));
  }

  private String queue(String name, Map<QueueAttributeName, String> attributes) {
    try {
      String url = sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
      sqs.setQueueAttributes(r -> r.queueUrl(url).attributes(attributes));
      return url;
    } catch (SqsException e) {
      if (!SqsErrors.missingQueue(e)) {
        throw e;
      }
      return sqs.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
    }
  }

  private String arnOf(String queueUrl) {
    return sqs.getQueueAttributes(
            r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
  }

  /**
   * Writes {@code labels} (as read from the user's labels file) to {@code bucket}, one per line, and returns its
   * {@code s3://} URI for LABELS_S3_URI. A class name may contain commas ("tench, Tinca tinca"), which LABELS, a
   * comma-separated list, cannot carry. The bucket is made if missing, private and encrypted like the images bucket,
   * and gets no notification.
   */
  public String putLabels(String bucket, List<String> labels) {
    return putLabels(bucket, LABELS_KEY, labels);
  }

  /** As {@link #putLabels(String, List)}, under {@code key}: a new model's labels beside the ones in use. */
  public String putLabels(String bucket, String key, List<String> labels) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("no labels to write");
    }
    privateBucket(bucket);
    s3.putObject(
        r -> r.bucket(bucket).key(key).contentType("text/plain; charset=utf-8"),
        RequestBody.fromString(String.join("\n", labels) + "\n", StandardCharsets.UTF_8));
    return "s3://" + bucket + "/" + key;
  }

  /** Deletes the labels file {@code key} of {@link #putLabels}: a model update that failed leaves none behind. */
  public void deleteLabels(String bucket, String key) {
    s3.deleteObject(r -> r.bucket(bucket).key(key));
  }

  private void bucket(String name, String queueArn) {
    privateBucket(name);
    s3.putBucketNotificationConfiguration(r -> r.bucket(name)
        .notificationConfiguration(n -> n.queueConfigurations(notifications(queueArn))));
  }

  private void privateBucket(String name) {
    if (!bucketExists(name)) {
      Region region = s3.serviceClientConfiguration().region();
      if (Region.US_EAST_1.equals(region)) {
        s3.createBucket(r -> r.bucket(name));
      } else {
        s3.createBucket(r -> r.bucket(name)
            .createBucketConfiguration(
                c -> c.locationConstraint(BucketLocationConstraint.fromValue(region.id()))));
      }
    }
    s3.putPublicAccessBlock(r -> r.bucket(name)
        .publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)
            .blockPublicPolicy(true)
            .ignorePublicAcls(true)
            .restrictPublicBuckets(true)));
    s3.putBucketEncryption(r -> r.bucket(name)
        .serverSideEncryptionConfiguration(
            c -> c.rules(rule -> rule.applyServerSideEncryptionByDefault(
                d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
  }

  /** One configuration per suffix, as in template.yaml (S3 allows one suffix rule per filter). */
  static List<QueueConfiguration> notifications(String queueArn) {
    StackSpec.Notification spec = StackSpec.NOTIFICATION;
    List<QueueConfiguration> configurations = new ArrayList<>();
    for (String suffix : spec.suffixes()) {
      configurations.add(QueueConfiguration.builder()
          .id("offhours" + suffix.replace('.', '-'))
          .queueArn(queueArn)
          .eventsWithStrings(spec.event())
          // Lower-case, as in template.yaml: moto answers "Suffix" with a 500.
          .filter(f -> f.key(k -> k.filterRules(
              FilterRule.builder().name(spec.filterRuleName()).value(suffix).build())))
          .build());
    }
    return configurations;
  }

  private boolean bucketExists(String name) {
    try {
      s3.headBucket(r -> r.bucket(name));
      return true;
    } catch (NoSuchBucketException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private void table(String name, TableSchema spec) {
    try {
      TableDescription existing = dynamoDb.describeTable(r -> r.tableName(name)).table();
      List<String> keys =
          existing.keySchema().stream().map(KeySchemaElement::attributeName).toList();
      if (!keys.equals(List.of(spec.partitionKey(), spec.sortKey()))) {
        throw new IllegalStateException(
            "table " + name + " exists with keys " + keys + " but offhours needs "
                + List.of(spec.partitionKey(), spec.sortKey())
                + "; delete the table (or reset the local services) and"
                + " start again");
      }
      addMissingIndexes(name, spec, existing);
      return;
    } catch (ResourceNotFoundException e) {
      // create it below
    }
    dynamoDb.createTable(spec.createTableRequest(name));
    dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(name));
  }

  /**
   * A table made by an older offhours gets the indexes added since, as a stack update adds them on AWS; DynamoDB
   * fills a new index from the items already there. UpdateTable creates one index per call.
   */
  private void addMissingIndexes(String name, TableSchema spec, TableDescription existing) {
    List<String> present = existing.globalSecondaryIndexes().stream()
        .map(GlobalSecondaryIndexDescription::indexName)
        .toList();
    for (TableSchema.Index index : spec.indexes()) {
      if (!present.contains(index.name())) {
        dynamoDb.updateTable(r -> r.tableName(name)
            .attributeDefinitions(spec.attributeDefinitions())
            .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName(index.name())
                .keySchema(TableSchema.globalSecondaryIndex(index).keySchema())
                .projection(TableSchema.globalSecondaryIndex(index).projection()))));
        dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(name));
      }
    }
  }
}
