package offhours.classify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import offhours.classify.Outcome.Kind;
import offhours.classify.S3Notifications.BadRecord;
import offhours.classify.S3Notifications.Entry;
import offhours.classify.S3Notifications.Malformed;
import offhours.classify.S3Notifications.ObjectEvent;
import offhours.classify.S3Notifications.Parsed;
import offhours.classify.S3Notifications.Records;
import offhours.classify.S3Notifications.TestEvent;
import offhours.inference.InferenceClient;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.units.Plurals;
import offhours.units.Shown;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Turns one SQS message (an S3 notification) into results, a deferral, or a retry, in two steps: {@link #evaluate}
 * works out every record's outcome (an object's trip through the model is {@link ObjectClassifier}'s), and
 * {@link #conclude}, once the whole batch is evaluated, settles what depends on the batch, hands a deferred message
 * back and logs it.
 *
 * <p>A model failure with a 5xx or no answer is a crash, settled against the whole batch: on two different images the
 * endpoint's fault (the batch is deferred), else retried through SQS receives and rejected on the image's 3rd
 * ({@link #MODEL_CRASH_RECEIVES}).
 *
 * <p>Results are written through {@link ResultWriter}; deferred copies are sent through {@link Deferrals}.
 */
final class MessageClassifier {

  /** A model that crashes (5xx) on the same image on this many receives has found a poison image. */
  static final int MODEL_CRASH_RECEIVES = 3;

  /** One message's outcomes before the batch is concluded. */
  record Evaluation(QueueMessage message, int attempts, List<Outcome> outcomes) {}

  /**
   * How one message ended: {@code cause}, for a {@link Kind#RETRY}, says whether the retry is a walk this class chose
   * (a model crash before its verdict, an upload past MAX_DEFERRALS) or a failure, which sets how soon the message
   * comes back ({@link RetryPace}); null for any other kind.
   */
  record Conclusion(Kind kind, RetryPace.RetryCause cause) {}

  private final ClassifyConfig config;
  private final OutcomeLog log;
  private final Deferrals deferrals;
  private final ResultWriter writer;
  private final ObjectClassifier objects;

  MessageClassifier(
      S3Client s3,
      Deferrals deferrals,
      InferenceClient inference,
      ResultsTable results,
      ClassifyConfig config,
      Clock clock,
      OutcomeLog log) {
    this.config = config;
    this.log = log;
    this.deferrals = deferrals;
    this.writer = new ResultWriter(results, config, clock);
    this.objects = new ObjectClassifier(
        new ImageDownloads(s3, config.maxImageBytes()), inference, writer, config);
  }

  /** The outcome of every record of {@code message}; writes results, sends nothing back to the queue. */
  Evaluation evaluate(QueueMessage message, BatchScope scope) {
    int attempts = Deferrals.attempts(message);
    List<Outcome> outcomes = new ArrayList<>();
    try {
      Parsed parsed = S3Notifications.parse(message.body());
      switch (parsed) {
        case TestEvent t ->
          outcomes.add(Outcome.of(Kind.IGNORED, writer.subject(message), "s3:TestEvent"));
        case Malformed m ->
          outcomes.add(writer.reject(message, ResultItem.BODY_PART, m.reason(), attempts, scope));
        case Records r -> {
          for (Entry entry : r.entries()) {
            outcomes.add(entry(message, entry, attempts, scope));
          }
        }
      }
    } catch (RuntimeException e) {
      outcomes.add(Outcome.of(Kind.RETRY, writer.subject(message), describe(e)));
    }
    return new Evaluation(message, attempts, outcomes);
  }

  /**
   * Settles model failures against the whole batch, hands the message back if it is deferred (or, past
   * {@code MAX_DEFERRALS}, fails it so SQS receives walk it toward the DLQ), and writes its log line. A message
   * deferred only because the endpoint throttled is handed back without counting: a busy endpoint is no sign of
   * poison, so it never walks a message toward the DLQ. One deferred because the endpoint refused an image as over its
   * payload limit (and for nothing worse) spends a budget of its own, of MAX_DEFERRALS too: the minutes of a hosting
   * switch leave the budget for an unavailable endpoint whole, and an endpoint that never stops refusing still ends
   * the loop.
   */
  Conclusion conclude(Evaluation evaluation, BatchScope scope) {
    QueueMessage message = evaluation.message();
    // A retry decided before the crashes are settled is a failure (S3, DynamoDB, the deadline).
    // One the settling adds before a crash's verdict is due is its walk to the verdict; one it
    // adds after is a verdict that could not be written, a failure too.
    RetryPace.RetryCause cause =
        evaluation.outcomes().stream().noneMatch(o -> o.kind() == Kind.RETRY)
                && Deferrals.receives(message) < MODEL_CRASH_RECEIVES
            ? RetryPace.RetryCause.WALK
            : RetryPace.RetryCause.FAILURE;
    List<Outcome> outcomes = new ArrayList<>(evaluation.outcomes().size());
    for (Outcome outcome : evaluation.outcomes()) {
      outcomes.add(
          outcome.kind() == Kind.CRASHED
              ? settleCrash(outcome, message, evaluation.attempts(), scope)
              : outcome);
    }
    Kind kind = Outcome.worst(outcomes);
    if (kind == Kind.DEFERRED) {
      List<Outcome> deferredOutcomes =
          outcomes.stream().filter(o -> o.kind() == Kind.DEFERRED).toList();
      String reason = deferredOutcomes.getFirst().detail();
      // The most charged reason decides: any deferral for an unavailable endpoint spends
      // MAX_DEFERRALS; an oversize refusal (and no worse) spends its own budget; throttling alone
      // (the endpoint alive and busy) none.
      Deferrals.Spend spend = deferredOutcomes.stream()
          .map(Outcome::spend)
          .min(Comparator.naturalOrder())
          .orElseThrow();
      int spent = switch (spend) {
        case DEFERRAL -> Deferrals.count(message);
        case OVERSIZE -> Deferrals.oversize(message);
        case THROTTLE -> 0;
      };
      if (spend != Deferrals.Spend.THROTTLE && spent >= config.maxDeferrals()) {
        kind = Kind.RETRY;
        cause = RetryPace.RetryCause.WALK;
        outcomes.add(Outcome.of(
            Kind.RETRY,
            writer.subject(message),
            spend == Deferrals.Spend.OVERSIZE
                ? "refused " + Plurals.of(spent, "time")
                    + " by the endpoint as over its payload limit, as many"
                    + " as MAX_DEFERRALS allows (apart from deferrals for an unavailable endpoint):"
                    + " now retried through SQS receives, toward the DLQ; an endpoint with a lower"
                    + " limit than MAX_IMAGE_BYTES is not of the stack's hosting (see \"Switching"
                    + " hosting\" in the README): remove it, then redrive; last reason: " + reason
                : "deferred " + Plurals.of(spent, "time") + ", as many as"
                    + " MAX_DEFERRALS allows: now retried through SQS receives, toward the DLQ;"
                    + " last reason: " + reason));
      } else {
        Duration timeout = null;
        try {
          timeout = scope.writeTimeout(
              BatchScope.Write.DEFERRAL, "the deferred copy of " + writer.subject(message));
          deferrals.send(message, reason, spend, timeout);
        } catch (SdkException | BatchScope.OutOfTime e) {
          kind = Kind.RETRY;
          cause = RetryPace.RetryCause.FAILURE;
          outcomes.add(Outcome.of(
              Kind.RETRY,
              writer.subject(message),
              e instanceof ApiCallTimeoutException && timeout != null
                  ? "sending the deferred copy was cut after " + timeout.toMillis()
                      + " ms, to end before this invocation's deadline (SQS did not answer in time)"
                      + BatchScope.RETRIED
                  : "could not send the deferred copy: " + describe(e)
                      + (e instanceof BatchScope.OutOfTime ? BatchScope.RETRIED : "")));
        }
      }
    }
    log.write(
        message.messageId(), kind, evaluation.attempts(), outcomes, Deferrals.unread(message));
    return new Conclusion(kind, kind == Kind.RETRY ? cause : null);
  }

  private Outcome settleCrash(Outcome crash, QueueMessage message, int attempts, BatchScope scope) {
    if (scope.endpointWide()) {
      return Outcome.of(
              Kind.DEFERRED,
              crash.subject(),
              "the model failed on other images of this batch too " + crash.detail()
                  + "; the endpoint is at fault, not this image")
          .withService(crash.service());
    }
    int receives = Deferrals.receives(message);
    if (receives < MODEL_CRASH_RECEIVES) {
      return Outcome.of(
              Kind.RETRY,
              crash.subject(),
              "the model failed on receive " + receives + " " + crash.detail() + ", retrying")
          .withService(crash.service());
    }
    try {
      return writer
          .verdict(
              crash.crashed(),
              String.format(
                  Locale.ROOT,
                  "the model failed on this image %s %s",
                  Plurals.of(receives, "time"),
                  crash.detail()),
              attempts,
              scope)
          .withService(crash.service());
    } catch (RuntimeException e) {
      return Outcome.of(Kind.RETRY, crash.subject(), describe(e));
    }
  }

  private Outcome entry(QueueMessage message, Entry entry, int attempts, BatchScope scope) {
    try {
      return switch (entry) {
        case BadRecord bad ->
          writer.reject(message, ResultItem.recordPart(bad.index()), bad.reason(), attempts, scope);
        case ObjectEvent event
        when !event.bucket().equals(config.bucketName()) ->
          writer.reject(
              message,
              ResultItem.recordPart(event.index()),
              "record " + event.index() + " is about bucket " + Shown.value(event.bucket())
                  + "; this function classifies uploads to " + config.bucketName() + " only",
              attempts,
              scope);
        case ObjectEvent event
        when !event.created() ->
          Outcome.of(
              Kind.IGNORED,
              event.uri(),
              "not an ObjectCreated event: " + Shown.value(event.eventName()));
        case ObjectEvent event -> objects.classify(event, attempts, scope);
      };
    } catch (RuntimeException e) {
      String subject = entry instanceof ObjectEvent event ? event.uri() : writer.subject(message);
      return Outcome.of(Kind.RETRY, subject, describe(e));
    }
  }

  private static String describe(Exception e) {
    if (e instanceof BatchScope.OutOfTime) {
      return e.getMessage(); // says what was cut, and that SQS delivers it again
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
