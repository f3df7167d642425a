package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import offhours.stack.Hosting;
import offhours.testing.FakeDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoControlTableTest {
  private final FakeDynamoDb dynamo = new FakeDynamoDb();
  private final DynamoControlTable control = new DynamoControlTable(dynamo, "control");

  @Test
  void theLedgerReadsEveryPageOfItsQueryInDateOrder() {
    for (String day : List.of("2026-01-12", "2026-01-13", "2026-01-14", "2026-01-20")) {
      dynamo.putItem(r -> r.tableName("control")
          .item(Map.of(
              "pk", AttributeValue.fromS("ledger"),
              "sk", AttributeValue.fromS(day),
              "endpointSeconds", AttributeValue.fromN("60"))));
    }
    dynamo.queryPage = 1;

    assertThat(control.days(LocalDate.parse("2026-01-12"), LocalDate.parse("2026-01-14")))
        .extracting(Ledger.Day::date)
        .containsExactly(
            LocalDate.parse("2026-01-12"),
            LocalDate.parse("2026-01-13"),
            LocalDate.parse("2026-01-14"));
    assertThat(dynamo.queries)
        .as("a page per item, then the page that names no LastEvaluatedKey")
        .hasSize(3)
        .allSatisfy(q -> assertThat(q.keyConditionExpression())
            .isEqualTo("pk = :pk AND sk BETWEEN :from AND :to"));
  }

  @Test
  void theArmedTimerRoundTripsAndANewerWriteWithoutOneClearsIt() {
    Instant armed = Instant.parse("2026-01-14T09:00:30Z");
    ControlState first = ControlState.INITIAL.withTimerAt(armed).withVersion(1);

    assertThat(control.save(first, 0)).isTrue();
    assertThat(control.load()).contains(first);
    assertThat(dynamo.items.get("controller|state").get("timerAt"))
        .isEqualTo(AttributeValue.fromS("2026-01-14T09:00:30Z"));

    ControlState cleared = first.withTimerAt(null).withVersion(2);
    assertThat(control.save(cleared, 1)).isTrue();
    assertThat(control.load().orElseThrow().timerAt()).isNull();
    assertThat(control.save(first.withVersion(2), 1)).as("a stale version").isFalse();
  }

  @Test
  void theLastCreateFailureRoundTripsAndASuccessfulTestInvocationClearsIt() {
    ControlState failed = ControlState.INITIAL
        .withFailures(
            1, Instant.parse("2026-01-14T09:05:00Z"), "endpoint failed: CapacityError: none left")
        .withVersion(1);

    assertThat(control.save(failed, 0)).isTrue();
    assertThat(control.load()).contains(failed);
    assertThat(control.load().orElseThrow().createFailure())
        .isEqualTo("endpoint failed: CapacityError: none left");

    ControlState served = failed.withFailures(0, null, "enabled mapping").withVersion(2);
    assertThat(served.createFailure()).isNull();
    assertThat(control.save(served, 1)).isTrue();
    assertThat(control.load().orElseThrow().createFailure()).isNull();
    assertThat(dynamo.items.get("controller|state")).doesNotContainKey("createFailure");
  }

  @Test
  void aStateWrittenBeforeTheTimerLoadsWithNoneArmed() {
    dynamo.putItem(r -> r.tableName("control")
        .item(Map.of(
            "pk", AttributeValue.fromS("controller"),
            "sk", AttributeValue.fromS("state"),
            "version", AttributeValue.fromN("7"))));

    assertThat(control.load().orElseThrow().timerAt()).isNull();
  }

  @Test
  void theStopHistoryAndStopAndWakeInProgressRoundTripInOrderAndAnOlderStateHasNone() {
    ControlState stopping = ControlState.INITIAL
        .withStop(130)
        .withStop(95)
        .withStop(1440)
        .withStopIssuedAt(Instant.parse("2026-01-14T09:00:00Z"))
        .withWakeIssuedAt(Instant.parse("2026-01-14T08:40:00Z"))
        .withVersion(1);

    assertThat(control.save(stopping, 0)).isTrue();
    assertThat(control.load()).contains(stopping);
    assertThat(dynamo.items.get("controller|state").get("stopSeconds"))
        .isEqualTo(AttributeValue.fromL(List.of(
            AttributeValue.fromN("130"),
            AttributeValue.fromN("95"),
            AttributeValue.fromN("1440"))));

    dynamo.putItem(r -> r.tableName("control")
        .item(Map.of(
            "pk", AttributeValue.fromS("controller"),
            "sk", AttributeValue.fromS("state"),
            "version", AttributeValue.fromN("7"))));
    ControlState older = control.load().orElseThrow();
    assertThat(older.stopSeconds()).isEmpty();
    assertThat(older.stopIssuedAt()).isNull();
    assertThat(older.wakeIssuedAt()).isNull();
  }

  @Test
  void whatTheLedgerCountedRoundTripsAndAStateWrittenBeforeItReadsAsItsFlagsMeant() {
    ControlState up = ControlState.INITIAL.withCounted(ControlState.Counted.UP).withVersion(1);
    ControlState down = up.withCounted(ControlState.Counted.DOWN).withVersion(2);

    assertThat(control.save(up, 0)).isTrue();
    assertThat(control.load()).contains(up);
    assertThat(dynamo.items.get("controller|state").get("counted"))
        .isEqualTo(AttributeValue.fromS("UP"));
    assertThat(control.save(down, 1)).isTrue();
    assertThat(control.load()).contains(down);

    assertThat(olderState(Map.of()))
        .as("nothing missing: the endpoint's start or stop was counted by the call that made it")
        .isEqualTo(ControlState.Counted.UNSEEN);
    assertThat(olderState(Map.of("startUncounted", AttributeValue.fromBool(true))))
        .as("a start a cut call may have made: an endpoint seen up has its start counted")
        .isEqualTo(ControlState.Counted.DOWN);
    assertThat(olderState(Map.of("stopUncounted", AttributeValue.fromBool(true))))
        .as("a stop a cut call may have made: an endpoint seen going has its stop counted")
        .isEqualTo(ControlState.Counted.UP);
  }

  /** What the ledger counted, read from a state item an earlier version wrote with {@code flags}. */
  private ControlState.Counted olderState(Map<String, AttributeValue> flags) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(flags);
    item.put("pk", AttributeValue.fromS("controller"));
    item.put("sk", AttributeValue.fromS("state"));
    item.put("version", AttributeValue.fromN("7"));
    dynamo.putItem(r -> r.tableName("control").item(item));
    return control.load().orElseThrow().counted();
  }

  @Test
  void aClaimThatCountsBilledTimeAcrossMidnightWritesTheStateAndEachDayInOneTransaction() {
    ControlState first = ControlState.INITIAL.withVersion(1);
    control.save(first, 0);
    List<Ledger.Day> billed = List.of(
        new Ledger.Day(LocalDate.parse("2026-01-14"), 600, 600, 0, 0),
        new Ledger.Day(LocalDate.parse("2026-01-15"), 600, 600, 0, 0));

    assertThat(control.save(first.withVersion(2), 1, billed)).isTrue();

    assertThat(dynamo.transactions)
        .singleElement()
        .satisfies(t -> assertThat(t.transactItems())
            .as("the state's Put and one Update per day")
            .hasSize(3));
    assertThat(dynamo.updates)
        .extracting(u -> u.key().get("sk").s())
        .containsExactly("2026-01-14", "2026-01-15");
  }

  @Test
  void aClaimThatCountsAStartWritesBothInOneTransactionOrNeither() {
    ControlState cut =
        ControlState.INITIAL.withCounted(ControlState.Counted.DOWN).withVersion(1);
    control.save(cut, 0);
    Ledger.Day start = new Ledger.Day(LocalDate.parse("2026-01-14"), 0, 0, 1, 0);

    assertThat(control.save(
            cut.withCounted(ControlState.Counted.UP).withVersion(2), 0, List.of(start)))
        .as("a run that read no state")
        .isFalse();
    assertThat(dynamo.updates).as("nothing counted").isEmpty();
    assertThat(control.load()).contains(cut);

    ControlState settled = cut.withCounted(ControlState.Counted.UP).withVersion(2);
    assertThat(control.save(settled, 1, List.of(start))).isTrue();

    assertThat(control.load()).contains(settled);
    assertThat(dynamo.transactions.getLast().clientRequestToken())
        .as("an SDK resend of it changes nothing")
        .isNotBlank();
    assertThat(dynamo.transactions.getLast().transactItems()).hasSize(2);
    assertThat(dynamo.updates).singleElement().satisfies(u -> {
      assertThat(u.key())
          .isEqualTo(Map.of(
              "pk", AttributeValue.fromS("ledger"), "sk", AttributeValue.fromS("2026-01-14")));
      assertThat(u.expressionAttributeValues()).containsEntry(":starts", AttributeValue.fromN("1"));
    });
  }

  @Test
  void theHostingRoundTripsAndAStateWrittenWithoutOneKeepsItsWakesForNoHosting() {
    ControlState learned = ControlState.INITIAL
        .forHosting(Hosting.SCALE_TO_ZERO)
        .withWake(95)
        .withWake(80)
        .withVersion(1);
    assertThat(control.save(learned, 0)).isTrue();
    assertThat(control.load()).contains(learned);
    assertThat(dynamo.items.get("controller|state").get("hosting"))
        .isEqualTo(AttributeValue.fromS("scale-to-zero"));

    dynamo.putItem(r -> r.tableName("control")
        .item(Map.of(
            "pk", AttributeValue.fromS("controller"),
            "sk", AttributeValue.fromS("state"),
            "version", AttributeValue.fromN("7"),
            "wakeToPollingSeconds", AttributeValue.fromL(List.of(AttributeValue.fromN("600"))))));
    ControlState older = control.load().orElseThrow();
    assertThat(older.hosting()).isNull();
    assertThat(older.wakeSeconds()).containsExactly(600L);
    assertThat(older.forHosting(Hosting.SCHEDULED).wakeSeconds())
        .as("measured with whichever hosting the stack had then")
        .isEmpty();
  }

  @Test
  void theArrivalRateRoundTripsAndAnOlderStateHasNone() {
    Backlog.Snapshot queue = new Backlog.Snapshot(300, 0, 0, 0);
    ControlState seen = ControlState.INITIAL
        .withArrivals(
            Mapping.TriggerState.DISABLED,
            Backlog.Snapshot.EMPTY,
            Instant.parse("2026-01-15T06:20:00Z"))
        .withArrivals(Mapping.TriggerState.DISABLED, queue, Instant.parse("2026-01-15T06:21:00Z"))
        .withVersion(1);
    assertThat(seen.arrivals().perSecond()).isEqualTo(5.0);

    assertThat(control.save(seen, 0)).isTrue();
    assertThat(control.load()).contains(seen);
    assertThat(dynamo.items.get("controller|state").get("arrivalsMessages"))
        .isEqualTo(AttributeValue.fromN("300"));

    dynamo.putItem(r -> r.tableName("control")
        .item(Map.of(
            "pk", AttributeValue.fromS("controller"),
            "sk", AttributeValue.fromS("state"),
            "version", AttributeValue.fromN("7"))));
    assertThat(control.load().orElseThrow().arrivals()).isEqualTo(Arrivals.NONE);
  }

  @Test
  void theLastRateRoundTripsWhileTheTriggerPollsAndAnOlderStateTakesTheRateItHad() {
    ControlState polling = ControlState.INITIAL
        .withArrivals(
            Mapping.TriggerState.DISABLED,
            Backlog.Snapshot.EMPTY,
            Instant.parse("2026-01-15T06:20:00Z"))
        .withArrivals(
            Mapping.TriggerState.DISABLED,
            new Backlog.Snapshot(300, 0, 0, 0),
            Instant.parse("2026-01-15T06:21:00Z"))
        .withArrivals(
            Mapping.TriggerState.ENABLED,
            Backlog.Snapshot.EMPTY,
            Instant.parse("2026-01-15T06:22:00Z"))
        .withVersion(1);
    assertThat(polling.arrivals().perSecond()).isZero();
    assertThat(polling.arrivals().lastPerSecond()).isEqualTo(5.0);

    assertThat(control.save(polling, 0)).isTrue();
    assertThat(control.load()).contains(polling);

    // Written before the last rate was kept: its rate was measured by the run that looked.
    Map<String, AttributeValue> older =
        new java.util.HashMap<>(dynamo.items.get("controller|state"));
    older.remove("arrivalsLastRateAt");
    older.remove("arrivalsLastPerSecond");
    older.put("arrivalsPerSecond", AttributeValue.fromN("0.5"));
    dynamo.putItem(r -> r.tableName("control").item(older));
    Arrivals read = control.load().orElseThrow().arrivals();
    assertThat(read.lastRateAt()).isEqualTo(Instant.parse("2026-01-15T06:22:00Z"));
    assertThat(read.lastPerSecond()).isEqualTo(0.5);
  }

  @Test
  void eachDrainRateRoundTripsWithItsInstancesAndAnOlderStatesRatesHaveNone() {
    ControlState measured = ControlStateBuilder.controlState()
        .drain(new DrainMeter(
            null, 0, List.of(new DrainMeter.Rate(4.5, 1), new DrainMeter.Rate(18.0, 4))))
        .build();
    assertThat(control.save(measured, 0)).isTrue();
    assertThat(control.load()).contains(measured);
    Map<String, AttributeValue> item = dynamo.items.get("controller|state");
    assertThat(item.get("drainPerSecond"))
        .as("the rates as before: a controller rolled back to the version before reads them")
        .isEqualTo(AttributeValue.fromL(
            List.of(AttributeValue.fromN("4.5"), AttributeValue.fromN("18.0"))));
    assertThat(item.get("drainInstances"))
        .isEqualTo(
            AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromN("4"))));

    dynamo.putItem(r -> r.tableName("control")
        .item(Map.of(
            "pk", AttributeValue.fromS("controller"),
            "sk", AttributeValue.fromS("state"),
            "version", AttributeValue.fromN("7"),
            "drainPerSecond", AttributeValue.fromL(List.of(AttributeValue.fromN("4.5"))))));
    assertThat(control.load().orElseThrow().drain().rates())
        .as("written before counts were: the reader's count")
        .containsExactly(new DrainMeter.Rate(4.5, 0));

    dynamo.putItem(r -> r.tableName("control")
        .item(Map.of(
            "pk", AttributeValue.fromS("controller"),
            "sk", AttributeValue.fromS("state"),
            "version", AttributeValue.fromN("8"),
            "drainPerSecond", AttributeValue.fromL(List.of(AttributeValue.fromN("4.5"))),
            "drainInstances",
                AttributeValue.fromL(
                    List.of(AttributeValue.fromN("1"), AttributeValue.fromN("4"))))));
    assertThatThrownBy(control::load)
        .isInstanceOf(DynamoControlTable.UnreadableItem.class)
        .hasMessageEndingWith("drainInstances has 2 counts for 1 drainPerSecond rate");
  }

  @Test
  void aRecordedDecisionKeepsItsNextRunAndWhatStartedTheRun() {
    Decision d = new Decision(
        Instant.parse("2026-01-14T09:00:30.120Z"),
        false,
        "manual stop until auto",
        Endpoint.Status.ABSENT,
        Mapping.TriggerState.DISABLING,
        Backlog.Snapshot.EMPTY,
        Decision.Action.WAIT,
        "mapping Disabling",
        "ok",
        false,
        Instant.parse("2026-01-14T09:01:00.120Z"));

    control.recordDecision(d, "timer for 2026-01-14T09:00:30Z");

    assertThat(dynamo.items.get("controller|decision").get("startedBy"))
        .isEqualTo(AttributeValue.fromS("timer for 2026-01-14T09:00:30Z"));
    assertThat(control.lastDecision()).contains(d);
    assertThat(control.lastRecorded())
        .contains(new RecordedDecision(d, "timer for 2026-01-14T09:00:30Z"));
  }

  @Test
  void aDecisionRecordedWithoutWhatStartedItReadsBackWithoutIt() {
    assertThat(control.lastRecorded()).as("before the first run").isEmpty();
    Decision d = new Decision(
        Instant.parse("2026-01-14T09:00:30Z"),
        false,
        "nothing waiting",
        Endpoint.Status.ABSENT,
        Mapping.TriggerState.DISABLED,
        Backlog.Snapshot.EMPTY,
        Decision.Action.NONE,
        "off",
        "ok",
        false,
        null);

    control.recordDecision(d, null);

    assertThat(control.lastRecorded()).contains(new RecordedDecision(d, null));
  }

  @Test
  void anItemEditedByHandSaysWhichItemDoesNotReadAndWhy() {
    dynamo.putItem(r -> r.tableName("control")
        .item(Map.of(
            "pk", AttributeValue.fromS("controller"),
            "sk", AttributeValue.fromS("state"),
            "version", AttributeValue.fromN("7"),
            "overrideMode", AttributeValue.fromS("STOP\u009b"))));
    dynamo.putItem(r -> r.tableName("control")
        .item(Map.of(
            "pk", AttributeValue.fromS("controller"),
            "sk", AttributeValue.fromS("decision"),
            "at", AttributeValue.fromS("yesterday"))));

    assertThatThrownBy(control::load)
        .isInstanceOf(DynamoControlTable.UnreadableItem.class)
        .hasMessageStartingWith(
            "the control table's controller/state item does not read as this version writes it: ")
        .hasMessageContaining("STOP\u009b");
    assertThatThrownBy(control::lastRecorded)
        .isInstanceOf(DynamoControlTable.UnreadableItem.class)
        .hasMessageStartingWith("the control table's controller/decision item does not read")
        .hasMessageContaining("yesterday");
  }
}
