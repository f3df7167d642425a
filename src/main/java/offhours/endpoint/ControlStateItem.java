package offhours.endpoint;

import static offhours.endpoint.ItemAttributes.bool;
import static offhours.endpoint.ItemAttributes.instant;
import static offhours.endpoint.ItemAttributes.n;
import static offhours.endpoint.ItemAttributes.put;
import static offhours.endpoint.ItemAttributes.s;
import static offhours.endpoint.ItemAttributes.str;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.aws.DynamoNumbers;
import offhours.stack.Hosting;
import offhours.units.Plurals;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The controller's state as the control table's item (pk "controller", sk "state") holds it, both ways: what a state
 * written by an earlier version lacks reads as that version meant it ({@link DynamoControlTable}).
 */
final class ControlStateItem {

  private ControlStateItem() {}

  /** The state {@code item} holds. */
  static ControlState read(Map<String, AttributeValue> item) {
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
        str(item, "createFailure"),
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
        counted(item));
  }

  /** The state item of {@code next}. */
  static Map<String, AttributeValue> of(ControlState next) {
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
    if (next.createFailure() != null) {
      item.put("createFailure", s(next.createFailure()));
    }
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
    put(item, "arrivalsLastRateAt", next.arrivals().lastRateAt());
    item.put(
        "arrivalsLastPerSecond",
        DynamoNumbers.of(next.arrivals().lastPerSecond(), "the last arrival rate"));
    if (next.counted() != ControlState.Counted.UNSEEN) {
      item.put(COUNTED, s(next.counted().name()));
    }
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
    return item;
  }

  private static final String COUNTED = "counted";

  /**
   * What the ledger has counted of the endpoint's life. Absent in an item written before it was recorded, whose
   * controller counted a start or a stop with the call that made it, and flagged one whose call its deadline cut:
   * "startUncounted" (the endpoint, if up, has no start in the ledger) or "stopUncounted" (if going, no stop), read so
   * that the first claim counts what that flag left; without a flag, nothing is missing and the first claim counts
   * nothing ({@link ControlState.Counted#UNSEEN}).
   */
  private static ControlState.Counted counted(Map<String, AttributeValue> item) {
    String value = str(item, COUNTED);
    if (value != null) {
      return ControlState.Counted.valueOf(value);
    }
    if (bool(item, "startUncounted")) {
      return ControlState.Counted.DOWN;
    }
    return bool(item, "stopUncounted") ? ControlState.Counted.UP : ControlState.Counted.UNSEEN;
  }

  /**
   * Absent in items written before the arrival rate: none seen yet; before the last rate was kept: the rate of the
   * last run that looked.
   */
  private static Arrivals arrivals(Map<String, AttributeValue> item) {
    Arrivals seen = new Arrivals(
        instant(item, "arrivalsSeenAt"),
        item.containsKey("arrivalsMessages")
            ? Long.parseLong(item.get("arrivalsMessages").n())
            : 0,
        item.containsKey("arrivalsPerSecond")
            ? Double.parseDouble(item.get("arrivalsPerSecond").n())
            : 0);
    if (!item.containsKey("arrivalsLastPerSecond")) {
      return seen;
    }
    return new Arrivals(
        seen.seenAt(),
        seen.messages(),
        seen.perSecond(),
        instant(item, "arrivalsLastRateAt"),
        Double.parseDouble(item.get("arrivalsLastPerSecond").n()));
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
      throw new IllegalArgumentException(
          DRAIN_INSTANCES + " has " + Plurals.of(instances.size(), "count") + " for "
              + Plurals.of(perSecond.size(), "drainPerSecond rate"));
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
}
