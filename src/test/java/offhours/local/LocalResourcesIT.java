package offhours.local;

// Needs: moto_server (pip install "moto[server]"), or OFFHOURS_TEST_AWS_ENDPOINT pointing at
// LocalStack.

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import offhours.aws.AwsClients.Service;
import offhours.inference.ModelContract;
import offhours.results.NewestFirst;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.stack.StackSpec;
import offhours.stack.TableSchema;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import offhours.testing.Queues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(AwsServicesExtension.class)
class LocalResourcesIT {

  private final S3Client s3;
  private final SqsClient sqs;
  private final DynamoDbClient dynamoDb;
  private final StackSpec.Names names;
  private final LocalResources resources;

  LocalResourcesIT(AwsServices services) {
    s3 = services.clients().build(Service.S3, S3Client.builder().forcePathStyle(true));
    sqs = services.clients().build(Service.SQS, SqsClient.builder());
    dynamoDb = services.clients().build(Service.DYNAMODB, DynamoDbClient.builder());
    String id = UUID.randomUUID().toString().substring(0, 8);
    names = new StackSpec.Names(
        "offhours-images-" + id,
        "offhours-queue-" + id,
        "offhours-dlq-" + id,
        "offhours-results-" + id,
        "offhours-control-" + id,
        "offhours-model",
        "offhours-endpoint-config",
        "offhours-endpoint",
        "offhours-classify");
    resources = new LocalResources(s3, sqs, dynamoDb);
  }

  @AfterEach
  void closeClients() {
    s3.close();
    sqs.close();
    dynamoDb.close();
  }

  @Test
  void theLabelFileGoesToItsOwnBucketOneNamePerLineAndNotifiesNothing() {
    String bucket = "offhours-models-" + names.queue().substring("offhours-queue-".length());
    List<String> labels = List.of("tench, Tinca tinca", "maillot, tank suit", "cat");

    String uri = resources.putLabels(bucket, labels);

    assertThat(uri).isEqualTo("s3://" + bucket + "/labels.txt");
    assertThat(ModelContract.fromEnv(Map.of("LABELS_S3_URI", uri))
            .resolveLabels(s3)
            .labels())
        .as("read back as Classify, the controller and the API read LABELS_S3_URI")
        .containsExactlyElementsOf(labels);
    assertThat(s3.getBucketNotificationConfiguration(r -> r.bucket(bucket)).queueConfigurations())
        .isEmpty();
    assertThat(resources.putLabels(bucket, List.of("a, b")))
        .as("a second start writes it again")
        .isEqualTo(uri);
  }

  @Test
  void bucketNotifiesTheQueueForEachImageSuffixLikeTheTemplate() {
    LocalResources.Provisioned p = resources.provision(names);

    List<QueueConfiguration> configs =
        s3.getBucketNotificationConfiguration(r -> r.bucket(p.bucket())).queueConfigurations();
    assertThat(configs).allSatisfy(c -> {
      assertThat(c.queueArn()).isEqualTo(p.queueArn());
      assertThat(c.eventsAsStrings()).containsExactly(StackSpec.NOTIFICATION.event());
      assertThat(c.filter().key().filterRules())
          .singleElement()
          .satisfies(rule -> assertThat(rule.nameAsString()).isEqualToIgnoringCase("suffix"));
    });
    assertThat(configs)
        .map(c -> c.filter().key().filterRules().get(0).value())
        .containsExactlyInAnyOrderElementsOf(StackSpec.NOTIFICATION.suffixes());
    assertThat(s3.getBucketEncryption(r -> r.bucket(p.bucket()))
            .serverSideEncryptionConfiguration()
            .rules())
        .singleElement()
        .satisfies(rule -> assertThat(rule.applyServerSideEncryptionByDefault().sseAlgorithm())
            .isEqualTo(ServerSideEncryption.AES256));
    var block = s3.getPublicAccessBlock(r -> r.bucket(p.bucket())).publicAccessBlockConfiguration();
    assertThat(List.of(
            block.blockPublicAcls(),
            block.blockPublicPolicy(),
            block.ignorePublicAcls(),
            block.restrictPublicBuckets()))
        .containsOnly(true);
  }

  @Test
  void anUpperCaseImageUploadReachesTheQueueAndOtherFilesDoNot() {
    LocalResources.Provisioned p = resources.provision(names);
    Queues.drain(sqs, p.queueUrl()); // S3 sends an s3:TestEvent when the notification is configured

    s3.putObject(
        r -> r.bucket(p.bucket()).key("notes.txt"), RequestBody.fromString("not an image"));
    s3.putObject(
        r -> r.bucket(p.bucket()).key("holiday/IMG 0001.JPG"),
        RequestBody.fromBytes(new byte[] {-1, -40}));

    List<Message> messages = Queues.drain(sqs, p.queueUrl());
    assertThat(messages)
        .singleElement()
        .satisfies(m -> assertThat(m.body())
            .contains("\"bucket\"")
            .contains(p.bucket())
            .contains("IMG")
            .contains(".JPG")
            .doesNotContain("notes.txt"));
  }

  @Test
  void queuesKeepMessagesFourteenDaysAndRedriveAfterMaxReceiveCount() {
    LocalResources.Provisioned p = resources.provision(names);

    Map<QueueAttributeName, String> queue = attributes(p.queueUrl());
    assertThat(queue)
        .containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600")
        .containsEntry(
            QueueAttributeName.VISIBILITY_TIMEOUT,
            Integer.toString(StackSpec.QUEUE.visibilityTimeoutSeconds()));
    assertThat(queue.get(QueueAttributeName.REDRIVE_POLICY))
        .contains(p.deadLetterQueueArn())
        .containsPattern("\"maxReceiveCount\":\\s*\"?" + StackSpec.QUEUE.maxReceiveCount() + "\"?");
    assertThat(attributes(p.deadLetterQueueUrl()))
        .containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600")
        .doesNotContainKey(QueueAttributeName.REDRIVE_POLICY);
  }

  @Test
  void theControllersTimerQueueKeepsMessagesAnHourWithoutRedrive() {
    LocalResources.Provisioned p = resources.provision(names);

    assertThat(p.timerQueueUrl()).endsWith("/" + names.queue() + "-timer");
    assertThat(p.timerQueueArn()).endsWith(":" + names.queue() + "-timer");
    assertThat(attributes(p.timerQueueUrl()))
        .containsEntry(QueueAttributeName.MESSAGE_RETENTION_PERIOD, "3600")
        .containsEntry(
            QueueAttributeName.VISIBILITY_TIMEOUT,
            Integer.toString(6 * StackSpec.CONTROLLER_TIMEOUT_SECONDS))
        .doesNotContainKey(QueueAttributeName.REDRIVE_POLICY);
  }

  @Test
  void tablesHaveTheKeysAndTheIndexesOfTheTemplate() {
    LocalResources.Provisioned p = resources.provision(names);

    TableDescription results =
        dynamoDb.describeTable(r -> r.tableName(p.resultsTable())).table();
    assertThat(results.keySchema())
        .extracting(k -> k.attributeName() + ":" + k.keyType())
        .containsExactly("pk:" + KeyType.HASH, "sk:" + KeyType.RANGE);
    assertThat(results.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    assertThat(results.globalSecondaryIndexes())
        .extracting(
            gsi -> gsi.indexName(),
            gsi -> gsi.keySchema().stream()
                .map(k -> k.attributeName() + ":" + k.keyType())
                .toList(),
            gsi -> gsi.projection().projectionType())
        .containsExactlyInAnyOrder(
            tuple("byLabel", List.of("topLabel:HASH", "classifiedAt:RANGE"), ProjectionType.ALL),
            tuple("byStatus", List.of("status:HASH", "classifiedAt:RANGE"), ProjectionType.ALL));
    TableDescription control =
        dynamoDb.describeTable(r -> r.tableName(p.controlTable())).table();
    assertThat(control.keySchema())
        .extracting(k -> k.attributeName() + ":" + k.keyType())
        .containsExactly("pk:" + KeyType.HASH, "sk:" + KeyType.RANGE);
    assertThat(control.globalSecondaryIndexes()).isEmpty();
  }

  @Test
  void provisioningTwiceReusesWhatExists() {
    LocalResources.Provisioned first = resources.provision(names);
    s3.putObject(r -> r.bucket(first.bucket()).key("kept.txt"), RequestBody.fromString("x"));

    LocalResources.Provisioned second = resources.provision(names);

    assertThat(second).isEqualTo(first);
    assertThat(s3.listObjectsV2(r -> r.bucket(first.bucket())).contents())
        .extracting(o -> o.key())
        .containsExactly("kept.txt");
  }

  @Test
  void aResultsTableOfAnOlderVersionGetsTheStatusIndexAndItsResultsAreListed() {
    TableSchema older =
        new TableSchema("pk", "sk", List.of(StackSpec.RESULTS_TABLE.indexes().getFirst()));
    assertThat(older.indexes()).extracting(TableSchema.Index::name).containsExactly("byLabel");
    dynamoDb.createTable(older.createTableRequest(names.resultsTable()));
    new ResultsTable(dynamoDb, names.resultsTable())
        .put(ResultItem.rejected(
            new ResultItem.ObjectVersion(
                names.bucket(), "old.txt", null, "etag", null, 5L, Instant.EPOCH),
            "not an image",
            "m",
            "e",
            Instant.parse("2026-01-01T00:00:00Z"),
            1));

    resources.provision(names);

    assertThat(dynamoDb
            .describeTable(r -> r.tableName(names.resultsTable()))
            .table()
            .globalSecondaryIndexes())
        .extracting(g -> g.indexName())
        .containsExactlyInAnyOrder("byLabel", "byStatus");
    assertThat(new NewestFirst(dynamoDb, names.resultsTable())
            .page(null, null, null, 10, null)
            .items())
        .extracting(ResultItem::key)
        .containsExactly("old.txt");
  }

  @Test
  void aTableWithOtherKeysIsAnErrorThatSaysWhatToDo() {
    dynamoDb.createTable(r -> r.tableName(names.controlTable())
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(a -> a.attributeName("id").attributeType("S"))
        .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));

    assertThatThrownBy(() -> resources.provision(names))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("table " + names.controlTable()
            + " exists with keys [id] but offhours needs [pk, sk]; delete the"
            + " table (or reset the local services) and start again");
  }

  private Map<QueueAttributeName, String> attributes(String url) {
    return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
        .attributes();
  }
}
