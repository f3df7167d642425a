package offhours.classify;

import com.amazonaws.services.lambda.runtime.events.SQSEvent.MessageAttribute;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import offhours.classify.EndpointErrors.Decision;
import offhours.classify.Outcome.Kind;
import offhours.classify.S3Notifications.BadRecord;
import offhours.classify.S3Notifications.Entry;
import offhours.classify.S3Notifications.Malformed;
import offhours.classify.S3Notifications.ObjectEvent;
import offhours.classify.S3Notifications.Parsed;
import offhours.classify.S3Notifications.Records;
import offhours.classify.S3Notifications.TestEvent;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Label;
import offhours.results.ResultItem.Status;
import offhours.results.ResultsTable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** Turns one SQS message (an S3 notification) into results, a deferral, or a retry. */
final class MessageClassifier {

  /** Message attribute counting how often a message was handed back because the endpoint was unavailable. */
  static final String DEFERRALS = "offhours-deferrals";
  static final String CONTENT_TYPE = "application/x-image";

  private final S3Client s3;
  private final SqsClient sqs;
  private final SageMakerRuntimeClient runtime;
  private final ResultsTable results;
  private final ClassifyConfig config;
  private final String labelSource;
  private final Clock clock;
  private final OutcomeLog log;

  MessageClassifier(S3Client s3, SqsClient sqs, SageMakerRuntimeClient runtime, ResultsTable results,
      ClassifyConfig config, Clock clock, OutcomeLog log) {
    this.s3 = s3;
    this.sqs = sqs;
    this.runtime = runtime;
    this.results = results;
    this.config = config;
    this.labelSource = config.labelsS3Uri() != null ? "LABELS_S3_URI " + config.labelsS3Uri() : "LABELS";
    this.clock = clock;
    this.log = log;
  }

  /**
   * Handles one message; never throws. {@code endpointDown} is shared by the batch: once a record finds
   * the endpoint unavailable, the others are deferred without invoking it.
   */
  Kind process(SQSMessage message, AtomicBoolean endpointDown) {
    int attempts = attempts(message);
    List<Outcome> outcomes = new ArrayList<>();
    try {
      Parsed parsed = S3Notifications.parse(message.getBody());
      switch (parsed) {
        case TestEvent t -> outcomes.add(Outcome.of(Kind.IGNORED, subject(message), "s3:TestEvent"));
        case Malformed m -> outcomes.add(reject(message, "body", m.reason(), attempts));
        case Records r -> {
          for (Entry entry : r.entries()) {
            outcomes.add(entry(message, entry, attempts, endpointDown));
          }
        }
      }
    } catch (RuntimeException e) {
      outcomes.add(Outcome.of(Kind.RETRY, subject(message), describe(e)));
    }
    Kind kind = Outcome.worst(outcomes);
    if (kind == Kind.DEFERRED) {
      try {
        deferCopy(message);
      } catch (SdkException e) {
        kind = Kind.RETRY;
        outcomes.add(Outcome.of(Kind.RETRY, subject(message), "could not send the deferred copy: " + describe(e)));
      }
    }
    log.write(message.getMessageId(), kind, attempts, outcomes);
    return kind;
  }

  private Outcome entry(SQSMessage message, Entry entry, int attempts, AtomicBoolean endpointDown) {
    try {
      return switch (entry) {
        case BadRecord bad -> reject(message, "record-" + bad.index(), bad.reason(), attempts);
        case ObjectEvent event when !event.created() ->
            Outcome.of(Kind.IGNORED, event.uri(), "not an ObjectCreated event: " + event.eventName());
        case ObjectEvent event -> classify(event, attempts, endpointDown);
      };
    } catch (RuntimeException e) {
      String subject = entry instanceof ObjectEvent event ? event.uri() : subject(message);
      return Outcome.of(Kind.RETRY, subject, describe(e));
    }
  }

  private Outcome classify(ObjectEvent event, int attempts, AtomicBoolean endpointDown) {
    if (event.size() != null && event.size() > config.maxImageBytes()) {
      return verdict(event, tooLarge(event, event.size()), attempts);
    }
    if (endpointDown.get()) {
      return Outcome.of(Kind.DEFERRED, event.uri(), "endpoint unavailable earlier in this batch");
    }
    byte[] image;
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(getRequest(event))) {
      long length = in.response().contentLength() == null ? -1 : in.response().contentLength();
      if (length > config.maxImageBytes()) {
        in.abort();
        return verdict(event, tooLarge(event, length), attempts);
      }
      if (length == 0) {
        return verdict(event, "object " + event.uri() + " is empty (0 bytes)", attempts);
      }
      image = length > 0 ? readExactly(in, (int) length, event) : in.readAllBytes();
    } catch (NoSuchKeyException gone) {
      return verdict(event, "object " + event.uri() + " no longer exists (deleted after upload)", attempts);
    } catch (S3Exception e) {
      return switch (e.statusCode()) {
        // NoSuchVersion when a versionId was asked for and that version was deleted.
        case 404 -> verdict(event, "object " + event.uri() + " no longer exists (deleted after upload)", attempts);
        case 412 -> verdict(event, "object " + event.uri()
            + " was overwritten before it could be classified; the newer version has its own result", attempts);
        // Without s3:ListBucket S3 answers 403 for a missing key too; either way it is the deployment's to fix.
        case 403 -> Outcome.of(Kind.RETRY, event.uri(), "access denied reading " + event.uri()
            + "; the function needs s3:GetObject and s3:ListBucket on the bucket: " + describe(e));
        default -> throw e;
      };
    } catch (IOException e) {
      return Outcome.of(Kind.RETRY, event.uri(), "reading " + event.uri() + " failed: " + e.getMessage());
    }
    if (image.length == 0) {
      return verdict(event, "object " + event.uri() + " is empty (0 bytes)", attempts);
    }
    if (image.length > config.maxImageBytes()) { // only when S3 sent no Content-Length
      return verdict(event, tooLarge(event, image.length), attempts);
    }
    if (ImageFormat.of(image) == null) {
      return verdict(event, "unsupported format: object " + event.uri() + " looks like " + ImageFormat.describe(image)
          + "; offhours accepts JPEG and PNG", attempts);
    }
    if (endpointDown.get()) {
      return Outcome.of(Kind.DEFERRED, event.uri(), "endpoint unavailable earlier in this batch");
    }
    InvokeEndpointResponse response;
    try {
      response = runtime.invokeEndpoint(r -> r
          .endpointName(config.endpointName())
          .contentType(CONTENT_TYPE)
          .accept("application/json")
          .body(SdkBytes.fromByteArrayUnsafe(image)));
    } catch (SdkException e) {
      Decision decision = EndpointErrors.classify(e, attempts);
      if (decision.endpointDown()) {
        endpointDown.set(true);
      }
      return decision.kind() == Kind.REJECTED
          ? verdict(event, decision.reason(), attempts)
          : Outcome.of(decision.kind(), event.uri(), decision.reason());
    }
    List<Label> labels;
    try {
      labels = Predictions.topK(response.body().asByteArrayUnsafe(), config.labels(), labelSource, config.topK());
    } catch (Predictions.ContractViolation e) {
      return Outcome.of(Kind.RETRY, event.uri(), e.getMessage());
    }
    Label top = labels.getFirst();
    ResultItem item = item(event, image.length, Status.CLASSIFIED, null, labels, attempts);
    return results.put(item)
        ? Outcome.of(Kind.CLASSIFIED, event.uri(), top.label() + " " + top.score())
        : Outcome.of(Kind.DUPLICATE, event.uri(), "already classified");
  }

  /**
   * Asks for exactly the version the event is about: by versionId in a versioned bucket, else by
   * If-Match on its ETag, so a later overwrite is never classified under this event's identity
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).
   */
  static GetObjectRequest getRequest(ObjectEvent event) {
    GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(event.bucket()).key(event.key());
    if (event.versionId() != null && !event.versionId().isEmpty()) {
      request.versionId(event.versionId());
    } else if (event.eTag() != null && !event.eTag().isEmpty()) {
      request.ifMatch("\"" + event.eTag() + "\"");
    }
    return request.build();
  }

  /** One array of the object's size, filled once, handed to the SDK without a copy. */
  private static byte[] readExactly(InputStream in, int length, ObjectEvent event) throws IOException {
    byte[] bytes = new byte[length];
    int read = in.readNBytes(bytes, 0, length);
    if (read != length) {
      throw new IOException("the body of " + event.uri() + " ended after " + read + " of " + length + " bytes");
    }
    return bytes;
  }

  private String tooLarge(ObjectEvent event, long size) {
    return String.format(Locale.ROOT, "object %s is %s; the endpoint accepts at most %s",
        event.uri(), megabytes(size), megabytes(config.maxImageBytes()));
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  private Outcome verdict(ObjectEvent event, String reason, int attempts) {
    ResultItem item = item(event, event.size(), Status.REJECTED, reason, List.of(), attempts);
    return results.put(item)
        ? Outcome.of(Kind.REJECTED, event.uri(), reason)
        : Outcome.of(Kind.DUPLICATE, event.uri(), "already has a result");
  }

  /** A message that is not an S3 notification still gets a result, under the message's own identity. */
  private Outcome reject(SQSMessage message, String part, String reason, int attempts) {
    String pk = "sqs://" + queueName(message) + "/" + message.getMessageId();
    ResultItem item = new ResultItem(pk, "m#" + part, null, null, null, null, null, null, Status.REJECTED, reason,
        List.of(), null, null, config.modelName(), config.endpointName(), null, clock.instant(), attempts);
    return results.put(item) ? Outcome.of(Kind.REJECTED, pk, reason) : Outcome.of(Kind.DUPLICATE, pk, "already has a result");
  }

  private ResultItem item(ObjectEvent event, Number size, Status status, String reason, List<Label> labels,
      int attempts) {
    Label top = labels.isEmpty() ? null : labels.getFirst();
    return new ResultItem(
        ResultItem.pkFor(event.bucket(), event.key()),
        skFor(event),
        event.bucket(), event.key(), event.versionId(), event.eTag(), event.sequencer(),
        size == null ? null : size.longValue(),
        status, reason, labels,
        top == null ? null : top.label(),
        top == null ? null : top.score(),
        config.modelName(), config.endpointName(), event.eventTime(), clock.instant(), attempts);
  }

  /** An event without versionId and eTag (never sent by S3) is keyed by its sequencer so it is not lost. */
  private static String skFor(ObjectEvent event) {
    if ((event.versionId() == null || event.versionId().isEmpty()) && (event.eTag() == null || event.eTag().isEmpty())) {
      return "s#" + event.sequencer();
    }
    return ResultItem.skFor(event.versionId(), event.eTag());
  }

  /**
   * Endpoint unavailable is never the message's fault: a delayed copy goes back on the queue with the
   * deferral count incremented, and the original is acknowledged, so its receive count never walks it
   * toward the DLQ (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
   */
  private void deferCopy(SQSMessage message) {
    Map<String, MessageAttributeValue> attributes = new HashMap<>();
    if (message.getMessageAttributes() != null) {
      message.getMessageAttributes().forEach((name, value) -> {
        if (!DEFERRALS.equals(name) && value.getStringValue() != null) {
          attributes.put(name, MessageAttributeValue.builder()
              .dataType(value.getDataType()).stringValue(value.getStringValue()).build());
        }
      });
    }
    attributes.put(DEFERRALS, MessageAttributeValue.builder()
        .dataType("Number").stringValue(Integer.toString(deferrals(message) + 1)).build());
    sqs.sendMessage(r -> r
        .queueUrl(config.queueUrl())
        .messageBody(message.getBody())
        .delaySeconds(config.deferSeconds())
        .messageAttributes(attributes));
  }

  /** SQS receives of this copy plus the deferrals of the copies before it. */
  static int attempts(SQSMessage message) {
    int receives = 1;
    Map<String, String> attributes = message.getAttributes();
    if (attributes != null && attributes.get("ApproximateReceiveCount") != null) {
      try {
        receives = Math.max(1, Integer.parseInt(attributes.get("ApproximateReceiveCount")));
      } catch (NumberFormatException ignored) {
        receives = 1;
      }
    }
    return receives + deferrals(message);
  }

  static int deferrals(SQSMessage message) {
    Map<String, MessageAttribute> attributes = message.getMessageAttributes();
    MessageAttribute value = attributes == null ? null : attributes.get(DEFERRALS);
    if (value == null || value.getStringValue() == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(value.getStringValue().strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The queue's name from the record's ARN (arn:aws:sqs:region:account:name), else from QUEUE_URL. */
  private String queueName(SQSMessage message) {
    String arn = message.getEventSourceArn();
    if (arn != null && arn.lastIndexOf(':') >= 0) {
      return arn.substring(arn.lastIndexOf(':') + 1);
    }
    return config.queueUrl().substring(config.queueUrl().lastIndexOf('/') + 1);
  }

  private String subject(SQSMessage message) {
    return "sqs://" + queueName(message) + "/" + message.getMessageId();
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
