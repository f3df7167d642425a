package offhours.classify;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import offhours.classify.Outcome.Kind;
import offhours.classify.S3Notifications.ObjectEvent;
import offhours.inference.ModelAnswer;
import offhours.inference.ScoredLabel;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Label;
import offhours.results.ResultsTable;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * Writes a record's result, one per object version (a classification or a verdict) or, for a message that is not an
 * S3 notification, one under the message's own identity; and says what the write did. The table's conditional writes
 * decide: a result already there makes the outcome a {@link Kind#DUPLICATE}, so a repeated delivery never counts
 * twice.
 */
final class ResultWriter {

  private final ResultsTable results;
  private final ClassifyConfig config;
  private final Clock clock;
  /** The settings every result is written under, named once ({@code config}'s labels are resolved by then). */
  private final String settings;

  ResultWriter(ResultsTable results, ClassifyConfig config, Clock clock) {
    this.results = results;
    this.config = config;
    this.clock = clock;
    this.settings = config.model().settingsFingerprint();
  }

  /**
   * The model's answer for the {@code size}-byte image of {@code event}: its top labels, under the model that answered.
   */
  Outcome classified(
      ObjectEvent event, long size, ModelAnswer answer, int attempts, BatchScope scope) {
    List<ScoredLabel> top = answer.ranking().top(config.topK());
    List<Label> labels = top.stream().map(l -> new Label(l.label(), l.score())).toList();
    String model = answer.variant() != null ? answer.variant() : config.modelName();
    ResultItem item = ResultItem.classified(
            object(event, size),
            labels,
            answer.ranking().scores().word(),
            model,
            config.endpointName(),
            clock.instant(),
            attempts)
        .withSettings(settings);
    return put(item, event.uri(), scope)
        ? Outcome.of(
            Kind.CLASSIFIED,
            event.uri(),
            top.getFirst().label() + " " + top.getFirst().score())
        : Outcome.of(Kind.DUPLICATE, event.uri(), "already classified");
  }

  /** A verdict: the image of {@code event} is at fault, for {@code reason}. */
  Outcome verdict(ObjectEvent event, String reason, int attempts, BatchScope scope) {
    ResultItem item = ResultItem.rejected(
            object(event, event.size()),
            reason,
            config.modelName(),
            config.endpointName(),
            clock.instant(),
            attempts)
        .withSettings(settings);
    return put(item, event.uri(), scope)
        ? Outcome.of(Kind.REJECTED, event.uri(), reason)
        : Outcome.of(Kind.DUPLICATE, event.uri(), "already has a result");
  }

  /** A message that is not an S3 notification still gets a result, under the message's own identity. */
  Outcome reject(QueueMessage message, String part, String reason, int attempts, BatchScope scope) {
    ResultItem item = ResultItem.rejectedMessage(
        queueName(message),
        message.messageId(),
        part,
        reason,
        config.modelName(),
        config.endpointName(),
        clock.instant(),
        attempts);
    return put(item, item.pk(), scope)
        ? Outcome.of(Kind.REJECTED, item.pk(), reason)
        : Outcome.of(Kind.DUPLICATE, item.pk(), "already has a result");
  }

  /**
   * Writes {@code item} within the invocation's deadline ({@link BatchScope.Write#RESULT}); whether it was written.
   *
   * @throws BatchScope.OutOfTime when the deadline leaves no time for the write, or cut it: the message is retried
   */
  private boolean put(ResultItem item, String subject, BatchScope scope) {
    Duration timeout;
    try {
      timeout = scope.writeTimeout(BatchScope.Write.RESULT, "the result of " + subject);
    } catch (BatchScope.OutOfTime e) {
      throw new BatchScope.OutOfTime(e.getMessage() + BatchScope.RETRIED);
    }
    try {
      return results.put(item, timeout);
    } catch (ApiCallTimeoutException e) {
      if (timeout == null) {
        throw e; // the client's own call timeout, not a deadline's: an error like any other
      }
      throw new BatchScope.OutOfTime("writing the result of " + subject + " was cut after "
          + timeout.toMillis() + " ms, to end before this invocation's deadline (DynamoDB did not"
          + " answer in time)" + BatchScope.RETRIED);
    }
  }

  /** The name a whole message's outcome goes by: the key its result would have. */
  String subject(QueueMessage message) {
    return ResultItem.messagePk(queueName(message), message.messageId());
  }

  /** The object version {@code event} names, as its result's key has it ({@code size} may be null). */
  static ResultItem.ObjectVersion object(ObjectEvent event, Long size) {
    return new ResultItem.ObjectVersion(
        event.bucket(),
        event.key(),
        event.versionId(),
        event.eTag(),
        event.sequencer(),
        size,
        event.eventTime());
  }

  /** The queue's name from the record's ARN (arn:aws:sqs:region:account:name), else from QUEUE_URL. */
  private String queueName(QueueMessage message) {
    String arn = message.eventSourceArn();
    if (arn != null && arn.lastIndexOf(':') >= 0) {
      return arn.substring(arn.lastIndexOf(':') + 1);
    }
    return config.queueUrl().substring(config.queueUrl().lastIndexOf('/') + 1);
  }
}
