package offhours.endpoint;

import static offhours.endpoint.ItemAttributes.bool;
import static offhours.endpoint.ItemAttributes.instant;
import static offhours.endpoint.ItemAttributes.n;
import static offhours.endpoint.ItemAttributes.num;
import static offhours.endpoint.ItemAttributes.put;
import static offhours.endpoint.ItemAttributes.putText;
import static offhours.endpoint.ItemAttributes.s;
import static offhours.endpoint.ItemAttributes.str;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The control table's decision item (pk "controller", sk "decision"): what a run saw and decided, and what started
 * it, as {@link DynamoControlTable#recordDecision} writes it and {@link DynamoControlTable#lastRecorded} reads it.
 */
final class DecisionItem {
  private DecisionItem() {}

  static Map<String, AttributeValue> of(Decision d, String startedBy) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s("controller"));
    item.put("sk", s("decision"));
    item.put("at", s(d.at().toString()));
    item.put("atMillis", n(d.at().toEpochMilli()));
    item.put("wantOn", AttributeValue.fromBool(d.wantOn()));
    putText(item, "wantReason", d.wantReason());
    item.put("endpoint", s(d.endpoint().state().name()));
    putText(item, "endpointFailureReason", d.endpoint().failureReason());
    put(item, "endpointCreatedAt", d.endpoint().createdAt());
    put(item, "endpointModifiedAt", d.endpoint().modifiedAt());
    item.put("mapping", s(d.mapping().name()));
    item.put("visible", n(d.backlog().visible()));
    item.put("inFlight", n(d.backlog().inFlight()));
    item.put("delayed", n(d.backlog().delayed()));
    item.put("dead", n(d.backlog().dead()));
    item.put("action", s(d.action().name()));
    putText(item, "why", d.why());
    putText(item, "outcome", d.outcome());
    item.put("runningOutsideSchedule", AttributeValue.fromBool(d.runningOutsideSchedule()));
    put(item, "nextRunAt", d.nextRunAt());
    putText(item, "startedBy", startedBy);
    return item;
  }

  static RecordedDecision recorded(Map<String, AttributeValue> item) {
    return new RecordedDecision(decision(item), str(item, "startedBy"));
  }

  private static Decision decision(Map<String, AttributeValue> item) {
    return new Decision(
        instant(item, "at"),
        bool(item, "wantOn"),
        str(item, "wantReason"),
        Endpoint.Status.of(
            Endpoint.State.valueOf(str(item, "endpoint")),
            str(item, "endpointFailureReason"),
            instant(item, "endpointCreatedAt"),
            instant(item, "endpointModifiedAt")),
        Mapping.TriggerState.valueOf(str(item, "mapping")),
        new Backlog.Snapshot(
            num(item, "visible"), num(item, "inFlight"), num(item, "delayed"), num(item, "dead")),
        Decision.Action.valueOf(str(item, "action")),
        str(item, "why"),
        str(item, "outcome"),
        bool(item, "runningOutsideSchedule"),
        instant(item, "nextRunAt"));
  }
}
