package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.results.ResultItem;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * GET /results?object=KEY and GET /results/{key+}: which key each looks up, with in-memory DynamoDB and S3 that
 * record the results table's partition key and the object they were asked for.
 */
class ResultsRouteTest {

  private static final Instant NOW = Instant.parse("2026-11-28T09:00:00Z");

  /** Keys a path cannot carry through an HTTP API ('%', '?'), and others that must arrive untouched. */
  private static final List<String> ODD_KEYS = List.of(
      "holiday photos/café au lait + 100%.png",
      "a?b.jpg", "literal%41.png", "percent%25done.jpg", "写真/🚀 rocket.jpg", "a,b&c=d#e;f.jpg");

  private final ApiConfig config = ApiFixtures.config();
  private final List<String> partitionKeys = new ArrayList<>();
  private final List<String> headed = new ArrayList<>();
  private final Api api = new Api(
      s3(),
      ApiFixtures.unused(SqsClient.class),
      dynamo(),
      ApiFixtures.unused(SageMakerRuntimeClient.class),
      config,
      Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void theObjectParameterLooksUpExactlyTheKeyItNames() {
    for (String key : ODD_KEYS) {
      partitionKeys.clear();
      headed.clear();

      ApiResponse answer = byObject(Map.of("object", key));

      assertThat(answer.status()).as("%s: %s", key, answer.body()).isEqualTo(404);
      assertThat(message(answer))
          .startsWith("s3://" + config.bucket() + "/" + key + " does not exist and has no result");
      assertThat(partitionKeys).containsExactly(ResultItem.pkFor(config.bucket(), key));
      assertThat(headed).containsExactly(key);
    }
  }

  @Test
  void theFixturesObjectParameterIsTheOddKeyItself() throws IOException {
    ApiResponse answer = api.handle(
        HttpEvents.read(Files.readAllBytes(Path.of("events", "api-get-result-by-object.json"))));

    assertThat(answer.status()).as(answer.body()).isEqualTo(404);
    assertThat(headed).containsExactly("holiday photos/café au lait + 100%.png");
  }

  @Test
  void theObjectParameterAnswersExactlyAsThePathDoes() {
    for (String key : List.of("notes/plain.txt", "holiday photos/café au lait.png")) {
      ApiResponse byObject = byObject(Map.of("object", key));
      ApiResponse byPath = api.handle(new ApiRequest(
          "GET",
          "/results/" + key,
          "GET /results/{key+}",
          Map.of("key", key),
          Map.of(),
          Map.of(),
          new byte[0],
          "req-2"));

      assertThat(byObject).as(key).isEqualTo(byPath);
    }
    assertThat(byObject(Map.of("object", "notes/plain.txt")).body())
        .contains("\"state\":\"NOT_QUEUED\"");
    assertThat(headed)
        .containsExactly(
            "notes/plain.txt",
            "notes/plain.txt",
            "holiday photos/café au lait.png",
            "holiday photos/café au lait.png",
            "notes/plain.txt");
  }

  @Test
  void theObjectParameterDoesNotCombineWithTheListingsParameters() {
    ApiResponse answer =
        byObject(Map.of("object", "a.jpg", "label", "Neutral", "limit", "5", "colour", "red"));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(message(answer))
        .isEqualTo("object= names one object and cannot be combined with the listing's label,"
            + " limit; ask GET /results?object=KEY alone, or list without object=");
    assertThat(partitionKeys).isEmpty();
    assertThat(headed).isEmpty();
  }

  @Test
  void anEmptyOrOverlongObjectIsABadRequestAsInThePath() {
    ApiResponse empty = byObject(Map.of("object", ""));
    assertThat(empty.status()).isEqualTo(400);
    assertThat(message(empty))
        .isEqualTo("name the object: GET /results?object=KEY, with KEY URL-encoded (any key), or"
            + " GET /results/KEY (a key without '%' or '?')");

    ApiResponse longest = byObject(Map.of("object", "é".repeat(512)));
    assertThat(longest.status()).as("1024 bytes of UTF-8").isEqualTo(404);
    ApiResponse tooLong = byObject(Map.of("object", "é".repeat(512) + "a"));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(message(tooLong)).isEqualTo("an S3 key is at most 1024 bytes (UTF-8)");
    assertThat(headed).containsExactly("é".repeat(512));
  }

  private ApiResponse byObject(Map<String, String> query) {
    return api.handle(new ApiRequest(
        "GET", "/results", "GET /results", Map.of(), query, Map.of(), new byte[0], "req-1"));
  }

  private static String message(ApiResponse answer) {
    return JsonText.string(JsonText.parse(answer.body().getBytes()), "message");
  }

  /** S3 with one object, notes/plain.txt (not an image, so never queued); any other key does not exist. */
  private S3Client s3() {
    return new S3Client() {
      @Override
      public HeadObjectResponse headObject(HeadObjectRequest request) {
        assertThat(request.bucket()).isEqualTo(config.bucket());
        headed.add(request.key());
        if (request.key().equals("notes/plain.txt")) {
          return HeadObjectResponse.builder()
              .lastModified(NOW)
              .contentLength(12L)
              .build();
        }
        throw NoSuchKeyException.builder().statusCode(404).message("Not Found").build();
      }

      @Override
      public String serviceName() {
        return "s3";
      }

      @Override
      public void close() {}
    };
  }

  /** A results table with no results: it records the partition key each query asks for. */
  private DynamoDbClient dynamo() {
    return new DynamoDbClient() {
      @Override
      public QueryResponse query(QueryRequest request) {
        assertThat(request.tableName()).isEqualTo(config.resultsTable());
        partitionKeys.add(request.expressionAttributeValues().get(":pk").s());
        return QueryResponse.builder().items(List.of()).build();
      }

      @Override
      public String serviceName() {
        return "dynamodb";
      }

      @Override
      public void close() {}
    };
  }
}
