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
import java.util.function.Consumer;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

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
   * The requests {@code dynamoDb} received while {@code use} ran with a client built from {@code client} against it,
   * the way the functions build theirs ({@link AwsClients}).
   */
  private static List<Request> sent(
      Function<Request, Reply> dynamoDb,
      DynamoDbClientBuilder client,
      Consumer<DynamoDbClient> use) {
    try (StubHttpServer server = StubHttpServer.start(dynamoDb);
        AwsClients aws = AwsClients.local(
            Region.EU_CENTRAL_1,
            Map.of(Service.DYNAMODB, URI.create(server.uri().toString())));
        DynamoDbClient dynamo = aws.build(Service.DYNAMODB, client)) {
      use.accept(dynamo);
      return server.requests();
    }
  }

  /** The functions' client against {@link #dynamoDb}, which receives the write and the SDK's one resend of it. */
  private void withClient(Consumer<DynamoDbClient> use) {
    assertThat(sent(dynamoDb, DynamoDbClient.builder(), use))
        .as("the SDK sent the write again after the 500")
        .hasSize(2);
  }

  /**
   * The SDK's own retries of TransactionInProgressException, which it treats as throttling, four attempts without
   * waiting: with the default backoff (up to 20 s a wait) they may outlast the 50 s call timeout first.
   */
  private static void withServer(Function<Request, Reply> dynamoDb, Consumer<DynamoDbClient> use) {
    sent(
        dynamoDb,
        DynamoDbClient.builder()
            .overrideConfiguration(
                c -> c.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(4)
                    .backoffStrategy(BackoffStrategy.retryImmediately())
                    .throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                    .circuitBreakerEnabled(false)
                    .build())),
        use);
  }

  /** The serverless hosting's ledger in table "control", telling {@code log} what it could not count. */
  private static UsageLedger serverlessLedger(DynamoDbClient dynamo, UsageLedger.Unrecorded log) {
    return new UsageLedger(
        dynamo,
        UsageLedger.Settings.fromEnv(
            Map.of(
                "HOSTING", "serverless",
                "CONTROL_TABLE_NAME", "control",
                "TIME_ZONE", "UTC",
                "SERVERLESS_MEMORY_MB", "2048"),
            Map.of()),
        Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC),
        log);
  }

  /** Writes every word of the ledger's into {@code said}: not updated, counted by the first attempt, unconfirmed. */
  private static UsageLedger.Unrecorded saying(List<String> said) {
    return new UsageLedger.Unrecorded() {
      @Override
      public void ledgerNotUpdated(long invocations, long millis, Exception error) {
        said.add("not updated: " + error);
      }

      @Override
      public void ledgerUpdatedByTheFirstAttempt(long invocations, long millis) {
        said.add("first attempt: " + UsageLedger.tally(invocations, millis));
      }

      @Override
      public void ledgerUnconfirmed(long invocations, long millis, Exception error) {
        said.add("unconfirmed: " + error.getMessage());
      }
    };
  }

  /** One serverless invocation's tally: 250 ms, 40,000 bytes sent and 300 received. */
  private static InvocationUsage oneInvocation() {
    InvocationUsage tally = new InvocationUsage();
    tally.add(250, 40_000, 300);
    return tally;
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
    List<String> said = new java.util.ArrayList<>();
    withClient(dynamo -> serverlessLedger(dynamo, saying(said)).add(oneInvocation()));
    assertThat(said).as("the write counted, nothing to say").isEmpty();
    assertThat(dynamoDb.applied).hasValue(1);
  }

  @Test
  void aWriteStillInProgressWhenTheSdksRetriesEndIsReportedAsCountedOnceNotAsLost() {
    StillInProgress inProgress = new StillInProgress();
    List<String> said = new java.util.ArrayList<>();
    withServer(inProgress, dynamo -> serverlessLedger(dynamo, saying(said)).add(oneInvocation()));

    assertThat(said).containsExactly("first attempt: 1 invocation, 250 ms");
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

  /**
   * DynamoDB that applies the first write but answers it only after the client gave up (the SDK's call timeout, 50 s
   * in the functions); the same token again is a no-op, answered at once.
   */
  private static final class AnsweredTooLate implements Function<Request, Reply> {
    final AtomicInteger applied = new AtomicInteger();
    final List<String> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.CountDownLatch resent =
        new java.util.concurrent.CountDownLatch(1);

    @Override
    public Reply apply(Request request) {
      String token = JsonNode.parser()
          .parse(request.text())
          .asObject()
          .get("ClientRequestToken")
          .asString();
      tokens.add(token);
      if (seen.add(token)) {
        applied.incrementAndGet();
        try {
          resent.await(30, java.util.concurrent.TimeUnit.SECONDS); // the client stops waiting first
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        resent.countDown();
      }
      return Reply.json(200, "{}");
    }
  }

  @Test
  void aWriteThatTimedOutIsSentOnceMoreWithItsTokenAndCountedOnce() {
    AnsweredTooLate dynamoDb = new AnsweredTooLate();
    List<String> said = new java.util.ArrayList<>();
    try (StubHttpServer server = StubHttpServer.start(dynamoDb);
        // The functions' client ends a call after 50 s; this one after 300 ms, and does not retry.
        DynamoDbClient dynamo = DynamoDbClient.builder()
            .endpointOverride(server.uri())
            .region(Region.EU_CENTRAL_1)
            .credentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("k", "s")))
            .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
            .overrideConfiguration(c -> c.apiCallTimeout(java.time.Duration.ofMillis(300))
                .retryStrategy(AwsRetryStrategy.doNotRetry()))
            .build()) {
      serverlessLedger(dynamo, saying(said)).add(oneInvocation());
    }
    assertThat(said).as("nothing lost, nothing in doubt").isEmpty();
    assertThat(dynamoDb.tokens)
        .as("the resend carries the first write's token")
        .hasSize(2)
        .containsOnly(dynamoDb.tokens.getFirst());
    assertThat(dynamoDb.applied).hasValue(1);
  }

  @Test
  void aWriteWhoseResendIsNotAnsweredEitherIsReportedAsMaybeAppliedNotAsLost() {
    List<String> tokens = new java.util.ArrayList<>();
    DynamoDbClient silent = new DynamoDbClient() {
      @Override
      public software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse
          transactWriteItems(
              software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest request) {
        tokens.add(request.clientRequestToken());
        throw software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(50_000);
      }

      @Override
      public String serviceName() {
        return "dynamodb";
      }

      @Override
      public void close() {}
    };
    List<String> said = new java.util.ArrayList<>();

    serverlessLedger(silent, saying(said)).add(oneInvocation());

    assertThat(tokens).hasSize(2).containsOnly(tokens.getFirst());
    assertThat(said)
        .singleElement()
        .asString()
        .startsWith("unconfirmed: no answer to the write nor to its resend with the same"
            + " ClientRequestToken " + tokens.getFirst())
        .endsWith("DynamoDB may have applied it, at most once");
    assertThat(UsageLedger.unconfirmed(1, 250))
        .isEqualTo("ledger unconfirmed: the write of 1 invocation, 250 ms and its resend with the"
            + " same token got no answer; DynamoDB may have applied it (once at most) or not, so the"
            + " ledger may be short by that much");
  }
}
