package offhours.classify;

// Needs: moto_server (pip install "moto[server]") on PATH, or OFFHOURS_TEST_AWS_ENDPOINT pointing
// at an AWS-compatible endpoint. The SageMaker runtime is the in-test InvokeEndpointServer.

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.results.NewestFirst;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Verdict;
import offhours.results.ResultsTable;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(AwsServicesExtension.class)
class ClassifyPipelineIT {

  static final List<String> LABELS = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
  static final Path IMAGES = Path.of("src/test/resources/images");

  final String endpointName = "offhours-endpoint";

  final MotoPipeline p;
  final S3Client s3;
  final SqsClient sqs;
  final DynamoDbClient dynamo;
  final InvokeEndpointServer sagemaker;
  final AwsClients runtimeClients;
  final SageMakerRuntimeClient runtime;
  final String bucket;
  final String table;
  final String queueUrl;
  final String dlqUrl;

  ClassifyPipelineIT(AwsServices services) throws Exception {
    p = new MotoPipeline(services);
    s3 = p.s3;
    sqs = p.sqs;
    dynamo = p.dynamo;
    bucket = p.bucket;
    table = p.table;
    queueUrl = p.queueUrl;
    dlqUrl = p.dlqUrl;
    sagemaker = new InvokeEndpointServer();
    runtimeClients =
        AwsClients.local(Region.US_EAST_1, Map.of(Service.SAGEMAKER_RUNTIME, sagemaker.endpoint()));
    runtime = runtimeClients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder());
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
    s3.putObject(
        r -> r.bucket(bucket).key("notes, not a photo.png"),
        RequestBody.fromString("meeting notes, not a photo\n", StandardCharsets.UTF_8));
    upload("holiday/café au lait + 100%.png", IMAGES.resolve("chelsea.png"));

    List<Message> messages = receiveAll(queueUrl);
    SQSBatchResponse response = LambdaSqsJson.invoke(handler(), event(messages));
    acknowledge(messages, response);

    assertThat(response.getBatchItemFailures()).isEmpty();
    ResultsTable results = new ResultsTable(dynamo, table);
    Map<String, ResultItem> byPk =
        results.scan(Optional.empty()).stream().collect(Collectors.toMap(ResultItem::pk, i -> i));
    assertThat(byPk)
        .containsOnlyKeys(
            uri("photos/rocket.jpg"),
            uri("photos/chelsea.png"),
            uri("photos/truncated.jpg"),
            uri("notes, not a photo.png"),
            uri("holiday/café au lait + 100%.png"));
    assertThat(byPk.get(uri("photos/rocket.jpg"))).satisfies(r -> {
      assertThat(r.status()).isEqualTo(Verdict.CLASSIFIED);
      assertThat(r.topLabel()).isEqualTo("Drawing");
      assertThat(r.labels()).hasSize(3);
      assertThat(r.sk()).isEqualTo("e#" + r.eTag());
      assertThat(r.sizeBytes()).isEqualTo(Files.size(IMAGES.resolve("rocket.jpg")));
      assertThat(r.uploadedAt()).isNotNull(); // moto's zone-less eventTime, read as UTC
    });
    assertThat(byPk.get(uri("holiday/café au lait + 100%.png")).topLabel()).isEqualTo("Neutral");
    assertThat(byPk.get(uri("photos/truncated.jpg")).reason())
        .isEqualTo("the model could not read the image (status 400): image file is truncated; it"
            + " read offhours' probe image meanwhile");
    assertThat(byPk.get(uri("notes, not a photo.png")).reason())
        .isEqualTo("unsupported format: object " + uri("notes, not a photo.png")
            + " looks like text; offhours accepts JPEG and PNG");
    assertThat(
            new NewestFirst(dynamo, table).page("Neutral", null, null, 10, null).items())
        .extracting(ResultItem::key)
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

    List<Message> originals = receiveAll(queueUrl).stream()
        .filter(m -> m.body().contains("ObjectCreated"))
        .toList();
    // One record at a time, so exactly one invocation discovers the absence (with more, those in
    // flight also try).
    SQSBatchResponse response = LambdaSqsJson.invoke(handler(1), event(originals));
    acknowledge(originals, response);

    assertThat(response.getBatchItemFailures()).isEmpty();
    ResultsTable results = new ResultsTable(dynamo, table);
    assertThat(results.scan(Optional.empty())).isEmpty();
    assertThat(sagemaker.invokedEndpoints)
        .as("the rest of the batch is deferred without invoking")
        .hasSize(1);

    List<Message> copies = receiveAll(queueUrl);
    assertThat(copies)
        .extracting(Message::body)
        .containsExactlyInAnyOrderElementsOf(
            originals.stream().map(Message::body).toList());
    assertThat(copies).allSatisfy(copy -> {
      assertThat(copy.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
          .isEqualTo("1");
      assertThat(copy.messageAttributes().get("offhours-deferrals").stringValue())
          .isEqualTo("1");
    });
    assertThat(receiveAll(dlqUrl)).isEmpty();

    // The endpoint is back: the copies are classified, counting the deferral as an attempt.
    sagemaker.absent = false;
    SQSBatchResponse again = LambdaSqsJson.invoke(handler(), event(copies));
    acknowledge(copies, again);

    assertThat(again.getBatchItemFailures()).isEmpty();
    assertThat(results.scan(Optional.of("CLASSIFIED")))
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.attempts()).isEqualTo(2));
  }

  @Test
  void aRepeatedDeliveryWritesNoSecondResult() throws Exception {
    upload("photos/rocket.jpg", IMAGES.resolve("rocket.jpg"));
    List<Message> messages = receiveAll(queueUrl);

    LambdaSqsJson.invoke(handler(), event(messages));
    SQSBatchResponse again = LambdaSqsJson.invoke(handler(), event(messages));

    assertThat(again.getBatchItemFailures()).isEmpty();
    assertThat(new ResultsTable(dynamo, table).byKey(bucket, "photos/rocket.jpg"))
        .hasSize(1);
  }

  @Test
  void aMultipartUploadGetsOneResultEvenWhenNotifiedTwice() throws Exception {
    String key = "photos/big chelsea.png";
    String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
    String eTag = s3.uploadPart(
            r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
            RequestBody.fromFile(IMAGES.resolve("chelsea.png")))
        .eTag();
    s3.completeMultipartUpload(r -> r.bucket(bucket)
        .key(key)
        .uploadId(uploadId)
        .multipartUpload(u -> u.parts(p -> p.partNumber(1).eTag(eTag))));

    List<Message> messages = receiveAll(queueUrl);
    SQSBatchResponse response = LambdaSqsJson.invoke(handler(), event(messages));

    assertThat(messages)
        .anySatisfy(m -> assertThat(m.body()).contains("ObjectCreated:CompleteMultipartUpload"));
    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(new ResultsTable(dynamo, table).byKey(bucket, key))
        .singleElement()
        .satisfies(r -> {
          assertThat(r.status()).isEqualTo(Verdict.CLASSIFIED);
          assertThat(r.eTag()).endsWith("-1");
        });
  }

  @Test
  void anOverwriteBeforeClassificationRejectsTheOldEventAndClassifiesTheNewVersion()
      throws Exception {
    upload("photos/same.png", IMAGES.resolve("rocket.jpg"));
    upload("photos/same.png", IMAGES.resolve("chelsea.png"));

    SQSBatchResponse response = LambdaSqsJson.invoke(handler(), event(receiveAll(queueUrl)));

    assertThat(response.getBatchItemFailures()).isEmpty();
    List<ResultItem> results = new ResultsTable(dynamo, table).byKey(bucket, "photos/same.png");
    assertThat(results)
        .extracting(ResultItem::status)
        .containsExactlyInAnyOrder(Verdict.CLASSIFIED, Verdict.REJECTED);
    assertThat(results)
        .filteredOn(r -> r.status() == Verdict.REJECTED)
        .singleElement()
        .satisfies(r -> assertThat(r.reason())
            .isEqualTo("object " + uri("photos/same.png") + " was overwritten before it could be"
                + " classified; the newer version has its own result"));
    assertThat(results)
        .filteredOn(r -> r.status() == Verdict.CLASSIFIED)
        .singleElement()
        .satisfies(r -> assertThat(r.topLabel()).isEqualTo("Neutral"));
  }

  @Test
  void anArchivedUploadGetsAVerdictNamingItsStorageClassInsteadOfARetryIntoTheDlq()
      throws Exception {
    s3.putObject(
        r -> r.bucket(bucket).key("photos/archived.jpg").storageClass(StorageClass.GLACIER),
        RequestBody.fromFile(IMAGES.resolve("rocket.jpg")));

    List<Message> messages = receiveAll(queueUrl);
    SQSBatchResponse response = LambdaSqsJson.invoke(handler(), event(messages));

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(new ResultsTable(dynamo, table).byKey(bucket, "photos/archived.jpg"))
        .singleElement()
        .satisfies(
            r -> assertThat(r.reason())
                .isEqualTo(
                    "object " + uri("photos/archived.jpg") + " is archived in storage class"
                        + " GLACIER and cannot be read until it is restored; restore it, then reprocess it"));
    assertThat(sagemaker.invokedEndpoints).isEmpty();
  }

  @Test
  void invokeEndpointGetsTwoAttemptsEachCutAtTheAttemptTimeoutThenTheRecordIsDeferred()
      throws Exception {
    upload("photos/rocket.jpg", IMAGES.resolve("rocket.jpg"));
    sagemaker.unavailable = true;
    // The stub's 503 comes back at once: an attempt timeout of 60 s never cuts it, a first call
    // on a new client on a loaded machine included (with 1 s, then 5 s, a busy machine could).
    try (SageMakerRuntimeClient patient = invokeClient(60)) {
      ClassifyHandler handler = invokeHandler(patient, 60);
      List<Message> uploads = p.receiveUploads();

      SQSBatchResponse response = LambdaSqsJson.invoke(handler, event(uploads));
      acknowledge(uploads, response);

      assertThat(response.getBatchItemFailures()).isEmpty();
      assertThat(sagemaker.invokedEndpoints)
          .as("one retry, then SQS takes over")
          .hasSize(2);
    }
    List<Message> copies = receiveAll(queueUrl);
    assertThat(copies)
        .singleElement()
        .satisfies(copy -> assertThat(
                copy.messageAttributes().get("offhours-deferral-reason").stringValue())
            .isEqualTo("SageMaker could not serve the request now (HTTP 503)"));

    // A model slower than the attempt timeout: each attempt is cut, and the record waits for a
    // better time. The stub holds each request for 60 s, far past the 5 s attempt timeout, so
    // the cut is certain however slow the machine.
    sagemaker.unavailable = false;
    sagemaker.delayMillis = 60_000; // the server's close after the test interrupts the hold
    try (SageMakerRuntimeClient limited = invokeClient(5)) {
      SQSBatchResponse slow = LambdaSqsJson.invoke(invokeHandler(limited, 5), event(copies));
      acknowledge(copies, slow);

      assertThat(slow.getBatchItemFailures()).isEmpty();
      assertThat(receiveAll(queueUrl))
          .singleElement()
          .satisfies(copy -> assertThat(
                  copy.messageAttributes().get("offhours-deferral-reason").stringValue())
              .isEqualTo("the endpoint did not answer in time"));
      assertThat(new ResultsTable(dynamo, table).scan(Optional.empty())).isEmpty();
    } finally {
      sagemaker.delayMillis = 0;
    }
  }

  /** The stack's Classify settings with an attempt timeout of {@code seconds}. */
  private ClassifyConfig invokeConfig(int seconds) {
    return ClassifyConfig.fromEnv(p.classifyEnv(
        endpointName,
        "LABELS",
        String.join(",", LABELS),
        "INVOKE_TIMEOUT_SECONDS",
        Integer.toString(seconds)));
  }

  /** A runtime client whose attempts are cut at {@code seconds}, as Classify builds it. */
  private SageMakerRuntimeClient invokeClient(int seconds) {
    return runtimeClients.build(
        Service.SAGEMAKER_RUNTIME, ClassifyHandler.runtimeClient(invokeConfig(seconds)));
  }

  private ClassifyHandler invokeHandler(SageMakerRuntimeClient runtime, int seconds) {
    return new ClassifyHandler(s3, sqs, dynamo, runtime, invokeConfig(seconds), Clock.systemUTC());
  }

  @Test
  void snapStartPrimingGetsEachAnswerItExpectsEnqueuesNothingAndLeavesAVisibleMessageVisible() {
    upload("photos/rocket.jpg", IMAGES.resolve("rocket.jpg"));

    // The TestEvent batch, S3's 404, DynamoDB's failed condition, the endpoint's answer,
    // moto_server's refusal of the pause's entry (ReceiptHandleIsInvalid, as SQS answers) and of
    // the deferral's send (InvalidParameterValue: DelaySeconds past 900, as SQS answers).
    assertThat(handler().prime()).isEqualTo(6);
    assertThat(sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
            .attributes())
        .as("priming's deferred copy was refused, not enqueued for later")
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0");
    List<Message> queued = receiveAll(queueUrl);
    assertThat(queued)
        .as("no copy of priming's message: only S3's own TestEvent and the upload")
        .noneMatch(m -> m.body().contains("offhours-priming"))
        .noneMatch(m -> m.messageAttributes().containsKey("offhours-deferrals"));
    assertThat(queued.stream().filter(m -> m.body().contains("ObjectCreated")))
        .as("priming's entry named no message: the upload was not hidden for a pause")
        .singleElement()
        .satisfies(m -> {
          assertThat(m.body()).contains("photos%2Frocket.jpg"); // S3 URL-encodes keys
          assertThat(m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
              .isEqualTo("1");
        });
  }

  private ClassifyHandler handler() {
    return handler(4);
  }

  private ClassifyHandler handler(int concurrency) {
    ClassifyConfig config = ClassifyConfig.fromEnv(p.classifyEnv(
        endpointName,
        "LABELS",
        String.join(",", LABELS),
        "BATCH_CONCURRENCY",
        Integer.toString(concurrency)));
    return new ClassifyHandler(s3, sqs, dynamo, runtime, config, Clock.systemUTC());
  }

  private void upload(String key, Path file) {
    p.upload(key, file);
  }

  private String uri(String key) {
    return p.uri(key);
  }

  private List<Message> receiveAll(String url) {
    return p.receiveAll(url);
  }

  private void acknowledge(List<Message> messages, SQSBatchResponse response) {
    p.acknowledge(messages, response);
  }

  private SQSEvent event(List<Message> messages) {
    return p.event(messages);
  }
}
