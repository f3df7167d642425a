package offhours.aws;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import offhours.inference.Jitter;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

/**
 * Adds to number attributes of one item exactly once, for the ledger's counters. A plain UpdateItem ADD is not: when
 * DynamoDB applied it but the answer was lost (a read timeout, a 500), the SDK sends it again
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html) and the counters move twice.
 * TransactWriteItems with a ClientRequestToken is idempotent: the same token again within 10 minutes changes nothing
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#DDB-TransactWriteItems-request-ClientRequestToken).
 * Each call makes its own token, and every retry of that call carries it, as the SDK resends the request it built.
 * The price: a transactional write costs two write units per item instead of one
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-capacity-handling);
 * IAM authorizes its Update as dynamodb:UpdateItem
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html).
 */
public final class DynamoCounters {

  private DynamoCounters() {}

  /** How a call's increments reached the item: each is there once either way. */
  public enum Added {
    /** DynamoDB answered that it applied the transaction. */
    APPLIED,
    /**
     * The SDK's retries each found the first attempt of this call (same token) still in progress and got
     * TransactionInProgressException: that attempt holds the write, and DynamoDB finishes it. Sending it again with
     * a new token would count it twice.
     */
    BY_THE_FIRST_ATTEMPT
  }

  /**
   * Adds each of {@code increments} (attribute name to amount, in the order given) to the item {@code key} of
   * {@code table}, creating the item or an attribute that is missing; once, however often the SDK retries.
   */
  public static Added add(
      DynamoDbClient dynamo,
      String table,
      Map<String, AttributeValue> key,
      Map<String, Long> increments) {
    return add(dynamo, table, key, increments, (Duration) null);
  }

  /**
   * As above, within {@code timeout} (null: the client's own call timeout) for the whole add: every try after a
   * conflict, and the pauses between them, included; a function adds before its invocation's deadline. Past it the
   * SDK's ApiCallTimeoutException is thrown, and nothing more is tried.
   */
  public static Added add(
      DynamoDbClient dynamo,
      String table,
      Map<String, AttributeValue> key,
      Map<String, Long> increments,
      Duration timeout) {
    return add(
        dynamo,
        table,
        key,
        increments,
        UUID.randomUUID().toString(),
        DynamoCounters::pause,
        timeout);
  }

  static Added add(
      DynamoDbClient dynamo,
      String table,
      Map<String, AttributeValue> key,
      Map<String, Long> increments,
      String token) {
    return add(dynamo, table, key, increments, token, DynamoCounters::pause);
  }

  /**
   * As above; {@code pause} waits the given milliseconds before a try after a conflict (tests record it).
   *
   * @throws Unconfirmed when neither a try nor its resend got an answer ({@link #transact})
   */
  static Added add(
      DynamoDbClient dynamo,
      String table,
      Map<String, AttributeValue> key,
      Map<String, Long> increments,
      String token,
      LongConsumer pause) {
    return add(dynamo, table, key, increments, token, pause, null);
  }

  private static Added add(
      DynamoDbClient dynamo,
      String table,
      Map<String, AttributeValue> key,
      Map<String, Long> increments,
      String token,
      LongConsumer pause,
      Duration timeout) {
    Objects.requireNonNull(dynamo, "dynamo");
    if (increments.isEmpty()) {
      throw new IllegalArgumentException("nothing to add to " + table + " " + key);
    }
    TransactWriteItem update = update(table, key, increments);
    long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
    for (int attempt = 1; ; attempt++) {
      if (attempt > 1) {
        pause.accept(conflictPauseMillis(attempt, Jitter.fraction()));
      }
      String attemptToken = attempt == 1 ? token : UUID.randomUUID().toString();
      Duration left = timeout == null ? null : Duration.ofNanos(deadline - System.nanoTime());
      if (left != null && left.toMillis() < 1) {
        throw ApiCallTimeoutException.create(timeout.toMillis());
      }
      try {
        transact(
            dynamo,
            attemptToken,
            update,
            timeout == null ? null : () -> deadline - System.nanoTime());
        return Added.APPLIED;
      } catch (TransactionInProgressException e) {
        // The SDK retries this answer itself, with the same token (it counts it as throttling), and
        // it reaches here only when every retry found the first attempt still running. That attempt
        // carries the write, and DynamoDB completes it once (AWS: retries of the same token
        // "trigger completion of the ongoing TransactWriteItems request"). Not an error, and no new
        // token.
        // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#API_TransactWriteItems_Errors
        return Added.BY_THE_FIRST_ATTEMPT;
      } catch (TransactionCanceledException e) {
        // Another transaction on the same item at the same moment (two batches ending together):
        // DynamoDB cancels it, changes nothing, and the SDK does not retry that. Nothing was
        // applied, so a new token is safe; the next try waits a random while first, so that writers
        // which collided do not collide again at once (a draw that a SnapStart snapshot does not
        // repeat).
        // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling
        if (attempt >= CONFLICT_ATTEMPTS || !conflict(e)) {
          throw e;
        }
      }
    }
  }

  /**
   * Sends the transaction; when no answer came (the SDK's call timeout, a connection lost after sending), sends it
   * once more with the same token. Without an answer DynamoDB may have applied it or not, and may still be applying
   * it; the same token within DynamoDB's 10-minute idempotency window makes the resend apply it only if the first did
   * not
   * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html#DDB-TransactWriteItems-request-ClientRequestToken),
   * and a first still in progress answers TransactionInProgressException, which the caller reads as done by it. The
   * resend's whole call is cut at {@link #RETRY_CALL_TIMEOUT}: a table that did not answer within its client's
   * {@link AwsClients#CALL_TIMEOUT} gets one short chance.
   *
   * @throws Unconfirmed when the resend got no answer either
   */
  private static void transact(
      DynamoDbClient dynamo, String token, TransactWriteItem update, LongSupplier nanosLeft) {
    try {
      send(
          dynamo,
          token,
          update,
          nanosLeft == null ? null : Duration.ofNanos(nanosLeft.getAsLong()));
    } catch (SdkClientException noAnswer) {
      Duration resend = RETRY_CALL_TIMEOUT;
      if (nanosLeft != null) {
        Duration left = Duration.ofNanos(nanosLeft.getAsLong());
        if (left.toMillis() < 1) {
          throw new Unconfirmed(token, noAnswer, null); // the deadline leaves no time to ask again
        }
        resend = left.compareTo(resend) < 0 ? left : resend;
      }
      try {
        send(dynamo, token, update, resend);
      } catch (SdkClientException again) {
        throw new Unconfirmed(token, noAnswer, again);
      }
    }
  }

  /**
   * The transaction's write that adds each of {@code increments} to the item {@code key} of {@code table} (ADD, which
   * creates the item or an attribute that is missing), for a transaction that writes more with it.
   */
  public static TransactWriteItem update(
      String table, Map<String, AttributeValue> key, Map<String, Long> increments) {
    String expression = increments.keySet().stream()
        .map(name -> name + " :" + name)
        .collect(Collectors.joining(", ", "ADD ", ""));
    Map<String, AttributeValue> values = increments.entrySet().stream()
        .collect(Collectors.toMap(
            e -> ":" + e.getKey(), e -> AttributeValue.fromN(Long.toString(e.getValue()))));
    return TransactWriteItem.builder()
        .update(u -> u.tableName(table)
            .key(key)
            .updateExpression(expression)
            .expressionAttributeValues(values))
        .build();
  }

  /** One TransactWriteItems call, cut at {@code timeout} (null: the client's own call timeout). */
  private static void send(
      DynamoDbClient dynamo, String token, TransactWriteItem update, Duration timeout) {
    dynamo.transactWriteItems(b -> {
      b.clientRequestToken(token).transactItems(update);
      if (timeout != null) {
        b.overrideConfiguration(c -> c.apiCallTimeout(timeout));
      }
    });
  }

  /** The longest the resend of a transaction that got no answer may take, its retries included. */
  static final Duration RETRY_CALL_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Neither the transaction nor its resend with the same token got an answer: DynamoDB may have applied it (once: the
   * token saw to that) or not. Nothing says which; a reader of the counters may find them short by these increments.
   */
  public static final class Unconfirmed extends RuntimeException {
    private Unconfirmed(String token, SdkClientException first, SdkClientException resend) {
      super(
          resend == null
              ? "no answer to the write with ClientRequestToken " + token + " ("
                  + first.getMessage()
                  + ") and no time left before the deadline to resend it: DynamoDB may have applied it,"
                  + " at most once"
              : "no answer to the write nor to its resend with the same ClientRequestToken " + token
                  + " (" + first.getMessage() + "; then " + resend.getMessage() + "): DynamoDB may"
                  + " have applied it, at most once",
          resend == null ? first : resend);
      if (resend != null) {
        addSuppressed(first);
      }
    }
  }

  /** Tries after a transaction conflict, the first included. */
  static final int CONFLICT_ATTEMPTS = 5;

  /** The longest wait before the second try; each later try may wait twice as long (25, 50, 100, 200 ms). */
  static final long CONFLICT_PAUSE_MILLIS = 25;

  /**
   * The wait before try {@code attempt} (2 or more) after a conflict: "full jitter", a uniform share
   * ({@code random} in [0, 1)) of a cap that doubles with each try, as AWS advises for contended retries
   * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/).
   */
  static long conflictPauseMillis(int attempt, double random) {
    long cap = CONFLICT_PAUSE_MILLIS << Math.min(attempt - 2, 10);
    return (long) (cap * random);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean conflict(TransactionCanceledException e) {
    return e.hasCancellationReasons()
        && e.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
  }
}
