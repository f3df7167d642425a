package offhours.classify;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import offhours.aws.UsageLedger;
import offhours.classify.S3Notifications.ObjectEvent;
import offhours.inference.InferenceClient;
import offhours.inference.InvocationUsage;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a SnapStart snapshot should already have done: the first batch of a cold start spends most of its time
 * loading and initialising the SDK's request paths and opening connections, not classifying. Run before the
 * snapshot, these calls do that work once, so a restored function starts warm
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html). No result is written: a
 * TestEvent batch, as the JSON Lambda would send, goes through the handler's whole stream path and is acknowledged
 * and ignored, the read of an upload asks the images bucket for a reserved key that no upload has (S3 answers 404,
 * and an object there would answer 412 to the request's ETag, so no body is ever read), the DynamoDB write is
 * conditional on a reserved key that never exists, and the endpoint call sends a 1x1 PNG (answered, or refused while
 * the endpoint is off). Lambda runs this hook with the function's role and
 * environment when it publishes a version, so that call reaches the stack's real endpoint: with hosting serverless
 * an answer is billed, and it goes to the ledger like a batch's invocations. Every failure is swallowed: priming
 * must never stop a version from being published.
 */
final class Priming {

  /** A 1x1 grey PNG: the smallest image the endpoint accepts. */
  private static final byte[] PIXEL = Base64.getDecoder()
      .decode(
          "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==");

  /** An SQS event of one S3 TestEvent message, as Lambda delivers it. */
  private static final byte[] TEST_EVENT_BATCH = JsonWriter.create()
      .writeStartObject()
      .writeFieldName("Records")
      .writeStartArray()
      .writeStartObject()
      .writeFieldName("messageId")
      .writeValue("offhours-priming")
      .writeFieldName("receiptHandle")
      .writeValue("priming")
      .writeFieldName("body")
      .writeValue("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\","
          + "\"Time\":\"2026-01-01T00:00:00.000Z\",\"Bucket\":\"offhours-priming\",\"RequestId\":\"priming\","
          + "\"HostId\":\"priming\"}")
      .writeFieldName("attributes")
      .writeStartObject()
      .writeFieldName("ApproximateReceiveCount")
      .writeValue("1")
      .writeEndObject()
      .writeFieldName("messageAttributes")
      .writeStartObject()
      .writeEndObject()
      .writeFieldName("eventSource")
      .writeValue("aws:sqs")
      .writeFieldName("eventSourceARN")
      .writeValue("arn:aws:sqs:us-east-1:000000000000:offhours-priming")
      .writeFieldName("awsRegion")
      .writeValue("us-east-1")
      .writeEndObject()
      .writeEndArray()
      .writeEndObject()
      .getBytes();

  /**
   * The upload the priming read asks for: a key under a prefix offhours never writes, and an ETag that no object has
   * (S3's ETags are hex digests), so even if someone uploaded that key, S3 would refuse the read with 412.
   */
  static final String ABSENT_KEY = "offhours-priming/absent.png";

  /** Not a hex digest, so no object's ETag. */
  private static final String NO_OBJECTS_ETAG = "offhours-priming";

  /** Bounds the read as a batch's deadline would: a stalled S3 must not hold a version's publication. */
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final ClassifyHandler handler;
  private final S3Client s3;
  private final Supplier<SqsClient> queue;
  private final DynamoDbClient dynamo;
  private final InferenceClient inference;
  private final UsageLedger usage;
  private final ClassifyConfig config;

  Priming(
      ClassifyHandler handler,
      S3Client s3,
      Supplier<SqsClient> queue,
      DynamoDbClient dynamo,
      InferenceClient inference,
      UsageLedger usage,
      ClassifyConfig config) {
    this.handler = handler;
    this.s3 = s3;
    this.queue = queue;
    this.dynamo = dynamo;
    this.inference = inference;
    this.usage = usage;
    this.config = config;
  }

  /** Returns how many of the warm-up calls completed without an error (for logs and tests). */
  int prime() {
    // The queue client is built on first use (only deferrals send); built here it is in the
    // snapshot, so a restored
    // function that must hand messages back does not build it then. Nothing is sent.
    attempt(() -> queue.get());
    int ok = 0;
    ok += attempt(() -> {
      try {
        handler.handleRequest(
            new ByteArrayInputStream(TEST_EVENT_BATCH), new ByteArrayOutputStream(), null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    // The read of an upload, the first batch's costliest first call (S3's endpoint rules,
    // signing, the response's headers): without it the first batch after this hook took about
    // 150 ms instead of 85 (README, Performance).
    ok += attempt(this::readAbsentUpload);
    // The path of a result's write, with the one permission the function has (PutItem), on a
    // condition that
    // never holds: DynamoDB answers ConditionalCheckFailed and stores nothing.
    ok += attempt(() -> dynamo.putItem(r -> r.tableName(config.tableName())
        .item(
            Map.of("pk", AttributeValue.fromS("offhours#priming"), "sk", AttributeValue.fromS("-")))
        .conditionExpression("attribute_exists(pk)")));
    // The request the consumer builds and the reading of the answer (which may not fit a 1x1 image:
    // no matter). It reaches the real endpoint: with hosting serverless, what the model ran for is
    // billed like any invocation, so it goes to the ledger as a batch's would.
    InvocationUsage spent = usage.tally();
    ok += attempt(() -> inference.invoke(PIXEL.clone(), null, spent));
    usage.add(spent);
    return ok;
  }

  /** The request a batch sends for an upload ({@link ImageDownloads#request}), for {@link #ABSENT_KEY}. */
  private void readAbsentUpload() {
    ObjectEvent absent = new ObjectEvent(
        0,
        "ObjectCreated:Put",
        Instant.EPOCH,
        config.bucketName(),
        ABSENT_KEY,
        null,
        NO_OBJECTS_ETAG,
        null,
        null);
    try (ResponseInputStream<GetObjectResponse> in =
        s3.getObject(ImageDownloads.request(absent, READ_TIMEOUT))) {
      in.abort(); // S3 served it after all: read none of it
    } catch (NoSuchKeyException expected) {
      // the answer for a key no upload has: the path is warm
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int attempt(Runnable call) {
    try {
      call.run();
      return 1;
    } catch (RuntimeException e) {
      return 0; // expected while the endpoint is off, or without a permission: the code path is
      // warm anyway
    }
  }
}
