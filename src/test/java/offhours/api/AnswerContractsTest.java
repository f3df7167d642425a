package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControlStateBuilder;
import offhours.endpoint.Decision;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Mapping;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.testing.FakeDynamoDb;
import offhours.testing.QueueAttributesSqs;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * CONTRACTS.md's rows for the API's answers (a first cell ending in "answer") name exactly the JSON fields the API
 * writes. A row's shape names fields in backticks; {@code name {...}} opens the object {@code name} (inside brackets:
 * each element of the array {@code name}), whose fields are then named exactly too; what stands in parentheses is
 * prose. The answers are {@link Api#handle}'s, over in-memory S3, SQS and DynamoDB, in every state that writes other
 * fields; a field removed, renamed or added without its row fails here.
 */
class AnswerContractsTest {

  private static final Instant NOW = Instant.parse("2026-11-25T09:40:00Z");

  static final String STATUS = "`GET /status` answer";
  static final String OBJECT = "`GET /results?object=KEY` and `GET /results/{key}` answer";
  static final String PAGE = "`GET /results?label=X&status=S&key=K&limit=N&next=T` answer";

  /** Innermost parentheses: prose about the fields, not fields. */
  private static final Pattern PARENTHESES = Pattern.compile("\\([^()]*\\)");

  private static final Pattern TOKEN = Pattern.compile("`([^`]*)`|[{}]");

  /** Field paths ("endpoint", "endpoint.name") and the objects whose fields are named ("endpoint"). */
  record Fields(Set<String> paths, Set<String> opened) {}

  private final ApiConfig config = ApiFixtures.config();
  private final FakeDynamoDb tables = new FakeDynamoDb();
  /** The queue: its delayed uploads are handed back while the endpoint serves, once the decision says it serves. */
  private final QueueAttributesSqs queue = sqs();

  private final Api api = new Api(
      s3(),
      queue,
      dynamo(),
      ApiFixtures.unused(SageMakerRuntimeClient.class),
      config,
      Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void everyAnswerRowNamesExactlyTheFieldsTheApiWrites() throws IOException {
    Map<String, String> rows = answerRows();
    Map<String, List<ApiResponse>> answers = new LinkedHashMap<>();
    answers.put(STATUS, statusAnswers());
    answers.put(OBJECT, objectAnswers());
    answers.put(
        PAGE, List.of(get("/results", "GET /results", Map.of(), Map.of("label", "Neutral"))));
    assertThat(rows.keySet())
        .as("the answer rows of CONTRACTS.md")
        .containsExactlyInAnyOrderElementsOf(answers.keySet());

    SoftAssertions softly = new SoftAssertions();
    answers.forEach((row, responses) -> {
      Fields documented = documented(rows.get(row));
      Set<String> written = new TreeSet<>();
      for (ApiResponse response : responses) {
        assertThat(response.status()).as("%s: %s", row, response.body()).isEqualTo(200);
        written.addAll(written(
            JsonText.parse(response.body().getBytes(StandardCharsets.UTF_8)), documented.opened()));
      }
      softly
          .assertThat(without(documented.paths(), written))
          .as("fields CONTRACTS.md's row %s names that the API does not write", row)
          .isEmpty();
      softly
          .assertThat(without(written, documented.paths()))
          .as("fields the API writes that CONTRACTS.md's row %s does not name", row)
          .isEmpty();
    });
    softly.assertAll();
  }

  @Test
  void aShapeIsReadAsATreeOfFieldsWithoutWhatStandsInParentheses() {
    Fields fields =
        documented("JSON: `a`, `b` (`x.y`; see `z`), `c` {`d e` `f` [{`g`}]} (`c.C`), `h`");

    assertThat(fields.paths()).containsExactly("a", "b", "c", "c.d", "c.e", "c.f", "c.f.g", "h");
    assertThat(fields.opened()).containsExactly("c", "c.f");
    assertThatThrownBy(() -> documented("`a` {`b`")).hasMessageContaining("unbalanced braces");
  }

  private static Set<String> without(Set<String> these, Set<String> those) {
    Set<String> left = new TreeSet<>(these);
    left.removeAll(those);
    return left;
  }

  /** The rows of CONTRACTS.md whose first cell ends in "answer": that cell -> the shape cell. */
  static Map<String, String> answerRows() throws IOException {
    Map<String, String> rows = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("CONTRACTS.md"))) {
      String[] cells = line.split("(?<!\\\\)\\|");
      if (line.startsWith("|") && cells.length >= 4 && cells[1].strip().endsWith(" answer")) {
        rows.put(cells[1].strip(), cells[2].strip());
      }
    }
    return rows;
  }

  static Fields documented(String shape) {
    String text = shape;
    for (String before = null; !text.equals(before); ) {
      before = text;
      text = PARENTHESES.matcher(text).replaceAll("");
    }
    Set<String> paths = new TreeSet<>();
    Set<String> opened = new TreeSet<>();
    Deque<String> parents = new ArrayDeque<>();
    String last = null;
    Matcher token = TOKEN.matcher(text);
    while (token.find()) {
      if (token.group(1) != null) {
        for (String name : token.group(1).strip().split(" +")) {
          last = parents.isEmpty() ? name : parents.peek() + "." + name;
          paths.add(last);
        }
      } else if (token.group().equals("{")) {
        if (last == null || parents.contains(last)) {
          throw new IllegalArgumentException("'{' opens no field in: " + shape);
        }
        parents.push(last);
        opened.add(last);
      } else if (parents.isEmpty()) {
        throw new IllegalArgumentException("unbalanced braces in: " + shape);
      } else {
        parents.pop();
        last = null;
      }
    }
    if (!parents.isEmpty()) {
      throw new IllegalArgumentException("unbalanced braces in: " + shape);
    }
    return new Fields(paths, opened);
  }

  /** The field paths of {@code answer}, looking inside the fields {@code opened} names only. */
  static Set<String> written(JsonNode answer, Set<String> opened) {
    Set<String> paths = new TreeSet<>();
    collect(answer, "", opened, paths);
    return paths;
  }

  private static void collect(JsonNode node, String prefix, Set<String> opened, Set<String> paths) {
    if (node.isArray()) {
      node.asArray().forEach(element -> collect(element, prefix, opened, paths));
    }
    if (!node.isObject()) {
      return;
    }
    node.asObject().forEach((name, value) -> {
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      paths.add(path);
      if (opened.contains(path)) {
        collect(value, path, opened, paths);
      }
    });
  }

  /**
   * Before the controller's first run, after a run that recorded its decision, and with uploads delayed beside the
   * endpoint it saw serving (handed back).
   */
  private List<ApiResponse> statusAnswers() {
    ApiResponse first = get("/status", "GET /status", Map.of(), Map.of());
    new DynamoControlTable(tables, config.controller().controlTableName())
        .recordDecision(
            new Decision(
                NOW.minusSeconds(20),
                true,
                "inside working hours",
                Endpoint.Status.of(
                    Endpoint.State.IN_SERVICE, null, NOW.minusSeconds(900), NOW.minusSeconds(600)),
                Mapping.TriggerState.ENABLED,
                Backlog.Snapshot.EMPTY,
                Decision.Action.NONE,
                "serving",
                "ok",
                false,
                null),
            "schedule tick");
    // And its state: its run saw uploads waiting since the last run that saw the queue empty.
    new DynamoControlTable(tables, config.controller().controlTableName())
        .save(
            ControlStateBuilder.controlState()
                .lastRun(NOW.minusSeconds(20), true)
                .backlogSince(NOW.minusSeconds(300))
                .build(),
            0);
    ApiResponse recorded = get("/status", "GET /status", Map.of(), Map.of());
    queue.attributes = Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "2");
    return List.of(first, recorded, get("/status", "GET /status", Map.of(), Map.of()));
  }

  /** DONE (by the query and by the path), WAITING for a new upload's result, NOT_QUEUED, and deleted with results. */
  private List<ApiResponse> objectAnswers() {
    result("photos/done.png", "e1");
    result("photos/again.png", "e1");
    result("photos/gone.png", "e1");
    List<ApiResponse> answers = List.of(
        get("/results", "GET /results", Map.of(), Map.of("object", "photos/done.png")),
        get(
            "/results/photos/done.png",
            "GET /results/{key+}",
            Map.of("key", "photos/done.png"),
            Map.of()),
        get("/results", "GET /results", Map.of(), Map.of("object", "photos/again.png")),
        get("/results", "GET /results", Map.of(), Map.of("object", "notes/plain.txt")),
        get("/results", "GET /results", Map.of(), Map.of("object", "photos/gone.png")));
    assertThat(answers)
        .extracting(a ->
            JsonText.string(JsonText.parse(a.body().getBytes(StandardCharsets.UTF_8)), "state"))
        .as("the states of the object's answers")
        .containsExactly("DONE", "DONE", "WAITING", "NOT_QUEUED", "DONE");
    return answers;
  }

  private ApiResponse get(
      String path, String route, Map<String, String> pathParameters, Map<String, String> query) {
    return api.handle(
        new ApiRequest("GET", path, route, pathParameters, query, Map.of(), new byte[0], "req-1"));
  }

  /** A CLASSIFIED result of {@code key} at ETag {@code eTag}, written as Classify writes it. */
  private void result(String key, String eTag) {
    new ResultsTable(tables, config.resultsTable())
        .put(ResultItem.classified(
            new ResultItem.ObjectVersion(
                config.bucket(),
                key,
                null,
                eTag,
                "0055AED6DCD90281E5",
                2048L,
                NOW.minusSeconds(7200)),
            List.of(new ResultItem.Label("Neutral", 0.9)),
            "probabilities",
            "offhours-model",
            "offhours-endpoint-1a2b",
            NOW.minusSeconds(3600),
            1));
  }

  /**
   * S3 with photos/done.png (its result's ETag), photos/again.png (uploaded again: another ETag) and notes/plain.txt
   * (no image, never queued); photos/gone.png was deleted.
   */
  private static S3Client s3() {
    return ApiFixtures.headObject(request -> {
      String eTag = switch (request.key()) {
        case "photos/done.png" -> "\"e1\"";
        case "photos/again.png" -> "\"e2\"";
        case "notes/plain.txt" -> "\"e3\"";
        default -> throw NoSuchKeyException.builder().statusCode(404).build();
      };
      return HeadObjectResponse.builder()
          .lastModified(NOW.minusSeconds(60))
          .contentLength(2048L)
          .eTag(eTag)
          .build();
    });
  }

  /** Two uploads waiting in the queue, one being classified, none deferred or dead. */
  private static QueueAttributesSqs sqs() {
    QueueAttributesSqs sqs = new QueueAttributesSqs(new ArrayList<>());
    sqs.attributes = Map.of(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "2",
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "1",
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0");
    return sqs;
  }

  /**
   * Both tables in {@link #tables}: the control table's items as {@link FakeDynamoDb} keeps and queries them; the
   * results table's Queries (by key, by key and version, an index's partition) answered in one page, newest first.
   */
  private DynamoDbClient dynamo() {
    return new DynamoDbClient() {
      @Override
      public PutItemResponse putItem(PutItemRequest request) {
        return tables.putItem(request);
      }

      @Override
      public GetItemResponse getItem(GetItemRequest request) {
        return tables.getItem(request);
      }

      @Override
      public QueryResponse query(QueryRequest request) {
        if (!request.tableName().equals(config.resultsTable())) {
          return tables.query(request);
        }
        Map<String, AttributeValue> v = request.expressionAttributeValues();
        Predicate<Map<String, AttributeValue>> matches = request.indexName() == null
            ? i -> i.get("pk").equals(v.get(":pk"))
                && (!v.containsKey(":sk") || i.get("sk").equals(v.get(":sk")))
            : i -> v.get(":partition")
                .equals(i.get(request.expressionAttributeNames().get("#partition")));
        List<Map<String, AttributeValue>> found = tables.all().stream()
            .filter(i -> i.containsKey("classifiedAt"))
            .filter(matches)
            .sorted(Comparator.comparing(
                    (Map<String, AttributeValue> i) -> i.get("classifiedAt").s())
                .reversed())
            .limit(request.limit() == null ? Long.MAX_VALUE : request.limit())
            .toList();
        return QueryResponse.builder()
            .items(found)
            .count(found.size())
            .scannedCount(found.size())
            .build();
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
