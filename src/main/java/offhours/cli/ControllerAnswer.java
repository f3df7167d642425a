package offhours.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import offhours.endpoint.Decision;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Mapping;
import offhours.units.Times;

/**
 * The controller's answer to {@code endpoint start|stop|auto} ({@code Decision#toMap} with the handler's
 * {@code startedBy} and {@code timer}) as a few lines an operator reads at a glance, in the words {@code endpoint
 * status} uses: what was asked and what the controller wants and why (a manual override's reason names its end), what
 * its run saw, the step it took and how that went, and when it runs next. Every time is in the stack's zone at the
 * minute, as {@code endpoint status} says it ({@link Times}); every line goes through {@link Terminal#printable}, for
 * every value in it comes from the controller. {@code --json} prints the answer itself.
 */
final class ControllerAnswer {

  private ControllerAnswer() {}

  /**
   * The lines for {@code json}, an answer with an {@code action}; {@code asked}: "start", "stop until 2026-12-04 18:00
   * Europe/Berlin".
   */
  static String text(String asked, JsonNode json, ZoneId zone) {
    List<String> lines = new ArrayList<>();
    String want = text(json, "want");
    lines.add("controller (" + asked + "): "
        + (want == null
            ? "no decision"
            : "wants the endpoint " + want + " (" + reason(text(json, "wantReason")) + ")"));
    String at = text(json, "at");
    String endpoint = text(json, "endpoint");
    if (endpoint != null) {
      lines.add("  " + (at == null ? "" : "at " + instant(at, zone) + " ") + "it saw: endpoint "
          + shownEndpoint(endpoint)
          + (json.path("foreignEndpoint").asBoolean(false) ? " (not this stack's)" : "")
          + (json.hasNonNull("endpointFailureReason")
              ? " (" + text(json, "endpointFailureReason") + ")"
              : "")
          + ", classify mapping " + shownMapping(text(json, "mapping")) + ", queue "
          + json.path("visible").asText("?") + " waiting, "
          + json.path("inFlight").asText("?")
          + " in flight, " + json.path("delayed").asText("?") + " delayed, dead-letter queue "
          + json.path("dlq").asText("?"));
    } else if (at != null) {
      lines.add("  at " + instant(at, zone));
    }
    String action = text(json, "action");
    String step = action + ": " + text(json, "why");
    lines.add("  step: " + step(action).map(words -> words + " (" + step + ")").orElse(step) + " ["
        + text(json, "outcome") + "]");
    String next = text(json, "nextRunAt");
    String timer = text(json, "timer");
    lines.add("  next run: "
        + (next == null
            ? "the next schedule tick or endpoint state change (this run asked for no earlier run)"
            : instant(next, zone) + timer(timer)));
    StringBuilder out = new StringBuilder();
    // An instant in a reason or a step's why (a deadline's) in the zone too, as endpoint status
    // shows its last decision.
    lines.forEach(l -> out.append(Terminal.printable(Times.inText(l, zone))).append('\n'));
    return out.toString();
  }

  /**
   * The want's reason as the controller gives it, but a manual override that only {@code endpoint auto} ends says so
   * in the command to type, as {@code endpoint status} says it.
   */
  private static String reason(String reason) {
    if (reason == null) {
      return "no reason given";
    }
    return reason.replaceFirst(
        "^(manual (?:start|stop)) until auto\\b",
        "$1 until 'offhours endpoint auto' gives the endpoint back to the schedule");
  }

  /**
   * " (timer armed)" for a timer armed for the next run, the timer's note where it says more (not armed, and why);
   * nothing without one.
   */
  private static String timer(String timer) {
    if (timer == null) {
      return "";
    }
    return timer.startsWith("timer armed for ") || timer.startsWith("timer already armed for ")
        ? " (timer armed)"
        : " (" + timer + ")";
  }

  /** What the step does, in words; empty for an action this version does not know. */
  private static Optional<String> step(String action) {
    Decision.Action known;
    try {
      known = Decision.Action.valueOf(String.valueOf(action));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(
        switch (known) {
          case NONE -> "none, nothing to do";
          case WAIT -> "none, waiting on what is under way";
          case CREATE_ENDPOINT -> "starting the endpoint";
          case DELETE_ENDPOINT -> "stopping the endpoint";
          case ENABLE_MAPPING -> "turning the Classify trigger on";
          case DISABLE_MAPPING -> "pausing the Classify trigger";
          case LOST_RACE -> "none, another run took it";
          case OUT_OF_TIME -> "none, the run was out of time";
        });
  }

  /** "InService", not the controller's IN_SERVICE; a state this version does not know as given. */
  private static String shownEndpoint(String state) {
    try {
      return Endpoint.State.valueOf(state).shown();
    } catch (IllegalArgumentException e) {
      return state;
    }
  }

  /** "Enabled", not the controller's ENABLED; a state this version does not know as given. */
  private static String shownMapping(String state) {
    try {
      return Mapping.TriggerState.valueOf(String.valueOf(state)).shown();
    } catch (IllegalArgumentException e) {
      return String.valueOf(state);
    }
  }

  /** An instant of the answer in {@code zone} at the minute; a value that is no instant as given. */
  private static String instant(String value, ZoneId zone) {
    try {
      return Times.at(Instant.parse(value), zone);
    } catch (DateTimeParseException e) {
      return value;
    }
  }

  /** The member's text; null when it is absent or null. */
  private static String text(JsonNode json, String name) {
    JsonNode value = json.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }
}
