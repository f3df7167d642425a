package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.testing.FakeDynamoDb;
import offhours.testing.QueueAttributesSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * GET /status and GET /results read within the invocation's deadline: each read is cut before it, and a read the
 * deadline cut or left no time for is a 503 with Retry-After that names it, before Lambda would end the invocation.
 */
class ApiReadsDeadlineTest {

  private final List<AwsRequest> reads = new ArrayList<>();
  /** What GetQueueAttributes throws, if anything. */
  private final DynamoDbClient dynamo = new DynamoDbClient() {
    private final FakeDynamoDb table = new FakeDynamoDb();

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
      reads.add(request);
      return table.getItem(request);
    }

    @Override
    public QueryResponse query(QueryRequest request) {
      reads.add(request);
      // The results table has no results: FakeDynamoDb knows only the control table's queries.
      return "results".equals(request.tableName())
          ? QueryResponse.builder().items(List.of()).count(0).build()
          : table.query(request);
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  };

  private final QueueAttributesSqs sqs = new QueueAttributesSqs(reads);

  private final S3Client s3 = ApiFixtures.headObject(head -> {
    reads.add(head);
    throw NoSuchKeyException.builder().statusCode(404).message("no such key").build();
  });

  private final Api api = new Api(
      s3,
      sqs,
      dynamo,
      ApiFixtures.unused(SageMakerRuntimeClient.class),
      ApiFixtures.config(),
      Clock.fixed(Instant.parse("2026-11-28T09:00:00Z"), ZoneOffset.UTC));

  @Test
  void everyReadOfStatusIsCutBeforeTheDeadlineLessTheAnswersShare() {
    ApiResponse response = api.handle(get("/status", "GET /status", Map.of()), () -> 9_000);

    assertThat(response.status()).isEqualTo(200);
    assertThat(reads)
        .as("the control table's reads and the queues' GetQueueAttributes")
        .hasSizeGreaterThan(2)
        .allSatisfy(r -> assertThat(callTimeout(r)).isEqualTo(Duration.ofMillis(8_500)));
  }

  @Test
  void everyReadOfAnObjectsResultsIsCutBeforeTheDeadline() {
    ApiResponse response = api.handle(
        get("/results/a.png", "GET /results/{key+}", Map.of("key", "a.png")), () -> 9_000);

    assertThat(response.status()).isEqualTo(404);
    assertThat(reads)
        .as("the results table's Query and S3's HeadObject")
        .hasSizeGreaterThan(1)
        .allSatisfy(r -> assertThat(callTimeout(r)).isEqualTo(Duration.ofMillis(8_500)));
  }

  @Test
  void aPageOfResultsIsReadWithinTheDeadlineToo() {
    ApiRequest page = new ApiRequest(
        "GET",
        "/results",
        "GET /results",
        Map.of(),
        Map.of("limit", "5"),
        Map.of(),
        new byte[0],
        "req-1");

    assertThat(api.handle(page, () -> 9_000).status()).isEqualTo(200);

    assertThat(reads)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(callTimeout(r)).isEqualTo(Duration.ofMillis(8_500)));
  }

  @Test
  void aReadTheDeadlineCutIsA503WithRetryAfterThatNamesIt() {
    sqs.failWith = ApiCallTimeoutException.create(8_500);

    ApiResponse response = api.handle(get("/status", "GET /status", Map.of()), () -> 9_000);

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.headers()).containsEntry("retry-after", "5");
    assertThat(JsonText.string(
            JsonText.parse(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            "message"))
        .startsWith("GET /status could not answer before this request's deadline: SQS's"
            + " GetQueueAttributes on https://sqs.")
        .endsWith(" did not answer in the 8500 ms this request had left for it; ask again in a"
            + " few seconds");
  }

  /** README's account of the reads' deadline gives the answer a cut read gets, as the API answers it. */
  @Test
  void readmeQuotesTheStatusAndRetryAfterOfACutRead() throws java.io.IOException {
    sqs.failWith = ApiCallTimeoutException.create(8_500);

    ApiResponse response = api.handle(get("/status", "GET /status", Map.of()), () -> 9_000);

    assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("README.md"))
            .replaceAll("\\s+", " "))
        .contains("is a **" + response.status() + "** with a `Retry-After` header ("
            + response.headers().get("retry-after") + " seconds)");
  }

  @Test
  void withNoTimeLeftForAReadTheAnswerIsA503WithRetryAfterAndNothingIsRead() {
    ApiResponse response =
        api.handle(get("/results/a.png", "GET /results/{key+}", Map.of("key", "a.png")), () -> 600);

    assertThat(response.status()).isEqualTo(503);
    assertThat(response.headers()).containsEntry("retry-after", "5");
    assertThat(JsonText.string(
            JsonText.parse(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            "message"))
        .isEqualTo("GET /results/{key+} could not answer before this request's deadline: a read"
            + " for GET /results/{key+} was not started: 600 ms of this invocation remained,"
            + " less than the 250 ms a call is given plus the 500 ms kept at its end; ask again in"
            + " a few seconds");
    assertThat(reads).isEmpty();
  }

  private static ApiRequest get(String path, String routeKey, Map<String, String> parameters) {
    return new ApiRequest(
        "GET", path, routeKey, parameters, Map.of(), Map.of(), new byte[0], "req-1");
  }

  private static Duration callTimeout(AwsRequest request) {
    return request.overrideConfiguration().orElseThrow().apiCallTimeout().orElseThrow();
  }
}
