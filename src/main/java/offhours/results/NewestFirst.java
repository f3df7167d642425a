package offhours.results;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import offhours.results.ResultItem.Verdict;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Results newest first, a page at a time, from the table's indexes in time order: Queries that read about the page,
 * never a Scan (DynamoDB bills a Scan for every item it reads, filtered or not).
 *
 * <p>The partition key of the time-ordered index is {@code status}. Every result has one of two statuses and a
 * {@code classifiedAt}, so the {@code byStatus} index (status, classifiedAt) holds every result there is, those written
 * before the index existed too: DynamoDB fills a new index from the table's items
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html). A constant or a month as the
 * partition key would have needed a new attribute on every item and a migration of the older ones, and a status filter
 * on it would read through every CLASSIFIED result to find the rare REJECTED ones; with status as the key, a listing by
 * status is one Query that reads only that status. One partition key value takes about 1,000 writes a second
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html), as it would for a
 * constant or the current month: several times what the default trigger and endpoint write (README "Scaling" says
 * where it ends).
 *
 * <p>A listing of everything merges the two statuses' Queries. CLASSIFIED (the many) is read first, up to the page;
 * REJECTED is then read only down to the oldest CLASSIFIED result the page could show, so a page reads its own items
 * plus the other status's items of the same time span. With a label, {@code byLabel} (topLabel, classifiedAt) answers
 * and a status is a filter. A key filter ({@code contains}) reads past what it shows, as any filter does. Without a
 * filter a Query asks for no more items than the page still needs. Whatever a Query read, the next page continues it
 * after the last of its items this page showed (or where it stopped, when the page showed all it read), so paging
 * neither skips nor repeats a result. Order is the index's: {@code classifiedAt} as a string; between the two statuses
 * a tie goes by pk, then sk.
 */
public final class NewestFirst {

  /**
   * One page. {@code next} says where each Query of the listing continues, by its value (the status, or the label):
   * after the key it maps to, or from the newest when that key is empty; a Query that has nothing more is absent, and
   * {@code next} is null when none has.
   */
  public record Slice(List<ResultItem> items, Map<String, Map<String, String>> next) {}

  /** One Query: the results whose {@code attribute} (the index's partition key) is {@code value}. */
  private record Source(String index, String attribute, String value) {

    /** The attributes of a position in this index: the table's key and the index's key. */
    private Set<String> keyNames() {
      return Set.of("pk", "sk", "classifiedAt", attribute);
    }
  }

  private static final Comparator<Map<String, AttributeValue>> NEWER =
      Comparator.<Map<String, AttributeValue>, String>comparing(
              i -> i.get("classifiedAt").s())
          .thenComparing(i -> i.get("pk").s())
          .thenComparing(i -> i.get("sk").s());

  private final DynamoDbClient dynamo;
  private final String table;
  private final long readLimit;

  /** Pages that are full unless the listing ends, however many items a filter has to read for them. */
  public NewestFirst(DynamoDbClient dynamo, String table) {
    this(dynamo, table, Long.MAX_VALUE);
  }

  /**
   * Pages for which each Query reads at most {@code readLimit} items: a page whose filter matched too few of them is
   * short, with a {@code next} that continues where the reading stopped. Bounds the time and read units of a page.
   */
  public NewestFirst(DynamoDbClient dynamo, String table, long readLimit) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
    if (readLimit < 1) {
      throw new IllegalArgumentException("readLimit must be at least 1, got " + readLimit);
    }
    this.readLimit = readLimit;
  }

  /**
   * Up to {@code limit} results, newest first, with a top label {@code label}, a {@code status} (CLASSIFIED or
   * REJECTED) and a key containing {@code keyContains} (each null: any), continuing at {@code from} (a previous page's
   * {@code next} of the same listing; null: the first page). A {@code from} that is not a position of this listing is
   * an {@link IllegalArgumentException}.
   */
  public Slice page(
      String label,
      String status,
      String keyContains,
      int limit,
      Map<String, Map<String, String>> from) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    if (status != null && !Set.of("CLASSIFIED", "REJECTED").contains(status)) {
      throw new IllegalArgumentException(
          "status must be CLASSIFIED or REJECTED, got '" + status + "'");
    }
    List<Source> sources = label != null
        ? List.of(new Source(ResultsTable.LABEL_INDEX, "topLabel", label))
        : status != null
            ? List.of(new Source(ResultsTable.STATUS_INDEX, "status", status))
            : List.of(
                new Source(ResultsTable.STATUS_INDEX, "status", Verdict.CLASSIFIED.name()),
                new Source(ResultsTable.STATUS_INDEX, "status", Verdict.REJECTED.name()));
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    String filter = filter(label != null ? status : null, keyContains, names, values);

    List<Reader> readers = readers(sources, from);
    String floor = null;
    for (Reader reader : readers) {
      reader.read(limit, floor, filter, names, values);
      if (floor == null && reader.unshown.size() >= limit) {
        floor = reader.unshown.stream()
            .skip(limit - 1)
            .findFirst()
            .orElseThrow()
            .get("classifiedAt")
            .s();
      } else if (floor == null && reader.resume != null) {
        // Stopped by the read limit: what it has not read is no newer than where it stopped.
        floor = reader.resume.get("classifiedAt").s();
      }
    }
    List<ResultItem> items = new ArrayList<>();
    while (items.size() < limit) {
      Reader newest = null;
      for (Reader reader : readers) {
        if (!reader.unshown.isEmpty()
            && (newest == null
                || NEWER.compare(reader.unshown.getFirst(), newest.unshown.getFirst()) > 0)) {
          newest = reader;
        }
      }
      if (newest == null || stoppedNewer(readers, newest.unshown.getFirst())) {
        break;
      }
      Map<String, AttributeValue> item = newest.unshown.removeFirst();
      newest.shownLast = newest.position(item);
      items.add(ResultItemFormat.fromItem(item));
    }
    Map<String, Map<String, String>> next = new LinkedHashMap<>();
    for (Reader reader : readers) {
      Map<String, String> position = reader.next();
      if (position != null) {
        next.put(reader.source.value(), position);
      }
    }
    return new Slice(items, next.isEmpty() ? null : next);
  }

  /**
   * Whether a Query the read limit stopped might still hold a result newer than {@code item}: then {@code item} waits
   * for the next page. (A Query stopped by the page's size has already given the page all it holds.)
   */
  private static boolean stoppedNewer(List<Reader> readers, Map<String, AttributeValue> item) {
    return readers.stream()
        .anyMatch(
            r -> r.unshown.isEmpty() && r.resume != null && NEWER.compare(r.resume, item) > 0);
  }

  /** The Queries still to read: every one on a first page, else those {@code from} names, where it says. */
  private List<Reader> readers(List<Source> sources, Map<String, Map<String, String>> from) {
    List<Reader> readers = new ArrayList<>();
    if (from != null) {
      for (String value : from.keySet()) {
        if (sources.stream().noneMatch(s -> s.value().equals(value))) {
          throw new IllegalArgumentException("not a position of this listing: " + value);
        }
      }
    }
    for (Source source : sources) {
      if (from == null) {
        readers.add(new Reader(source, Map.of()));
      } else if (from.containsKey(source.value())) {
        Map<String, String> key = from.get(source.value());
        if (!key.isEmpty()
            && (!key.keySet().equals(source.keyNames())
                || !source.value().equals(key.get(source.attribute()))
                || key.values().stream().anyMatch(Objects::isNull)
                || !fitsAsKey(key, source))) {
          throw new IllegalArgumentException("not a position in " + source.index());
        }
        readers.add(new Reader(source, key));
      }
    }
    return readers;
  }

  /**
   * Whether DynamoDB takes {@code position} as a start key: no key attribute may be empty, a partition key (pk, the
   * index's) is at most {@value ResultsTable#MAX_PARTITION_KEY_BYTES} bytes and a sort key (sk, classifiedAt) at most
   * {@value ResultsTable#MAX_SORT_KEY_BYTES}. DynamoDB would refuse any other with a ValidationException.
   */
  private static boolean fitsAsKey(Map<String, String> position, Source source) {
    for (Map.Entry<String, String> attribute : position.entrySet()) {
      boolean partition =
          attribute.getKey().equals("pk") || attribute.getKey().equals(source.attribute());
      int bytes = attribute.getValue().getBytes(StandardCharsets.UTF_8).length;
      if (bytes == 0
          || bytes
              > (partition
                  ? ResultsTable.MAX_PARTITION_KEY_BYTES
                  : ResultsTable.MAX_SORT_KEY_BYTES)) {
        return false;
      }
    }
    return true;
  }

  /** One Query's progress through a page. */
  private final class Reader {
    private final Source source;
    /** Where the page started it: after this key, or from the newest when empty. */
    private final Map<String, String> start;

    private final Deque<Map<String, AttributeValue>> unshown = new ArrayDeque<>();
    /** The LastEvaluatedKey of its last Query, null when that Query reached its end. */
    private Map<String, AttributeValue> resume;
    /** Whether its end was the floor (the time the page cannot reach below) rather than the index's. */
    private boolean stoppedAtFloor;

    private Map<String, String> shownLast;

    private Reader(Source source, Map<String, String> start) {
      this.source = source;
      this.start = start;
    }

    /**
     * Reads until {@code limit} items are unshown, or down to the floor (null: to the end). Without a filter each Query
     * asks for what the page still needs. With one, a Query that asked for that and came back short is followed by
     * Queries that ask for as many items as the matches seen so far suggest hold the rest (twice as many as read, while
     * none matched): a rare key is found in a few round trips, not one per page's worth of items. Matches read beyond
     * the page stay unshown, and the next page starts after the last one shown, so nothing is skipped.
     */
    private void read(
        int limit,
        String floor,
        String filter,
        Map<String, String> filterNames,
        Map<String, AttributeValue> filterValues) {
      Map<String, String> names = new HashMap<>(filterNames);
      Map<String, AttributeValue> values = new HashMap<>(filterValues);
      names.put("#partition", source.attribute());
      values.put(":partition", AttributeValue.fromS(source.value()));
      String condition = "#partition = :partition";
      if (floor != null) {
        names.put("#at", "classifiedAt");
        values.put(":floor", AttributeValue.fromS(floor));
        condition += " AND #at >= :floor";
      }
      if (floor != null && !start.isEmpty() && start.get("classifiedAt").compareTo(floor) < 0) {
        // It continues below the floor: nothing of it can be on this page (and DynamoDB refuses
        // a start key outside the key condition).
        stoppedAtFloor = true;
        return;
      }
      Map<String, AttributeValue> after = start.isEmpty() ? null : attributes(start);
      long evaluated = 0;
      long matched = 0;
      do {
        int needed = limit - unshown.size();
        QueryRequest.Builder q = QueryRequest.builder()
            .tableName(table)
            .indexName(source.index())
            .keyConditionExpression(condition)
            .expressionAttributeNames(names)
            .expressionAttributeValues(values)
            .scanIndexForward(false)
            .limit((int) Math.min(
                filter == null || evaluated == 0 ? needed : ask(needed, evaluated, matched),
                readLimit - evaluated))
            .exclusiveStartKey(after);
        if (filter != null) {
          q.filterExpression(filter);
        }
        QueryResponse response = dynamo.query(q.build());
        unshown.addAll(response.items());
        evaluated += response.scannedCount() != null ? response.scannedCount() : needed;
        matched += response.items().size();
        after = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
            ? response.lastEvaluatedKey()
            : null;
      } while (after != null && unshown.size() < limit && evaluated < readLimit);
      resume = after;
      stoppedAtFloor = after == null && floor != null;
    }

    /** Where the next page continues this Query; null when it has nothing more. */
    private Map<String, String> next() {
      Map<String, String> shown = shownLast != null ? shownLast : start;
      if (!unshown.isEmpty() || stoppedAtFloor) {
        return shown;
      }
      return resume == null ? null : position(resume);
    }

    /** The position just after {@code item} (or a LastEvaluatedKey) in this Query. */
    private Map<String, String> position(Map<String, AttributeValue> item) {
      Map<String, String> key = new LinkedHashMap<>();
      for (String name : List.of("pk", "sk", "classifiedAt", source.attribute())) {
        key.put(name, item.get(name).s());
      }
      return key;
    }
  }

  /** How many items to read for {@code needed} more matches, from the share that matched so far. */
  private static int ask(int needed, long evaluated, long matched) {
    long ask = matched == 0 ? evaluated * 2 : (needed * evaluated + matched - 1) / matched;
    return (int) Math.max(needed, Math.min(ask, 1_000_000));
  }

  /** The filter expression for status and key, or null; fills in the names and values it uses. */
  private static String filter(
      String status,
      String keyContains,
      Map<String, String> names,
      Map<String, AttributeValue> values) {
    List<String> parts = new ArrayList<>();
    if (status != null) {
      names.put("#status", "status");
      values.put(":status", AttributeValue.fromS(status));
      parts.add("#status = :status");
    }
    if (keyContains != null) {
      names.put("#key", "key");
      values.put(":key", AttributeValue.fromS(keyContains));
      parts.add("contains(#key, :key)");
    }
    return parts.isEmpty() ? null : String.join(" AND ", parts);
  }

  private static Map<String, AttributeValue> attributes(Map<String, String> key) {
    Map<String, AttributeValue> attributes = new HashMap<>();
    key.forEach((k, v) -> attributes.put(k, AttributeValue.fromS(v)));
    return attributes;
  }
}
