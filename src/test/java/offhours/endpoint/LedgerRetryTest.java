package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.UsageLedger;
import offhours.inference.InvocationUsage;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A ledger write that DynamoDB applied but whose answer was lost: the SDK sends it again (a 500 is retried,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html), and the ledger must still move once.
 * The stand-in for DynamoDB applies every write it receives, but a TransactWriteItems whose ClientRequestToken it has
 * seen only once, as DynamoDB does within its 10-minute window
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html); its first answer is a
 * 500. moto ignores the token, so the stand-in is this test's own.
 */
class LedgerRetryTest {

  /** DynamoDB whose first answer is lost after the write landed. */
  private static final class LandedThenLost implements Function<Request, Reply> {
    final AtomicInteger applied = new AtomicInteger();
    final List<String> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private final AtomicInteger received = new AtomicInteger();

    @Override
    public synchronized Reply apply(Request request) {
      String target = request.header("X-Amz-Target");
      JsonNode body = JsonNode.parser().parse(request.text());
      if (target.endsWith(".TransactWriteItems")) {
        JsonNode token = body.asObject().get("ClientRequestToken");
        tokens.add(token == null ? null : token.asString());
        if (token == null || seen.add(token.asString())) {
          applied.incrementAndGet();
        }
      } else if (target.endsWith(".UpdateItem")) {
        applied.incrementAndGet();
      } else {
        return Reply.json(400, "{\"__type\":\"UnknownOperationException\"}");
      }
      return received.incrementAndGet() == 1
          ? Reply.json(
              500,
              "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                  + "\"message\":\"the write landed; this answer is lost\"}")
          : Reply.json(200, "{}");
    }
  }

  /**
   * DynamoDB whose first answer is lost while the write is still being applied: every retry of the same token gets
   * TransactionInProgressException (400), which the SDK retries itself until its attempts run out.
   */
  private static final class StillInProgress implements Function<Request, Reply> {
    final List<String> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public synchronized Reply apply(Request request) {
      JsonNode token = JsonNode.parser().parse(request.text()).asObject().get("ClientRequestToken");
      tokens.add(token == null ? null : token.asString());
      return tokens.size() == 1
          ? Reply.json(
              500,
              "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                  + "\"message\":\"the write is being applied; this answer is lost\"}")
          : Reply.json(
              400,
              "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionInProgressException\","
                  + "\"message\":\"Transaction is ongoing for the given token\"}");
    }
  }

  private final LandedThenLost dynamoDb = new LandedThenLost();

  /**
   * The SDK's own retries of TransactionInProgressException, which it treats as throttling, four attempts without
   * waiting: with the default backoff (up to 20 s a wait) they may outlast the 50 s call timeout first.
   */
  private static void withServer(
      Function<Request, Reply> dynamoDb, java.util.function.Consumer<DynamoDbClient> use) {
    try (StubHttpServer server = StubHttpServer.start(dynamoDb);
        AwsClients aws = AwsClients.local(
            Region.EU_CENTRAL_1,
            Map.of(Service.DYNAMODB, URI.create(server.uri().toString())));
        DynamoDbClient dynamo = aws.build(
            Service.DYNAMODB,
            DynamoDbClient.builder()
                .overrideConfiguration(
                    c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(4)
                        .backoffStrategy(BackoffStrategy.retryImmediately())
                        .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                        .circuitBreakerEnabled(false)
                        .build())))) {
      use.accept(dynamo);
    }
  }

  private void withClient(java.util.function.Consumer<DynamoDbClient> use) {
    try (StubHttpServer server = StubHttpServer.start(dynamoDb);
        AwsClients aws = AwsClients.local(
            Region.EU_CENTRAL_1,
            Map.of(Service.DYNAMODB, URI.create(server.uri().toString())));
        DynamoDbClient dynamo = aws.build(Service.DYNAMODB, DynamoDbClient.builder())) {
      use.accept(dynamo);
      assertThat(server.requests())
          .as("the SDK sent the write again after the 500")
          .hasSize(2);
    }
  }

  @Test
  void theControllersLedgerCountsAWriteOnceWhenTheSdkRetriesItAfterItLanded() {
    withClient(dynamo -> new DynamoControlTable(dynamo, "control")
        .add(new Ledger.Day(LocalDate.parse("2026-12-03"), 60, 0, 1, 0)));
    assertThat(dynamoDb.applied).hasValue(1);
    assertThat(dynamoDb.tokens)
        .hasSize(2)
        .doesNotContainNull()
        .containsOnly(dynamoDb.tokens.getFirst());
  }

  @Test
  void theServerlessLedgerCountsABatchOnceWhenTheSdkRetriesItAfterItLanded() {
    InvocationUsage tally = new InvocationUsage();
    tally.add(250, 40_000, 300);
    withClient(dynamo -> new UsageLedger(
            dynamo,
            UsageLedger.Settings.fromEnv(Map.of(
                "HOSTING", "serverless",
                "CONTROL_TABLE_NAME", "control",
                "SERVERLESS_MEMORY_MB", "2048")),
            Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC),
            (n, ms, e) -> {
              throw new AssertionError("the write failed", e);
            })
        .add(tally));
    assertThat(dynamoDb.applied).hasValue(1);
  }

  @Test
  void aWriteStillInProgressWhenTheSdksRetriesEndIsReportedAsCountedOnceNotAsLost() {
    StillInProgress inProgress = new StillInProgress();
    List<String> said = new java.util.ArrayList<>();
    InvocationUsage tally = new InvocationUsage();
    tally.add(250, 40_000, 300);
    withServer(
        inProgress,
        dynamo -> new UsageLedger(
                dynamo,
                UsageLedger.Settings.fromEnv(Map.of(
                    "HOSTING", "serverless",
                    "CONTROL_TABLE_NAME", "control",
                    "SERVERLESS_MEMORY_MB", "2048")),
                Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC),
                new UsageLedger.Unrecorded() {
                  @Override
                  public void ledgerNotUpdated(long invocations, long millis, Exception error) {
                    said.add("not updated: " + error);
                  }

                  @Override
                  public void ledgerUpdatedByTheFirstAttempt(long invocations, long millis) {
                    said.add("first attempt: " + invocations + " invocations, " + millis + " ms");
                  }
                })
            .add(tally));

    assertThat(said).containsExactly("first attempt: 1 invocations, 250 ms");
    assertThat(inProgress.tokens)
        .as(
            "the SDK retried the in-progress answer with the same token, and nothing sent a new one")
        .hasSize(4)
        .doesNotContainNull()
        .containsOnly(inProgress.tokens.getFirst());
  }

  @Test
  void theControllersWriteStillInProgressIsNoFailedStep() {
    StillInProgress inProgress = new StillInProgress();
    withServer(
        inProgress,
        dynamo -> new DynamoControlTable(dynamo, "control")
            .add(new Ledger.Day(LocalDate.parse("2026-12-03"), 60, 0, 1, 0)));
    assertThat(inProgress.tokens)
        .hasSize(4)
        .doesNotContainNull()
        .containsOnly(inProgress.tokens.getFirst());
  }
}
