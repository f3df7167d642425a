package offhours.endpoint;

import static offhours.endpoint.ItemAttributes.bool;
import static offhours.endpoint.ItemAttributes.instant;
import static offhours.endpoint.ItemAttributes.n;
import static offhours.endpoint.ItemAttributes.num;
import static offhours.endpoint.ItemAttributes.put;
import static offhours.endpoint.ItemAttributes.s;
import static offhours.endpoint.ItemAttributes.str;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import offhours.aws.DynamoCounters;
import offhours.aws.DynamoNumbers;
import offhours.stack.Hosting;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The control table: the controller's state item (pk "controller", sk "state") with optimistic locking through a
 * conditional PutItem on {@code version}
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html), and the
 * ledger items (pk "ledger", sk "YYYY-MM-DD") updated with ADD, which is atomic, in a transaction whose token makes
 * an SDK retry of it harmless ({@link DynamoCounters}).
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
    return Optional.of(readable("state", () -> state(item)));
  }

  private static ControlState state(Map<String, AttributeValue> item) {
    String mode = str(item, "overrideMode");
    ControlState.Override override = mode == null
        ? null
        : new ControlState.Override(
            ControlState.Override.Mode.valueOf(mode), instant(item, "overrideUntil"));
    return new ControlState(
        Long.parseLong(item.get("version").n()),
        override,
        instant(item, "idleSince"),
        instant(item, "backlogSince"),
        instant(item, "stoppingSince"),
        bool(item, "scheduleOpen"),
        instant(item, "lastRunAt"),
        bool(item, "billing"),
        item.containsKey("createFailures")
            ? Integer.parseInt(item.get("createFailures").n())
            : 0,
        instant(item, "createNotBefore"),
        str(item, "lastAction"),
        seconds(item, WAKES),
        drain(item),
        instant(item, "timerAt"),
        instant(item, "enabledAt"),
        seconds(item, STOPS),
        instant(item, "stopIssuedAt"),
        instant(item, "wakeIssuedAt"),
        arrivals(item),
        hosting(item),
        bool(item, "startUncounted"));
  }

  /**
   * An item of the control table that does not read as this version writes it (an attribute edited by hand, or written
   * by another version): the controller, the API and {@code endpoint status} say which item, and why.
   */
  public static final class UnreadableItem extends IllegalStateException {
    UnreadableItem(String item, RuntimeException cause) {
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
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s("controller"));
    item.put("sk", s("state"));
    item.put("version", n(next.version()));
    if (next.override() != null) {
      item.put("overrideMode", s(next.override().mode().name()));
      put(item, "overrideUntil", next.override().until());
    }
    put(item, "idleSince", next.idleSince());
    put(item, "backlogSince", next.backlogSince());
    put(item, "stoppingSince", next.stoppingSince());
    item.put("scheduleOpen", AttributeValue.fromBool(next.scheduleOpen()));
    put(item, "lastRunAt", next.lastRunAt());
    item.put("billing", AttributeValue.fromBool(next.billing()));
    item.put("createFailures", n(next.createFailures()));
    put(item, "createNotBefore", next.createNotBefore());
    if (next.lastAction() != null) {
      item.put("lastAction", s(next.lastAction()));
    }
    putSeconds(item, WAKES, next.wakeSeconds());
    put(item, "timerAt", next.timerAt());
    put(item, "enabledAt", next.enabledAt());
    putSeconds(item, STOPS, next.stopSeconds());
    put(item, "stopIssuedAt", next.stopIssuedAt());
    put(item, "wakeIssuedAt", next.wakeIssuedAt());
    if (next.hosting() != null) {
      item.put("hosting", s(next.hosting().value()));
    }
    put(item, "arrivalsSeenAt", next.arrivals().seenAt());
    item.put("arrivalsMessages", n(next.arrivals().messages()));
    item.put(
        "arrivalsPerSecond", DynamoNumbers.of(next.arrivals().perSecond(), "the arrival rate"));
    item.put("startUncounted", AttributeValue.fromBool(next.startUncounted()));
    put(item, "drainSince", next.drain().since());
    item.put("drainImages", n(next.drain().images()));
    if (!next.drain().rates().isEmpty()) {
      item.put(
          "drainPerSecond",
          AttributeValue.fromL(next.drain().rates().stream()
              .map(r -> DynamoNumbers.of(r.perSecond(), "a drain rate"))
              .toList()));
      item.put(
          DRAIN_INSTANCES,
          AttributeValue.fromL(
              next.drain().rates().stream().map(r -> n(r.instances())).toList()));
    }
    PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item);
    if (expectedVersion == 0) {
      put.conditionExpression("attribute_not_exists(pk)");
    } else {
      put.conditionExpression("#v = :v")
          .expressionAttributeNames(Map.of("#v", "version"))
          .expressionAttributeValues(Map.of(":v", n(expectedVersion)));
    }
    try {
      dynamo.putItem(put.build());
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** Absent in items written before the arrival rate: none seen yet. */
  private static Arrivals arrivals(Map<String, AttributeValue> item) {
    return new Arrivals(
        instant(item, "arrivalsSeenAt"),
        item.containsKey("arrivalsMessages")
            ? Long.parseLong(item.get("arrivalsMessages").n())
            : 0,
        item.containsKey("arrivalsPerSecond")
            ? Double.parseDouble(item.get("arrivalsPerSecond").n())
            : 0);
  }

  /** Absent in items written before the hosting was recorded: their history counts as another hosting's. */
  private static Hosting hosting(Map<String, AttributeValue> item) {
    String value = str(item, "hosting");
    return value == null ? null : Hosting.parse(value);
  }

  /**
   * The instances each drain rate was measured on, a list beside "drainPerSecond" (which a controller of an earlier
   * version still reads after a rollback). Absent in items written before it was recorded: those rates read with
   * instances 0, taken as measured on the current count ({@link DrainMeter.Rate}), which is how that version planned
   * with them, so an upgrade alone changes no plan.
   */
  private static final String DRAIN_INSTANCES = "drainInstances";

  private static DrainMeter drain(Map<String, AttributeValue> item) {
    AttributeValue rates = item.get("drainPerSecond");
    List<AttributeValue> perSecond = rates == null || !rates.hasL() ? List.of() : rates.l();
    AttributeValue counts = item.get(DRAIN_INSTANCES);
    List<AttributeValue> instances = counts == null || !counts.hasL() ? null : counts.l();
    if (instances != null && instances.size() != perSecond.size()) {
      throw new IllegalArgumentException(DRAIN_INSTANCES + " has " + instances.size()
          + " counts for " + perSecond.size() + " drainPerSecond rates");
    }
    List<DrainMeter.Rate> read = new ArrayList<>();
    for (int i = 0; i < perSecond.size(); i++) {
      read.add(new DrainMeter.Rate(
          Double.parseDouble(perSecond.get(i).n()),
          instances == null ? 0 : Integer.parseInt(instances.get(i).n())));
    }
    return new DrainMeter(
        instant(item, "drainSince"),
        item.containsKey("drainImages") ? Long.parseLong(item.get("drainImages").n()) : 0,
        read);
  }

  /**
   * The wake history's attribute. Wakes measured up to the test invocation were kept under "wakeSeconds"; since the
   * trigger's start is part of the wake, that older history is left unread and the first wake after an upgrade is
   * planned with the default.
   */
  private static final String WAKES = "wakeToPollingSeconds";

  /** The stop history's attribute; a state written before stops were measured has none and reads as no history. */
  private static final String STOPS = "stopSeconds";

  /** A history of durations, as a list, not a number set: the order (oldest first) decides which are kept. */
  private static void putSeconds(
      Map<String, AttributeValue> item, String name, List<Long> seconds) {
    if (!seconds.isEmpty()) {
      item.put(
          name, AttributeValue.fromL(seconds.stream().map(ItemAttributes::n).toList()));
    }
  }

  private static List<Long> seconds(Map<String, AttributeValue> item, String name) {
    AttributeValue list = item.get(name);
    return list == null || !list.hasL()
        ? List.of()
        : list.l().stream().map(v -> Long.parseLong(v.n())).toList();
  }

  /**
   * Records what a run saw and decided (item pk "controller", sk "decision"), so the API and the UI can say what the
   * endpoint and the trigger were doing, and since when, without the SageMaker control plane. A run that finished
   * earlier never overwrites a later one (runs may overlap).
   */
  public void recordDecision(Decision d) {
    recordDecision(d, null);
  }

  /** As {@link #recordDecision(Decision)}, with what started the run ({@link RunTrigger}; null: not known). */
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
    Map<String, Long> increments = new LinkedHashMap<>();
    increments.put("endpointSeconds", d.endpointSeconds());
    increments.put("outsideScheduleSeconds", d.outsideScheduleSeconds());
    increments.put("starts", d.starts());
    increments.put("stops", d.stops());
    DynamoCounters.add(
        dynamo, table, Map.of("pk", s("ledger"), "sk", s(d.date().toString())), increments);
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
