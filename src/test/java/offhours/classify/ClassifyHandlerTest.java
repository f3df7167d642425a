package offhours.classify;

import static offhours.classify.Fakes.fixture;
import static offhours.classify.Fakes.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.MessageAttribute;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import offhours.classify.Fakes.FakeRuntime;
import offhours.classify.Fakes.FakeS3;
import offhours.classify.Fakes.FakeSqs;
import offhours.inference.ImageFormat;
import offhours.testing.FakeDynamoDb;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.s3.model.InvalidObjectStateException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

class ClassifyHandlerTest {

  static final String BUCKET = "offhours-images";
  static final List<String> LABELS = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
  static final Instant NOW = Instant.parse("2026-11-25T10:00:05Z");

  final FakeS3 s3 = new FakeS3()
      .put(BUCKET, "uploads/rocket.jpg", image("rocket.jpg"), "511130d2072cc744a1fa5015bc23557a")
      .put(BUCKET, "uploads/chelsea.png", image("chelsea.png"), "0f1b4a59504988622035d850dc0555ac")
      .put(
          BUCKET,
          "uploads/notes, not a photo.png",
          "meeting notes, not a photo\n".getBytes(StandardCharsets.UTF_8),
          "2c9d3b4e5b1c4b6f0c2e9f8a7d6c5b4a");
  final FakeSqs sqs = new FakeSqs();
  final FakeDynamoDb dynamo = new FakeDynamoDb();
  final FakeRuntime runtime = new FakeRuntime();

  ClassifyHandler handler(long maxImageBytes) {
    return handler(maxImageBytes, 4);
  }

  ClassifyHandler handler(long maxImageBytes, int concurrency) {
    return handler(config(
        "MAX_IMAGE_BYTES",
        Long.toString(maxImageBytes),
        "BATCH_CONCURRENCY",
        Integer.toString(concurrency)));
  }

  ClassifyHandler handler(ClassifyConfig config) {
    return new ClassifyHandler(s3, sqs, dynamo, runtime, config, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** The function's settings as the stack sets them, with {@code overrides} (name, value, ...). */
  static ClassifyConfig config(String... overrides) {
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "TABLE_NAME", "offhours-results",
        "QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/offhours-queue",
        "BUCKET_NAME", BUCKET,
        "ENDPOINT_NAME", "offhours-endpoint",
        "MODEL_NAME", "offhours-model",
        "LABELS", String.join(",", LABELS),
        "BATCH_CONCURRENCY", "4"));
    for (int i = 0; i < overrides.length; i += 2) {
      env.put(overrides[i], overrides[i + 1]);
    }
    return ClassifyConfig.fromEnv(env);
  }

  SQSBatchResponse run(SQSEvent event) {
    return LambdaSqsJson.invoke(handler(6_291_456L), event);
  }

  Map<String, AttributeValue> item(String pk) {
    return dynamo.all().stream()
        .filter(i -> i.get("pk").s().equals(pk))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no item " + pk + " in " + dynamo.all()));
  }

  /** What the runtime answers when the model container's worker crashed on an image (its status 500). */
  static ModelErrorException workerDied() {
    return ModelErrorException.builder()
        .statusCode(424)
        .originalStatusCode(500)
        .originalMessage("worker died")
        .build();
  }

  /** The put in sqs-s3-put.json comes back as the batch's only item failure: SQS delivers it again. */
  void assertTheUploadIsRetried() {
    SQSEvent event = fixture("sqs-s3-put.json");
    assertThat(failures(run(event)))
        .containsExactly(event.getRecords().getFirst().getMessageId());
  }

  static List<String> failures(SQSBatchResponse response) {
    return response.getBatchItemFailures().stream()
        .map(BatchItemFailure::getItemIdentifier)
        .toList();
  }

  @Test
  void classifiesAPutAndWritesOneItemWithTheTopLabels() {
    SQSBatchResponse response = run(fixture("sqs-s3-put.json"));

    assertThat(failures(response)).isEmpty();
    Map<String, AttributeValue> item = item("s3://offhours-images/uploads/rocket.jpg");
    assertThat(item.get("sk").s()).isEqualTo("e#511130d2072cc744a1fa5015bc23557a");
    assertThat(item.get("status").s()).isEqualTo("CLASSIFIED");
    assertThat(item.get("topLabel").s()).isEqualTo("Hentai");
    assertThat(item.get("labels").l())
        .extracting(v -> v.m().get("label").s())
        .containsExactly("Hentai", "Drawing", "Porn");
    assertThat(item.get("uploadedAt").s()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(item.get("classifiedAt").s()).isEqualTo("2026-11-25T10:00:05.000Z");
    assertThat(item.get("attempts").n()).isEqualTo("1");
    assertThat(item.get("sizeBytes").n()).isEqualTo("112525");
    assertThat(item.get("model").s()).isEqualTo("offhours-model");
    assertThat(item.get("endpoint").s()).isEqualTo("offhours-endpoint");
  }

  @Test
  void sendsTheImageBytesWithTheBuiltInImageClassificationContract() {
    run(fixture("sqs-s3-put.json"));

    assertThat(runtime.requests).singleElement().satisfies(r -> {
      assertThat(r.endpointName()).isEqualTo("offhours-endpoint");
      assertThat(r.contentType()).isEqualTo("application/x-image");
      assertThat(r.accept()).isEqualTo("application/json");
      assertThat(r.body().asByteArray()).isEqualTo(image("rocket.jpg"));
    });
    assertThat(s3.gets)
        .singleElement()
        .satisfies(g -> assertThat(g.ifMatch()).isEqualTo("\"511130d2072cc744a1fa5015bc23557a\""));
  }

  @Test
  void theTestEventIsAcknowledgedAndWritesNothing() {
    SQSBatchResponse response = run(fixture("sqs-s3-test-event.json"));

    assertThat(failures(response)).isEmpty();
    assertThat(dynamo.puts).isEmpty();
    assertThat(runtime.requests).isEmpty();
  }

  @Test
  void oddKeysAreFetchedAndStoredDecoded() {
    s3.put(
            BUCKET,
            "holiday photos/beach day 1.jpg",
            image("rocket.jpg"),
            "511130d2072cc744a1fa5015bc23557a")
        .put(
            BUCKET,
            "café au lait + 100%.png",
            image("chelsea.png"),
            "0f1b4a59504988622035d850dc0555ac")
        .put(BUCKET, "写真/🚀 rocket.jpg", image("rocket.jpg"), "511130d2072cc744a1fa5015bc23557a");

    SQSBatchResponse response = run(fixture("sqs-s3-odd-keys.json"));

    assertThat(failures(response)).isEmpty();
    assertThat(dynamo.all())
        .extracting(i -> i.get("pk").s())
        .containsExactlyInAnyOrder(
            "s3://offhours-images/holiday photos/beach day 1.jpg",
            "s3://offhours-images/café au lait + 100%.png",
            "s3://offhours-images/写真/🚀 rocket.jpg");
    assertThat(dynamo.all())
        .allSatisfy(i -> assertThat(i.get("status").s()).isEqualTo("CLASSIFIED"));
  }

  @Test
  void aMultipartUploadIsClassifiedUnderItsMultipartETag() {
    s3.put(
        BUCKET,
        "uploads/big/chelsea.png",
        image("chelsea.png"),
        "9b2cf535f27731c974343645a3985328-2");

    run(fixture("sqs-s3-multipart.json"));

    assertThat(item("s3://offhours-images/uploads/big/chelsea.png").get("sk").s())
        .isEqualTo("e#9b2cf535f27731c974343645a3985328-2");
  }

  @Test
  void aBatchWithPoisonGivesEveryRecordItsOwnResultAndRetriesNothing() {
    SQSEvent batch = fixture("sqs-batch-with-poison.json");

    SQSBatchResponse response = run(batch);

    assertThat(failures(response)).isEmpty();
    assertThat(item("s3://offhours-images/uploads/rocket.jpg").get("status").s())
        .isEqualTo("CLASSIFIED");
    assertThat(item("s3://offhours-images/uploads/chelsea.png").get("status").s())
        .isEqualTo("CLASSIFIED");
    Map<String, AttributeValue> notJson =
        item("sqs://offhours-queue/" + batch.getRecords().get(1).getMessageId());
    assertThat(notJson.get("status").s()).isEqualTo("REJECTED");
    assertThat(notJson.get("reason").s()).startsWith("message body is not JSON: ");
    assertThat(item("s3://offhours-images/uploads/notes, not a photo.png")
            .get("reason")
            .s())
        .isEqualTo(
            "unsupported format: object s3://offhours-images/uploads/notes, not a photo.png looks like text;"
                + " offhours accepts JPEG and PNG");
    assertThat(runtime.requests).hasSize(2);
  }

  @Test
  void anObjectOverTheLimitIsRejectedWithoutDownloadingIt() {
    SQSBatchResponse response =
        LambdaSqsJson.invoke(handler(6_291_456L), withObject("big.jpg", 9_542_041L, "e1"));

    assertThat(failures(response)).isEmpty();
    assertThat(item("s3://offhours-images/big.jpg").get("reason").s())
        .isEqualTo(
            "object s3://offhours-images/big.jpg is 9.5 MB; the endpoint accepts at most 6.3 MB:"
                + " resize or re-encode it under that size and upload it again (the key is"
                + " classified again on upload)");
    assertThat(s3.gets).isEmpty();
  }

  @Test
  void anObjectLargerThanItsEventSaidIsStillCheckedBeforeReading() {
    s3.put(BUCKET, "grew.jpg", image("rocket.jpg"), "e1");

    LambdaSqsJson.invoke(handler(100_000L), withObject("grew.jpg", 10L, "e1"));

    assertThat(item("s3://offhours-images/grew.jpg").get("reason").s())
        .isEqualTo(
            "object s3://offhours-images/grew.jpg is 113 kB; the endpoint accepts at most 100 kB:"
                + " resize or re-encode it under that size and upload it again (the key is"
                + " classified again on upload)");
    assertThat(runtime.requests).isEmpty();
  }

  @Test
  void anObjectOverwrittenSinceItsEventIsRejectedNotClassifiedUnderTheOldIdentity() {
    s3.put(BUCKET, "a.jpg", image("rocket.jpg"), "newer-etag");

    run(withObject("a.jpg", 112525L, "older-etag"));

    Map<String, AttributeValue> item = item("s3://offhours-images/a.jpg");
    assertThat(item.get("sk").s()).isEqualTo("e#older-etag");
    assertThat(item.get("reason").s())
        .isEqualTo("object s3://offhours-images/a.jpg was overwritten before it could be"
            + " classified; the newer version has its own result");
    assertThat(runtime.requests).isEmpty();
  }

  @Test
  void aVersionedObjectIsFetchedByItsVersionId() {
    s3.put(BUCKET, "v.jpg", image("rocket.jpg"), "e1");
    SQSEvent event = event(message(
        "m1",
        notification(
            "v.jpg", 112525L, "e1", "\"versionId\":\"3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY\",")));

    run(event);

    assertThat(s3.gets).singleElement().satisfies(g -> {
      assertThat(g.versionId()).isEqualTo("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY");
      assertThat(g.ifMatch()).isNull();
    });
    assertThat(item("s3://offhours-images/v.jpg").get("sk").s())
        .isEqualTo("v#3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY");
    assertThat(item("s3://offhours-images/v.jpg").get("versionId").s())
        .isEqualTo("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY");
  }

  @Test
  void aDeletedObjectIsRejected() {
    run(withObject("gone.jpg", 100L, "e1"));

    assertThat(item("s3://offhours-images/gone.jpg").get("reason").s())
        .isEqualTo("object s3://offhours-images/gone.jpg no longer exists (deleted after upload)");
  }

  @Test
  void anEmptyObjectIsRejected() {
    s3.put(BUCKET, "empty.png", new byte[0], "d41d8cd98f00b204e9800998ecf8427e");

    run(withObject("empty.png", 0L, "d41d8cd98f00b204e9800998ecf8427e"));

    assertThat(item("s3://offhours-images/empty.png").get("reason").s())
        .isEqualTo("object s3://offhours-images/empty.png is empty (0 bytes)");
  }

  @Test
  void aModelThatCannotReadTheImageButReadsTheProbeImageGivesAVerdictAtOnce() {
    s3.put(BUCKET, "truncated.jpg", image("truncated.jpg"), "e1");
    runtime.answer = ClassifyRulesTest::readsOnlyTheProbe;

    SQSBatchResponse response = run(withObject("truncated.jpg", 400L, "e1"));

    assertThat(failures(response)).isEmpty();
    assertThat(item("s3://offhours-images/truncated.jpg").get("reason").s())
        .isEqualTo("the model could not read the image (status 400): image file is truncated; it"
            + " read offhours' probe image meanwhile");
  }

  @Test
  void aModel413IsAVerdictAtOnceWithoutTheProbeImage() {
    runtime.answer = r -> {
      throw ModelErrorException.builder()
          .statusCode(424)
          .originalStatusCode(413)
          .originalMessage("the image needs 1.6 GB to decode")
          .build();
    };

    SQSBatchResponse response = run(fixture("sqs-s3-put.json"));

    assertThat(failures(response)).isEmpty();
    assertThat(runtime.requests).hasSize(1);
    assertThat(item("s3://offhours-images/uploads/rocket.jpg").get("reason").s())
        .isEqualTo("the model refused the image as too large (status 413): the image needs 1.6 GB"
            + " to decode");
  }

  @Test
  void anAbsentEndpointDefersTheBatchWithDelayedCopiesAndInvokesOnlyOnce() {
    endpointAbsent();
    SQSEvent batch = fixture("sqs-batch-with-poison.json");

    // One at a time, so which records come after the discovery is deterministic.
    SQSBatchResponse response = LambdaSqsJson.invoke(handler(6_291_456L, 1), batch);

    assertThat(failures(response)).as("deferred originals are acknowledged").isEmpty();
    assertThat(runtime.requests).hasSize(1);
    assertThat(s3.gets)
        .extracting(g -> g.key())
        .as("nothing downloaded after the discovery")
        .containsExactly("uploads/rocket.jpg");
    List<String> deferredBodies = List.of(
        batch.getRecords().get(0).getBody(),
        batch.getRecords().get(2).getBody(),
        batch.getRecords().get(3).getBody());
    assertThat(sqs.sent)
        .extracting(SendMessageRequest::messageBody)
        .containsExactlyInAnyOrderElementsOf(deferredBodies);
    assertThat(sqs.sent).allSatisfy(copy -> {
      assertThat(copy.queueUrl())
          .isEqualTo("https://sqs.us-east-1.amazonaws.com/123456789012/offhours-queue");
      assertThat(copy.delaySeconds()).isEqualTo(60);
      assertThat(copy.messageAttributes().get("offhours-deferrals").dataType()).isEqualTo("Number");
      assertThat(copy.messageAttributes().get("offhours-deferrals").stringValue())
          .isEqualTo("1");
    });
    // The body that is no notification needs no endpoint and still gets its verdict; nothing was
    // classified.
    assertThat(dynamo.all())
        .extracting(i -> i.get("pk").s())
        .containsExactly("sqs://offhours-queue/" + batch.getRecords().get(1).getMessageId());
  }

  @Test
  void aDeferredCopyCountsOneMoreDeferralAndKeepsItsAttempts() {
    endpointAbsent();
    SQSEvent event = fixture("sqs-s3-put.json");
    MessageAttribute previous = new MessageAttribute();
    previous.setDataType("Number");
    previous.setStringValue("4");
    event.getRecords().getFirst().setMessageAttributes(Map.of("offhours-deferrals", previous));

    run(event);

    assertThat(sqs.sent)
        .singleElement()
        .satisfies(copy -> assertThat(
                copy.messageAttributes().get("offhours-deferrals").stringValue())
            .isEqualTo("5"));
    assertThat(Deferrals.attempts(queueMessage(event))).isEqualTo(5);
  }

  @Test
  void aDeferralThatCannotBeSentIsRetried() {
    endpointAbsent();
    sqs.failWith = software.amazon.awssdk.services.sqs.model.SqsException.builder()
        .statusCode(500)
        .message("InternalError")
        .build();
    assertTheUploadIsRetried();
  }

  @Test
  void aModelCrashIsRejectedOnTheThirdReceive() {
    runtime.answer = r -> {
      throw workerDied();
    };
    SQSEvent event = fixture("sqs-s3-put.json");
    event.getRecords().getFirst().getAttributes().put("ApproximateReceiveCount", "3");

    SQSBatchResponse response = run(event);

    assertThat(failures(response)).isEmpty();
    assertThat(sqs.sent).isEmpty();
    assertThat(item("s3://offhours-images/uploads/rocket.jpg").get("reason").s())
        .isEqualTo("the model failed on this image 3 times (status 500): worker died");
  }

  @Test
  void timeSpentDeferredDoesNotCountAsModelCrashes() {
    runtime.answer = r -> {
      throw workerDied();
    };
    SQSEvent event = fixture("sqs-s3-put.json");
    MessageAttribute deferred = new MessageAttribute();
    deferred.setDataType("Number");
    deferred.setStringValue("40");
    event.getRecords().getFirst().setMessageAttributes(Map.of("offhours-deferrals", deferred));

    assertThat(failures(run(event)))
        .containsExactly(event.getRecords().getFirst().getMessageId());
    assertThat(dynamo.puts).isEmpty();
  }

  @Test
  void aFirstModelCrashRetriesOnlyThatMessageAndTheBatchGoesOn() {
    runtime.answer = r -> {
      if (r.body().asByteArray().length == image("rocket.jpg").length) {
        throw workerDied();
      }
      return "[0.1, 0.1, 0.6, 0.1, 0.1]";
    };
    SQSEvent batch = fixture("sqs-batch-with-poison.json");

    SQSBatchResponse response = LambdaSqsJson.invoke(handler(6_291_456L, 1), batch);

    assertThat(failures(response)).containsExactly(batch.getRecords().get(0).getMessageId());
    assertThat(sqs.sent).isEmpty();
    assertThat(item("s3://offhours-images/uploads/chelsea.png").get("status").s())
        .as("the endpoint is up, so the rest of the batch is classified")
        .isEqualTo("CLASSIFIED");
  }

  @Test
  void accessDeniedOnTheObjectIsRetriedWithWhatToFix() {
    s3.failWith = Fakes.s3Error(403, "AccessDenied", "Access Denied");
    assertTheUploadIsRetried();
    assertThat(dynamo.puts).isEmpty();
  }

  @Test
  void anArchivedObjectIsRejectedNamingItsStorageClassNotRetriedAsAccessDenied() {
    s3.failWith = InvalidObjectStateException.builder()
        .statusCode(403)
        .storageClass("DEEP_ARCHIVE")
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("InvalidObjectState")
            .errorMessage("The operation is not valid for the object's storage class")
            .build())
        .build();

    SQSBatchResponse response = run(withObject("old.jpg", 10L, "e1"));

    assertThat(failures(response)).isEmpty();
    assertThat(item("s3://offhours-images/old.jpg").get("reason").s())
        .isEqualTo(
            "object s3://offhours-images/old.jpg is archived in storage class DEEP_ARCHIVE and"
                + " cannot be read until it is restored; restore it, then reprocess it");
  }

  @Test
  void anIntelligentTieringArchiveNamesItsAccessTier() {
    s3.failWith = InvalidObjectStateException.builder()
        .statusCode(403)
        .storageClass("INTELLIGENT_TIERING")
        .accessTier("ARCHIVE_ACCESS")
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("InvalidObjectState")
            .errorMessage("The operation is not valid for the object's access tier")
            .build())
        .build();

    run(withObject("old.jpg", 10L, "e1"));

    assertThat(item("s3://offhours-images/old.jpg").get("reason").s())
        .contains("archived in storage class INTELLIGENT_TIERING (access tier ARCHIVE_ACCESS)");
  }

  @Test
  void anObjectEncryptedWithACustomerKeyIsRejectedSayingOffhoursCannotReadIt() {
    s3.failWith = Fakes.s3Error(
        400,
        "InvalidRequest",
        "The object was stored using a form of Server Side Encryption. The correct parameters must"
            + " be provided to retrieve the object.");

    SQSBatchResponse response = run(withObject("secret.jpg", 10L, "e1"));

    assertThat(failures(response)).isEmpty();
    assertThat(item("s3://offhours-images/secret.jpg").get("reason").s())
        .isEqualTo(
            "object s3://offhours-images/secret.jpg is encrypted with a customer-provided key"
                + " (SSE-C), which offhours cannot read: it is never given the key; upload it again without"
                + " SSE-C");
  }

  @Test
  void anObjectUnderAKmsKeyTheFunctionMayNotUseIsRejectedNamingTheKey() {
    s3.failWith = Fakes.s3Error(
        403,
        "AccessDenied",
        "User: arn:aws:sts::123456789012:assumed-role/offhours-ClassifyRole-X/offhours-classify is not"
            + " authorized to perform: kms:Decrypt on resource:"
            + " arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab because no"
            + " resource-based policy allows the kms:Decrypt action");

    SQSBatchResponse response = run(withObject("their-key.jpg", 10L, "e1"));

    assertThat(failures(response)).as("not retried into the DLQ").isEmpty();
    assertThat(item("s3://offhours-images/their-key.jpg").get("reason").s())
        .isEqualTo("object s3://offhours-images/their-key.jpg is encrypted with the KMS key"
            + " arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab, which the"
            + " Classify function may not use (kms:Decrypt denied): the function's role may decrypt"
            + " through S3 with keys of this account whose key policy lets IAM policies grant their"
            + " use; allow the role in that key's policy, or upload the object again without that key,"
            + " then reprocess it");
  }

  @Test
  void kmssOlderWordingWithoutAKeyIsRejectedToo() {
    s3.failWith = Fakes.s3Error(
        403,
        "AccessDenied",
        "The ciphertext refers to a customer master key that does not exist, does not exist in this"
            + " region, or you are not allowed to access.");

    SQSBatchResponse response = run(withObject("their-key.jpg", 10L, "e1"));

    assertThat(failures(response)).isEmpty();
    assertThat(item("s3://offhours-images/their-key.jpg").get("reason").s())
        .startsWith("object s3://offhours-images/their-key.jpg is encrypted with a KMS key, which"
            + " the Classify function may not use (kms:Decrypt denied)");
  }

  @Test
  void accessDeniedOnGetObjectItselfIsRetriedEvenWhenTheRoleIsNamedAfterKms() {
    s3.failWith = Fakes.s3Error(
        403,
        "AccessDenied",
        "User: arn:aws:sts::123456789012:assumed-role/kms-readers/f is not authorized to perform:"
            + " s3:GetObject on resource: arn:aws:s3:::offhours-images/a.jpg");
    assertTheUploadIsRetried();
    assertThat(dynamo.puts).isEmpty();
  }

  @Test
  void anotherInvalidRequestIsRetriedNotAVerdict() {
    s3.failWith = Fakes.s3Error(400, "InvalidRequest", "Something else about the request");
    assertTheUploadIsRetried();
    assertThat(dynamo.puts).isEmpty();
  }

  @Test
  void aDeletedVersionIsRejectedAsGone() {
    s3.failWith = Fakes.s3Error(404, "NoSuchVersion", "The specified version does not exist.");

    run(event(message("m1", notification("v.jpg", 10L, "e1", "\"versionId\":\"abc\","))));

    assertThat(item("s3://offhours-images/v.jpg").get("reason").s())
        .isEqualTo("object s3://offhours-images/v.jpg no longer exists (deleted after upload)");
  }

  @Test
  void aSecondDeliveryOfTheSameVersionIsADuplicateAndSucceeds() {
    run(fixture("sqs-s3-put.json"));
    SQSBatchResponse again = run(fixture("sqs-s3-put.json"));

    assertThat(failures(again)).isEmpty();
    assertThat(dynamo.puts).hasSize(2);
    assertThat(dynamo.items).hasSize(1);
  }

  @Test
  void dynamoDbThrottlingIsRetriedThroughTheQueue() {
    dynamo.failWith = ProvisionedThroughputExceededException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ProvisionedThroughputExceededException")
            .build())
        .build();
    assertTheUploadIsRetried();
  }

  @Test
  void anS3ServerErrorIsRetried() {
    s3.failWith = Fakes.s3Error(503, "SlowDown", "Please reduce your request rate.");
    assertTheUploadIsRetried();
    assertThat(dynamo.puts).isEmpty();
  }

  @Test
  void aLabelCountMismatchIsRetriedAsAConfigurationError() {
    runtime.answer = r -> "[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4]";
    assertTheUploadIsRetried();
    assertThat(dynamo.puts).isEmpty();
  }

  @Test
  void aMessageWithSeveralRecordsTakesTheWorstOutcomeAndItsCopyIsIdempotent() {
    s3.put(BUCKET, "one.jpg", image("rocket.jpg"), "e1")
        .put(BUCKET, "two.png", image("chelsea.png"), "e2");
    String body = "{\"Records\":[" + record("one.jpg", 112525L, "e1", "") + ","
        + record("two.png", 240512L, "e2", "") + "]}";
    runtime.answer = r -> {
      if (ImageFormat.of(r.body().asByteArray()) == ImageFormat.PNG) {
        throw ValidationErrorException.builder()
            .statusCode(400)
            .awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("ValidationError")
                .errorMessage("Endpoint offhours-endpoint is not in service.")
                .build())
            .build();
      }
      return "[0.1, 0.7, 0.05, 0.1, 0.05]";
    };

    SQSBatchResponse first =
        LambdaSqsJson.invoke(handler(6_291_456L, 1), event(message("m1", body)));

    assertThat(failures(first)).isEmpty();
    assertThat(sqs.sent)
        .singleElement()
        .satisfies(copy -> assertThat(copy.messageBody()).isEqualTo(body));
    assertThat(dynamo.all())
        .extracting(i -> i.get("pk").s())
        .containsExactly("s3://offhours-images/one.jpg");

    runtime.answer = r -> "[0.1, 0.7, 0.05, 0.1, 0.05]";
    SQSBatchResponse copy = run(event(message("m2", body)));

    assertThat(failures(copy)).isEmpty();
    assertThat(dynamo.all())
        .extracting(i -> i.get("pk").s())
        .containsExactlyInAnyOrder("s3://offhours-images/one.jpg", "s3://offhours-images/two.png");
  }

  @Test
  void objectRemovedEventsAreIgnored() {
    String body = "{\"Records\":["
        + record("x.jpg", 1L, "e1", "").replace("ObjectCreated:Put", "ObjectRemoved:Delete") + "]}";

    assertThat(failures(run(event(message("m1", body))))).isEmpty();
    assertThat(dynamo.puts).isEmpty();
    assertThat(s3.gets).isEmpty();
  }

  @Test
  void labelsComeFromS3WhenOnlyAFileIsConfigured() {
    s3.put(
        "models",
        "labels.txt",
        "Drawing\nHentai\nNeutral\nPorn\nSexy\n".getBytes(StandardCharsets.UTF_8),
        "l1");
    ClassifyConfig config =
        config("LABELS", "", "LABELS_S3_URI", "s3://models/labels.txt", "TOP_K", "1");

    LambdaSqsJson.invoke(handler(config), fixture("sqs-s3-put.json"));

    assertThat(item("s3://offhours-images/uploads/rocket.jpg").get("topLabel").s())
        .isEqualTo("Hentai");
    assertThat(item("s3://offhours-images/uploads/rocket.jpg").get("settings").s())
        .as("the settings the file's names make: the same as LABELS with these names in this order")
        .isEqualTo("f74d3ec496f3");
  }

  @Test
  void aLabelsFileWithoutLabelsFailsInit() {
    s3.put("models", "labels.txt", "\n\n".getBytes(StandardCharsets.UTF_8), "l1");
    ClassifyConfig config = config("LABELS", "", "LABELS_S3_URI", "s3://models/labels.txt");

    assertThatThrownBy(() -> handler(config))
        .hasMessage("LABELS_S3_URI s3://models/labels.txt holds no labels (expected one per line)");
  }

  private void endpointAbsent() {
    runtime.answer = r -> {
      throw ClassifyRulesTest.endpointNotFound();
    };
  }

  static String record(String key, long size, String eTag, String extra) {
    return "{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventTime\":\"2026-11-25T10:00:00.000Z\","
        + "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + BUCKET
        + "\"},\"object\":{"
        + extra + "\"key\":\"" + key + "\",\"size\":" + size + ",\"eTag\":\"" + eTag
        + "\",\"sequencer\":\"00AB\"}}}";
  }

  static String notification(String key, long size, String eTag, String extra) {
    return "{\"Records\":[" + record(key, size, eTag, extra) + "]}";
  }

  static SQSEvent withObject(String key, long size, String eTag) {
    return event(message("m-" + key, notification(key, size, eTag, "")));
  }

  static SQSEvent.SQSMessage message(String id, String body) {
    SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
    m.setMessageId(id);
    m.setBody(body);
    m.setAttributes(new java.util.HashMap<>(Map.of("ApproximateReceiveCount", "1")));
    m.setMessageAttributes(Map.of());
    m.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:offhours-queue");
    return m;
  }

  /** The first record of {@code event} as the handler reads it. */
  static QueueMessage queueMessage(SQSEvent event) {
    try {
      return SqsEvents.read(new java.io.ByteArrayInputStream(LambdaSqsJson.toJson(event)))
          .getFirst();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static SQSEvent event(SQSEvent.SQSMessage... messages) {
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(messages));
    return event;
  }

  /** The handler the Lambda constructor makes: its queue client comes from {@code queue} when first asked for. */
  ClassifyHandler handlerAskingFor(java.util.function.Supplier<FakeSqs> queue) {
    return new ClassifyHandler(
        s3,
        queue::get,
        dynamo,
        runtime,
        config(),
        Clock.fixed(NOW, ZoneOffset.UTC),
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
  }

  @Test
  void theQueueClientIsAskedForOnlyWhenAMessageIsHandedBack() {
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    ClassifyHandler handler = handlerAskingFor(() -> {
      asked.incrementAndGet();
      return sqs;
    });

    assertThat(failures(LambdaSqsJson.invoke(handler, fixture("sqs-s3-put.json"))))
        .isEmpty();
    assertThat(asked)
        .as(
            "a batch that hands nothing back never needs the queue client (a cold start does not build it)")
        .hasValue(0);

    endpointAbsent();
    assertThat(failures(LambdaSqsJson.invoke(handler, fixture("sqs-s3-put.json"))))
        .isEmpty();
    assertThat(asked).as("the deferral asks for it").hasPositiveValue();
    assertThat(sqs.sent).as("the copy went through it").hasSize(1);
  }

  @Test
  void snapStartPrimingBuildsTheQueueClientIntoTheSnapshotAndSendsNothing() {
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    ClassifyHandler handler = handlerAskingFor(() -> {
      asked.incrementAndGet();
      return sqs;
    });

    handler.beforeCheckpoint(null);

    assertThat(asked).hasPositiveValue();
    assertThat(sqs.sent).isEmpty();
  }

  @Test
  void withHostingServerlessThePrimingInvocationTheModelAnsweredGoesToTheLedger() {
    // Lambda runs the hook with the function's role and environment: the call reaches the real
    // endpoint, and a serverless one bills what its model ran.
    String answer = "[0.1, 0.2, 0.3, 0.2, 0.2]";
    runtime.answer = r -> answer;

    handler(config(
            "HOSTING",
            "serverless",
            "CONTROL_TABLE_NAME",
            "control",
            "SERVERLESS_MEMORY_MB",
            "2048"))
        .beforeCheckpoint(null);

    assertThat(runtime.requests).hasSize(1);
    assertThat(dynamo.updates).singleElement().satisfies(u -> {
      assertThat(u.tableName()).isEqualTo("control");
      assertThat(u.key().get("pk").s()).isEqualTo("ledger");
      assertThat(u.expressionAttributeValues().get(":invocations").n()).isEqualTo("1");
      assertThat(Long.parseLong(
              u.expressionAttributeValues().get(":invocationBytes").n()))
          .as("the 1x1 PNG sent and the answer received")
          .isEqualTo(runtime.requests.getFirst().body().asByteArray().length + answer.length());
    });
  }

  @Test
  void snapStartPrimingReadsAKeyNoUploadHasOnAnETagNoObjectHas() {
    handler(6_291_456L).beforeCheckpoint(null);

    assertThat(s3.gets)
        .as("the read of an upload, the first batch's costliest first call, is in the snapshot")
        .singleElement()
        .satisfies(get -> {
          assertThat(get.bucket()).isEqualTo(BUCKET);
          assertThat(get.key()).isEqualTo(Priming.ABSENT_KEY);
          assertThat(get.ifMatch())
              .as("an object at that key would answer 412: its body is never read")
              .isEqualTo("\"offhours-priming\"");
          assertThat(get.overrideConfiguration().flatMap(c -> c.apiCallTimeout()))
              .as("a stalled S3 does not hold the version's publication")
              .isPresent();
        });
  }

  @Test
  void snapStartPrimingWarmsTheEndpointPathWithoutWritingAnythingAndSurvivesFailures() {
    runtime.answer = r -> {
      throw software.amazon.awssdk.services.sagemakerruntime.model.ValidationErrorException
          .builder()
          .message("Endpoint offhours-endpoint of account 123456789012 not found.")
          .statusCode(400)
          .build();
    };

    handler(6_291_456L).beforeCheckpoint(null);

    assertThat(dynamo.items).as("priming stores no result").isEmpty();
    assertThat(dynamo.puts)
        .singleElement()
        .satisfies(put -> assertThat(put.conditionExpression()).isEqualTo("attribute_exists(pk)"));
    assertThat(sqs.sent).as("priming defers nothing").isEmpty();
    assertThat(runtime.requests).singleElement().satisfies(r -> {
      assertThat(r.endpointName()).isEqualTo("offhours-endpoint");
      assertThat(r.contentType()).isEqualTo("application/x-image");
      assertThat(r.body().asByteArray()).startsWith(0x89, 'P', 'N', 'G');
    });
  }
}
