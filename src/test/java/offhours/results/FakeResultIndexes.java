package offhours.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import offhours.results.ResultItem.Label;
import offhours.results.ResultItem.ObjectVersion;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The results table's two indexes in memory, answering the Queries {@code results.NewestFirst} makes as DynamoDB
 * does: the key condition {@code #partition = :partition}, optionally {@code AND #at >= :floor}; newest first
 * (classifiedAt, then pk, sk, as moto_server orders ties); {@code Limit} counts the items read, before the filter
 * ({@code #status = :status}, {@code contains(#key, :key)}); a LastEvaluatedKey whenever a Query stops on its limit or
 * on {@link #itemsPerResponse} (DynamoDB's 1 MB), even with nothing after it. A start key outside the key condition is
 * refused, as DynamoDB does. Every Query is kept in {@link #queries}, and the items it read in {@link #itemsRead}.
 */
public final class FakeResultIndexes implements DynamoDbClient {

  private static final Map<String, String> INDEXES =
      Map.of("byLabel", "topLabel", "byStatus", "status");
  private static final Comparator<Map<String, AttributeValue>> NEWEST_FIRST =
      Comparator.<Map<String, AttributeValue>, String>comparing(
              i -> i.get("classifiedAt").s())
          .thenComparing(i -> i.get("pk").s())
          .thenComparing(i -> i.get("sk").s())
          .reversed();

  private final List<Map<String, AttributeValue>> items = new ArrayList<>();
  public final List<QueryRequest> queries = new ArrayList<>();
  public int itemsRead;
  /** At most this many items are read by one Query, whatever its Limit. */
  public int itemsPerResponse = Integer.MAX_VALUE;

  /** Adds a CLASSIFIED result for {@code key} with top label {@code label} at {@code at} (an ISO instant). */
  public FakeResultIndexes classified(String key, String label, String at) {
    return classified(key, label, at, null);
  }

  /**
   * As {@link #classified(String, String, String)}, written under the settings {@code settings} names (null: none
   * recorded).
   */
  public FakeResultIndexes classified(String key, String label, String at, String settings) {
    items.add(ResultItemFormat.toItem(ResultItem.classified(
            object(key),
            List.of(new Label(label, 0.9)),
            "probabilities",
            "m",
            "e",
            java.time.Instant.parse(at),
            1)
        .withSettings(settings)));
    return this;
  }

  /** Adds a REJECTED result for {@code key} at {@code at}, reason "not an image" (of no kind RejectionHint knows). */
  public FakeResultIndexes rejected(String key, String at) {
    return rejected(key, at, "not an image");
  }

  /** Adds a REJECTED result for {@code key} at {@code at} with {@code reason}. */
  public FakeResultIndexes rejected(String key, String at, String reason) {
    items.add(ResultItemFormat.toItem(
        ResultItem.rejected(object(key), reason, "m", "e", java.time.Instant.parse(at), 1)));
    return this;
  }

  private static ObjectVersion object(String key) {
    return new ObjectVersion("b", key, null, "etag-" + key, null, 1L, null);
  }

  @Override
  public synchronized QueryResponse query(QueryRequest q) {
    queries.add(q);
    String partition = INDEXES.get(q.indexName());
    if (partition == null || Boolean.TRUE.equals(q.scanIndexForward())) {
      throw new UnsupportedOperationException(
          "only newest-first Queries on byLabel or byStatus: " + q);
    }
    Map<String, String> names = q.expressionAttributeNames();
    Map<String, AttributeValue> values = q.expressionAttributeValues();
    String floor;
    if (q.keyConditionExpression().equals("#partition = :partition")) {
      floor = null;
    } else if (q.keyConditionExpression().equals("#partition = :partition AND #at >= :floor")
        && names.get("#at").equals("classifiedAt")) {
      floor = values.get(":floor").s();
    } else {
      throw new UnsupportedOperationException(
          "key condition not understood: " + q.keyConditionExpression());
    }
    if (!partition.equals(names.get("#partition"))) {
      throw new IllegalArgumentException("the index's partition key is " + partition);
    }
    String value = values.get(":partition").s();
    List<Map<String, AttributeValue>> candidates = items.stream()
        .filter(i -> i.containsKey(partition) && i.get(partition).s().equals(value))
        .filter(i -> floor == null || i.get("classifiedAt").s().compareTo(floor) >= 0)
        .sorted(NEWEST_FIRST)
        .toList();
    int from = 0;
    if (q.hasExclusiveStartKey() && !q.exclusiveStartKey().isEmpty()) {
      Map<String, AttributeValue> start = q.exclusiveStartKey();
      if (!start.keySet().equals(Set.of("pk", "sk", "classifiedAt", partition))
          || !start.get(partition).s().equals(value)
          || (floor != null && start.get("classifiedAt").s().compareTo(floor) < 0)) {
        throw new IllegalArgumentException(
            "The provided starting key is outside query boundaries based on provided conditions: "
                + start);
      }
      while (from < candidates.size() && NEWEST_FIRST.compare(candidates.get(from), start) <= 0) {
        from++;
      }
    }
    int limit = Math.min(q.limit() == null ? Integer.MAX_VALUE : q.limit(), itemsPerResponse);
    List<Map<String, AttributeValue>> read =
        candidates.subList(from, (int) Math.min(candidates.size(), (long) from + limit));
    itemsRead += read.size();
    List<Map<String, AttributeValue>> matching =
        read.stream().filter(i -> matches(q.filterExpression(), values, i)).toList();
    QueryResponse.Builder response =
        QueryResponse.builder().items(matching).count(matching.size()).scannedCount(read.size());
    if (read.size() == limit) {
      Map<String, AttributeValue> last = read.getLast();
      Map<String, AttributeValue> lek = new HashMap<>();
      for (String name : List.of("pk", "sk", "classifiedAt", partition)) {
        lek.put(name, last.get(name));
      }
      response.lastEvaluatedKey(lek);
    }
    return response.build();
  }

  private static boolean matches(
      String filter, Map<String, AttributeValue> values, Map<String, AttributeValue> item) {
    if (filter == null) {
      return true;
    }
    for (String part : filter.split(" AND ")) {
      boolean holds = switch (part) {
        case "#status = :status" -> item.get("status").equals(values.get(":status"));
        case "contains(#key, :key)" ->
          item.containsKey("key")
              && item.get("key").s().contains(values.get(":key").s());
        default -> throw new UnsupportedOperationException("filter not understood: " + part);
      };
      if (!holds) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String serviceName() {
    return "dynamodb";
  }

  @Override
  public void close() {}
}
