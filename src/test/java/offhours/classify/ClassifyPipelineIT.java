package offhours.classify;

// Needs: moto_server (pip install "moto[server]") on PATH, or OFFHOURS_TEST_AWS_ENDPOINT pointing at an
// AWS-compatible endpoint. The SageMaker runtime is the in-test InvokeEndpointServer.

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Status;
import offhours.results.ResultsTable;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(AwsServicesExtension.class)
class ClassifyPipelineIT {

  static final List<String> LABELS = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
  static final Path IMAGES = Path.of("src/test/resources/images");

  final String suffix = UUID.randomUUID().toString().substring(0, 8);
  final String bucket = "offhours-images-" + suffix;
  final String table = "offhours-results-" + suffix;
  final String endpointName = "offhours-endpoint";

  final S3Client s3;
  final SqsClient sqs;
  final DynamoDbClient dynamo;
  final InvokeEndpointServer sagemaker;
  final AwsClients runtimeClients;
  final SageMakerRuntimeClient runtime;
  String queueUrl;
  String queueArn;
  String dlqUrl;

  ClassifyPipelineIT(AwsServices services) throws Exception {
    s3 = services.clients().build(Service.S3, S3Client.builder().forcePathStyle(true));
    sqs = services.clients().build(Service.SQS, SqsClient.builder());
    dynamo = services.clients().build(Service.DYNAMODB, DynamoDbClient.builder());
    sagemaker = new InvokeEndpointServer();
    runtimeClients = AwsClients.local(Region.US_EAST_1, Map.of(Service.SAGEMAKER_RUNTIME, sagemaker.endpoint()));
    runtime = runtimeClients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder());
  }

  @BeforeEach
  void createStack() {
    dlqUrl = sqs.createQueue(r -> r.queueName("offhours-dlq-" + suffix)).queueUrl();
    String dlqArn = arn(dlqUrl);
    queueUrl = sqs.createQueue(r -> r.queueName("offhours-queue-" + suffix).attributes(Map.of(
        QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}",
        QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600",
        QueueAttributeName.VISIBILITY_TIMEOUT, "720"))).queueUrl();
    queueArn = arn(queueUrl);
    s3.createBucket(r -> r.bucket(bucket));
    // As template.yaml: one rule per image suffix, lower-case filter names (moto answers 500 to the SDK's
    // FilterRuleName.SUFFIX, which is sent as "Suffix"; S3 accepts either),
    // and both cases because S3 matches suffixes case-sensitively.
    List<QueueConfiguration> notifications = new ArrayList<>();
    for (String image : List.of(".jpg", ".jpeg", ".png", ".JPG", ".JPEG", ".PNG")) {
      notifications.add(QueueConfiguration.builder()
          .id("images" + image)
          .queueArn(queueArn)
          .events(Event.S3_OBJECT_CREATED)
          .filter(f -> f.key(k -> k.filterRules(rule -> rule.name("suffix").value(image))))
          .build());
    }
    s3.putBucketNotificationConfiguration(r -> r.bucket(bucket)
        .notificationConfiguration(n -> n.queueConfigurations(notifications)));
    dynamo.createTable(ResultsTable.createTableRequest(table));
  }

  @AfterEach
  void close() {
    sagemaker.close();
    runtime.close();
    runtimeClients.close();
  }

  @Test
  void uploadsBecomeResultsThroughTheRealNotifications() throws Exception {
    upload("photos/rocket.jpg", IMAGES.resolve("rocket.jpg"));
    upload("photos/chelsea.png", IMAGES.resolve("chelsea.png"));
    upload("photos/truncated.jpg", IMAGES.resolve("truncated.jpg"));
    s3.putObject(r -> r.bucket(bucket).key("notes, not a photo.png"),
        RequestBody.fromString("meeting notes, not a photo\n", StandardCharsets.UTF_8));
    upload("holiday/café au lait + 100%.png", IMAGES.resolve("chelsea.png"));

    List<Message> messages = receiveAll(queueUrl);
    SQSBatchResponse response = LambdaSqsJson.invoke(handler(), event(messages));
    acknowledge(messages, response);

    assertThat(response.getBatchItemFailures()).isEmpty();
    ResultsTable results = new ResultsTable(dynamo, table);
    Map<String, ResultItem> byPk = results.scan(Optional.empty()).stream()
        .collect(Collectors.toMap(ResultItem::pk, i -> i));
    assertThat(byPk).containsOnlyKeys(uri("photos/rocket.jpg"), uri("photos/chelsea.png"), uri("photos/truncated.jpg"),
        uri("notes, not a photo.png"), uri("holiday/café au lait + 100%.png"));
    assertThat(byPk.get(uri("photos/rocket.jpg"))).satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.CLASSIFIED);
      assertThat(r.topLabel()).isEqualTo("Drawing");
      assertThat(r.labels()).hasSize(3);
      assertThat(r.sk()).isEqualTo("e#" + r.eTag());
      assertThat(r.sizeBytes()).isEqualTo(Files.size(IMAGES.resolve("rocket.jpg")));
      assertThat(r.uploadedAt()).isNotNull(); // moto's zone-less eventTime, read as UTC
    });
    assertThat(byPk.get(uri("holiday/café au lait + 100%.png")).topLabel()).isEqualTo("Neutral");
    assertThat(byPk.get(uri("photos/truncated.jpg")).reason())
        .isEqualTo("the model could not read the image: image file is truncated");
    assertThat(byPk.get(uri("notes, not a photo.png")).reason()).isEqualTo("unsupported format: object "
        + uri("notes, not a photo.png") + " looks like text; offhours accepts JPEG and PNG");
    assertThat(results.byLabel("Neutral", 10)).extracting(ResultItem::key)
        .containsExactlyInAnyOrder("photos/chelsea.png", "holiday/café au lait + 100%.png");
    assertThat(results.byKey(bucket, "photos/rocket.jpg")).hasSize(1);
    assertThat(results.scan(Optional.of("REJECTED"))).hasSize(2);
    assertThat(receiveAll(dlqUrl)).isEmpty();
  }

  @Test
  void whileTheEndpointIsAbsentMessagesComeBackWithoutWalkingTowardTheDlq() throws Exception {
    sagemaker.absent = true;
    upload("photos/rocket.jpg", IMAGES.resolve("rocket.jpg"));
    upload("photos/chelsea.png", IMAGES.resolve("chelsea.png"));

    List<Message> originals = receiveAll(queueUrl).stream().filter(m -> m.body().contains("ObjectCreated")).toList();
    // One record at a time, so exactly one invocation discovers the absence (with more, those in flight also try).
    SQSBatchResponse response = LambdaSqsJson.invoke(handler(1), event(originals));
    acknowledge(originals, response);

    assertThat(response.getBatchItemFailures()).isEmpty();
    ResultsTable results = new ResultsTable(dynamo, table);
    assertThat(results.scan(Optional.empty())).isEmpty();
    assertThat(sagemaker.invokedEndpoints).as("the rest of the batch is deferred without invoking").hasSize(1);

    List<Message> copies = receiveAll(queueUrl);
    assertThat(copies).extracting(Message::body)
        .containsExactlyInAnyOrderElementsOf(originals.stream().map(Message::body).toList());
    assertThat(copies).allSatisfy(copy -> {
      assertThat(copy.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).isEqualTo("1");
      assertThat(copy.messageAttributes().get("offhours-deferrals").stringValue()).isEqualTo("1");
    });
    assertThat(receiveAll(dlqUrl)).isEmpty();

    // The endpoint is back: the copies are classified, counting the deferral as an attempt.
    sagemaker.absent = false;
    SQSBatchResponse again = LambdaSqsJson.invoke(handler(), event(copies));
    acknowledge(copies, again);

    assertThat(again.getBatchItemFailures()).isEmpty();
    assertThat(results.scan(Optional.of("CLASSIFIED"))).hasSize(2)
        .allSatisfy(r -> assertThat(r.attempts()).isEqualTo(2));
  }

  @Test
  void aRepeatedDeliveryWritesNoSecondResult() throws Exception {
    upload("photos/rocket.jpg", IMAGES.resolve("rocket.jpg"));
    List<Message> messages = receiveAll(queueUrl);

    LambdaSqsJson.invoke(handler(), event(messages));
    SQSBatchResponse again = LambdaSqsJson.invoke(handler(), event(messages));

    assertThat(again.getBatchItemFailures()).isEmpty();
    assertThat(new ResultsTable(dynamo, table).byKey(bucket, "photos/rocket.jpg")).hasSize(1);
  }

  @Test
  void aMultipartUploadGetsOneResultEvenWhenNotifiedTwice() throws Exception {
    String key = "photos/big chelsea.png";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
    String eTag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
        RequestBody.fromFile(IMAGES.resolve("chelsea.png"))).eTag();
    s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
        .multipartUpload(u -> u.parts(p -> p.partNumber(1).eTag(eTag))));

    List<Message> messages = receiveAll(queueUrl);
    SQSBatchResponse response = LambdaSqsJson.invoke(handler(), event(messages));

    assertThat(messages).anySatisfy(m -> assertThat(m.body()).contains("ObjectCreated:CompleteMultipartUpload"));
    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(new ResultsTable(dynamo, table).byKey(bucket, key)).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo(Status.CLASSIFIED);
      assertThat(r.eTag()).endsWith("-1");
    });
  }

  @Test
  void anOverwriteBeforeClassificationRejectsTheOldEventAndClassifiesTheNewVersion() throws Exception {
    upload("photos/same.png", IMAGES.resolve("rocket.jpg"));
    upload("photos/same.png", IMAGES.resolve("chelsea.png"));

    SQSBatchResponse response = LambdaSqsJson.invoke(handler(), event(receiveAll(queueUrl)));

    assertThat(response.getBatchItemFailures()).isEmpty();
    List<ResultItem> results = new ResultsTable(dynamo, table).byKey(bucket, "photos/same.png");
    assertThat(results).extracting(ResultItem::status).containsExactlyInAnyOrder(Status.CLASSIFIED, Status.REJECTED);
    assertThat(results).filteredOn(r -> r.status() == Status.REJECTED).singleElement().satisfies(r ->
        assertThat(r.reason()).isEqualTo("object " + uri("photos/same.png") + " was overwritten before it could be"
            + " classified; the newer version has its own result"));
    assertThat(results).filteredOn(r -> r.status() == Status.CLASSIFIED).singleElement()
        .satisfies(r -> assertThat(r.topLabel()).isEqualTo("Neutral"));
  }

  private ClassifyHandler handler() {
    return handler(4);
  }

  private ClassifyHandler handler(int concurrency) {
    ClassifyConfig config = ClassifyConfig.fromEnv(Map.of("TABLE_NAME", table, "QUEUE_URL", queueUrl,
        "BUCKET_NAME", bucket, "ENDPOINT_NAME", endpointName, "MODEL_NAME", "offhours-model",
        "LABELS", String.join(",", LABELS), "BATCH_CONCURRENCY", Integer.toString(concurrency), "DEFER_SECONDS", "0"));
    return new ClassifyHandler(s3, sqs, dynamo, runtime, config, Clock.systemUTC());
  }

  private void upload(String key, Path file) {
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  private String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  private String arn(String url) {
    return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
  }

  /** Everything on the queue now: polls until a receive comes back empty (S3 delivers synchronously in moto). */
  private List<Message> receiveAll(String url) {
    List<Message> all = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    while (true) {
      List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
          .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All")).messages();
      if (batch.isEmpty()) {
        return all;
      }
      batch.stream().filter(m -> seen.add(m.messageId())).forEach(all::add);
    }
  }

  /** What the event source mapping does with a partial batch response: delete the acknowledged messages. */
  private void acknowledge(List<Message> messages, SQSBatchResponse response) {
    Set<String> failed = response.getBatchItemFailures().stream()
        .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).collect(Collectors.toSet());
    messages.stream().filter(m -> !failed.contains(m.messageId()))
        .forEach(m -> sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle())));
  }

  /** The SQS event Lambda would deliver for these received messages. */
  private SQSEvent event(List<Message> messages) {
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
}
