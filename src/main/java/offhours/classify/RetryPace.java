package offhours.classify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import offhours.inference.AwsFailures;
import offhours.units.Plurals;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;

/**
 * How soon a message the batch reports as failed is received again. Lambda leaves such a message in flight, untouched,
 * until the queue's visibility timeout ends
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html); the stack's is 17 minutes, sized for
 * a batch that Lambda was throttled on, not for a retry. So before the batch response is returned, a failed message
 * may be hidden instead for a pause of its own, with ChangeMessageVisibilityBatch on the receipt handle of this
 * receive: the new timeout counts from the call, and a message whose visibility was changed and is then reported
 * failed stays hidden for exactly that long (SQS keeps no per-message value: its next receive starts from the queue's
 * timeout again,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html).
 *
 * <p>How soon depends on why it failed ({@link RetryCause}):
 * <ul>
 *   <li>A walk the consumer chose (a model crash before its verdict on the 3rd receive, an upload past MAX_DEFERRALS
 *       on its way to the DLQ): nothing is expected to recover, the receives are the plan, so each comes after a
 *       pause of {@code RETRY_SECONDS} (30) doubled per receive, {@link #MAX_DOUBLINGS} times at most: 30, 60, 120,
 *       240, 240 s. A crash gets its verdict 1.5 minutes after the first receive, not 34; an upload past
 *       MAX_DEFERRALS reaches the DLQ after 5 receives (MaxReceiveCount's default) in about 11.5 minutes, not 85.
 *   <li>A failure (S3, DynamoDB or SQS failed past the SDK's retries, the deadline cut a call, a bug): a blip passes in
 *       seconds, so the first retry comes after {@code RETRY_SECONDS}; but it may be the start of an outage of
 *       minutes, and every receive it spends walks it toward the DLQ, so later receives wait the queue's visibility
 *       timeout as before: with MaxReceiveCount 5 a backlog outlasts an outage of over an hour (30 s + 4 x 17 min)
 *       before it reaches the DLQ, where paced receives would give up on it in minutes.
 * </ul>
 * The shortest walk to the DLQ (MaxReceiveCount's minimum, 3 receives: 30 + 60 + 120 s) outlasts
 * {@link Deferrals#SEND_WINDOW}, which tells a redriven copy from a fresh one by that (DeferralsTest).
 *
 * <p>Nothing is ever lost or hurried: when the call fails, SQS refuses an entry (its batch answers 200 with Failed
 * entries), the event carries no receipt handle, or too little of the invocation remains
 * ({@link BatchScope.Write#PACE}), the message is left to the queue's visibility timeout, as before, and the batch's
 * log line says so (WARN). A receipt handle is the one of this receive, the latest: the message is in flight for this
 * invocation until the handler returns (the visibility timeout is 6 times the function's Timeout).
 */
final class RetryPace {

  /** How often the first pause doubles: with RETRY_SECONDS 30, the 4th and later receives wait 240 s. */
  static final int MAX_DOUBLINGS = 3;

  /** SQS's limit of entries per ChangeMessageVisibilityBatch call. */
  static final int ENTRIES_PER_CALL = 10;

  /** Why a message of the batch failed, which sets how soon it comes back. */
  enum RetryCause {
    /** A walk the consumer chose: a model crash before its verdict, an upload past MAX_DEFERRALS. */
    WALK,
    /** Anything else: S3, DynamoDB or SQS failed, the deadline cut a call, a bug; maybe an outage. */
    FAILURE
  }

  /** A message the batch reports as failed, and why. */
  record FailedMessage(QueueMessage message, RetryCause cause) {}

  /** What the log says of a failure's later receives, which wait the visibility timeout on purpose. */
  static final String OUTAGE =
      "a failure again, which may be an outage: its later receives are not hurried";

  /**
   * Where a failed message of a batch stands once paced: {@code pausedSeconds} null when it waits the timeout,
   * {@code left} when that was not the plan (the pause could not be set).
   */
  record Paced(String messageId, int receives, Integer pausedSeconds, String why, boolean left) {

    static Paced paused(QueueMessage message, int seconds) {
      return new Paced(message.messageId(), Deferrals.receives(message), seconds, null, false);
    }

    static Paced left(QueueMessage message, String why) {
      return new Paced(message.messageId(), Deferrals.receives(message), null, why, true);
    }

    /** A failure's second or later receive: the visibility timeout, as planned. */
    static Paced notHurried(QueueMessage message) {
      return new Paced(message.messageId(), Deferrals.receives(message), null, OUTAGE, false);
    }

    /** What the log says of it. */
    String pace() {
      return pausedSeconds != null
          ? "received again in " + pausedSeconds + " s"
          : "received again after the queue's visibility timeout: " + why;
    }
  }

  /** Asked for only when a batch has a failure: the Lambda handler builds its queue client on first use. */
  private final Supplier<SqsClient> sqs;

  private final String queueUrl;
  private final int firstSeconds;
  private final OutcomeLog log;

  RetryPace(Supplier<SqsClient> sqs, String queueUrl, int firstSeconds, OutcomeLog log) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.firstSeconds = firstSeconds;
    this.log = log;
  }

  /**
   * A walk's pause after its {@code receives}th receive failed: {@code firstSeconds} doubled once per receive before
   * it (a failure's first pause too, the only one it gets).
   */
  static int seconds(int receives, int firstSeconds) {
    return firstSeconds << Math.min(Math.max(receives, 1) - 1, MAX_DOUBLINGS);
  }

  /**
   * Hides each of {@code failed} for its pause (a failure's later receives: none, they wait the visibility timeout),
   * {@link #ENTRIES_PER_CALL} to a call, and logs one line for the batch; nothing for a batch without failures. Never
   * throws: a message it could not pace waits the visibility timeout.
   */
  void pace(List<FailedMessage> failed, BatchScope scope) {
    if (failed.isEmpty()) {
      return;
    }
    List<Paced> paced = new ArrayList<>(failed.size());
    List<QueueMessage> handled = new ArrayList<>(failed.size());
    for (FailedMessage f : failed) {
      QueueMessage message = f.message();
      if (f.cause() == RetryCause.FAILURE && Deferrals.receives(message) > 1) {
        paced.add(Paced.notHurried(message));
      } else if (message.receiptHandle() == null || message.receiptHandle().isEmpty()) {
        paced.add(Paced.left(message, "the event gave no receipt handle"));
      } else {
        handled.add(message);
      }
    }
    for (int from = 0; from < handled.size(); from += ENTRIES_PER_CALL) {
      paced.addAll(
          call(handled.subList(from, Math.min(handled.size(), from + ENTRIES_PER_CALL)), scope));
    }
    log.retries(paced);
  }

  private List<Paced> call(List<QueueMessage> chunk, BatchScope scope) {
    Duration timeout = null;
    ChangeMessageVisibilityBatchResponse response;
    try {
      timeout = scope.writeTimeout(
          BatchScope.Write.PACE, "the retry pause of " + Plurals.of(chunk.size(), "message"));
      response = change(chunk, timeout);
    } catch (BatchScope.OutOfTime e) {
      return all(chunk, e.getMessage());
    } catch (ApiCallTimeoutException e) {
      return all(
          chunk,
          String.format(
              Locale.ROOT,
              "ChangeMessageVisibilityBatch was cut after %d ms, to end before this invocation's"
                  + " deadline (SQS did not answer in time)",
              timeout == null ? 0 : timeout.toMillis()));
    } catch (SdkException e) {
      // SQS refused the call (AccessDenied, a throttle past the SDK's retries) or nothing answered.
      return all(chunk, "ChangeMessageVisibilityBatch failed: " + AwsFailures.said(e));
    } catch (RuntimeException e) {
      // Not the SDK's (a bug): said, never thrown, since the batch's response must still reach
      // Lambda.
      return all(chunk, "ChangeMessageVisibilityBatch failed: " + e);
    }
    List<Paced> paced = new ArrayList<>(chunk.size());
    for (int i = 0; i < chunk.size(); i++) {
      QueueMessage message = chunk.get(i);
      String id = Integer.toString(i);
      BatchResultErrorEntry refused = refusal(response, id);
      if (refused != null) {
        paced.add(Paced.left(
            message, "SQS refused its change: " + refused.code() + ": " + refused.message()));
      } else if (response.successful().stream().anyMatch(s -> id.equals(s.id()))) {
        paced.add(Paced.paused(message, pause(message)));
      } else {
        paced.add(Paced.left(message, "SQS's answer did not name its entry"));
      }
    }
    return paced;
  }

  /**
   * The one ChangeMessageVisibilityBatch call: entry {@code i} hides message {@code i} of {@code chunk} for its pause.
   * The SnapStart priming hook sends it too ({@link Priming}), so that a restored function's first failed batch finds
   * this request path warm. Throws what the client throws; a refused entry is in the answer, not thrown.
   *
   * @param timeout the call's end, or null for none but the client's own
   */
  ChangeMessageVisibilityBatchResponse change(List<QueueMessage> chunk, Duration timeout) {
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(chunk.size());
    for (int i = 0; i < chunk.size(); i++) {
      entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
          .id(Integer.toString(i))
          .receiptHandle(chunk.get(i).receiptHandle())
          .visibilityTimeout(pause(chunk.get(i)))
          .build());
    }
    return sqs.get()
        .changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl)
            .entries(entries)
            .overrideConfiguration(c -> {
              if (timeout != null) {
                c.apiCallTimeout(timeout);
              }
            }));
  }

  /** How long {@code message} is hidden when its change succeeds: a pause for its receives. */
  private int pause(QueueMessage message) {
    return seconds(Deferrals.receives(message), firstSeconds);
  }

  private static BatchResultErrorEntry refusal(
      ChangeMessageVisibilityBatchResponse response, String id) {
    return response.failed().stream().filter(f -> id.equals(f.id())).findFirst().orElse(null);
  }

  private static List<Paced> all(List<QueueMessage> chunk, String why) {
    return chunk.stream().map(m -> Paced.left(m, why)).toList();
  }
}
