package offhours.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * An in-memory table keyed by (pk, sk) that understands the conditions offhours writes with:
 * {@code attribute_not_exists(pk)}, {@code attribute_not_exists(pk) OR #status = :rejected OR
 * attribute_not_exists(#model) OR #model <> :model} (a classification may replace a verdict or another model's
 * classification), the same {@code OR attribute_not_exists(#settings) OR #settings <> :settings} (or the same model's
 * under other settings), {@code attribute_exists(pk)} (priming), {@code #v = :v} (the control state's version) and the decision's {@code atMillis < :at}; GetItem
 * reads an item back and Query answers the control table's one key condition. Set {@link #failWith} to make every write throw.
 */
public final class FakeDynamoDb implements DynamoDbClient {

  public final Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();
  public final List<PutItemRequest> puts = new ArrayList<>();
  public final List<UpdateItemRequest> updates = new ArrayList<>();
  /** Every TransactWriteItems request as sent, its override configuration included. */
  public final List<TransactWriteItemsRequest> transactions = new ArrayList<>();

  public volatile RuntimeException failWith;

  /** How many items a Query answers at most before it names a LastEvaluatedKey, as DynamoDB does at 1 MB. */
  public volatile int queryPage = Integer.MAX_VALUE;

  /** Every GetItem request as sent. */
  public final List<GetItemRequest> gets = new ArrayList<>();

  /** How many GetItems asked for an item of sort key {@code sk} ("ledgerStart": the ledger's start). */
  public synchronized long getsOf(String sk) {
    return gets.stream().filter(g -> g.key().get("sk").s().equals(sk)).count();
  }

  /** Every Query request as sent. */
  public final List<QueryRequest> queries = new ArrayList<>();

  @Override
  public synchronized PutItemResponse putItem(PutItemRequest request) {
    puts.add(request);
    if (failWith != null) {
      throw failWith;
    }
    if (!holds(request)) {
      throw ConditionalCheckFailedException.builder()
          .message("The conditional request failed")
          .build();
    }
    items.put(id(request.item()), Map.copyOf(request.item()));
    return PutItemResponse.builder().build();
  }

  private static String id(Map<String, AttributeValue> item) {
    return item.get("pk").s() + "|" + item.get("sk").s();
  }

  /** Whether the condition of {@code request} holds on the item it would replace. */
  private boolean holds(PutItemRequest request) {
    Map<String, AttributeValue> existing = items.get(id(request.item()));
    return switch (String.valueOf(request.conditionExpression())) {
      case "null" -> true;
      case "attribute_not_exists(pk)" -> existing == null;
      case "attribute_exists(pk)" -> existing != null;
      case "attribute_not_exists(pk) OR atMillis < :at" ->
        existing == null
            || Long.parseLong(existing.get("atMillis").n())
                < Long.parseLong(request.expressionAttributeValues().get(":at").n());
      case "#v = :v" ->
        existing != null
            && existing
                .get(request.expressionAttributeNames().get("#v"))
                .equals(request.expressionAttributeValues().get(":v"));
      case "attribute_not_exists(pk) OR #status = :rejected OR attribute_not_exists(#model) OR #model <> :model" ->
        existing == null
            || existing
                .get(request.expressionAttributeNames().get("#status"))
                .equals(request.expressionAttributeValues().get(":rejected"))
            || !existing.containsKey(request.expressionAttributeNames().get("#model"))
            || !existing
                .get(request.expressionAttributeNames().get("#model"))
                .equals(request.expressionAttributeValues().get(":model"));
      case "attribute_not_exists(pk) OR #status = :rejected OR attribute_not_exists(#model) OR #model <> :model"
          + " OR attribute_not_exists(#settings) OR #settings <> :settings" ->
        existing == null
            || existing
                .get(request.expressionAttributeNames().get("#status"))
                .equals(request.expressionAttributeValues().get(":rejected"))
            || differs(request, existing, "#model", ":model")
            || differs(request, existing, "#settings", ":settings");
      default ->
        throw new UnsupportedOperationException(
            "condition not understood: " + request.conditionExpression());
    };
  }

  /** Whether {@code existing} lacks the attribute {@code name} names, or holds another value than {@code value}. */
  private static boolean differs(
      PutItemRequest request, Map<String, AttributeValue> existing, String name, String value) {
    AttributeValue held = existing.get(request.expressionAttributeNames().get(name));
    return held == null || !held.equals(request.expressionAttributeValues().get(value));
  }

  @Override
  public synchronized GetItemResponse getItem(GetItemRequest request) {
    gets.add(request);
    Map<String, AttributeValue> item =
        items.get(request.key().get("pk").s() + "|" + request.key().get("sk").s());
    return GetItemResponse.builder().item(item).build();
  }

  /**
   * The one query the control table makes: {@code pk = :pk AND sk BETWEEN :from AND :to}, in sk order, pages of at most
   * {@link #queryPage} items after the request's ExclusiveStartKey.
   */
  @Override
  public synchronized QueryResponse query(QueryRequest request) {
    queries.add(request);
    if (!"pk = :pk AND sk BETWEEN :from AND :to".equals(request.keyConditionExpression())) {
      throw new UnsupportedOperationException(
          "key condition not understood: " + request.keyConditionExpression());
    }
    Map<String, AttributeValue> v = request.expressionAttributeValues();
    String from = v.get(":from").s();
    String to = v.get(":to").s();
    List<Map<String, AttributeValue>> found = items.values().stream()
        .filter(i -> i.get("pk").equals(v.get(":pk")))
        .filter(i -> i.get("sk").s().compareTo(from) >= 0 && i.get("sk").s().compareTo(to) <= 0)
        .filter(i -> !request.hasExclusiveStartKey()
            || i.get("sk").s().compareTo(request.exclusiveStartKey().get("sk").s()) > 0)
        .sorted(java.util.Comparator.comparing(i -> i.get("sk").s()))
        .toList();
    if (found.size() <= queryPage) {
      return QueryResponse.builder().items(found).build();
    }
    List<Map<String, AttributeValue>> page = found.subList(0, queryPage);
    Map<String, AttributeValue> last = page.getLast();
    return QueryResponse.builder()
        .items(page)
        .lastEvaluatedKey(Map.of("pk", last.get("pk"), "sk", last.get("sk")))
        .build();
  }

  /** Recorded, not applied: the ledger's ADDs are asserted as written. */
  @Override
  public synchronized UpdateItemResponse updateItem(UpdateItemRequest request) {
    updates.add(request);
    return UpdateItemResponse.builder().build();
  }

  /**
   * The ledger's transactions: each Update is recorded in {@link #updates} as the UpdateItem it stands for, not
   * applied; a Put is applied as {@link #putItem} is, all of it or none: a Put whose condition fails cancels the
   * transaction, with a ConditionalCheckFailed reason in its place. A ClientRequestToken seen before changes nothing,
   * as DynamoDB's idempotency window has it
   * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html).
   */
  @Override
  public synchronized TransactWriteItemsResponse transactWriteItems(
      TransactWriteItemsRequest request) {
    transactions.add(request);
    if (failWith != null) {
      throw failWith;
    }
    if (request.clientRequestToken() != null && !tokens.add(request.clientRequestToken())) {
      return TransactWriteItemsResponse.builder().build();
    }
    List<PutItemRequest> puts = request.transactItems().stream()
        .map(FakeDynamoDb::asPut)
        .filter(put -> put != null)
        .toList();
    if (!puts.stream().allMatch(this::holds)) {
      throw TransactionCanceledException.builder()
          .message("Transaction cancelled, please refer cancellation reasons for specific reasons")
          .cancellationReasons(request.transactItems().stream()
              .map(item -> CancellationReason.builder()
                  .code(
                      item.put() != null && !holds(asPut(item)) ? "ConditionalCheckFailed" : "None")
                  .build())
              .toList())
          .build();
    }
    puts.forEach(put -> items.put(id(put.item()), Map.copyOf(put.item())));
    for (TransactWriteItem item : request.transactItems()) {
      Update u = item.update();
      if (u == null) {
        continue;
      }
      updates.add(UpdateItemRequest.builder()
          .tableName(u.tableName())
          .key(u.key())
          .updateExpression(u.updateExpression())
          .expressionAttributeValues(u.expressionAttributeValues())
          .build());
    }
    return TransactWriteItemsResponse.builder().build();
  }

  /** The PutItem a transaction's Put stands for; null for its other writes. */
  private static PutItemRequest asPut(TransactWriteItem item) {
    return item.put() == null
        ? null
        : PutItemRequest.builder()
            .tableName(item.put().tableName())
            .item(item.put().item())
            .conditionExpression(item.put().conditionExpression())
            .expressionAttributeNames(item.put().expressionAttributeNames())
            .expressionAttributeValues(item.put().expressionAttributeValues())
            .build();
  }

  private final java.util.Set<String> tokens = new java.util.HashSet<>();

  public synchronized List<Map<String, AttributeValue>> all() {
    return List.copyOf(items.values());
  }

  @Override
  public String serviceName() {
    return "dynamodb";
  }

  @Override
  public void close() {}
}
