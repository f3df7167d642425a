package offhours.classify;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import offhours.aws.UsageLedger;
import offhours.classify.S3Notifications.ObjectEvent;
import offhours.inference.InferenceClient;
import offhours.inference.InvocationUsage;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * What a SnapStart snapshot should already have done: the first batch of a cold start spends most of its time
 * loading and initialising the SDK's request paths and opening connections, not classifying. Run before the
 * snapshot, these calls do that work once, so a restored function starts warm
 * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html). Each goes through the code a batch
 * uses, and none changes anything:
 * <ul>
 *   <li>A TestEvent batch, as the JSON Lambda would send it, warms the handler's whole stream path; a batch
 *       acknowledges and ignores a TestEvent.
 *   <li>The read of an upload ({@link ImageDownloads#request}) warms S3's endpoint rules, signing and the reading of
 *       the response's headers. It asks the images bucket for a reserved key no upload has: S3 answers 404, and an
 *       object at that key would answer 412 to the request's ETag, so no body is ever read.
 *   <li>A result's write warms DynamoDB's path, with the one permission the function has (PutItem), on a reserved key
 *       and a condition that holds only if the item exists: DynamoDB refuses it and stores nothing.
 *   <li>The endpoint call sends a 1x1 PNG (answered, or refused while the endpoint is off). Lambda runs this hook with
 *       the function's role and environment when it publishes a version, so it reaches the stack's real endpoint:
 *       with hosting serverless an answer is billed, and it goes to the ledger like a batch's invocations.
 *   <li>The retry pause a failed batch sets ({@link RetryPace}) warms the queue client (built on first use, so here
 *       it is built into the snapshot), the marshalling, signing and endpoint rules of ChangeMessageVisibilityBatch
 *       and a connection to the queue, all of which a failed batch would otherwise pay inside the share of its time
 *       it gives the call ({@link BatchScope.Write#PACE}). It goes to the function's own queue, with one entry
 *       whose receipt handle no message has ({@link #NO_MESSAGE}): SQS answers 200 with that entry failed
 *       (ReceiptHandleIsInvalid; moto_server answers the same), or refuses the whole call (AccessDenied, say).
 *       Either is SQS's answer, so either counts as warm, and neither is logged: no message was paced.
 *   <li>The deferral of a message while the endpoint is off ({@link Deferrals#send}) warms SendMessage's marshalling
 *       of a copy and its attributes, on the client and connection the pause warmed, which the first deferral after a
 *       restore would otherwise pay inside the share of its time it gives the call
 *       ({@link BatchScope.Write#DEFERRAL}). It sends a copy of {@link #NO_MESSAGE} to the function's own queue
 *       (sqs:SendMessage, the permission deferrals use) with a delay of {@link #REFUSED_DELAY_SECONDS}, past the
 *       most SQS allows: SQS refuses it (InvalidParameterValue; moto_server answers the same) and enqueues nothing.
 *       Were SQS ever to take it, the copy is a TestEvent, which a batch acknowledges and ignores. The refusal counts
 *       as warm, and nothing is logged: no message was deferred. What only a sent copy reaches (the reading of SQS's
 *       answer and its MD5 check) stays cold.
 * </ul>
 * Every failure is swallowed: priming must never stop a version from being published.
 */
final class Priming {

  /** A 1x1 grey PNG: the smallest image the endpoint accepts. */
  private static final byte[] PIXEL = Base64.getDecoder()
      .decode(
          "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==");

  /** The body of an S3 TestEvent message, which a batch acknowledges and ignores. */
  private static final String TEST_EVENT = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\","
      + "\"Time\":\"2026-01-01T00:00:00.000Z\",\"Bucket\":\"offhours-priming\",\"RequestId\":\"priming\","
      + "\"HostId\":\"priming\"}";

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
      .writeValue(TEST_EVENT)
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

  /**
   * The message priming asks SQS to hide, and to defer. Its receipt handle is none SQS could have issued (SQS's are
   * base64: letters, digits, '+', '/', '='; moto_server's are lower-case letters; '-' is in neither), so the change
   * finds no message on any queue. Were it ever to name one, that message would come back after RETRY_SECONDS: a
   * retry's pause, never a loss. Its body is a TestEvent, so a copy of it, were SQS ever to take one, would be
   * acknowledged and ignored.
   */
  static final QueueMessage NO_MESSAGE = new QueueMessage(
      "offhours-priming",
      "offhours-priming",
      TEST_EVENT,
      Map.of("ApproximateReceiveCount", "1"),
      Map.of(),
      null);

  /**
   * The delay of priming's deferred copy: one second past the 15 minutes SQS allows, so SQS refuses the SendMessage
   * (InvalidParameterValue: DelaySeconds must be at least 0 and at most 900,
   * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html) and enqueues nothing.
   * moto_server 5.2.1 refuses it the same way; it takes a negative delay and an empty body, which SQS refuses too.
   */
  static final int REFUSED_DELAY_SECONDS = 901;

  /** What priming's deferred copy would say of itself, were SQS ever to take it. */
  private static final String DEFERRAL_REASON =
      "SnapStart priming: a copy with a delay SQS refuses";

  /**
   * Bounds the read, the deferral's and the pause's calls as a batch's deadline would: a stalled S3 or SQS must not
   * hold a version's publication.
   */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  private final ClassifyHandler handler;
  private final S3Client s3;
  private final RetryPace pace;
  private final Deferrals deferrals;
  private final DynamoDbClient dynamo;
  private final InferenceClient inference;
  private final UsageLedger usage;
  private final ClassifyConfig config;

  Priming(
      ClassifyHandler handler,
      S3Client s3,
      RetryPace pace,
      Deferrals deferrals,
      DynamoDbClient dynamo,
      InferenceClient inference,
      UsageLedger usage,
      ClassifyConfig config) {
    this.handler = handler;
    this.s3 = s3;
    this.pace = pace;
    this.deferrals = deferrals;
    this.dynamo = dynamo;
    this.inference = inference;
    this.usage = usage;
    this.config = config;
  }

  /**
   * Returns how many of the warm-up calls got an answer (for tests): the refusals the read, the write, the pause and
   * the deferral are built to get count, the endpoint's refusal while it is off and a call nothing answered do not.
   */
  int prime() {
    int ok = 0;
    ok += attempt(() -> {
      try {
        handler.handleRequest(
            new ByteArrayInputStream(TEST_EVENT_BATCH), new ByteArrayOutputStream(), null);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    // The first batch's costliest first call: without it the first batch after this hook took
    // about 150 ms instead of 85 (the bench's cold line, 2026-12-04; README, Performance, has the
    // primed batch's latest time).
    ok += attempt(this::readAbsentUpload);
    ok += attempt(this::writeNoResult);
    // The answer may not fit a 1x1 image: no matter, its reading is warm.
    InvocationUsage spent = usage.tally();
    ok += attempt(() -> inference.invoke(PIXEL.clone(), null, spent));
    usage.add(spent);
    ok += attempt(this::pauseNoMessage);
    ok += attempt(this::deferNoMessage);
    return ok;
  }

  /** A result's write, on a reserved key and a condition that holds only if that item exists. */
  private void writeNoResult() {
    try {
      dynamo.putItem(r -> r.tableName(config.tableName())
          .item(Map.of(
              "pk", AttributeValue.fromS("offhours#priming"), "sk", AttributeValue.fromS("-")))
          .conditionExpression("attribute_exists(pk)"));
    } catch (ConditionalCheckFailedException expected) {
      // the answer for an item that does not exist: the path is warm, nothing was stored
    }
  }

  /** The pause of a failed message ({@link RetryPace#change}), for {@link #NO_MESSAGE}. */
  private void pauseNoMessage() {
    try {
      pace.change(List.of(NO_MESSAGE), CALL_TIMEOUT); // its entry comes back failed: warm
    } catch (AwsServiceException refused) {
      // SQS refused the whole call, which is an answer too: the path is warm
    }
  }

  /**
   * The deferred copy of {@link #NO_MESSAGE} ({@link Deferrals#send}), delayed {@link #REFUSED_DELAY_SECONDS}: SQS
   * refuses it and enqueues nothing.
   */
  private void deferNoMessage() {
    try {
      deferrals.send(
          NO_MESSAGE,
          DEFERRAL_REASON,
          Deferrals.Spend.DEFERRAL,
          REFUSED_DELAY_SECONDS,
          CALL_TIMEOUT);
    } catch (AwsServiceException refused) {
      // InvalidParameterValue, or AccessDenied, say: SQS's answer, so the path is warm
    }
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
        s3.getObject(ImageDownloads.request(absent, CALL_TIMEOUT))) {
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
      // The endpoint off, a permission missing, no answer: none may stop a version.
      return 0;
    }
  }
}
