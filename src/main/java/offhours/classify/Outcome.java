package offhours.classify;

import java.util.Collection;
import java.util.Comparator;

/**
 * What happened to one S3 record (or one whole message): {@code subject} names the object or message,
 * {@code detail} is the reason of a verdict or retry, or the top label of a classification.
 */
record Outcome(Kind kind, String subject, String detail) {

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
    /** Unexpected; reported as a batch item failure so SQS redelivers it (and, after N receives, the DLQ). */
    RETRY;

    boolean acknowledged() {
      return this != RETRY;
    }
  }

  static Outcome of(Kind kind, String subject, String detail) {
    return new Outcome(kind, subject, detail);
  }

  static Kind worst(Collection<Outcome> outcomes) {
    return outcomes.stream().map(Outcome::kind).max(Comparator.naturalOrder()).orElse(Kind.IGNORED);
  }
}
