package offhours.classify;

import java.util.Collection;
import java.util.Comparator;
import offhours.classify.S3Notifications.ObjectEvent;

/**
 * What happened to one S3 record (or one whole message): {@code subject} names the object or message,
 * {@code detail} is the reason of a verdict or retry, or the top label of a classification.
 *
 * @param crashed for {@link Kind#CRASHED} only: the object the model failed on, which gets its verdict, retry or
 *     deferral once the whole batch is known
 * @param spend for {@link Kind#DEFERRED} only: which count the deferral adds to; a throttle (the endpoint alive and
 *     busy) and an oversize refusal (an endpoint of another hosting) do not count toward MAX_DEFERRALS's budget of
 *     unavailability
 * @param service for a record whose InvokeEndpoint failed, what SageMaker itself answered, as {@code
 *     AwsFailures.said} says it (error code, HTTP status, request id, message), where {@code detail}
 *     says it in offhours' words: for the log only, where an operator debugging the stack reads it, never for a
 *     result's or a deferral's reason (the message may name the account); else null
 */
record Outcome(
    Kind kind,
    String subject,
    String detail,
    ObjectEvent crashed,
    Deferrals.Spend spend,
    String service) {

  Outcome(Kind kind, String subject, String detail, ObjectEvent crashed, Deferrals.Spend spend) {
    this(kind, subject, detail, crashed, spend, null);
  }

  /** This outcome with what SageMaker itself answered, for the log. */
  Outcome withService(String said) {
    return new Outcome(kind, subject, detail, crashed, spend, said);
  }

  /** In order of severity: a message's outcome is the worst of its records'. */
  enum Kind {
    /** Not for us (a TestEvent, an ObjectRemoved event): acknowledged. */
    IGNORED,
    /** A result for this object version was already written: a repeated delivery, acknowledged. */
    DUPLICATE,
    CLASSIFIED,
    /** A verdict written to the table; the message leaves the queue. */
    REJECTED,
    /** The endpoint could not answer; a delayed copy goes back on the queue and the original is acknowledged. */
    DEFERRED,
    /**
     * The model failed on this image (5xx); resolved when the batch is done: deferred if it failed on another
     * image of the batch too (the endpoint's fault), else retried, or rejected on the image's 3rd receive.
     */
    CRASHED,
    /** Unexpected; reported as a batch item failure so SQS redelivers it (and, after N receives, the DLQ). */
    RETRY;

    boolean acknowledged() {
      return this != RETRY && this != CRASHED;
    }
  }

  static Outcome of(Kind kind, String subject, String detail) {
    return new Outcome(kind, subject, detail, null, Deferrals.Spend.DEFERRAL);
  }

  /** Deferred because the endpoint throttled: not counted toward MAX_DEFERRALS. */
  static Outcome throttled(String subject, String detail) {
    return new Outcome(Kind.DEFERRED, subject, detail, null, Deferrals.Spend.THROTTLE);
  }

  /**
   * Deferred because the endpoint refused the image as over its own payload limit: counted apart from MAX_DEFERRALS's
   * budget, in one of its own.
   */
  static Outcome oversize(String subject, String detail) {
    return new Outcome(Kind.DEFERRED, subject, detail, null, Deferrals.Spend.OVERSIZE);
  }

  /** The model failed on {@code event}; {@code detail} is "(status S): the container's message". */
  static Outcome crashed(ObjectEvent event, String detail) {
    return new Outcome(Kind.CRASHED, event.uri(), detail, event, Deferrals.Spend.DEFERRAL);
  }

  static Kind worst(Collection<Outcome> outcomes) {
    return outcomes.stream().map(Outcome::kind).max(Comparator.naturalOrder()).orElse(Kind.IGNORED);
  }
}
