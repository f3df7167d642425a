package offhours.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import offhours.aws.SqsCounts;
import offhours.classify.ObjectNotification;
import offhours.units.Plurals;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Reads the dead-letter queue without emptying it, and moves its messages back to the queue.
 *
 * <p>SQS has no way to look at a message without receiving it. A receive hides the message for its visibility
 * timeout and counts one more receive; the DLQ has no redrive policy of its own, so that count sends it nowhere. Each
 * list or move is one {@link DlqPass}, which sees every message once or says that it did not.
 */
final class DeadLetterQueue {

  /** The message attribute the Classify function sets when it hands a message back (offhours.classify.Deferrals). */
  static final String REASON_ATTRIBUTE = "offhours-deferral-reason";
  /** A move gives up after this many failed messages in a row (a missing permission fails them all). */
  private static final int MAX_FAILURES_IN_A_ROW = 10;

  /**
   * One message of the DLQ.
   *
   * @param objects the objects its body names, if it is an S3 notification
   * @param reason why it is here as far as offhours knows, or null
   * @param reasonSource "attribute" ({@value #REASON_ATTRIBUTE}), "log" (the Classify function's last error for it),
   *     or null
   * @param sent when it was last sent to the queue: the upload's notification, or its latest redrive or reprocess
   *     (SQS keeps that time when it moves a message to the DLQ, and expires the message 14 days after it; a redrive
   *     sends the message anew)
   * @param receives receives in the DLQ so far, this one included
   */
  record Letter(
      String messageId,
      String body,
      List<ObjectNotification> objects,
      String reason,
      String reasonSource,
      Instant sent,
      int receives,
      Map<String, MessageAttributeValue> attributes) {

    List<String> keys() {
      return objects.stream().map(ObjectNotification::key).toList();
    }

    /**
     * The keys for a table; for a body that names none, why: "(S3 notification without versionId, eTag or sequencer)".
     */
    String keysText() {
      return objects.isEmpty()
          ? "(" + ObjectNotification.noObjects(body) + ")"
          : String.join(", ", keys());
    }
  }

  /** The messages a pass saw, oldest first, and how the pass went. */
  record Listing(List<Letter> letters, DlqPass.PassReport pass) {}

  /**
   * What a move did: the ids moved, the ids it met but left (not selected), the selected ones it could not move
   * ("ID: why"), and how the pass went.
   */
  record Moved(
      List<String> moved, List<String> kept, List<String> failed, DlqPass.PassReport pass) {}

  /**
   * SQS's answer that a queue of the move does not exist ({@link NotFound#QUEUE}), as it came ({@link #getCause}),
   * with the ids of the messages moved before it (sent to the queue and deleted from the DLQ) and of the one sent to
   * the queue that could then not be deleted from the DLQ, as SQS said the DLQ was gone (none, or one); {@code
   * atSend}: SQS said so of a send to the queue, where every other call of a move is one on the DLQ.
   */
  static final class QueueGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> moved;
    private final List<String> sentOnly;
    private final boolean atSend;

    QueueGone(RuntimeException cause, List<String> moved, List<String> sentOnly, boolean atSend) {
      super(cause.getMessage(), cause);
      this.moved = List.copyOf(moved);
      this.sentOnly = List.copyOf(sentOnly);
      this.atSend = atSend;
    }

    /** Whether SQS said the queue was gone as the move sent a message to it; if not, it said so of the DLQ. */
    boolean atSend() {
      return atSend;
    }

    List<String> moved() {
      return moved;
    }

    /** The messages sent to the queue whose delete from the DLQ SQS answered with the DLQ gone. */
    List<String> sentOnly() {
      return sentOnly;
    }
  }

  private final SqsClient sqs;
  private final String dlqUrl;
  private final Map<String, String> loggedErrors;
  private final Clock clock;
  private final PrintStream err;

  /**
   * {@code loggedErrors}: message id -> the last error the Classify function logged for it (may be empty); {@code
   * err}: where a pass the JVM ends says what it let go.
   */
  DeadLetterQueue(
      SqsClient sqs,
      String dlqUrl,
      Map<String, String> loggedErrors,
      Clock clock,
      PrintStream err) {
    this.sqs = sqs;
    this.dlqUrl = dlqUrl;
    this.loggedErrors = Map.copyOf(loggedErrors);
    this.clock = clock;
    this.err = err;
  }

  /**
   * Every message now in the DLQ (up to {@link DlqPass#MAX_MESSAGES}), oldest first; all are visible again afterwards.
   */
  Listing list() {
    List<Letter> letters = new ArrayList<>();
    DlqPass.PassReport pass = new DlqPass(sqs, dlqUrl, clock, err).run(m -> {
      letters.add(letter(m));
      return false;
    });
    letters.sort(Comparator.comparing(Letter::sent));
    return new Listing(List.copyOf(letters), pass);
  }

  /**
   * Moves the messages {@code selected} accepts to {@code queueUrl} one by one: each is sent before it is deleted
   * from the DLQ, so a crash in between leaves a duplicate (which the results table's conditional writes absorb),
   * never a loss. The others, and those that could not be moved, are made visible again. SQS's answer that either
   * queue does not exist is thrown as a {@link QueueGone}, which holds it and the messages moved until then, for the
   * caller to name the queue and say where those went. {@code counts}: SQS's counts of the DLQ, just read. A move the
   * JVM ends (Ctrl-C, SIGTERM) says on stderr how many it had moved ({@link Mover#done}).
   */
  Moved move(String queueUrl, Predicate<Letter> selected, DlqPass.StartCounts counts) {
    DlqPass pass = new DlqPass(sqs, dlqUrl, clock, err);
    Mover mover = new Mover(queueUrl, selected, pass);
    DlqPass.PassReport summary;
    try {
      summary = pass.run(mover, counts);
    } catch (RuntimeException e) {
      if (NotFound.QUEUE.test(e)) {
        throw new QueueGone(e, mover.moved(), mover.sentOnly, mover.sendRefused);
      }
      List<String> moved = mover.moved();
      if (e instanceof CliException && !moved.isEmpty()) {
        throw CliException.failure(e.getMessage() + "; before it, "
            + Plurals.of(moved.size(), "message") + " had been moved to the queue: "
            + Terminal.printable(Format.firstOf(moved, ", ")));
      }
      throw e;
    }
    return new Moved(mover.moved(), mover.kept, mover.failed, summary);
  }

  /**
   * The handler of a move's pass: moves each message the selection accepts ({@link #moveOne}) while the pass's
   * receive still hides it, and keeps what became of each.
   */
  private final class Mover implements DlqPass.Handler {
    private final String queueUrl;
    private final Predicate<Letter> selected;
    private final DlqPass pass;
    final List<String> failed = new ArrayList<>();
    final List<String> kept = new ArrayList<>();
    final List<String> sentOnly = new ArrayList<>();
    /** Whether SQS answered a send with the queue gone, which ended the pass. */
    boolean sendRefused;

    private int failuresInARow;
    /** Guarded by this, as {@link #moving}: read by {@link #done}, from the JVM's shutdown hook. */
    private final List<String> moved = new ArrayList<>();
    /** The message being moved (sent, then deleted), or null. */
    private String moving;
    /** Set by {@link #done}: no move starts after the stop line was read, which would count it nowhere. */
    private boolean ended;

    Mover(String queueUrl, Predicate<Letter> selected, DlqPass pass) {
      this.queueUrl = queueUrl;
      this.selected = selected;
      this.pass = pass;
    }

    @Override
    public boolean handle(Message message) {
      if (!selected.test(letter(message))) {
        kept.add(message.messageId());
        return false;
      }
      synchronized (this) {
        if (ended) {
          return false; // the JVM is ending: the pass's hook made it visible again
        }
        moving = message.messageId();
      }
      String failure;
      try {
        failure = moveOne(message);
      } catch (RuntimeException e) {
        synchronized (this) {
          moving = null;
        }
        throw e;
      }
      synchronized (this) {
        moving = null; // and moved, at once: the stop line counts it in one or the other
        if (failure == null) {
          moved.add(message.messageId());
        }
      }
      if (failure == null) {
        failuresInARow = 0;
        return true;
      }
      failed.add(message.messageId() + ": " + failure);
      if (++failuresInARow >= MAX_FAILURES_IN_A_ROW) {
        pass.stop(MAX_FAILURES_IN_A_ROW + " moves in a row failed");
      }
      return false;
    }

    synchronized List<String> moved() {
      return List.copyOf(moved);
    }

    /**
     * "12 messages had been moved to the queue before the stop", and of a message it was moving then, that it may be
     * in either queue or both: the JVM ends the move while it sends or deletes it. The pass's thread runs on until the
     * JVM halts, so from here on it starts no move (one the line would not count).
     */
    @Override
    public synchronized String done() {
      ended = true;
      return Plurals.of(moved.size(), "message") + " had been moved to the queue before the stop"
          + (moving == null
              ? ""
              : " (" + Terminal.printable(moving)
                  + ", which it was moving then, may be in the queue, in the"
                  + " dead-letter queue, or in both)");
    }

    /**
     * Sends {@code message} to the queue, then deletes it from the DLQ; returns why it could not, or null. SQS's answer
     * that a queue is gone ends the pass: at the send, it sets {@link #sendRefused}; at the delete, it adds the
     * message's id to {@link #sentOnly}.
     */
    private String moveOne(Message message) {
      try {
        sqs.sendMessage(r -> r.queueUrl(queueUrl)
            .messageBody(message.body())
            .messageAttributes(message.messageAttributes()));
      } catch (SdkException e) {
        if (NotFound.QUEUE.test(e)) {
          // The queue is gone and no message can be sent: the pass ends, and the rest show again.
          sendRefused = true;
          throw e;
        }
        return "not sent (" + reason(e) + "); it stays in the DLQ";
      }
      try {
        sqs.deleteMessage(r -> r.queueUrl(dlqUrl).receiptHandle(message.receiptHandle()));
      } catch (SdkException e) {
        if (NotFound.QUEUE.test(e)) {
          sentOnly.add(message.messageId());
          throw e;
        }
        return "sent, but not deleted from the DLQ (" + reason(e)
            + "); the queue has it and the DLQ still does: delete it there by hand";
      }
      return null;
    }
  }

  private static String reason(SdkException e) {
    return e instanceof AwsServiceException aws
        ? "HTTP " + aws.statusCode() + ", " + MoveTasks.detail(aws)
        : Format.fit(String.valueOf(e.getMessage()), 200);
  }

  private Letter letter(Message m) {
    MessageAttributeValue attribute = m.messageAttributes().get(REASON_ATTRIBUTE);
    String reason = attribute == null ? null : attribute.stringValue();
    String source = reason == null ? null : "attribute";
    if (reason == null && loggedErrors.containsKey(m.messageId())) {
      reason = loggedErrors.get(m.messageId());
      source = "log";
    }
    long sent;
    long receives;
    try {
      sent = SqsCounts.of(m, MessageSystemAttributeName.SENT_TIMESTAMP, 0);
      receives = SqsCounts.of(m, MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, 0);
    } catch (IllegalStateException e) {
      throw CliException.failure(
          e.getMessage() + " (a message of the dead-letter queue, where it stays)");
    }
    return new Letter(
        m.messageId(),
        m.body(),
        ObjectNotification.read(m.body()),
        reason,
        source,
        Instant.ofEpochMilli(sent),
        (int) Math.min(Integer.MAX_VALUE, receives),
        m.messageAttributes());
  }

  /**
   * The last error the Classify function logged for each message id, from its JSON lines (offhours.classify's
   * OutcomeLog: a RETRY record's detail, or an ERROR line's exception); empty if the log does not exist.
   */
  static Map<String, String> loggedErrors(Path log) throws IOException {
    Map<String, String> errors = new HashMap<>();
    if (!Files.isRegularFile(log)) {
      return errors;
    }
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      lines
          .filter(l -> l.startsWith("{") && l.contains("\"messageId\"") && l.contains("RETRY"))
          .forEach(line -> {
            try {
              JsonNode json = Json.MAPPER.readTree(line);
              String id = json.path("messageId").asText(null);
              if (id == null) {
                return;
              }
              if (json.hasNonNull("error")) {
                errors.put(id, json.path("error").asText());
              }
              for (JsonNode record : json.path("records")) {
                if (record.path("outcome").asText().equals("RETRY")
                    && record.hasNonNull("detail")) {
                  errors.put(
                      id,
                      record.path("subject").asText() + ": "
                          + record.path("detail").asText());
                }
              }
            } catch (JsonProcessingException e) {
              // a line that only looks like one of the function's
            }
          });
    }
    return errors;
  }
}
