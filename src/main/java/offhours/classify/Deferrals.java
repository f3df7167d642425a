package offhours.classify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import offhours.aws.SqsText;
import offhours.units.Shown;
import offhours.units.WholeNumbers;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Endpoint unavailable is never the message's fault: a delayed copy goes back on the queue with the
 * deferral count incremented and the reason attached, and the original is acknowledged, so its receive count
 * never walks it toward the DLQ
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 * The count is bounded by the caller (MAX_DEFERRALS); a message that reaches the DLQ after that still carries the
 * reason of its last deferral. A deferral because the endpoint throttled is counted apart, in
 * {@link #THROTTLES_ATTRIBUTE}, which no bound reads: a throttle means the endpoint is alive and busy (a serverless
 * endpoint at its MaxConcurrency), which says nothing against the message however often it happens. A deferral because
 * the endpoint refused the image as over its own payload limit (an endpoint of another hosting, the serverless one
 * still there for the minutes of a switch) is counted apart too, in {@link #OVERSIZE_ATTRIBUTE}: it is no sign that
 * the endpoint is unavailable, and a switch must not leave a valid image with less of that budget. It has a budget of
 * its own, of the same size (MAX_DEFERRALS), so an endpoint that keeps refusing it still ends the loop in the DLQ.
 * All three counts are attempts.
 *
 * <p>The counts belong to the copy this class sent, and to no later send of the same message. A redrive from the DLQ
 * (SQS's move task, the console's "Start DLQ redrive", or {@code offhours dlq redrive}'s send-then-delete) re-sends a
 * message with its attributes, a new message id and a new enqueue time
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html):
 * it would start with the budget it had spent. So each copy carries the time it was sent ({@link #SENT_ATTRIBUTE}),
 * and a message whose SentTimestamp is later than that by more than {@link #SEND_WINDOW} was sent again by someone
 * else: its counts start from zero, a fresh budget.
 */
final class Deferrals {

  /** Message attribute counting how often a message was handed back because the endpoint was unavailable. */
  private static final String ATTRIBUTE = "offhours-deferrals";
  /** Message attribute counting the hand-backs because the endpoint throttled (not bounded by MAX_DEFERRALS). */
  private static final String THROTTLES_ATTRIBUTE = "offhours-throttles";
  /**
   * Message attribute counting the hand-backs because the endpoint refused the image as over its payload limit
   * (bounded by MAX_DEFERRALS on its own).
   */
  private static final String OVERSIZE_ATTRIBUTE = "offhours-oversize";
  /** Message attribute with the reason of the latest deferral (so a message in the DLQ says why it waited). */
  private static final String REASON_ATTRIBUTE = "offhours-deferral-reason";
  /** Message attribute with the time (epoch milliseconds) Classify sent this copy: whose counts they are. */
  private static final String SENT_ATTRIBUTE = "offhours-deferred-at";
  /**
   * How much later than its {@link #SENT_ATTRIBUTE} SQS may enqueue a copy Classify sent: the send happens within the
   * invocation that stamped it, and ClassifyFunction's Timeout is
   * {@link offhours.stack.StackSpec#CLASSIFY_TIMEOUT_SECONDS}
   * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html); a minute more covers the clocks of
   * Lambda and SQS. A redriven copy comes later than that: to reach the DLQ it must fail MaxReceiveCount receives (at
   * least 3, the template's minimum), each hiding it for its retry pause ({@link RetryPace}: 30 + 60 + 120 s with the
   * template's RETRY_SECONDS) or, when that was not set, for the queue's longer visibility timeout, so at least 3.5
   * minutes pass between the send and any redrive (DeferralsTest). A RETRY_SECONDS under 26 s (local ITs) walks a copy
   * to the DLQ sooner: redriven within this window, it keeps the counts it had.
   */
  static final Duration SEND_WINDOW = Duration.ofMinutes(3);
  /** Reasons are cut to this many characters: an attribute travels with every receive. */
  private static final int REASON_LIMIT = 1000;
  /** The attributes whose numbers Classify writes, each as Integer/Long.toString spells it: digits 0-9 alone. */
  private static final List<String> NUMBERS =
      List.of(ATTRIBUTE, OVERSIZE_ATTRIBUTE, THROTTLES_ATTRIBUTE, SENT_ATTRIBUTE);

  /**
   * What a hand-back spends, from the most charged: a deferral (MAX_DEFERRALS), an oversize refusal (its own budget of
   * MAX_DEFERRALS), a throttle (no budget).
   */
  enum Spend {
    DEFERRAL,
    OVERSIZE,
    THROTTLE
  }

  /** Asked for only when a copy is sent: the Lambda handler builds its queue client on first use. */
  private final Supplier<SqsClient> sqs;

  private final String queueUrl;
  private final int delaySeconds;
  private final Clock clock;

  Deferrals(Supplier<SqsClient> sqs, String queueUrl, int delaySeconds, Clock clock) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.delaySeconds = delaySeconds;
    this.clock = clock;
  }

  /**
   * Sends the copy; the caller acknowledges the original only if this returns.
   *
   * @param spend which count the hand-back adds one to
   * @param timeout cuts the call, its retries included, before the invocation's deadline (null: the client's own)
   */
  void send(QueueMessage message, String reason, Spend spend, Duration timeout) {
    send(message, reason, spend, delaySeconds, timeout);
  }

  /**
   * The one SendMessage call: the copy of {@code message}, delayed {@code seconds}. The SnapStart priming hook
   * sends it too ({@link Priming}), with a delay SQS refuses, so that a restored function's first deferral finds this
   * request path warm. Throws what the client throws.
   */
  void send(QueueMessage message, String reason, Spend spend, int seconds, Duration timeout) {
    Map<String, MessageAttributeValue> attributes = new HashMap<>();
    message.messageAttributes().forEach((name, value) -> {
      if (!ATTRIBUTE.equals(name)
          && !THROTTLES_ATTRIBUTE.equals(name)
          && !OVERSIZE_ATTRIBUTE.equals(name)
          && !REASON_ATTRIBUTE.equals(name)
          && !SENT_ATTRIBUTE.equals(name)) {
        attributes.put(
            name,
            MessageAttributeValue.builder()
                .dataType(value.dataType())
                .stringValue(value.stringValue())
                .build());
      }
    });
    putCount(attributes, ATTRIBUTE, count(message) + (spend == Spend.DEFERRAL ? 1 : 0));
    putCount(attributes, OVERSIZE_ATTRIBUTE, oversize(message) + (spend == Spend.OVERSIZE ? 1 : 0));
    putCount(
        attributes, THROTTLES_ATTRIBUTE, throttles(message) + (spend == Spend.THROTTLE ? 1 : 0));
    attributes.put(
        SENT_ATTRIBUTE,
        MessageAttributeValue.builder()
            .dataType("Number")
            .stringValue(Long.toString(clock.millis()))
            .build());
    attributes.put(
        REASON_ATTRIBUTE,
        MessageAttributeValue.builder()
            .dataType("String")
            // The reason quotes the model container's own error text, which may hold characters
            // SQS refuses (an ANSI escape, a NUL): the send would fail and the receive be spent.
            .stringValue(SqsText.of(reason, REASON_LIMIT))
            .build());
    sqs.get()
        .sendMessage(r -> r.queueUrl(queueUrl)
            .messageBody(message.body())
            .delaySeconds(seconds)
            .messageAttributes(attributes)
            .overrideConfiguration(c -> {
              if (timeout != null) {
                c.apiCallTimeout(timeout);
              }
            }));
  }

  private static void putCount(
      Map<String, MessageAttributeValue> attributes, String name, int count) {
    if (count > 0) {
      attributes.put(
          name,
          MessageAttributeValue.builder()
              .dataType("Number")
              .stringValue(Integer.toString(count))
              .build());
    }
  }

  /** SQS receives of this copy plus the deferrals, oversize refusals and throttles of the copies before it. */
  static int attempts(QueueMessage message) {
    return receives(message) + count(message) + oversize(message) + throttles(message);
  }

  /** SQS receives of this copy (a deferred copy starts again at 1). */
  static int receives(QueueMessage message) {
    return Math.max(1, small(parse(message.attributes().get("ApproximateReceiveCount"))));
  }

  /**
   * Deferrals of the copies before this one, throttles not counted: what MAX_DEFERRALS bounds. None for a redriven
   * message.
   */
  static int count(QueueMessage message) {
    return redriven(message) ? 0 : number(message, ATTRIBUTE);
  }

  /**
   * Hand-backs of the copies before this one because the endpoint refused the image as over its payload limit: what
   * MAX_DEFERRALS bounds apart from {@link #count}. None for a redriven message.
   */
  static int oversize(QueueMessage message) {
    return redriven(message) ? 0 : number(message, OVERSIZE_ATTRIBUTE);
  }

  /** Hand-backs of the copies before this one because the endpoint throttled; none for a redriven message. */
  private static int throttles(QueueMessage message) {
    return redriven(message) ? 0 : number(message, THROTTLES_ATTRIBUTE);
  }

  /**
   * Whether SQS enqueued this message more than {@link #SEND_WINDOW} after Classify sent it as a deferred copy: a
   * redrive (or any other re-send that kept its attributes), which starts a fresh budget. A message without either
   * time (never deferred, or deferred by a version of offhours before the stamp) keeps its counts.
   */
  private static boolean redriven(QueueMessage message) {
    long deferredAt = parse(value(message, SENT_ATTRIBUTE));
    long enqueuedAt = parse(message.attributes().get("SentTimestamp"));
    return deferredAt > 0 && enqueuedAt > deferredAt + SEND_WINDOW.toMillis();
  }

  private static int number(QueueMessage message, String attribute) {
    return small(parse(value(message, attribute)));
  }

  /**
   * What this message carries in the attributes Classify numbers ({@link #NUMBERS}) that Classify never writes, one
   * sentence each, for the message's log line; empty when there is none. Such a value is no count of ours and no
   * send time: it is read as none (a count of 0; without a send time the counts are kept), as a value is that is not
   * there.
   */
  static List<String> unread(QueueMessage message) {
    List<String> unread = new ArrayList<>();
    for (String attribute : NUMBERS) {
      String value = value(message, attribute);
      if (value != null && !written(attribute, value)) {
        unread.add("message attribute " + attribute + " '" + Shown.value(value)
            + "' is not " + (attribute.equals(SENT_ATTRIBUTE) ? "a time" : "a count")
            + " as Classify writes it (" + WholeNumbers.FORM + "), read as none");
      }
    }
    return unread;
  }

  /** Whether {@code value} is a number as Classify writes it in {@code attribute}: a count fits an int. */
  private static boolean written(String attribute, String value) {
    try {
      long number = WholeNumbers.parse(value);
      return attribute.equals(SENT_ATTRIBUTE) || number == (int) number;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A count that does not fit an int is no count of ours: 0. */
  private static int small(long number) {
    return number == (int) number ? (int) number : 0;
  }

  private static String value(QueueMessage message, String attribute) {
    QueueMessage.UserAttribute value = message.messageAttributes().get(attribute);
    return value == null ? null : value.stringValue();
  }

  /**
   * {@code number} as Classify and SQS write their numbers, ASCII digits alone ({@link WholeNumbers}); 0 for anything
   * else, absence included. Long.parseLong after strip() also read " 3", "+3" and U+0663 (an Arabic-Indic 3) as 3:
   * spellings neither writes, which a bound on deferrals should not count on.
   */
  private static long parse(String number) {
    try {
      return number == null ? 0 : WholeNumbers.parse(number);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
