package offhours.classify;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import offhours.classify.EndpointErrors.Decision;
import offhours.classify.ImageDownloads.Failed;
import offhours.classify.ImageDownloads.Image;
import offhours.classify.ImageDownloads.Unusable;
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
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Turns one SQS message (an S3 notification) into results, a deferral, or a retry. */
final class MessageClassifier {

  static final String CONTENT_TYPE = "application/x-image";

  private final SageMakerRuntimeClient runtime;
  private final ResultsTable results;
  private final ClassifyConfig config;
  private final String labelSource;
  private final Clock clock;
  private final OutcomeLog log;
  private final ImageDownloads downloads;
  private final Deferrals deferrals;

  MessageClassifier(S3Client s3, SqsClient sqs, SageMakerRuntimeClient runtime, ResultsTable results,
      ClassifyConfig config, Clock clock, OutcomeLog log) {
    this.runtime = runtime;
    this.results = results;
    this.config = config;
    this.labelSource = config.labelsS3Uri() != null ? "LABELS_S3_URI " + config.labelsS3Uri() : "LABELS";
    this.clock = clock;
    this.log = log;
    this.downloads = new ImageDownloads(s3, config.maxImageBytes());
    this.deferrals = new Deferrals(sqs, config.queueUrl(), config.deferSeconds());
  }

  /**
   * Handles one message; never throws. {@code endpointDown} is shared by the batch: once a record finds
   * the endpoint unavailable, the others are deferred without invoking it.
   */
  Kind process(QueueMessage message, AtomicBoolean endpointDown) {
    int attempts = Deferrals.attempts(message);
    List<Outcome> outcomes = new ArrayList<>();
    try {
      Parsed parsed = S3Notifications.parse(message.body());
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
        deferrals.send(message);
      } catch (SdkException e) {
        kind = Kind.RETRY;
        outcomes.add(Outcome.of(Kind.RETRY, subject(message), "could not send the deferred copy: " + describe(e)));
      }
    }
    log.write(message.messageId(), kind, attempts, outcomes);
    return kind;
  }

  private Outcome entry(QueueMessage message, Entry entry, int attempts, AtomicBoolean endpointDown) {
    try {
      return switch (entry) {
        case BadRecord bad -> reject(message, "record-" + bad.index(), bad.reason(), attempts);
        case ObjectEvent event when !event.created() ->
            Outcome.of(Kind.IGNORED, event.uri(), "not an ObjectCreated event: " + event.eventName());
        case ObjectEvent event -> classify(event, Deferrals.receives(message), attempts, endpointDown);
      };
    } catch (RuntimeException e) {
      String subject = entry instanceof ObjectEvent event ? event.uri() : subject(message);
      return Outcome.of(Kind.RETRY, subject, describe(e));
    }
  }

  private Outcome classify(ObjectEvent event, int receives, int attempts, AtomicBoolean endpointDown) {
    String sizeProblem = downloads.sizeProblem(event);
    if (sizeProblem != null) {
      return verdict(event, sizeProblem, attempts);
    }
    if (endpointDown.get()) {
      return Outcome.of(Kind.DEFERRED, event.uri(), "endpoint unavailable earlier in this batch");
    }
    byte[] image;
    switch (downloads.fetch(event)) {
      case Unusable u -> {
        return verdict(event, u.reason(), attempts);
      }
      case Failed f -> {
        return Outcome.of(Kind.RETRY, event.uri(), f.reason());
      }
      case Image i -> image = i.bytes();
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
      Decision decision = EndpointErrors.classify(e, receives);
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

  private Outcome verdict(ObjectEvent event, String reason, int attempts) {
    ResultItem item = item(event, event.size(), Status.REJECTED, reason, List.of(), attempts);
    return results.put(item)
        ? Outcome.of(Kind.REJECTED, event.uri(), reason)
        : Outcome.of(Kind.DUPLICATE, event.uri(), "already has a result");
  }

  /** A message that is not an S3 notification still gets a result, under the message's own identity. */
  private Outcome reject(QueueMessage message, String part, String reason, int attempts) {
    String pk = "sqs://" + queueName(message) + "/" + message.messageId();
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

  /** The queue's name from the record's ARN (arn:aws:sqs:region:account:name), else from QUEUE_URL. */
  private String queueName(QueueMessage message) {
    String arn = message.eventSourceArn();
    if (arn != null && arn.lastIndexOf(':') >= 0) {
      return arn.substring(arn.lastIndexOf(':') + 1);
    }
    return config.queueUrl().substring(config.queueUrl().lastIndexOf('/') + 1);
  }

  private String subject(QueueMessage message) {
    return "sqs://" + queueName(message) + "/" + message.messageId();
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
