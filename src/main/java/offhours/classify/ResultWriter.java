package offhours.classify;

import java.time.Clock;
import java.util.List;
import offhours.classify.Outcome.Kind;
import offhours.classify.S3Notifications.ObjectEvent;
import offhours.inference.ModelAnswer;
import offhours.inference.ScoredLabel;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Label;
import offhours.results.ResultsTable;

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

  ResultWriter(ResultsTable results, ClassifyConfig config, Clock clock) {
    this.results = results;
    this.config = config;
    this.clock = clock;
  }

  /** The model's answer for the {@code size}-byte image of {@code event}: its top labels, under the model that answered. */
  Outcome classified(ObjectEvent event, long size, ModelAnswer answer, int attempts) {
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
        attempts);
    return results.put(item)
        ? Outcome.of(
            Kind.CLASSIFIED,
            event.uri(),
            top.getFirst().label() + " " + top.getFirst().score())
        : Outcome.of(Kind.DUPLICATE, event.uri(), "already classified");
  }

  /** A verdict: the image of {@code event} is at fault, for {@code reason}. */
  Outcome verdict(ObjectEvent event, String reason, int attempts) {
    ResultItem item = ResultItem.rejected(
        object(event, event.size()),
        reason,
        config.modelName(),
        config.endpointName(),
        clock.instant(),
        attempts);
    return results.put(item)
        ? Outcome.of(Kind.REJECTED, event.uri(), reason)
        : Outcome.of(Kind.DUPLICATE, event.uri(), "already has a result");
  }

  /** A message that is not an S3 notification still gets a result, under the message's own identity. */
  Outcome reject(QueueMessage message, String part, String reason, int attempts) {
    ResultItem item = ResultItem.rejectedMessage(
        queueName(message),
        message.messageId(),
        part,
        reason,
        config.modelName(),
        config.endpointName(),
        clock.instant(),
        attempts);
    return results.put(item)
        ? Outcome.of(Kind.REJECTED, item.pk(), reason)
        : Outcome.of(Kind.DUPLICATE, item.pk(), "already has a result");
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
