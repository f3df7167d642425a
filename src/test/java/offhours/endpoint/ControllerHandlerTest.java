package offhours.endpoint;

import static offhours.testing.EventFixtures.fixture;
import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.testing.FakeDynamoDb;
import offhours.testing.LambdaContexts;
import org.junit.jupiter.api.Test;

class ControllerHandlerTest {
  private final Rig rig = new Rig();
  private final ControllerHandler handler = new ControllerHandler(
      rig.controller, Clock.fixed(Instant.parse("2026-01-14T20:00:00Z"), ZoneOffset.UTC));

  @Test
  void aSchedulerTickReconciles() {
    Map<String, Object> out = handler.handleRequest(fixture("scheduler-tick.json"), null);
    assertThat(out)
        .containsEntry("want", "OFF")
        .containsEntry("action", "NONE")
        .containsEntry("endpoint", "ABSENT");
  }

  @Test
  void anEndpointStateChangeEventReconciles() {
    rig.inService();
    assertThat(handler.handleRequest(fixture("sagemaker-endpoint-state-change.json"), null))
        .containsEntry("action", "DELETE_ENDPOINT")
        .containsEntry("runningOutsideSchedule", true)
        .containsEntry("startedBy", "endpoint state change");
  }

  @Test
  void aManualStartWithUntilRecordsTheOverrideAndStartsTheEndpoint() {
    Map<String, Object> out = handler.handleRequest(fixture("controller-start.json"), null);
    assertThat(out)
        .containsEntry("want", "ON")
        .containsEntry("action", "CREATE_ENDPOINT")
        .containsEntry("wantReason", "manual start until 2026-01-14 23:00 Europe/Berlin");
    assertThat(rig.state().override().until()).isEqualTo(Instant.parse("2026-01-14T22:00:00Z"));
  }

  @Test
  void aManualStopAndAutoAreRecorded() {
    assertThat(handler.handleRequest(fixture("controller-stop.json"), null))
        .containsEntry("want", "OFF")
        .containsEntry("startedBy", "manual stop");
    assertThat(rig.state().override().mode()).isEqualTo(ControlState.Override.Mode.STOP);
    assertThat(handler.handleRequest(fixture("controller-auto.json"), null))
        .containsEntry("startedBy", "manual auto");
    assertThat(rig.state().override()).isNull();
  }

  @Test
  void everyRunsDecisionIsRecordedForTheStatusPages() {
    java.util.List<Decision> recorded = new java.util.ArrayList<>();
    ControllerHandler recording = new ControllerHandler(
        rig.controller,
        Clock.fixed(Instant.parse("2026-01-14T20:00:00Z"), ZoneOffset.UTC),
        recorded::add);

    Map<String, Object> out = recording.handleRequest(fixture("scheduler-tick.json"), null);

    assertThat(recorded)
        .singleElement()
        .satisfies(d -> assertThat(out)
            .containsAllEntriesOf(d.toMap())
            .containsEntry("startedBy", "schedule tick")
            .containsEntry("timer", "no timer queue"));
  }

  /**
   * An InService endpoint whose probe keeps failing: the run's log line names what SageMaker said, as a part of its
   * own; the decision recorded in the control table (what endpoint status, the page and GET /status show) and the
   * function's answer keep offhours' words only.
   */
  @Test
  void aFailedProbesLogLineCarriesSageMakersOwnErrorAndWhatIsShownDoesNot() {
    rig.inService();
    String said = "InternalFailure (HTTP 500, request 7f3c): An exception occurred from internal"
        + " dependency of account 123456789012.";
    rig.probe =
        Endpoint.Probe.refused("SageMaker could not serve the request now (HTTP 500)", said);
    RecordedTick tick = recordedTick(rig);
    List<String> logged = tick.logged();
    Map<String, Object> out = tick.out();
    FakeDynamoDb dynamo = tick.dynamo();
    DynamoControlTable control = tick.control();

    assertThat(logged)
        .singleElement(as(STRING))
        .contains("[test invocation failed, mapping stays disabled, retry next run: SageMaker could"
            + " not serve the request now (HTTP 500)]")
        .endsWith("; no timer queue; " + ControllerHandler.SAGEMAKER_SAID + said);
    assertThat(out).containsEntry("action", "ENABLE_MAPPING");
    assertThat(List.of(
            out.toString(),
            dynamo.items.get("controller|decision").toString(),
            control.lastRecorded().orElseThrow().toString()))
        .as("the function's answer, the recorded decision and what the status pages read back")
        .allSatisfy(shown -> assertThat(shown)
            .contains("SageMaker could not serve the request now (HTTP 500)")
            .doesNotContain("123456789012", "InternalFailure", "7f3c"));
  }

  @Test
  void theLogLineNamesEachCallAwsFailedTheStepsFirstThenTheTimers() {
    Decision d = new Decision(
        rig.now,
        false,
        "closed",
        null,
        null,
        null,
        Decision.Action.NONE,
        "nothing",
        "ok",
        false,
        null,
        "AWS's answer to the control state's write: A");

    assertThat(ControllerHandler.logLine(
            "scheduler tick",
            d,
            "timer not armed",
            List.of("AWS's answer to SendMessage to the timer queue: B")))
        .endsWith("; timer not armed; AWS's answer to the control state's write: A; AWS's answer"
            + " to SendMessage to the timer queue: B");
  }

  @Test
  void aDecisionThatCannotBeRecordedDoesNotFailTheRun() {
    ControllerHandler failing = new ControllerHandler(
        rig.controller, Clock.fixed(Instant.parse("2026-01-14T20:00:00Z"), ZoneOffset.UTC), d -> {
          throw new IllegalStateException("DynamoDB throttled");
        });

    assertThat(failing.handleRequest(fixture("scheduler-tick.json"), null))
        .containsEntry("action", "NONE");
  }

  @Test
  void anUnknownActionOrABadUntilIsRejectedWithTheChoices() {
    assertThatThrownBy(() -> handler.handleRequest(Map.of("action", "restart"), null))
        .hasMessage("action 'restart' is not one of start, stop, auto");
    assertThatThrownBy(
            () -> handler.handleRequest(Map.of("action", "start", "until", "tomorrow"), null))
        .hasMessage(
            "until 'tomorrow' is not an ISO-8601 date-time with an offset, like 2026-11-25T18:00:00Z or "
                + "2026-11-25T19:00:00+01:00");
  }

  @Test
  void aRefusedActionOrUntilIsQuotedEscapedAndCut() {
    // Anyone who may invoke the controller writes the event: its values reach the error as offhours
    // shows any value.
    String long5000 = "x".repeat(5000);
    assertThatThrownBy(() -> handler.handleRequest(Map.of("action", long5000), null))
        .hasMessage(
            "action '" + "x".repeat(60) + "... (5000 characters)' is not one of start, stop, auto");
    assertThatThrownBy(
            () -> handler.handleRequest(Map.of("action", "re\nstart\u001b[2J\u0000"), null))
        .hasMessage("action 're\\x0astart\\x1b[2J\\x00' is not one of start, stop, auto");
    assertThatThrownBy(
            () -> handler.handleRequest(Map.of("action", "stop", "until", long5000), null))
        .hasMessageStartingWith(
            "until '" + "x".repeat(60) + "... (5000 characters)' is not an ISO-8601")
        .message()
        .hasSizeLessThan(300);
    assertThatThrownBy(() -> handler.handleRequest(
            Map.of("action", "start", "until", "2026-11-25\n\u001b]0;owned\u0007"), null))
        .hasMessageStartingWith(
            "until '2026-11-25\\x0a\\x1b]0;owned\\x07' is not an ISO-8601 date-time with an offset");
  }

  @Test
  void aTimerMessageRunsNowAndSaysWhichInstantItWasArmedFor() {
    java.util.List<String> startedBy = new java.util.ArrayList<>();
    ControllerHandler timed = new ControllerHandler(
        rig.controller,
        Clock.fixed(Instant.parse("2026-01-14T20:00:00.350Z"), ZoneOffset.UTC),
        (d, by) -> startedBy.add(by),
        null);

    Map<String, Object> out = timed.handleRequest(fixture("sqs-controller-timer.json"), null);

    assertThat(out)
        .containsEntry("action", "NONE")
        .containsEntry("startedBy", "timer for 2026-01-14T20:00:00Z")
        .containsEntry("timer", "no timer queue");
    assertThat(startedBy).containsExactly("timer for 2026-01-14T20:00:00Z");
  }

  @Test
  void aTimerMessageWithABodyThatIsNotOursStillRunsAndSaysWhatWasWrong() {
    Map<String, Object> event = fixture("sqs-controller-timer.json");
    @SuppressWarnings("unchecked")
    Map<String, Object> record =
        (Map<String, Object>) ((java.util.List<?>) event.get("Records")).getFirst();
    record.put("body", "{\"runAt\":\"tomorrow\u0007\"}");

    assertThat(handler.handleRequest(event, null))
        .containsEntry("action", "NONE")
        .containsEntry(
            "startedBy",
            "timer for an unreadable message (body '{\"runAt\":\"tomorrow\\x07\"}' is not"
                + " {\"runAt\":\"ISO-8601 instant\"}; running anyway)");
  }

  @Test
  void aTimerBodyThatIsNotOursIsQuotedAsEveryValueIs() {
    Map<String, Object> event = fixture("sqs-controller-timer.json");
    @SuppressWarnings("unchecked")
    Map<String, Object> record =
        (Map<String, Object>) ((java.util.List<?>) event.get("Records")).getFirst();
    // Before: cut at 80 with "...", ISO controls as '?', and U+202E (which reverses the text after
    // it) kept.
    record.put("body", "\u202e" + "y".repeat(4999));
    assertThat(handler.handleRequest(event, null))
        .containsEntry(
            "startedBy",
            "timer for an unreadable message (body '\\u202e" + "y".repeat(59)
                + "... (5000 characters)' is not {\"runAt\":\"ISO-8601 instant\"}; running anyway)");
    record.put("body", "{\n\u001b[2J\u0000");
    assertThat(handler.handleRequest(event, null))
        .containsEntry(
            "startedBy",
            "timer for an unreadable message (body '{\\x0a\\x1b[2J\\x00' is not"
                + " {\"runAt\":\"ISO-8601 instant\"}; running anyway)");
  }

  @Test
  void aRunWhoseDecisionWantsASoonerRunArmsTheTimerOnce() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    java.util.List<String> sent = new java.util.ArrayList<>();
    Clock clock = Clock.fixed(Instant.parse("2026-01-14T20:00:00Z"), ZoneOffset.UTC);
    ControllerHandler timed = new ControllerHandler(
        rig.controller,
        clock,
        (d, by) -> {},
        new TimerArming(rig.table, (runAt, delay) -> sent.add(runAt + " +" + delay)));

    Map<String, Object> stop = timed.handleRequest(fixture("controller-stop.json"), null);
    Map<String, Object> tick = timed.handleRequest(fixture("scheduler-tick.json"), null);

    assertThat(stop)
        .containsEntry("action", "DISABLE_MAPPING")
        .containsEntry("nextRunAt", "2026-01-14T20:00:10Z")
        .containsEntry("timer", "timer armed for 2026-01-14T20:00:10Z (DelaySeconds 10)");
    assertThat(tick).containsEntry("startedBy", "schedule tick");
    assertThat(sent).containsExactly("2026-01-14T20:00:10Z +10");
    assertThat(rig.state().timerAt()).isEqualTo(Instant.parse("2026-01-14T20:00:10Z"));
  }

  /** What one scheduler tick through a handler that records its decision in a control table left behind. */
  record RecordedTick(
      Map<String, Object> out,
      List<String> logged,
      FakeDynamoDb dynamo,
      DynamoControlTable control) {}

  /**
   * Runs one scheduler tick of {@code rig}'s controller through a handler that records its decision in a control table
   * over a fake DynamoDB, as the deployed function does, and keeps its log lines.
   */
  static RecordedTick recordedTick(Rig rig) {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    DynamoControlTable control = new DynamoControlTable(dynamo, "control");
    List<String> logged = new ArrayList<>();
    ControllerHandler recording = new ControllerHandler(
        rig.controller, Clock.fixed(rig.now, ZoneOffset.UTC), control::recordDecision, null);
    Map<String, Object> out = recording.handleRequest(
        fixture("scheduler-tick.json"), LambdaContexts.loggingTo(logged, 60_000));
    return new RecordedTick(out, logged, dynamo, control);
  }
}
