package offhours.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import offhours.cli.Target.Name;
import offhours.stack.StackSpec;
import offhours.units.Times;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * {@code offhours endpoint start|stop|auto}: a manual override, asked of the controller function
 * (contracts: {@code {"action":"start","until":"ISO-8601"}}, {@code {"action":"stop"}}, {@code {"action":"auto"}}).
 * The controller does the work, so start and stop keep its guarantees (test invocation before consuming,
 * drain before deleting).
 */
final class EndpointControlCommand implements Command {

  private static final Option START_UNTIL =
      Option.value("until", "TIME", "keep it on until TIME, then follow the schedule again");
  private static final Option STOP_UNTIL =
      Option.value("until", "TIME", "keep it off until TIME, then follow the schedule again");

  private final String action;

  private EndpointControlCommand(String action) {
    this.action = action;
  }

  static List<Command> all() {
    return List.of(
        new EndpointControlCommand("start"),
        new EndpointControlCommand("stop"),
        new EndpointControlCommand("auto"));
  }

  @Override
  public String name() {
    return action;
  }

  @Override
  public String summary() {
    return switch (action) {
      case "start" -> "start the endpoint now, outside the schedule if need be";
      case "stop" ->
        "stop the endpoint now, inside working hours if need be (in-flight work finishes first)";
      default -> "drop a manual start or stop and follow the schedule again";
    };
  }

  @Override
  public List<Option> options() {
    return switch (action) {
      case "start" -> List.of(START_UNTIL, Option.JSON, Option.STACK);
      case "stop" -> List.of(STOP_UNTIL, Option.JSON, Option.STACK);
      default -> List.of(Option.JSON, Option.STACK);
    };
  }

  @Override
  public String description() {
    String takes = switch (action) {
      case "start" -> "Creating an endpoint takes minutes:";
      case "stop" -> "It pauses the Classify trigger, lets in-flight work finish, then stops:";
      default -> "The endpoint then starts or stops as the schedule and the queue want:";
    };
    String common = "Asks the controller function; it reports what it did. " + takes
        + "\nwatch it with 'offhours endpoint status'. With --json, prints the controller's answer as is.";
    return action.equals("auto")
        ? common
        : common + "\n\nTIME is one of:\n  " + String.join("\n  ", Until.EXAMPLES)
            + "\n\nThe stack's time zone is the one its schedule runs in and 'endpoint status' shows times in, whatever"
            + "\nthis shell's: a deployed stack's TimeZone parameter, the local stack's 'local start --time-zone' (else"
            + "\nthe zone 'local start' ran in). The answer's first line says the end in that zone."
            + (action.equals("start")
                ? "\n\nThe answer's last line (on stderr with --json) says how long the endpoint stays on and about"
                    + "\nwhat that costs at the stack's price (as 'cost' prices it). --until is at most "
                    + StartCost.length(StartCost.LONGEST)
                    + " away: a manual start is for a"
                    + "\nbatch or an evening; longer hours belong in the schedule (a deployed stack's WorkingHours)."
                    + "\nWithout --until a start lasts until the schedule next changes ('endpoint auto' where it"
                    + "\nnever does, as on the local stack)."
                : "\n\n--until is at most " + Until.LONGEST.toDays()
                    + " days away: a stop for longer belongs in the schedule.");
  }

  @Override
  public int run(Invocation call) {
    // Text no form reads, a past instant and an end over a year away are usage errors before the
    // stack is looked up; a local time's instant needs the stack's zone.
    Optional<Until> until = call.args()
        .value(START_UNTIL.name()) // "until", the same name for start and stop
        .map(Until::read);
    until.ifPresent(u -> u.check(call.context().clock().instant()));
    ObjectNode payload = Json.object().put("action", action);
    String asked = action;
    Optional<String> cost = Optional.empty();
    try (Target target = call.target()) {
      if (until.isPresent()) {
        ZoneId zone = target.zone(call.context().zone());
        Instant now = call.context().clock().instant();
        Instant at = until.get().at(now, zone);
        payload.put("until", at.toString());
        asked = action + " until " + Times.at(at, zone);
        if (action.equals("start")) {
          Duration on = Duration.between(now, at);
          CostSettings settings = CostSettings.of(call, target);
          if (on.compareTo(StartCost.LONGEST) > 0) {
            throw StartCost.refusal(until.get().text(), on, settings, target.local());
          }
          cost = Optional.of("on for " + StartCost.of(on, settings));
        }
      }
      String answer = ask(target, payload);
      if (call.json()) {
        call.out().println(answer.isBlank() ? "{}" : Json.line(parse(answer)));
        cost.ifPresent(call.err()::println);
      } else {
        call.out().print(render(asked, answer, target.zone(call.context().zone())));
        cost.ifPresent(call.out()::println);
      }
    }
    return 0;
  }

  /**
   * Invokes {@code target}'s controller function (its ControllerFunctionName) with {@code payload}; its answer. Each
   * failure it throws as a {@link CliException} is an answer of the stack: no such function (or alias), said as every
   * command says a resource of the stack that does not exist ({@link NotFound#FUNCTION}), or the controller failed.
   */
  static String ask(Target target, ObjectNode payload) {
    String function = target.name(Name.CONTROLLER_FUNCTION);
    try (LambdaClient lambda = target.lambda()) {
      // A deployed controller through its alias, as its schedule calls it: the published version
      // (SnapStart's unless the stack's SnapStart parameter is false), not $LATEST. The local
      // Lambda has no aliases.
      String qualifier = target.local() ? null : StackSpec.FUNCTION_ALIAS;
      // Through the alias, Lambda answers alike for a function that does not exist and for one
      // without the alias (a stack deployed before it, or an alias deleted): both are named.
      InvokeResponse response = target.on(
          Name.CONTROLLER_FUNCTION,
          NotFound.FUNCTION,
          qualifier == null ? "" : ", or its alias " + qualifier + ",",
          () -> lambda.invoke(r -> r.functionName(function)
              .qualifier(qualifier)
              .payload(SdkBytes.fromUtf8String(Json.line(payload)))));
      String answer = response.payload() == null ? "" : response.payload().asUtf8String();
      if (response.functionError() != null) {
        throw CliException.failure(
            "the controller failed (" + response.functionError() + "): " + errorMessage(answer));
      }
      return answer;
    }
  }

  /**
   * The controller's answer for an operator ({@link ControllerAnswer}); {@code asked} says what was asked: "start", or
   * "start until 2026-12-04 18:00 Europe/Berlin", in the stack's {@code zone} as {@code endpoint status} shows the
   * override, so a time of day read in another zone than meant shows at once. An answer that is no decision (no
   * {@code action}) as "key: value" lines, and one that is no JSON object as is, each through {@link
   * Terminal#printable}.
   */
  static String render(String asked, String answer, ZoneId zone) {
    JsonNode json = parse(answer);
    if (json != null && json.isObject() && json.hasNonNull("action")) {
      return ControllerAnswer.text(asked, json, zone);
    }
    StringBuilder text = new StringBuilder("controller (" + asked + "):\n");
    if (json == null || !json.isObject()) {
      return text.append("  ")
          .append(answer.isBlank() ? "(no answer)" : Terminal.printable(answer.strip()))
          .append('\n')
          .toString();
    }
    json.properties()
        .forEach(e -> text.append("  ")
            .append(Terminal.printable(e.getKey() + ": "
                + (e.getValue().isValueNode() ? e.getValue().asText() : Json.line(e.getValue()))))
            .append('\n'));
    return text.toString();
  }

  /** Lambda's error payload is {"errorMessage": ..., "errorType": ...}. */
  private static String errorMessage(String answer) {
    JsonNode json = parse(answer);
    return json != null && json.hasNonNull("errorMessage")
        ? json.get("errorMessage").asText()
        : answer;
  }

  private static JsonNode parse(String answer) {
    try {
      return answer.isBlank() ? null : Json.MAPPER.readTree(answer);
    } catch (IOException e) {
      return null;
    }
  }
}
