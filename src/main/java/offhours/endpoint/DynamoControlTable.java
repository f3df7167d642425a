package offhours.endpoint;

import static offhours.endpoint.ItemAttributes.instant;
import static offhours.endpoint.ItemAttributes.n;
import static offhours.endpoint.ItemAttributes.num;
import static offhours.endpoint.ItemAttributes.put;
import static offhours.endpoint.ItemAttributes.s;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import offhours.aws.DynamoCounters;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The control table: the controller's state item (pk "controller", sk "state", {@link ControlStateItem}) with
 * optimistic locking through a conditional PutItem on {@code version}
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html), and the
 * ledger items (pk "ledger", sk "YYYY-MM-DD") updated with ADD, which is atomic, in a transaction whose token makes
 * an SDK retry of it harmless ({@link DynamoCounters}); a claim writes what it counts (billed seconds, a start, a
 * stop) with the state in one transaction.
 */
public final class DynamoControlTable implements ControlStore, Ledger {
  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoControlTable(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  @Override
  public Optional<ControlState> load() {
    Map<String, AttributeValue> item = dynamo
        .getItem(b -> b.tableName(table)
            .consistentRead(true)
            .key(Map.of("pk", s("controller"), "sk", s("state"))))
        .item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(readable("state", () -> ControlStateItem.read(item)));
  }

  /**
   * An item of the control table that does not read as this version writes it (an attribute edited by hand, or written
   * by another version): the controller, the API and {@code endpoint status} say which item, and why.
   */
  public static final class UnreadableItem extends IllegalStateException {
    private UnreadableItem(String item, RuntimeException cause) {
      super(
          "the control table's controller/" + item
              + " item does not read as this version writes it: " + cause,
          cause);
    }
  }

  private static <T> T readable(String item, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      throw new UnreadableItem(item, e);
    }
  }

  @Override
  public boolean save(ControlState next, long expectedVersion) {
    try {
      dynamo.putItem(statePut(next, expectedVersion));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /**
   * One TransactWriteItems of the state's conditional Put and each day's ADD, so all land or none
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html); {@code counted} has each
   * day once, as a transaction may touch an item only once, and at most {@link RunLedger#MAX_DAYS}. Its
   * ClientRequestToken makes the SDK's resend of a call whose answer was lost harmless, as {@link DynamoCounters}' is.
   * IAM authorizes the Put as dynamodb:PutItem and each Update as dynamodb:UpdateItem, both of which the controller
   * has.
   */
  @Override
  public boolean save(ControlState next, long expectedVersion, List<Day> counted) {
    PutItemRequest state = statePut(next, expectedVersion);
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder()
        .put(Put.builder()
            .tableName(state.tableName())
            .item(state.item())
            .conditionExpression(state.conditionExpression())
            .expressionAttributeNames(state.expressionAttributeNames())
            .expressionAttributeValues(state.expressionAttributeValues())
            .build())
        .build());
    for (Day d : counted) {
      writes.add(DynamoCounters.update(table, ledgerKey(d.date()), increments(d)));
    }
    try {
      dynamo.transactWriteItems(
          b -> b.clientRequestToken(UUID.randomUUID().toString()).transactItems(writes));
      return true;
    } catch (TransactionCanceledException e) {
      if (e.hasCancellationReasons()
          && "ConditionalCheckFailed".equals(e.cancellationReasons().getFirst().code())) {
        return false; // another run wrote the state first: nothing was added either
      }
      throw e;
    }
  }

  /** The state's write: {@code next} if the stored version is still {@code expectedVersion} (0: no item yet). */
  private PutItemRequest statePut(ControlState next, long expectedVersion) {
    PutItemRequest.Builder put =
        PutItemRequest.builder().tableName(table).item(ControlStateItem.of(next));
    if (expectedVersion == 0) {
      put.conditionExpression("attribute_not_exists(pk)");
    } else {
      put.conditionExpression("#v = :v")
          .expressionAttributeNames(Map.of("#v", "version"))
          .expressionAttributeValues(Map.of(":v", n(expectedVersion)));
    }
    return put.build();
  }

  /**
   * Records what a run saw and decided (item pk "controller", sk "decision"), so the API and the UI can say what the
   * endpoint and the trigger were doing, and since when, without the SageMaker control plane. A run that finished
   * earlier never overwrites a later one (runs may overlap). {@code startedBy}: what started the run
   * ({@link RunTrigger}; null: not known).
   */
  public void recordDecision(Decision d, String startedBy) {
    Map<String, AttributeValue> item = DecisionItem.of(d, startedBy);
    try {
      dynamo.putItem(b -> b.tableName(table)
          // The run's last call: it keeps only the end of the run, not the 3 s the other writes of
          // this table keep for the calls after them (RunDeadline, OwnKeep).
          .overrideConfiguration(o -> o.putExecutionAttribute(OwnKeep.KEEP, OwnKeep.LAST_CALL))
          .item(item)
          .conditionExpression("attribute_not_exists(pk) OR atMillis < :at")
          .expressionAttributeValues(Map.of(":at", n(d.at().toEpochMilli()))));
    } catch (ConditionalCheckFailedException newerRunRecorded) {
      // a later run's decision is already there
    }
  }

  /** The decision {@link #recordDecision} recorded last, or empty before the first run. */
  public Optional<Decision> lastDecision() {
    return lastRecorded().map(RecordedDecision::decision);
  }

  /** The decision recorded last with what started its run, or empty before the first run. */
  public Optional<RecordedDecision> lastRecorded() {
    Map<String, AttributeValue> item = dynamo
        .getItem(b -> b.tableName(table).key(Map.of("pk", s("controller"), "sk", s("decision"))))
        .item();
    if (item == null || item.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(readable("decision", () -> DecisionItem.recorded(item)));
  }

  /** Once per call, however often the SDK retries it ({@link DynamoCounters}). */
  @Override
  public void add(Day d) {
    DynamoCounters.add(dynamo, table, ledgerKey(d.date()), increments(d));
  }

  private static Map<String, AttributeValue> ledgerKey(LocalDate date) {
    return Map.of("pk", s("ledger"), "sk", s(date.toString()));
  }

  private static Map<String, Long> increments(Day d) {
    Map<String, Long> increments = new LinkedHashMap<>();
    increments.put("endpointSeconds", d.endpointSeconds());
    increments.put("outsideScheduleSeconds", d.outsideScheduleSeconds());
    increments.put("starts", d.starts());
    increments.put("stops", d.stops());
    return increments;
  }

  /** The item that says when the ledger started: no ledger Query reads it (its sk is no date). */
  private static final Map<String, AttributeValue> LEDGER_START =
      Map.of("pk", s("controller"), "sk", s("ledgerStart"));

  /**
   * A conditional PutItem that never overwrites
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html#Expressions.ConditionExpressions.PreventingOverwrites),
   * so overlapping or later runs keep the first instant.
   */
  @Override
  public void start(Instant at) {
    Map<String, AttributeValue> item = new HashMap<>(LEDGER_START);
    put(item, "at", at);
    try {
      dynamo.putItem(
          b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
    } catch (ConditionalCheckFailedException recordedAlready) {
      // the first run's instant stands
    }
  }

  @Override
  public Optional<Instant> started() {
    Map<String, AttributeValue> item =
        dynamo.getItem(b -> b.tableName(table).key(LEDGER_START)).item();
    return item == null || item.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(readable("ledgerStart", () -> instant(item, "at")));
  }

  /**
   * One Query of one item: the ledger's sort keys are dates, and a Query answers in sort key order
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.KeyConditionExpressions.html), so with
   * Limit 1 the first item is the oldest day's.
   */
  @Override
  public Optional<LocalDate> firstDay() {
    return dynamo
        .query(q -> q.tableName(table)
            .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
            .expressionAttributeValues(
                Map.of(":pk", s("ledger"), ":from", s(FIRST_DATE), ":to", s(LAST_DATE)))
            .limit(1))
        .items()
        .stream()
        .findFirst()
        .map(item -> LocalDate.parse(item.get("sk").s()));
  }

  /** Bounds every ledger date falls within, as strings sort: no year before 1000 or after 9999. */
  private static final String FIRST_DATE = "1000-01-01";

  private static final String LAST_DATE = "9999-12-31";

  @Override
  public List<Day> days(LocalDate from, LocalDate to) {
    return ledger(from, to).days();
  }

  /**
   * The ledger's days from {@code from} to {@code to}, read once: the controller's totals and, per day that has any,
   * what the endpoint's callers recorded for hosting serverless (offhours.aws.UsageLedger).
   */
  public record LedgerRange(List<Day> days, Map<LocalDate, ServerlessUsage> serverless) {}

  /** Both halves of the ledger from one Query, for readers that need both (the cost report, /status). */
  public LedgerRange ledger(LocalDate from, LocalDate to) {
    List<Day> days = new ArrayList<>();
    Map<LocalDate, ServerlessUsage> usage = new java.util.TreeMap<>();
    for (Map<String, AttributeValue> item : ledgerItems(from, to)) {
      LocalDate date = LocalDate.parse(item.get("sk").s());
      days.add(new Day(
          date,
          num(item, "endpointSeconds"),
          num(item, "outsideScheduleSeconds"),
          num(item, "starts"),
          num(item, "stops")));
      if (item.containsKey("invocations")) {
        usage.put(
            date,
            new ServerlessUsage(
                num(item, "invocations"),
                num(item, "invocationMillis"),
                num(item, "invocationMbMillis"),
                num(item, "invocationBytes")));
      }
    }
    return new LedgerRange(days, usage);
  }

  /**
   * The ledger's items from {@code from} to {@code to}, oldest first, every page: the SDK's paginator sends the next
   * Query while DynamoDB names a LastEvaluatedKey
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html), each through the
   * client's own query, so the role needs dynamodb:Query only.
   */
  private List<Map<String, AttributeValue>> ledgerItems(LocalDate from, LocalDate to) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    dynamo
        .queryPaginator(q -> q.tableName(table)
            .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
            .expressionAttributeValues(
                Map.of(":pk", s("ledger"), ":from", s(from.toString()), ":to", s(to.toString()))))
        .items()
        .forEach(items::add);
    return items;
  }
}
