package offhours.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import offhours.aws.SqsCounts;
import offhours.units.Plurals;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * One pass over a queue that sees each of its messages once, without emptying it.
 *
 * <p>SQS cannot show a message without receiving it, and a receive hides it only for its visibility timeout; a
 * receive may also return fewer messages than there are (ReceiveMessage samples SQS's servers). So the pass receives
 * with long polls (a 1 s wait asks every server, so an empty answer means nothing is visible), hides what it holds for
 * a period sized from the queue's count, extends that period with ChangeMessageVisibilityBatch while a long pass runs,
 * ends on an empty receive, and makes whatever it still holds visible again at its end
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html). A pass
 * the JVM ends (Ctrl-C, SIGTERM) does so too, from a shutdown hook ({@link StopNotice}, {@link #letGo}), and says so.
 */
final class DlqPass {

  /** The shortest hide period; a pass adds {@link #MILLIS_PER_MESSAGE} per message SQS counts. */
  static final int MIN_HIDE_SECONDS = 60;
  /** Time one message may take in a pass over a slow link: a receive of one, a send and a delete. */
  private static final long MILLIS_PER_MESSAGE = 500;
  /** SQS's longest visibility timeout. */
  private static final int MAX_HIDE_SECONDS = 43_200;
  /** A pass stops here rather than hold a queue of any size in memory; the rest stays for the next pass. */
  static final int MAX_MESSAGES = 10_000;
  /** Receives in a row that bring back only messages already seen before the pass gives up. */
  static final int MAX_STALE_RECEIVES = 20;

  /** What a pass does with a message it sees for the first time. */
  interface Handler {
    /** Returns true if the message has left the queue (the handler deleted it), false if the pass still holds it. */
    boolean handle(Message message);

    /**
     * What the handler had done when the JVM ended the pass, for the stop line ({@link #letGo}): "12 messages had been
     * moved to the queue before the stop"; null when it changes nothing (a look at the queue). Called from the JVM's
     * shutdown hook while {@link #handle} may be running, and before the messages the pass holds are let go: a
     * handler starts no change after it.
     */
    default String done() {
      return null;
    }
  }

  /**
   * How a pass went.
   *
   * @param seen messages seen, each once
   * @param visibleAtStart SQS's ApproximateNumberOfMessages when the pass began
   * @param hiddenAtStart SQS's ApproximateNumberOfMessagesNotVisible then: messages another reader holds, which the
   *     pass cannot see
   * @param hideSeconds how long each receive and extension hid the messages
   * @param stopped why the pass ended before an empty receive, or null if it saw everything visible
   * @param notReleased messages the pass could not make visible again at its end (they show again within
   *     {@code hideSeconds})
   */
  record PassReport(
      int seen,
      long visibleAtStart,
      long hiddenAtStart,
      int hideSeconds,
      String stopped,
      int notReleased) {

    boolean complete() {
      return stopped == null;
    }

    /** What the operator should know about this pass, one sentence each; empty when all went as expected. */
    List<String> warnings() {
      List<String> warnings = new ArrayList<>();
      if (stopped != null) {
        warnings.add("the pass stopped before it saw every message (" + stopped + "); it saw "
            + Plurals.of(seen, "message") + " of about " + visibleAtStart
            + ": run the command again");
      } else if (seen != visibleAtStart) {
        warnings.add("the pass saw " + Plurals.of(seen, "message") + " while SQS counted about "
            + visibleAtStart
            + " visible when it began (SQS's counts are approximate; messages that arrive or expire"
            + " during a pass also make them differ)");
      }
      if (hiddenAtStart > 0) {
        warnings.add("SQS counted about " + hiddenAtStart
            + " more hidden by another reader when the pass began (an interrupted or running"
            + " 'offhours dlq' command?): this pass could not see them; they show again when that"
            + " reader's visibility timeout ends");
      }
      if (notReleased > 0) {
        warnings.add(Plurals.of(notReleased, "message")
            + " could not be made visible again now; they show again within "
            + hideSeconds + " s");
      }
      return warnings;
    }
  }

  /** A message the pass holds hidden: its latest receipt handle, and until when it stays hidden. */
  private record HiddenMessage(Message message, Instant hiddenUntil) {}

  private final SqsClient sqs;
  private final String url;
  private final Clock clock;
  private final PrintStream err;
  /**
   * Guarded by itself: the messages the pass holds hidden, by id. A receive and what it brought are entered under the
   * lock, so {@link #letGo} releases every message a receive hid, one in flight at the signal included.
   */
  private final Map<String, HiddenMessage> held = new LinkedHashMap<>();

  private volatile String stopped;
  /** The handler of the pass that runs, for its {@link Handler#done} when the JVM ends the pass. */
  private volatile Handler handler;

  /** {@code err}: where a pass the JVM ends says what it let go ({@link #letGo}). */
  DlqPass(SqsClient sqs, String url, Clock clock, PrintStream err) {
    this.sqs = sqs;
    this.url = url;
    this.clock = clock;
    this.err = err;
  }

  /** Ends the pass after the page at hand: {@code why} says why (a handler's call). */
  synchronized void stop(String why) {
    if (stopped == null) {
      stopped = why;
    }
  }

  /**
   * The JVM is ending the pass (its shutdown hook, or a test in its place): ends it, makes every message it holds
   * visible again at once, where they would have stayed hidden for the rest of the hide period, and says on stderr how
   * many, and what its handler had done ({@link Handler#done}). A message the pass's handler was moving at that moment
   * may still be moved: the delete of a message made visible again succeeds until another reader receives it, and a
   * duplicate is absorbed by the results table.
   */
  void letGo() {
    stop("the command was stopped");
    // First: the pass's thread runs on until the JVM halts, and starts nothing after it.
    Handler running = handler;
    String done = running == null ? null : running.done();
    List<Message> messages = takeHeld();
    List<String> said = new ArrayList<>();
    if (!messages.isEmpty()) {
      int failed = release(messages, 0);
      said.add(
          failed == 0
              ? Plurals.of(messages.size(), "message") + " it held "
                  + (messages.size() == 1 ? "is" : "are")
                  + " visible again in the dead-letter queue"
              : (messages.size() - failed) + " of the " + Plurals.of(messages.size(), "message")
                  + " it held are visible again in the dead-letter queue; " + failed
                  + " could not be made visible now, and show again when their hide period ends");
    }
    if (done != null) {
      said.add(done);
    }
    if (said.isEmpty()) {
      return;
    }
    err.println("offhours: stopped; " + String.join("; ", said));
    err.flush();
  }

  /** The held messages, no longer held. */
  private List<Message> takeHeld() {
    synchronized (held) {
      List<Message> messages =
          held.values().stream().map(HiddenMessage::message).toList();
      held.clear();
      return messages;
    }
  }

  /** How long a pass over {@code count} messages hides them: long enough to read, and move, each one. */
  static int hideSeconds(long count) {
    long seconds = MIN_HIDE_SECONDS + count * MILLIS_PER_MESSAGE / 1000;
    return (int) Math.min(MAX_HIDE_SECONDS, seconds);
  }

  /**
   * SQS's counts of the queue when a pass begins (approximate).
   *
   * @param visible ApproximateNumberOfMessages
   * @param hidden ApproximateNumberOfMessagesNotVisible: messages a reader holds, which the pass cannot see
   */
  record StartCounts(long visible, long hidden) {}

  /**
   * Receives every visible message once, handing each to {@code handler} the first time it is seen, and makes those
   * the handler kept visible again at the end (also when the handler or SQS throws); reads the queue's counts first.
   */
  PassReport run(Handler handler) {
    Map<QueueAttributeName, String> counts = sqs.getQueueAttributes(r -> r.queueUrl(url)
            .attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes();
    return run(
        handler,
        new StartCounts(
            SqsCounts.of(counts, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
            SqsCounts.of(counts, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
  }

  /** As {@link #run(Handler)}, with the counts a caller has just read (they size the hide period). */
  PassReport run(Handler handler, StartCounts counts) {
    int hide = hideSeconds(counts.visible());
    int seen = 0;
    int notReleased = 0;
    this.handler = handler;
    try (StopNotice notice = StopNotice.watch("dlq-pass-stopped", this::letGo)) {
      try {
        seen = receiveAll(handler, hide);
      } finally {
        notReleased = release(takeHeld(), 0);
      }
    }
    return new PassReport(seen, counts.visible(), counts.hidden(), hide, stopped, notReleased);
  }

  private int receiveAll(Handler handler, int hide) {
    Set<String> seen = new HashSet<>();
    int stale = 0;
    while (stopped == null) {
      if (seen.size() >= MAX_MESSAGES) {
        stop("a pass reads at most " + MAX_MESSAGES + " messages");
        break;
      }
      List<Message> fresh = new ArrayList<>();
      synchronized (held) {
        if (stopped != null) {
          break;
        }
        extend(hide);
        Instant asked = clock.instant();
        List<Message> page = sqs.receiveMessage(r -> r.queueUrl(url)
                .maxNumberOfMessages(10)
                .visibilityTimeout(hide)
                .waitTimeSeconds(1)
                .messageSystemAttributeNames(
                    MessageSystemAttributeName.SENT_TIMESTAMP,
                    MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)
                .messageAttributeNames("All"))
            .messages();
        if (page.isEmpty()) {
          break;
        }
        Instant hiddenUntil = asked.plusSeconds(hide);
        for (Message message : page) {
          if (seen.add(message.messageId())) {
            fresh.add(message);
            held.put(message.messageId(), new HiddenMessage(message, hiddenUntil));
          } else {
            // Back again (its hide period ran out): held under its new receipt handle.
            held.computeIfPresent(
                message.messageId(), (id, h) -> new HiddenMessage(message, hiddenUntil));
          }
        }
      }
      for (Message message : fresh) {
        if (handler.handle(message)) {
          synchronized (held) {
            held.remove(message.messageId());
          }
        }
      }
      stale = fresh.isEmpty() ? stale + 1 : 0;
      if (stale >= MAX_STALE_RECEIVES) {
        stop(
            MAX_STALE_RECEIVES
                + " receives in a row brought back only messages it had seen: their hide period ran out");
      }
    }
    return seen.size();
  }

  /**
   * Hides again, for another {@code hide} seconds, the held messages that would show within half of it (under the
   * lock of {@link #held}).
   */
  private void extend(int hide) {
    Instant soon = clock.instant().plusSeconds(hide / 2);
    List<Message> due = held.values().stream()
        .filter(h -> h.hiddenUntil().isBefore(soon))
        .map(HiddenMessage::message)
        .toList();
    if (due.isEmpty()) {
      return;
    }
    Instant until = clock.instant().plusSeconds(hide);
    List<String> failed = change(due, hide);
    for (Message m : due) {
      if (!failed.contains(m.receiptHandle())) {
        held.put(m.messageId(), new HiddenMessage(m, until));
      }
    }
  }

  /** Makes {@code messages} visible again now; returns how many SQS did not change. */
  private int release(List<Message> messages, int visibilitySeconds) {
    return change(messages, visibilitySeconds).size();
  }

  /**
   * Sets the visibility timeout of {@code messages}, 10 to a ChangeMessageVisibilityBatch call; returns the receipt
   * handles of those SQS did not change (its Failed entries, or a whole batch whose call failed).
   */
  private List<String> change(List<Message> messages, int visibilitySeconds) {
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < messages.size(); i += 10) {
      List<Message> chunk = messages.subList(i, Math.min(messages.size(), i + 10));
      try {
        List<BatchResultErrorEntry> errors = sqs.changeMessageVisibilityBatch(r -> r.queueUrl(url)
                .entries(IntStream.range(0, chunk.size())
                    .mapToObj(j -> ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(Integer.toString(j))
                        .receiptHandle(chunk.get(j).receiptHandle())
                        .visibilityTimeout(visibilitySeconds)
                        .build())
                    .toList()))
            .failed();
        errors.forEach(e -> failed.add(chunk.get(Integer.parseInt(e.id())).receiptHandle()));
      } catch (SdkException e) {
        chunk.forEach(m -> failed.add(m.receiptHandle()));
      }
    }
    return failed;
  }
}
