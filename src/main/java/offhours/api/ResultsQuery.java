package offhours.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Results newest first, a page at a time, with an opaque token for the next page.
 *
 * <p>With a label the {@code byLabel} index (topLabel, classifiedAt) answers in DynamoDB's own order and pages; each
 * query asks for no more items than the page still needs, so its LastEvaluatedKey never skips one. Without a label
 * there is no index in time order, so the table is scanned for keys and times only (filters applied by DynamoDB),
 * sorted, and the page's items are fetched with BatchGetItem: exact and stable, at the cost of reading every key per
 * page. The token names the query it belongs to, so it cannot continue a different one.
 */
public final class ResultsQuery {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  /** What to list; null fields do not filter. {@code status} is CLASSIFIED or REJECTED. */
  public record Filter(String label, String status, String keyContains) {
    public Filter {
      label = blankToNull(label);
      keyContains = blankToNull(keyContains);
      status = blankToNull(status) == null ? null : status.strip().toUpperCase(Locale.ROOT);
      if (status != null && !status.equals("CLASSIFIED") && !status.equals("REJECTED")) {
        throw new IllegalArgumentException(
            "status must be CLASSIFIED or REJECTED, got '" + status + "'");
      }
    }

    private String fingerprint() {
      return label + "|" + status + "|" + keyContains;
    }
  }

  /** One page, newest first; {@code next} is null on the last page. */
  public record Page(List<ResultItem> items, String next) {}

  private record Ref(String pk, String sk, Instant at, String atText) {}

  private static final Comparator<Ref> NEWEST_FIRST = Comparator.comparing(Ref::at)
      .thenComparing(Ref::pk)
      .thenComparing(Ref::sk)
      .reversed();

  private final DynamoDbClient dynamo;
  private final String table;

  public ResultsQuery(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** A page of at most {@code limit} (1..{@value #MAX_LIMIT}) results after {@code next} (null: the first page). */
  public Page page(Filter filter, int limit, String next) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
    Map<String, String> after = next == null || next.isBlank() ? null : token(next, filter);
    return filter.label() != null ? byLabel(filter, limit, after) : byTime(filter, limit, after);
  }

  private Page byLabel(Filter filter, int limit, Map<String, String> after) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":label", AttributeValue.fromS(filter.label()));
    String condition = conditions(filter, names, values);
    List<ResultItem> items = new ArrayList<>();
    Map<String, AttributeValue> start = after == null ? null : attributes(after);
    do {
      QueryRequest.Builder q = QueryRequest.builder()
          .tableName(table)
          .indexName(ResultsTable.LABEL_INDEX)
          .keyConditionExpression("topLabel = :label")
          .expressionAttributeValues(values)
          .scanIndexForward(false)
          .limit(limit - items.size())
          .exclusiveStartKey(start);
      if (condition != null) {
        q.filterExpression(condition).expressionAttributeNames(names);
      }
      QueryResponse page = dynamo.query(q.build());
      page.items().forEach(i -> items.add(ResultsTable.fromItem(i)));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? page.lastEvaluatedKey()
          : null;
    } while (start != null && items.size() < limit);
    if (start == null) {
      return new Page(items, null);
    }
    Map<String, String> key = new LinkedHashMap<>();
    start.forEach((k, v) -> key.put(k, v.s()));
    return new Page(items, token(filter, key));
  }

  private Page byTime(Filter filter, int limit, Map<String, String> after) {
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    String condition = conditions(filter, names, values);
    List<Ref> refs = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      ScanRequest.Builder scan = ScanRequest.builder()
          .tableName(table)
          .projectionExpression("pk, sk, classifiedAt")
          .exclusiveStartKey(start);
      if (condition != null) {
        scan.filterExpression(condition)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values);
      }
      ScanResponse page = dynamo.scan(scan.build());
      page.items()
          .forEach(i -> refs.add(ref(
              i.get("pk").s(),
              i.get("sk").s(),
              i.containsKey("classifiedAt") ? i.get("classifiedAt").s() : null)));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
          ? page.lastEvaluatedKey()
          : null;
    } while (start != null);
    refs.sort(NEWEST_FIRST);
    int from = 0;
    if (after != null) {
      Ref cursor = ref(after.get("pk"), after.get("sk"), after.get("classifiedAt"));
      while (from < refs.size() && NEWEST_FIRST.compare(refs.get(from), cursor) <= 0) {
        from++;
      }
    }
    List<Ref> chosen = refs.subList(from, Math.min(refs.size(), from + limit));
    List<ResultItem> items = fetch(chosen);
    if (from + limit >= refs.size()) {
      return new Page(items, null);
    }
    Ref last = chosen.getLast();
    Map<String, String> cursor = new LinkedHashMap<>();
    cursor.put("pk", last.pk());
    cursor.put("sk", last.sk());
    cursor.put("classifiedAt", last.atText());
    return new Page(items, token(filter, cursor));
  }

  /** The page's items in the page's order; BatchGetItem's unprocessed keys are asked again. */
  private List<ResultItem> fetch(List<Ref> refs) {
    if (refs.isEmpty()) {
      return List.of();
    }
    Map<String, ResultItem> byKey = new HashMap<>();
    Map<String, KeysAndAttributes> request = Map.of(
        table,
        KeysAndAttributes.builder()
            .keys(refs.stream()
                .map(r ->
                    Map.of("pk", AttributeValue.fromS(r.pk()), "sk", AttributeValue.fromS(r.sk())))
                .toList())
            .build());
    for (int attempt = 0; !request.isEmpty(); attempt++) {
      if (attempt > 0) {
        pause(attempt);
      }
      Map<String, KeysAndAttributes> ask = request;
      BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(ask));
      response
          .responses()
          .getOrDefault(table, List.of())
          .forEach(
              i -> byKey.put(i.get("pk").s() + "\n" + i.get("sk").s(), ResultsTable.fromItem(i)));
      request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      if (attempt == 8 && !request.isEmpty()) {
        throw new IllegalStateException(
            "DynamoDB left keys unprocessed 8 times (throttled); try again shortly");
      }
    }
    // An item deleted between the scan and the fetch is simply not shown.
    return refs.stream()
        .map(r -> byKey.get(r.pk() + "\n" + r.sk()))
        .filter(Objects::nonNull)
        .toList();
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(1000, 50L << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading results", e);
    }
  }

  /** The filter expression for status and key, or null; fills in the names and values it uses. */
  private static String conditions(
      Filter filter, Map<String, String> names, Map<String, AttributeValue> values) {
    List<String> parts = new ArrayList<>();
    if (filter.status() != null) {
      names.put("#status", "status");
      values.put(":status", AttributeValue.fromS(filter.status()));
      parts.add("#status = :status");
    }
    if (filter.keyContains() != null) {
      names.put("#key", "key");
      values.put(":key", AttributeValue.fromS(filter.keyContains()));
      parts.add("contains(#key, :key)");
    }
    return parts.isEmpty() ? null : String.join(" AND ", parts);
  }

  private static Ref ref(String pk, String sk, String at) {
    Instant parsed;
    try {
      parsed = at == null ? Instant.EPOCH : Instant.parse(at);
    } catch (DateTimeParseException e) {
      parsed = Instant.EPOCH;
    }
    return new Ref(pk, sk, parsed, at);
  }

  private static Map<String, AttributeValue> attributes(Map<String, String> key) {
    Map<String, AttributeValue> attributes = new HashMap<>();
    key.forEach((k, v) -> attributes.put(k, AttributeValue.fromS(v)));
    return attributes;
  }

  private static String token(Filter filter, Map<String, String> key) {
    String json = JsonText.write(Map.of("f", filter.fingerprint(), "k", key));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The position a token holds; a token that is not ours, or of another query, is refused with what to do. */
  private static Map<String, String> token(String next, Filter filter) {
    String refused =
        "next is not a token of this query; pass the 'next' of the previous page with the same label,"
            + " status and key filters, or leave it out for the first page";
    JsonNode root;
    try {
      root = JsonText.parse(Base64.getUrlDecoder().decode(next.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(refused);
    }
    JsonNode key = root == null || !root.isObject() ? null : root.asObject().get("k");
    if (!filter.fingerprint().equals(JsonText.string(root, "f"))
        || key == null
        || !key.isObject()) {
      throw new IllegalArgumentException(refused);
    }
    Map<String, String> position = new LinkedHashMap<>();
    key.asObject().forEach((k, v) -> position.put(k, v.isString() ? v.asString() : null));
    if (position.values().stream().anyMatch(Objects::isNull)
        || !position.containsKey("pk")
        || !position.containsKey("sk")) {
      throw new IllegalArgumentException(refused);
    }
    return position;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
