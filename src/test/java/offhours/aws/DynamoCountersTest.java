package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;

class DynamoCountersTest {
  private static final Map<String, AttributeValue> KEY =
      Map.of("pk", AttributeValue.fromS("ledger"), "sk", AttributeValue.fromS("2026-12-03"));

  private final List<TransactWriteItemsRequest> sent = new ArrayList<>();
  private final List<String> cancelWith = new ArrayList<>(); // one reason code per call to cancel
  private boolean inProgress; // every call answers TransactionInProgressException

  private final DynamoDbClient dynamo = new DynamoDbClient() {
    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
      sent.add(request);
      if (inProgress) {
        throw TransactionInProgressException.builder()
            .message("Transaction is ongoing for the given token")
            .build();
      }
      if (!cancelWith.isEmpty()) {
        throw TransactionCanceledException.builder()
            .message("Transaction cancelled")
            .cancellationReasons(
                CancellationReason.builder().code(cancelWith.removeFirst()).build())
            .build();
      }
      return TransactWriteItemsResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  };

  private static Map<String, Long> increments() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("endpointSeconds", 60L);
    m.put("starts", 1L);
    return m;
  }

  @Test
  void oneUpdateInATransactionWithItsOwnToken() {
    DynamoCounters.add(dynamo, "control", KEY, increments());
    DynamoCounters.add(dynamo, "control", KEY, increments());

    assertThat(sent).hasSize(2).allSatisfy(r -> {
      assertThat(r.clientRequestToken()).hasSize(36);
      assertThat(r.transactItems()).singleElement().satisfies(i -> {
        assertThat(i.update().tableName()).isEqualTo("control");
        assertThat(i.update().key()).isEqualTo(KEY);
        assertThat(i.update().updateExpression())
            .isEqualTo("ADD endpointSeconds :endpointSeconds, starts :starts");
        assertThat(i.update().expressionAttributeValues())
            .isEqualTo(Map.of(
                ":endpointSeconds",
                AttributeValue.fromN("60"),
                ":starts",
                AttributeValue.fromN("1")));
      });
    });
    assertThat(sent.get(0).clientRequestToken()).isNotEqualTo(sent.get(1).clientRequestToken());
  }

  @Test
  void aWriteStillInProgressIsAppliedByItsFirstAttemptAndNotSentAgainWithANewToken() {
    inProgress = true;

    assertThat(DynamoCounters.add(dynamo, "control", KEY, increments(), "first"))
        .isEqualTo(DynamoCounters.Added.BY_THE_FIRST_ATTEMPT);
    assertThat(sent)
        .singleElement()
        .satisfies(r -> assertThat(r.clientRequestToken()).isEqualTo("first"));
  }

  @Test
  void anAnsweredWriteIsApplied() {
    assertThat(DynamoCounters.add(dynamo, "control", KEY, increments()))
        .isEqualTo(DynamoCounters.Added.APPLIED);
  }

  @Test
  void aTransactionConflictAppliedNothingAndIsTriedAgainWithANewToken() {
    cancelWith.add("TransactionConflict");
    DynamoCounters.add(dynamo, "control", KEY, increments(), "first");

    assertThat(sent).hasSize(2);
    assertThat(sent.get(0).clientRequestToken()).isEqualTo("first");
    assertThat(sent.get(1).clientRequestToken()).isNotEqualTo("first");
  }

  @Test
  void eachTryAfterAConflictWaitsARandomShareOfACapThatDoubles() {
    for (int i = 0; i < DynamoCounters.CONFLICT_ATTEMPTS - 1; i++) {
      cancelWith.add("TransactionConflict");
    }
    List<Long> pauses = new ArrayList<>();
    DynamoCounters.add(dynamo, "control", KEY, increments(), "first", pauses::add);

    assertThat(sent).hasSize(DynamoCounters.CONFLICT_ATTEMPTS);
    assertThat(pauses).hasSize(DynamoCounters.CONFLICT_ATTEMPTS - 1);
    for (int i = 0; i < pauses.size(); i++) {
      assertThat(pauses.get(i)).isBetween(0L, DynamoCounters.CONFLICT_PAUSE_MILLIS << i);
    }
    assertThat(DynamoCounters.conflictPauseMillis(2, 0.0)).isZero();
    assertThat(DynamoCounters.conflictPauseMillis(2, 0.999)).isEqualTo(24);
    assertThat(DynamoCounters.conflictPauseMillis(5, 0.999)).isEqualTo(199);
  }

  @Test
  void aWriteThatGoesThroughAtOnceNeverWaits() {
    List<Long> pauses = new ArrayList<>();
    DynamoCounters.add(dynamo, "control", KEY, increments(), "first", pauses::add);
    assertThat(pauses).isEmpty();
  }

  @Test
  void anyOtherCancellationOrConflictsPastTheLastTryAreThrown() {
    cancelWith.add("ValidationError");
    assertThatThrownBy(() -> DynamoCounters.add(dynamo, "control", KEY, increments()))
        .isInstanceOf(TransactionCanceledException.class);
    assertThat(sent).hasSize(1);

    sent.clear();
    cancelWith.clear();
    for (int i = 0; i < DynamoCounters.CONFLICT_ATTEMPTS; i++) {
      cancelWith.add("TransactionConflict");
    }
    assertThatThrownBy(() -> DynamoCounters.add(dynamo, "control", KEY, increments()))
        .isInstanceOf(TransactionCanceledException.class);
    assertThat(sent).hasSize(DynamoCounters.CONFLICT_ATTEMPTS);
  }

  /** README's "Every ledger write counts once" gives the first call's and the resend's bounds as the code has them. */
  @Test
  void readmeQuotesTheCallTimeoutAndTheResendsCut() throws java.io.IOException {
    String readme =
        java.nio.file.Files.readString(java.nio.file.Path.of("README.md")).replaceAll("\\s+", " ");
    assertThat(readme)
        .contains(
            "(the SDK's " + AwsClients.CALL_TIMEOUT.toSeconds()
                + " s call timeout, or the run's deadline)",
            "that resend (cut after " + DynamoCounters.RETRY_CALL_TIMEOUT.toSeconds() + " s)");
  }
}
