package offhours.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Reads the results table for {@code offhours results}: by key (partition {@code pk}), by label (index
 * {@code byLabel}, newest first) or everything (Scan). Results come back newest first.
 */
final class ResultsReader {

  static final String LABEL_INDEX = "byLabel";

  /** What to read; null fields do not filter. */
  record Query(String key, String label, String status, int limit) {}

  private final DynamoDbClient dynamoDb;
  private final String table;
  private final String bucket;

  ResultsReader(DynamoDbClient dynamoDb, String table, String bucket) {
    this.dynamoDb = dynamoDb;
    this.table = table;
    this.bucket = bucket;
  }

  List<ResultRow> read(Query query) {
    Filter filter = new Filter();
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    if (query.key() != null) {
      filter.add("topLabel", query.label());
      filter.add("status", query.status());
      QueryRequest.Builder request = QueryRequest.builder().tableName(table)
          .keyConditionExpression("pk = :pk");
      filter.values.put(":pk", AttributeValue.fromS("s3://" + bucket + "/" + query.key()));
      filter.apply(request);
      dynamoDb.queryPaginator(request.build()).items().forEach(items::add);
    } else if (query.label() != null) {
      filter.add("status", query.status());
      QueryRequest.Builder request = QueryRequest.builder().tableName(table).indexName(LABEL_INDEX)
          .keyConditionExpression("topLabel = :label").scanIndexForward(false);
      filter.values.put(":label", AttributeValue.fromS(query.label()));
      filter.apply(request);
      // The index is sorted by classifiedAt, newest first: stop reading once there are enough.
      for (Map<String, AttributeValue> item : dynamoDb.queryPaginator(request.build()).items()) {
        items.add(item);
        if (items.size() >= query.limit()) {
          break;
        }
      }
    } else {
      filter.add("status", query.status());
      ScanRequest.Builder request = ScanRequest.builder().tableName(table);
      filter.apply(request);
      dynamoDb.scanPaginator(request.build()).items().forEach(items::add);
    }
    return items.stream()
        .map(ResultRow::from)
        .sorted(Comparator.comparing(ResultRow::classifiedAt, Comparator.nullsFirst(Comparator.<String>naturalOrder()))
            .reversed())
        .limit(query.limit())
        .toList();
  }

  /** Equality filters; names go through #placeholders because "status" is a DynamoDB reserved word. */
  private static final class Filter {
    final List<String> conditions = new ArrayList<>();
    final Map<String, String> names = new HashMap<>();
    final Map<String, AttributeValue> values = new HashMap<>();

    void add(String attribute, String value) {
      if (value != null) {
        conditions.add("#" + attribute + " = :" + attribute);
        names.put("#" + attribute, attribute);
        values.put(":" + attribute, AttributeValue.fromS(value));
      }
    }

    void apply(QueryRequest.Builder request) {
      if (!conditions.isEmpty()) {
        request.filterExpression(String.join(" AND ", conditions)).expressionAttributeNames(names);
      }
      request.expressionAttributeValues(values);
    }

    void apply(ScanRequest.Builder request) {
      if (!conditions.isEmpty()) {
        request.filterExpression(String.join(" AND ", conditions)).expressionAttributeNames(names)
            .expressionAttributeValues(values);
      }
    }
  }
}
