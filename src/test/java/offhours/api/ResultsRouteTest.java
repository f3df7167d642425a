package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControlState;
import offhours.endpoint.Decision;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Mapping;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
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
  /** The settings GET /results compares each result's with: the fixture's model's, labels resolved. */
  private final String liveSettings = config.controller().model().settingsFingerprint();

  private final List<String> partitionKeys = new ArrayList<>();
  private final List<String> headed = new ArrayList<>();
  private final List<QueryRequest> queries = new ArrayList<>();
  /** The results table's items, in sk order as a Query returns them; each Query answers a page of at most 40. */
  private final List<Map<String, AttributeValue>> items = new ArrayList<>();
  /** What the route's forecast sees of the stack. */
  private StackObserver.Observed observed = ApiFixtures.seen(NOW);

  /** What HeadObject answers for photos/*.png (an unversioned bucket: its ETag, quoted); null: no such object. */
  private String currentETag;

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
  void aRepeatedObjectParameterIsABadRequestNotTheKeyApiGatewayJoinedFromBoth() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ApiHandler(api)
        .handleRequest(
            new ByteArrayInputStream(
                Files.readAllBytes(Path.of("events", "api-get-result-repeated-object.json"))),
            out,
            null);
    HttpEvents.Reply reply = HttpEvents.response(out.toByteArray());

    assertThat(reply.status()).isEqualTo(400);
    assertThat(JsonText.string(JsonText.parse(reply.body()), "message"))
        .isEqualTo("the request could not be read: the query names 'object' more than once; give"
            + " each parameter once (a value may hold commas: URL-encode it as %2C or leave it as"
            + " it is)");
    assertThat(headed)
        .as("no key looked up, least of all 'photos/a.png,photos/b.png'")
        .isEmpty();
    assertThat(partitionKeys).isEmpty();
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
  void aParameterTheRouteDoesNotKnowIsRefusedRatherThanListingEveryResult() {
    ApiResponse misspelt = byObject(Map.of("lable", "Neutral"));

    assertThat(misspelt.status()).isEqualTo(400);
    assertThat(message(misspelt))
        .isEqualTo(
            "GET /results takes object=KEY alone, or label, status, key, limit, next; it does"
                + " not know 'lable' (names are case-sensitive)");
    assertThat(message(byObject(Map.of("object", "a.jpg", "Label", "Neutral"))))
        .endsWith("it does not know 'Label' (names are case-sensitive)");
    assertThat(queries).isEmpty();
    assertThat(headed).isEmpty();
  }

  /**
   * A blank filter read as none would list every result as if it had matched: {@code label=} from a client whose
   * variable was empty, or {@code key=%20}; a key or label with blanks at an end is a client's slip (the listing's
   * rule, ResultsQuery.Filter, which the page of {@code offhours ui} follows too).
   */
  @Test
  void aBlankValueOrAFilterWithBlanksAtAnEndIsRefusedRatherThanListingMore() {
    for (String name : List.of("label", "status", "key")) {
      assertThat(message(byObject(Map.of(name, ""))))
          .isEqualTo(name + "= has no value; give one, or leave " + name
              + " out (a blank filter would list every result)");
      assertThat(message(byObject(Map.of(name, " "))))
          .isEqualTo(name + "= has no value but blanks; give one, or leave " + name
              + " out (a blank filter would list every result)");
    }
    assertThat(message(byObject(Map.of("limit", ""))))
        .isEqualTo("limit= has no value; give one, or leave limit out");
    assertThat(message(byObject(Map.of("next", ""))))
        .isEqualTo("next= has no value; give one, or leave next out");
    ApiResponse spaced = byObject(Map.of("key", " photo"));
    assertThat(spaced.status()).isEqualTo(400);
    assertThat(message(spaced))
        .isEqualTo("key ' photo' has blanks at its start or end; give the key without them"
            + " ('photo')");
    assertThat(message(byObject(Map.of("label", "Neutral "))))
        .startsWith("label 'Neutral ' has blanks at its start or end");
    assertThat(queries).isEmpty();
  }

  /** A query's limit is ASCII digits alone: Integer.parseInt also took "+5" and fullwidth or Arabic-Indic digits. */
  @Test
  void aLimitIsDigits0To9AloneNotASignBlanksOrAnotherScriptsDigits() {
    for (String bad : List.of("+5", " 5", "5 ", "\uFF15", "\u0665", "0", "101", "5.0")) {
      ApiResponse answer = byObject(Map.of("limit", bad));

      assertThat(answer.status()).as(bad).isEqualTo(400);
      assertThat(message(answer))
          .as(bad)
          .isEqualTo("limit must be a whole number from 1 to 100 in digits 0-9, got '" + bad + "'");
    }
    assertThat(queries).isEmpty();
  }

  /** A long name or value is quoted by its start and length, as every setting's error quotes one (units.Shown). */
  @Test
  void aLongParameterNameOrValueIsQuotedByItsStartNotWhole() {
    String name = "n".repeat(500);
    String limit = "9".repeat(500);

    assertThat(message(byObject(Map.of(name, "x"))))
        .endsWith("it does not know '" + "n".repeat(60)
            + "... (500 characters)' (names are case-sensitive)");
    assertThat(message(byObject(Map.of("limit", limit))))
        .endsWith("got '" + "9".repeat(60) + "... (500 characters)'");
    assertThat(message(byObject(Map.of("status", "s".repeat(500)))))
        .endsWith("got '" + "S".repeat(60) + "... (500 characters)'");
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

  @Test
  void anObjectShowsItsNewestHundredResultsHoweverManyItHas() {
    // 250 uploads of one key to an unversioned bucket: a result per ETag, and the ETags do not
    // sort as the uploads do.
    results("photos/hot.png", 250);
    currentETag = "\"" + eTag(249) + "\"";

    ApiResponse answer = byObject(Map.of("object", "photos/hot.png"));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode body = JsonText.parse(answer.body().getBytes(StandardCharsets.UTF_8));
    assertThat(JsonText.string(body, "state")).isEqualTo("DONE");
    assertThat(body.asObject().get("total").asNumber()).isEqualTo("250");
    assertThat(body.asObject().get("more").asBoolean()).isTrue();
    assertThat(versions(body))
        .as("the newest 100, newest first")
        .hasSize(100)
        .startsWith(eTag(249), eTag(248))
        .endsWith(eTag(150));
    assertThat(queries).as("every page of the key read").hasSize(7);
    assertThat(queries)
        .as("a strongly consistent read: a result just written is seen")
        .allSatisfy(q -> assertThat(q.consistentRead()).isTrue());
  }

  @Test
  void aKeyUploadedAgainWaitsForItsNewResultAndShowsTheOlderOnes() {
    results("photos/again.png", 2);
    currentETag = "\"" + eTag(7) + "\"";

    ApiResponse answer = route().byQuery(request(Map.of("object", "photos/again.png")));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode body = JsonText.parse(answer.body().getBytes(StandardCharsets.UTF_8));
    assertThat(JsonText.string(body, "state")).isEqualTo("WAITING");
    assertThat(answer.headers())
        .as("Monday morning is more than an hour ahead: ask again in an hour")
        .containsEntry("retry-after", "3600");
    assertThat(versions(body)).containsExactly(eTag(1), eTag(0));
    assertThat(body.asObject().get("more").asBoolean()).isFalse();
    assertThat(headed).containsExactly("photos/again.png");

    currentETag = "\"" + eTag(0) + "\"";
    JsonNode older = JsonText.parse(route()
        .byQuery(request(Map.of("object", "photos/again.png")))
        .body()
        .getBytes(StandardCharsets.UTF_8));
    assertThat(JsonText.string(older, "state"))
        .as("the object is again the content of an older result")
        .isEqualTo("DONE");
  }

  @Test
  void aWaitingObjectIsNotCountedAheadOfItself() {
    currentETag = "\"" + eTag(7) + "\"";
    Decision serving = new Decision(
        NOW.minusSeconds(60),
        true,
        "working hours; 11 waiting",
        Endpoint.Status.of(Endpoint.State.IN_SERVICE, null, NOW.minusSeconds(3600), null),
        Mapping.TriggerState.ENABLED,
        new Backlog.Snapshot(11, 0, 0, 0),
        Decision.Action.NONE,
        "serving",
        "ok",
        false,
        null);
    observed =
        ApiFixtures.seen(NOW, serving, ControlState.INITIAL, new Backlog.Snapshot(11, 0, 0, 0));

    ApiResponse answer = route().byQuery(request(Map.of("object", "photos/new.png")));

    JsonNode body = JsonText.parse(answer.body().getBytes(StandardCharsets.UTF_8));
    assertThat(JsonText.string(body, "state")).isEqualTo("WAITING");
    assertThat(JsonText.string(body, "reason"))
        .as("the object is one of the 11")
        .isEqualTo("the endpoint is serving; 10 ahead in the queue, which drain in about 5 s at 2"
            + " images/s (2 per instance until a drain is measured), then this upload's batch:"
            + " expected in about 15 s; in the queue: 11 waiting, 0 being classified, 0 deferred"
            + " (handed back while the endpoint was unavailable)");
    assertThat(answer.headers()).containsEntry("retry-after", "15");
  }

  @Test
  void theCurrentVersionIsLookedUpWhenItsResultIsOlderThanTheHundredShown() {
    results("photos/hot.png", 120);
    currentETag = "\"" + eTag(3) + "\"";

    ApiResponse answer = byObject(Map.of("object", "photos/hot.png"));

    JsonNode body = JsonText.parse(answer.body().getBytes(StandardCharsets.UTF_8));
    assertThat(JsonText.string(body, "state")).isEqualTo("DONE");
    assertThat(queries.getLast().keyConditionExpression()).isEqualTo("pk = :pk AND sk = :sk");
    assertThat(queries.getLast().expressionAttributeValues().get(":sk").s())
        .isEqualTo("e#" + eTag(3));
    assertThat(queries.getLast().consistentRead()).isTrue();
  }

  @Test
  void aDeletedObjectWithResultsShowsThem() {
    results("photos/gone.png", 3);

    ApiResponse answer = byObject(Map.of("object", "photos/gone.png"));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode body = JsonText.parse(answer.body().getBytes(StandardCharsets.UTF_8));
    assertThat(JsonText.string(body, "state")).isEqualTo("DONE");
    assertThat(versions(body)).containsExactly(eTag(2), eTag(1), eTag(0));
    assertThat(headed).containsExactly("photos/gone.png");
  }

  @Test
  void eachResultSaysWhetherItWasMadeUnderTheLiveSettingsOfTheModel() {
    results("photos/labels.png", 3);
    // The oldest written before results recorded their settings, the next before the labels were
    // corrected, the newest under the settings the API runs with.
    settings(eTag(1), "0123456789ab");
    settings(eTag(2), liveSettings);

    assertThat(eachResults("photos/labels.png", "settings"))
        .containsExactly("current", "changed", "unknown");
    assertThat(liveSettings)
        .as("the fixture's model: the five nsfwjs classes, every other setting the default")
        .isEqualTo("f74d3ec496f3");
  }

  @Test
  void aRejectedResultShowsNoSettingsAsTheCliAndThePageShowNone() {
    results("photos/notes.png", 2);
    // Classify stamps its settings on a verdict too: the live ones here, which the answer does
    // not call current, as results --json shows null and the page no mark.
    settings(eTag(0), liveSettings);
    settings(eTag(1), liveSettings);
    reject(eTag(1));

    ApiResponse answer = byObject(Map.of("object", "photos/notes.png"));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode body = JsonText.parse(answer.body().getBytes(StandardCharsets.UTF_8));
    assertThat(body.asObject().get("results").asArray().stream()
            .map(r -> JsonText.string(r, "status") + " " + JsonText.string(r, "settings"))
            .toList())
        .containsExactly("REJECTED null", "CLASSIFIED current");
  }

  @Test
  void eachResultSaysHowItsScoresWereReadAsResultsJsonDoes() {
    results("photos/scores.png", 3);
    scores(eTag(1), "probabilities");
    scores(eTag(2), "logits");

    assertThat(eachResults("photos/scores.png", "scores"))
        .as("newest first; the oldest recorded no scores")
        .containsExactly("logits", "probabilities", null);
  }

  /** Makes the result of the upload with {@code eTag} a verdict: not an image. */
  private void reject(String eTag) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).get("sk").s().equals("e#" + eTag)) {
        Map<String, AttributeValue> item = new HashMap<>(items.get(i));
        item.put("status", AttributeValue.fromS("REJECTED"));
        item.put("reason", AttributeValue.fromS("unsupported format: not an image"));
        item.remove("labels");
        item.remove("topLabel");
        item.remove("topScore");
        items.set(i, item);
      }
    }
  }

  /** Records that the result of the upload with {@code eTag} was written under {@code fingerprint}. */
  private void settings(String eTag, String fingerprint) {
    record(eTag, "settings", fingerprint);
  }

  /** {@code field} of each result GET /results?object={@code key} answers, in its order. */
  private List<String> eachResults(String key, String field) {
    ApiResponse answer = byObject(Map.of("object", key));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode body = JsonText.parse(answer.body().getBytes(StandardCharsets.UTF_8));
    return body.asObject().get("results").asArray().stream()
        .map(r -> JsonText.string(r, field))
        .toList();
  }

  /** Records how the result of the upload with {@code eTag} read the model's numbers. */
  private void scores(String eTag, String scores) {
    record(eTag, "scores", scores);
  }

  /** Sets {@code attribute} of the result of the upload with {@code eTag}. */
  private void record(String eTag, String attribute, String value) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).get("sk").s().equals("e#" + eTag)) {
        Map<String, AttributeValue> item = new HashMap<>(items.get(i));
        item.put(attribute, AttributeValue.fromS(value));
        items.set(i, item);
      }
    }
  }

  /** {@code count} results of {@code key}, one per upload, the i-th classified i minutes after the first. */
  private void results(String key, int count) {
    for (int i = 0; i < count; i++) {
      Instant at = NOW.minusSeconds(3600L * 24).plusSeconds(60L * i);
      items.add(Map.of(
          "pk", AttributeValue.fromS(ResultItem.pkFor(config.bucket(), key)),
          "sk", AttributeValue.fromS("e#" + eTag(i)),
          "bucket", AttributeValue.fromS(config.bucket()),
          "key", AttributeValue.fromS(key),
          "eTag", AttributeValue.fromS(eTag(i)),
          "status", AttributeValue.fromS("CLASSIFIED"),
          "labels",
              AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                  "label",
                  AttributeValue.fromS("Neutral"),
                  "score",
                  AttributeValue.fromN("0.9"))))),
          "topLabel", AttributeValue.fromS("Neutral"),
          "classifiedAt", AttributeValue.fromS(at.toString())));
    }
    items.sort(Comparator.comparing(i -> i.get("sk").s()));
  }

  /** The ETag of the i-th upload: not in upload order. */
  private static String eTag(int i) {
    return String.format("%08x", (i * 2_654_435_761L) & 0xffffffffL);
  }

  private static List<String> versions(JsonNode body) {
    return body.asObject().get("results").asArray().stream()
        .map(r -> JsonText.string(r, "version"))
        .toList();
  }

  private ResultsRoute route() {
    return new ResultsRoute(
        config,
        s3(),
        new ResultsTable(dynamo(), config.resultsTable()),
        new ResultsQuery(dynamo(), config.resultsTable()),
        () -> observed,
        liveSettings);
  }

  private static ApiRequest request(Map<String, String> query) {
    return new ApiRequest(
        "GET", "/results", "GET /results", Map.of(), query, Map.of(), new byte[0], "req-1");
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
    return ApiFixtures.headObject(request -> {
      assertThat(request.bucket()).isEqualTo(config.bucket());
      headed.add(request.key());
      if (request.key().startsWith("photos/") && currentETag != null) {
        return HeadObjectResponse.builder()
            .lastModified(NOW)
            .contentLength(2048L)
            .eTag(currentETag)
            .build();
      }
      if (request.key().equals("notes/plain.txt")) {
        return HeadObjectResponse.builder().lastModified(NOW).contentLength(12L).build();
      }
      throw NoSuchKeyException.builder().statusCode(404).message("Not Found").build();
    });
  }

  /**
   * A results table with {@link #items}: it records the partition key each query asks for, and answers the base
   * table's two Queries (by key, by key and version) a page of at most 40 items at a time, as DynamoDB answers a
   * partition larger than a page.
   */
  private DynamoDbClient dynamo() {
    return new DynamoDbClient() {
      @Override
      public QueryResponse query(QueryRequest request) {
        assertThat(request.tableName()).isEqualTo(config.resultsTable());
        assertThat(request.indexName()).isNull();
        queries.add(request);
        String pk = request.expressionAttributeValues().get(":pk").s();
        partitionKeys.add(pk);
        AttributeValue sk = request.expressionAttributeValues().get(":sk");
        List<Map<String, AttributeValue>> matching = items.stream()
            .filter(i -> i.get("pk").s().equals(pk))
            .filter(i -> sk == null || i.get("sk").equals(sk))
            .toList();
        int from = 0;
        if (request.hasExclusiveStartKey()) {
          Map<String, AttributeValue> start = request.exclusiveStartKey();
          while (!matching.get(from).get("sk").equals(start.get("sk"))) {
            from++;
          }
          from++;
        }
        int to = Math.min(matching.size(), from + 40);
        QueryResponse.Builder page = QueryResponse.builder().items(matching.subList(from, to));
        if (to < matching.size()) {
          page.lastEvaluatedKey(Map.of(
              "pk", matching.get(to - 1).get("pk"), "sk", matching.get(to - 1).get("sk")));
        }
        return page.build();
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
