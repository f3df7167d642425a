package offhours.cli;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import offhours.endpoint.ControllerOutlook;
import offhours.endpoint.Decision;
import offhours.endpoint.Endpoint;
import offhours.endpoint.RecordedDecision;
import offhours.units.Times;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;

/**
 * What {@code endpoint status} read ({@link EndpointStatusCommand}), shown as text ({@link #render}) or JSON
 * ({@link #toJson}): what the sources say; null where a source has nothing (absent endpoint, no controller state, no
 * decision yet, no control table).
 *
 * @param lastRun the controller's last decision and what started that run
 * @param outlook what the controller does next and why ({@link ControllerOutlook}, as GET /status says it)
 * @param unreadable why the controller's items could not be read as the controller writes them, else null
 * @param zone the stack's TimeZone, in which the controller's reasons name times: the text shows every other time
 *     in it too ({@link Times}), so one output never mixes "2026-11-25T22:00:00Z" with "23:00 Europe/Berlin"
 * @param handBacks whether uploads are handed back while the endpoint serves (the queue's delayed count)
 * @param uploads the working hours, the oldest waiting upload and when one made now would be classified
 */
record EndpointReport(
    String endpoint,
    DescribeEndpointResponse description,
    HostingStatus hosting,
    String mappingUuid,
    GetEventSourceMappingResponse mapping,
    Map<String, String> controller,
    RecordedDecision lastRun,
    ControllerOutlook outlook,
    String unreadable,
    ZoneId zone,
    HandBacks handBacks,
    UploadOutlook uploads) {

  /**
   * The text form; every value that comes from AWS or the control table is shown through {@link Terminal#printable}.
   */
  String render() {
    StringBuilder text =
        new StringBuilder("endpoint ").append(Terminal.printable(endpoint())).append(": ");
    DescribeEndpointResponse described = description();
    if (described == null) {
      text.append(hosting().absentEndpoint()).append('\n');
    } else {
      text.append(Terminal.printable(described.endpointStatusAsString()));
      if (described.lastModifiedTime() != null) {
        text.append(" since ").append(Times.at(described.lastModifiedTime(), zone()));
      }
      if (described.failureReason() != null) {
        text.append(" (").append(Terminal.printable(described.failureReason())).append(')');
      }
      text.append('\n');
    }
    text.append(hosting().render(described));
    text.append("classify mapping ").append(Terminal.printable(mappingUuid())).append(": ");
    GetEventSourceMappingResponse found = mapping();
    if (found == null) {
      text.append("not found\n");
    } else {
      text.append(Terminal.printable(found.state()))
          .append(
              switch (String.valueOf(found.state())) {
                case "Enabled" -> " (uploads are being classified)";
                case "Disabled" -> " (paused; uploads wait in the queue)";
                // Lambda's transitions take seconds: said, they read as no state to worry about.
                case "Enabling" -> " (turning on: uploads are classified once it is Enabled)";
                case "Disabling" ->
                  " (pausing: batches already taken finish, the rest wait in the queue)";
                default -> "";
              })
          .append('\n');
    }
    handBacks().line().ifPresent(l -> text.append(Terminal.printable(l)).append('\n'));
    if (lastRun() != null) {
      Decision d = lastRun().decision();
      text.append(Terminal.printable(Times.inText(
              "last decision: want " + (d.wantOn() ? "ON" : "OFF") + " (" + d.wantReason() + ") -> "
                  + d.action() + ": " + d.why() + " [" + d.outcome() + "]",
              zone())))
          .append('\n');
    }
    if (outlook() != null) {
      outlook().lines(zone()).forEach(l -> text.append(Terminal.printable(l)).append('\n'));
    }
    if (unreadable() != null) {
      text.append(Terminal.printable("next run: unknown: " + unreadable())).append('\n');
    }
    Map<String, String> controller = controller() == null ? null : new TreeMap<>(controller());
    // Whether the schedule was open at the controller's last run: said only where the working hours
    // themselves are not known here.
    String open = controller == null ? null : controller.remove("scheduleOpen");
    uploads()
        .lines(
            open == null
                ? null
                : Boolean.parseBoolean(open) ? "inside working hours" : "outside working hours")
        .forEach(l -> text.append(Terminal.printable(l)).append('\n'));
    if (controller == null) {
      text.append("controller: no state yet (it has not run)\n");
      return text.toString();
    }
    controller.remove("version"); // optimistic-locking counter, nothing for a reader
    String mode = controller.remove("overrideMode");
    String until = controller.remove("overrideUntil");
    text.append("manual override: ")
        .append(
            mode == null
                ? "none (following the schedule)"
                : Terminal.printable(mode
                    + (until == null
                        // Stored without an end only where the schedule never changes: nothing ends
                        // it but 'auto', which the operator has to know to type.
                        ? " until 'offhours endpoint auto' gives the endpoint back to the schedule"
                        : " until " + Times.inText(until, zone()))))
        .append('\n');
    List<String> pairs = controller.entrySet().stream()
        .map(e -> Terminal.printable(e.getKey() + "=" + Times.inText(e.getValue(), zone())))
        .toList();
    // The control item's other attributes as stored, for whoever debugs the controller: the lines
    // above say what they mean.
    text.append("controller state (raw attributes): ")
        .append(pairs.isEmpty() ? "-" : String.join(", ", pairs))
        .append('\n');
    return text.toString();
  }

  ObjectNode toJson() {
    ObjectNode json = Json.object().put("endpoint", endpoint());
    DescribeEndpointResponse described = description();
    json.put(
        "status",
        described == null ? Endpoint.State.ABSENT.shown() : described.endpointStatusAsString());
    json.put("failureReason", described == null ? null : described.failureReason());
    json.put(
        "creationTime",
        described == null || described.creationTime() == null
            ? null
            : described.creationTime().toString());
    json.put(
        "lastModifiedTime",
        described == null || described.lastModifiedTime() == null
            ? null
            : described.lastModifiedTime().toString());
    hosting().putJson(json);
    ObjectNode trigger = json.putObject("mapping").put("uuid", mappingUuid());
    trigger.put("state", mapping() == null ? "absent" : mapping().state());
    trigger.put(
        "stateTransitionReason", mapping() == null ? null : mapping().stateTransitionReason());
    handBacks().putJson(json);
    if (lastRun() == null) {
      json.putNull("lastDecision");
    } else {
      Map<String, Object> decision = new LinkedHashMap<>(lastRun().decision().toMap());
      decision.put("startedBy", lastRun().startedBy());
      json.set("lastDecision", Json.MAPPER.valueToTree(decision));
    }
    json.set(
        "outlook",
        outlook() == null
            ? NullNode.getInstance()
            : Json.MAPPER.valueToTree(outlook().toMap()));
    json.put("outlookError", unreadable());
    uploads().putJson(json);
    if (controller() == null) {
      json.putNull("controller");
    } else {
      ObjectNode controller = json.putObject("controller");
      controller().forEach(controller::put);
    }
    return json;
  }
}
