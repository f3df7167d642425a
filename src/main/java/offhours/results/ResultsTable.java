package offhours.results;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import offhours.results.ResultItem.Verdict;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The results table: one item per object version.
 *
 * <p>Writes are conditional: S3 notifications are at-least-once
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html), so a second delivery
 * of the same version must not create a second result or overwrite a classification, and since every version has
 * its own sort key an older event can never overwrite a newer version's result. Two replacements are allowed: a
 * CLASSIFIED result over a REJECTED one (a verdict the endpoint may have caused, reprocessed later), and a CLASSIFIED
 * result over a CLASSIFIED one from another model (the newest model's answer replaces the older one: {@code offhours
 * reprocess} after a model change), or from the same model under other or unknown settings (labels, content type,
 * accept, scores: {@link ResultItem#settings}). Never a REJECTED over anything, and never a CLASSIFIED over one from
 * the same model and settings, so a second delivery changes nothing.
 */
public final class ResultsTable {

  public static final String LABEL_INDEX = "byLabel";
  /** Every result by status, newest first; {@link NewestFirst} merges the two statuses. */
  public static final String STATUS_INDEX = "byStatus";

  private static final String NEW_ITEM_ONLY = "attribute_not_exists(pk)";
  private static final String NEW_OR_OVER_REJECTED_OR_OTHER_MODEL =
      "attribute_not_exists(pk) OR #status = :rejected OR attribute_not_exists(#model) OR #model <> :model";

  /**
   * As above, and over the same model's result under other settings or unknown ones (a new label list changes what a
   * stored label means); an absent attribute is tested on its own, as for the model, not left to {@code <>}:
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
   */
  private static final String NEW_OR_OVER_REJECTED_OR_OTHER_MODEL_OR_SETTINGS =
      NEW_OR_OVER_REJECTED_OR_OTHER_MODEL
          + " OR attribute_not_exists(#settings) OR #settings <> :settings";

  /** The longest value of a partition key (pk, and each index's) in bytes of UTF-8, as DynamoDB allows it. */
  public static final int MAX_PARTITION_KEY_BYTES = 2048;

  /** The longest value of a sort key (sk, and each index's classifiedAt) in bytes of UTF-8. */
  public static final int MAX_SORT_KEY_BYTES = 1024;

  /** Newest classification first; results classified in the same millisecond by version. */
  /** Newest classification first; of two at the same instant, the later sort key first. */
  public static final Comparator<ResultItem> NEWEST_FIRST = Comparator.comparing(
          ResultItem::classifiedAt)
      .thenComparing(ResultItem::sk)
      .reversed();

  /** The newest of an object's results, newest first, and how many it has in all. */
  public record Newest(List<ResultItem> items, int total) {
    /** Whether the object has more results than {@link #items}. */
    public boolean more() {
      return total > items.size();
    }
  }

  private final DynamoDbClient dynamo;
  private final String tableName;

  public ResultsTable(DynamoDbClient dynamo, String tableName) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    if (tableName == null || tableName.isBlank()) {
      throw new IllegalArgumentException("the results table name is empty");
    }
    this.tableName = tableName;
  }

  /**
   * Writes {@code item} unless a result for that object version exists, or, for a CLASSIFIED item, unless a
   * CLASSIFIED one from the same model (and, when the item records its settings, the same settings) exists; returns
   * whether it was written.
   */
  public boolean put(ResultItem item) {
    return put(item, null);
  }

  /**
   * As {@link #put(ResultItem)}, the call (its retries included) cut after {@code timeout} (null: the client's own):
   * a function writes before its invocation's deadline. A cut write throws the SDK's ApiCallTimeoutException.
   */
  public boolean put(ResultItem item, java.time.Duration timeout) {
    PutItemRequest request = putRequest(item);
    if (timeout != null) {
      request = request.toBuilder()
          .overrideConfiguration(c -> c.apiCallTimeout(timeout))
          .build();
    }
    try {
      dynamo.putItem(request);
      return true;
    } catch (ConditionalCheckFailedException alreadyThere) {
      return false;
    }
  }

  PutItemRequest putRequest(ResultItem item) {
    PutItemRequest.Builder put =
        PutItemRequest.builder().tableName(tableName).item(ResultItemFormat.toItem(item));
    if (item.status() != Verdict.CLASSIFIED) {
      return put.conditionExpression(NEW_ITEM_ONLY).build();
    }
    Map<String, String> names = new HashMap<>(Map.of("#status", "status", "#model", "model"));
    Map<String, AttributeValue> values = new HashMap<>(Map.of(
        ":rejected", s(Verdict.REJECTED.name()), ":model", s(Objects.toString(item.model(), ""))));
    if (item.settings() != null) {
      names.put("#settings", "settings");
      values.put(":settings", s(item.settings()));
    }
    return put.conditionExpression(
            item.settings() == null
                ? NEW_OR_OVER_REJECTED_OR_OTHER_MODEL
                : NEW_OR_OVER_REJECTED_OR_OTHER_MODEL_OR_SETTINGS)
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .build();
  }

  /**
   * The newest {@code limit} of an object's results and how many it has: {@link #byKey} bounded for an answer of a
   * known size. An unversioned bucket keeps each upload's result under its ETag, so a key uploaded over and over has
   * as many results; a Query reads them all (the table's sort key is the version, not the time), but only the newest
   * {@code limit} are kept while reading.
   */
  public Newest newestByKey(String bucket, String key, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    PriorityQueue<ResultItem> newest = new PriorityQueue<>(NEWEST_FIRST.reversed());
    int[] total = {0};
    readKey(bucket, key, r -> {
      total[0]++;
      newest.add(r);
      if (newest.size() > limit) {
        newest.poll();
      }
    });
    List<ResultItem> items = new ArrayList<>(newest);
    items.sort(NEWEST_FIRST);
    return new Newest(items, total[0]);
  }

  /** Every version's result for an object, newest classification first. */
  public List<ResultItem> byKey(String bucket, String key) {
    List<ResultItem> results = new ArrayList<>();
    readKey(bucket, key, results::add);
    results.sort(NEWEST_FIRST);
    return results;
  }

  /** The result of one version of an object ({@code sk}, as {@link ResultItem#skFor} names it), if it has one. */
  public Optional<ResultItem> byVersion(String bucket, String key, String sk) {
    QueryResponse page = dynamo.query(QueryRequest.builder()
        .tableName(tableName)
        .keyConditionExpression("pk = :pk AND sk = :sk")
        .expressionAttributeValues(Map.of(":pk", s(ResultItem.pkFor(bucket, key)), ":sk", s(sk)))
        .consistentRead(true)
        .build());
    return page.items().stream().findFirst().map(ResultItemFormat::fromItem);
  }

  /**
   * Every result of an object, page by page (the SDK's paginator asks for the next page while DynamoDB names a
   * LastEvaluatedKey). A strongly consistent read of the table (the indexes cannot give one): a result Classify has
   * just written is seen, so the API never says an object waits that has its answer.
   */
  private void readKey(String bucket, String key, Consumer<ResultItem> each) {
    dynamo
        .queryPaginator(QueryRequest.builder()
            .tableName(tableName)
            .keyConditionExpression("pk = :pk")
            .expressionAttributeValues(Map.of(":pk", s(ResultItem.pkFor(bucket, key))))
            .consistentRead(true)
            .build())
        .items()
        .forEach(i -> each.accept(ResultItemFormat.fromItem(i)));
  }

  /**
   * Every result, or only those with {@code status} (CLASSIFIED or REJECTED), by a Scan of the whole table. No command
   * reads the table this way (the CLI's permissions have no dynamodb:Scan: every selection is a Query); tests do.
   */
  public List<ResultItem> scan(Optional<String> status) {
    if (status.isPresent()
        && Arrays.stream(Verdict.values()).noneMatch(s -> s.name().equals(status.get()))) {
      throw new IllegalArgumentException(
          "status must be CLASSIFIED or REJECTED, got '" + status.get() + "'");
    }
    ScanRequest.Builder request = ScanRequest.builder().tableName(tableName);
    status.ifPresent(s -> request
        .filterExpression("#status = :status")
        .expressionAttributeNames(Map.of("#status", "status"))
        .expressionAttributeValues(Map.of(":status", s(s))));
    List<ResultItem> results = new ArrayList<>();
    dynamo
        .scanPaginator(request.build())
        .items()
        .forEach(i -> results.add(ResultItemFormat.fromItem(i)));
    return results;
  }

  /**
   * The results with {@code status} classified from {@code from} (inclusive) to {@code to} (exclusive), oldest first:
   * a Query of the {@link #STATUS_INDEX} index that reads only that period, never a Scan of the whole table. The key
   * condition reaches a second past each end, since a {@code classifiedAt} written before {@link
   * ResultItemFormat#TIME} had a variable number of fraction digits and sorts out of order within its second; the
   * exact period is decided on the parsed instant. An item that does not parse as a result (not written by offhours'
   * consumer) is skipped.
   */
  public List<ResultItem> withStatusBetween(Verdict status, Instant from, Instant to) {
    return withStatus(status, Optional.of(from), Optional.of(to));
  }

  /**
   * As {@link #withStatusBetween}, each end optional: without either, every result with {@code status} (every result
   * has a status, so the two statuses' Queries read the whole table, as a Scan would).
   */
  public List<ResultItem> withStatus(Verdict status, Optional<Instant> from, Optional<Instant> to) {
    return inIndex(STATUS_INDEX, "status", status.name(), from, to);
  }

  /** As {@link #withStatus}, of the results whose top label is {@code label}: a Query of {@link #LABEL_INDEX}. */
  public List<ResultItem> withLabel(String label, Optional<Instant> from, Optional<Instant> to) {
    return inIndex(LABEL_INDEX, "topLabel", label, from, to);
  }

  /** The results whose {@code attribute} (the partition key of {@code index}) is {@code value}, in the period. */
  private List<ResultItem> inIndex(
      String index, String attribute, String value, Optional<Instant> from, Optional<Instant> to) {
    if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
      return List.of(); // an empty period; DynamoDB refuses a BETWEEN whose ends are reversed
    }
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":" + attribute, s(value));
    from.ifPresent(t -> values.put(":from", s(ResultItemFormat.TIME.format(t.minusSeconds(1)))));
    to.ifPresent(t -> values.put(":to", s(ResultItemFormat.TIME.format(t.plusSeconds(1)))));
    String condition = "#" + attribute + " = :" + attribute
        + (from.isPresent() && to.isPresent()
            ? " AND classifiedAt BETWEEN :from AND :to"
            : from.isPresent()
                ? " AND classifiedAt >= :from"
                : to.isPresent() ? " AND classifiedAt <= :to" : "");
    List<ResultItem> results = new ArrayList<>();
    QueryRequest query = QueryRequest.builder()
        .tableName(tableName)
        .indexName(index)
        .keyConditionExpression(condition)
        .expressionAttributeNames(Map.of("#" + attribute, attribute))
        .expressionAttributeValues(values)
        .build();
    for (Map<String, AttributeValue> item : dynamo.queryPaginator(query).items()) {
      ResultItem result;
      try {
        result = ResultItemFormat.fromItem(item);
      } catch (RuntimeException notOurs) {
        continue;
      }
      Instant at = result.classifiedAt();
      if (from.map(t -> !at.isBefore(t)).orElse(true)
          && to.map(t -> at.isBefore(t)).orElse(true)) {
        results.add(result);
      }
    }
    return results;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }
}
