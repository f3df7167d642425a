package offhours.cli;

import static offhours.endpoint.ControlStateBuilder.controlState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.cli.Target.Name;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControlState;
import offhours.endpoint.ControllerOutlook;
import offhours.endpoint.Decision;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Mapping;
import offhours.endpoint.RecordedDecision;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantServerlessConfig;

/** {@code endpoint status}'s text and JSON for each hosting, from SDK responses as SageMaker returns them. */
class EndpointStatusTest {

  private static final Instant SINCE = Instant.parse("2026-11-25T08:00:00Z");
  /** The stack's TimeZone: the text says every time in it. */
  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

  private static final String COMPONENT = "offhours-component-abc";

  private static DescribeEndpointResponse endpoint(String status) {
    return DescribeEndpointResponse.builder()
        .endpointName("offhours-endpoint")
        .endpointConfigName("offhours-config")
        .endpointStatus(status)
        .creationTime(SINCE)
        .lastModifiedTime(SINCE)
        .build();
  }

  private static DescribeInferenceComponentResponse component(
      String status, int current, int desired, String failure) {
    return DescribeInferenceComponentResponse.builder()
        .inferenceComponentName(COMPONENT)
        .inferenceComponentStatus(status)
        .runtimeConfig(r -> r.currentCopyCount(current).desiredCopyCount(desired))
        .failureReason(failure)
        .build();
  }

  private static EndpointReport report(DescribeEndpointResponse endpoint, HostingStatus hosting) {
    return new EndpointReport(
        "offhours-endpoint",
        endpoint,
        hosting,
        "uuid-1",
        GetEventSourceMappingResponse.builder().state("Disabled").build(),
        null,
        null,
        null,
        null,
        ZONE,
        new HandBacks(
            endpoint == null ? null : endpoint.endpointStatusAsString(), "Disabled", 0, false),
        noSettings());
  }

  /**
   * What a stack without the controller's settings gives (a deployed stack of an older template): no working hours,
   * no forecast, each saying why.
   */
  static UploadOutlook noSettings() {
    return UploadOutlook.of(
        TestTargets.deployed(Map.of(), Map.of()),
        SINCE,
        ZONE,
        Optional.empty(),
        Optional.empty(),
        null,
        new UploadOutlook.QueueCounts(Backlog.Snapshot.EMPTY, null));
  }

  private static Target target(Map<Name, String> names) {
    return TestTargets.deployed(names, Map.of());
  }

  @Test
  void scheduledShowsTheEndpointAsWhatIsSwitched() {
    String text = report(endpoint("InService"), HostingStatus.scheduled()).render();
    assertThat(text.lines().toList())
        .startsWith(
            "endpoint offhours-endpoint: InService since 2026-11-25 09:00 Europe/Berlin",
            "hosting: scheduled (the controller creates the endpoint and deletes it)",
            "classify mapping uuid-1: Disabled (paused; uploads wait in the queue)");
    JsonNode json = report(endpoint("InService"), HostingStatus.scheduled()).toJson();
    assertThat(json.get("hosting").asText()).isEqualTo("scheduled");
    assertThat(json.get("inferenceComponent").isNull()).isTrue();
    assertThat(json.get("serverless").isNull()).isTrue();
  }

  @Test
  void aTriggerBetweenStatesSaysWhatItIsDoing() {
    for (var state : Map.of(
            "Enabling", "turning on: uploads are classified once it is Enabled",
            "Disabling", "pausing: batches already taken finish, the rest wait in the queue")
        .entrySet()) {
      EndpointReport base = report(endpoint("InService"), HostingStatus.scheduled());
      EndpointReport moving = new EndpointReport(
          base.endpoint(),
          base.description(),
          base.hosting(),
          base.mappingUuid(),
          GetEventSourceMappingResponse.builder()
              .state(state.getKey())
              .stateTransitionReason("USER_INITIATED")
              .build(),
          base.controller(),
          base.lastRun(),
          base.outlook(),
          base.unreadable(),
          base.zone(),
          base.handBacks(),
          base.uploads());
      assertThat(moving.render().lines())
          .contains("classify mapping uuid-1: " + state.getKey() + " (" + state.getValue() + ")");
      JsonNode mapping = moving.toJson().get("mapping");
      assertThat(mapping.get("uuid").asText()).isEqualTo("uuid-1");
      assertThat(mapping.get("state").asText()).isEqualTo(state.getKey());
      assertThat(mapping.get("stateTransitionReason").asText()).isEqualTo("USER_INITIATED");
    }
  }

  @Test
  void scaleToZeroAsleepSaysNothingAnswersThoughTheEndpointIsInService() {
    EndpointReport asleep = report(
        endpoint("InService"),
        HostingStatus.scaleToZero(COMPONENT, component("InService", 0, 0, null)));
    assertThat(asleep.render().lines().toList())
        .startsWith(
            "endpoint offhours-endpoint: InService since 2026-11-25 09:00 Europe/Berlin",
            "hosting: scale-to-zero (the endpoint stays; the controller switches the inference component's copies)",
            "inference component offhours-component-abc: InService, 0 of 0 copies (0 copies: nothing answers;"
                + " uploads wait in the queue)");
    JsonNode c = asleep.toJson().get("inferenceComponent");
    assertThat(c.get("name").asText()).isEqualTo(COMPONENT);
    assertThat(c.get("status").asText()).isEqualTo("InService");
    assertThat(c.get("currentCopies").asInt()).isZero();
    assertThat(c.get("desiredCopies").asInt()).isZero();
    assertThat(c.get("failureReason").isNull()).isTrue();
    assertThat(c.get("meaning").asText())
        .isEqualTo("0 copies: nothing answers; uploads wait in the queue");
    assertThat(asleep.toJson().get("hosting").asText()).isEqualTo("scale-to-zero");
  }

  @Test
  void scaleToZeroWakingAndServingSayHowManyCopiesAnswer() {
    EndpointReport waking = report(
        endpoint("InService"),
        HostingStatus.scaleToZero(COMPONENT, component("Updating", 0, 2, null)));
    assertThat(waking.render())
        .contains(
            "inference component offhours-component-abc: Updating, 0 of 2 copies (scaling to 2 copies;"
                + " nothing answers yet)\n");
    EndpointReport serving = report(
        endpoint("InService"),
        HostingStatus.scaleToZero(COMPONENT, component("InService", 1, 1, null)));
    assertThat(serving.render())
        .contains(
            "inference component offhours-component-abc: InService, 1 of 1 copies (1 copy serving)\n");
    assertThat(serving.toJson().get("inferenceComponent").get("currentCopies").asInt())
        .isEqualTo(1);
    assertThat(HostingStatus.copiesMeaning(1, 3)).isEqualTo("scaling to 3 copies; 1 serving");
    assertThat(HostingStatus.copiesMeaning(2, 0))
        .isEqualTo("scaling in to 0 copies; 2 still serving");
  }

  @Test
  void scaleToZeroWithoutAComponentOrWithAFailedOneSaysSo() {
    assertThat(report(null, HostingStatus.scaleToZero(COMPONENT, null)).render())
        .startsWith(
            "endpoint offhours-endpoint: absent (the controller creates it at the first wake;"
                + " uploads wait in the queue)\n");
    EndpointReport none = report(endpoint("InService"), HostingStatus.scaleToZero(COMPONENT, null));
    assertThat(none.render())
        .contains(
            "inference component offhours-component-abc: absent (nothing answers; uploads wait in the queue"
                + " until the controller creates it)\n");
    assertThat(none.toJson().get("inferenceComponent").get("status").asText()).isEqualTo("absent");

    EndpointReport failed = report(
        endpoint("InService"),
        HostingStatus.scaleToZero(COMPONENT, component("Failed", 0, 1, "no \u001b[2Jcapacity")));
    assertThat(failed.render())
        .contains(
            "inference component offhours-component-abc: Failed, 0 of 1 copies (failed: nothing answers;"
                + " the controller replaces it): no \\x1b[2Jcapacity\n")
        .doesNotContain("\u001b");
    assertThat(failed.toJson().get("inferenceComponent").get("failureReason").asText())
        .isEqualTo("no \u001b[2Jcapacity");
  }

  @Test
  void serverlessShowsMemoryConcurrencyAndThatTheStackOwnsTheEndpoint() {
    ProductionVariantServerlessConfig config = ProductionVariantServerlessConfig.builder()
        .memorySizeInMB(2048)
        .maxConcurrency(10)
        .build();
    EndpointReport serving =
        report(endpoint("InService"), HostingStatus.serverless("offhours-config", config));
    assertThat(serving.render().lines().toList())
        .startsWith(
            "endpoint offhours-endpoint: InService since 2026-11-25 09:00 Europe/Berlin",
            "hosting: serverless (the stack owns the endpoint; the controller never creates nor deletes it)",
            "serverless config offhours-config: 2048 MB memory, max concurrency 10 (answers on demand: a cold"
                + " start after idle; beyond the concurrency SageMaker throttles and uploads are deferred)");
    JsonNode s = serving.toJson().get("serverless");
    assertThat(s.get("endpointConfig").asText()).isEqualTo("offhours-config");
    assertThat(s.get("memorySizeInMB").asInt()).isEqualTo(2048);
    assertThat(s.get("maxConcurrency").asInt()).isEqualTo(10);
    assertThat(s.get("ownedByStack").asBoolean()).isTrue();
    assertThat(serving.toJson().get("inferenceComponent").isNull()).isTrue();

    assertThat(report(endpoint("Creating"), HostingStatus.serverless("offhours-config", config))
            .render())
        .contains("max concurrency 10 (nothing answers while the endpoint is Creating)\n");
    assertThat(report(null, HostingStatus.serverless("offhours-config", config)).render())
        .startsWith(
            "endpoint offhours-endpoint: absent (the stack creates this endpoint, not the controller:"
                + " update or redeploy the stack; uploads wait in the queue meanwhile)\n")
        .contains(
            "(the endpoint is gone and the controller does not create it: update or re-create the stack)\n");
    EndpointReport noConfig =
        report(endpoint("InService"), HostingStatus.serverless("gone\u001b[2J", null));
    assertThat(noConfig.render())
        .contains("serverless config gone\\x1b[2J: no serverless variant found");
    assertThat(noConfig.toJson().get("serverless").get("memorySizeInMB").isNull())
        .isTrue();
  }

  @Test
  void aStackThatDoesNotRecordItsHostingFallsBackToTheEndpointAloneInOneLine() {
    // An older template's stack: offhours' own outputs, without HostingOption.
    HostingStatus unknown = HostingStatus.read(
        target(Map.of(Name.ENDPOINT, "e", Name.CONTROLLER_FUNCTION, "c")), null, null);
    assertThat(unknown.hosting()).isNull();
    String text = report(endpoint("InService"), unknown).render();
    assertThat(text.lines().filter(l -> l.startsWith("hosting: ")).toList())
        .containsExactly(
            "hosting: unknown (stack prod has no output HostingOption; update the stack with this"
                + " version's template.yaml); showing the endpoint alone");
    assertThat(text).doesNotContain("inference component", "serverless config");
    JsonNode json = report(endpoint("InService"), unknown).toJson();
    assertThat(json.get("hosting").isNull()).isTrue();
    assertThat(json.get("inferenceComponent").isNull()).isTrue();

    HostingStatus strange =
        HostingStatus.read(target(Map.of(Name.HOSTING, "on-\u001b[2Jdemand")), null, null);
    assertThat(report(null, strange).render())
        .contains(
            "hosting: unknown (stack prod says its hosting is 'on-\\x1b[2Jdemand', which this version of"
                + " offhours does not know); showing the endpoint alone\n");
  }

  @Test
  void theLastDecisionAndWhatTheControllerDoesNextAreShownAsGetStatusSaysThem() {
    Instant at = Instant.parse("2026-11-25T09:39:40Z");
    Decision stay = new Decision(
        at,
        true,
        "drained; staying on until 2026-11-25 10:42 Europe/Berlin",
        Endpoint.Status.of(Endpoint.State.IN_SERVICE, null, SINCE, null),
        Mapping.TriggerState.ENABLED,
        Backlog.Snapshot.EMPTY,
        Decision.Action.NONE,
        "serving \u001b[2J",
        "ok",
        false,
        at.plusSeconds(150));
    ControlState state = controlState()
        .version(4)
        .scheduleOpen(true)
        .lastRun(at, true)
        .wakeSeconds(List.of(300L, 95L))
        .timerAt(at.plusSeconds(150))
        .stopSeconds(List.of(240L))
        .build();
    RecordedDecision last = new RecordedDecision(stay, "timer for 2026-11-25T09:39:40Z");
    ControllerOutlook outlook =
        ControllerOutlook.of(Optional.of(stay), last.startedBy(), state, at.plusSeconds(20));
    EndpointReport report = new EndpointReport(
        "offhours-endpoint",
        endpoint("InService"),
        HostingStatus.scheduled(),
        "uuid-1",
        GetEventSourceMappingResponse.builder().state("Enabled").build(),
        Map.of("version", "4", "scheduleOpen", "true"),
        last,
        outlook,
        null,
        ZONE,
        new HandBacks("InService", "Enabled", 0, false),
        noSettings());

    assertThat(report.render().lines().toList())
        .containsSubsequence(
            "classify mapping uuid-1: Enabled (uploads are being classified)",
            "last decision: want ON (drained; staying on until 2026-11-25 10:42 Europe/Berlin) -> NONE:"
                + " serving \\x1b[2J [ok]",
            "next run: 2026-11-25 10:42 Europe/Berlin (asked by the last run: drained; staying on until"
                + " 2026-11-25 10:42 Europe/Berlin)",
            "last run: 2026-11-25 10:39 Europe/Berlin, started by timer for 2026-11-25 10:39 Europe/Berlin",
            "run timer: armed for 2026-11-25 10:42 Europe/Berlin",
            "expected wake: about 5 min, learned from 2 wakes",
            "expected stop: about 4 min, learned from 1 stop",
            "schedule: inside working hours at the controller's last run (the working hours are not"
                + " known here: stack prod has no parameter TimeZone, WorkingHours, Holidays (it was"
                + " deployed from an older template; update it with this version's template.yaml))",
            "manual override: none (following the schedule)");
    List<String> lines = report.render().lines().toList();
    assertThat(lines.get(3))
        .as(
            "README (Alarms): the endpoint, its hosting and the trigger first, then the last decision")
        .startsWith("last decision: ");
    assertThat(lines.get(lines.size() - 2))
        .as(
            "README (Alarms): the manual override near the end, after the schedule, before the raw state")
        .startsWith("manual override: ");
    assertThat(lines.getLast()).startsWith("controller state (raw attributes): ");
    JsonNode json = report.toJson();
    assertThat(json.get("lastDecision").get("action").asText()).isEqualTo("NONE");
    assertThat(json.get("lastDecision").get("startedBy").asText())
        .isEqualTo("timer for 2026-11-25T09:39:40Z");
    assertThat(json.get("lastDecision").get("nextRunAt").asText())
        .isEqualTo("2026-11-25T09:42:10Z");
    JsonNode next = json.get("outlook");
    assertThat(next.get("nextRunAt").asText()).isEqualTo("2026-11-25T09:42:10Z");
    assertThat(next.get("nextRun").asText()).startsWith("asked by the last run: drained;");
    assertThat(next.get("startedBy").asText()).isEqualTo("timer for 2026-11-25T09:39:40Z");
    assertThat(next.get("timerAt").asText()).isEqualTo("2026-11-25T09:42:10Z");
    assertThat(next.get("expectedWake").get("seconds").asLong()).isEqualTo(300);
    assertThat(next.get("expectedWake").get("wakes").asInt()).isEqualTo(2);
    assertThat(next.get("expectedWake").get("default").asBoolean()).isFalse();
    assertThat(next.get("expectedStop").get("seconds").asLong()).isEqualTo(240);
    assertThat(next.get("expectedStop").get("stops").asInt()).isEqualTo(1);
  }

  @Test
  void beforeTheFirstRunTheOutlookSaysSoAndWithoutAControlTableThereIsNone() {
    ControllerOutlook first =
        ControllerOutlook.of(Optional.empty(), null, ControlState.INITIAL, SINCE);
    EndpointReport none = new EndpointReport(
        "offhours-endpoint",
        null,
        HostingStatus.scheduled(),
        "uuid-1",
        null,
        null,
        null,
        first,
        null,
        ZONE,
        new HandBacks(null, null, 0, false),
        noSettings());

    assertThat(none.render().lines().toList())
        .containsSubsequence(
            "classify mapping uuid-1: not found",
            "next run: the first schedule tick (the controller has not run yet)",
            "run timer: not armed",
            "expected wake: 30 min, the default until a wake is measured",
            "expected stop: 2 min, the default until a stop is measured",
            "controller: no state yet (it has not run)")
        .noneMatch(l -> l.startsWith("last run") || l.startsWith("last decision"));
    JsonNode json = none.toJson();
    assertThat(json.get("mapping").get("state").asText()).isEqualTo("absent");
    assertThat(json.get("mapping").get("stateTransitionReason").isNull())
        .as("the key is there, null, when there is no mapping")
        .isTrue();
    assertThat(json.get("lastDecision").isNull()).isTrue();
    assertThat(json.get("outlook").get("nextRunAt").isNull()).isTrue();
    assertThat(json.get("outlook").get("timerAt").isNull()).isTrue();
    assertThat(json.get("outlook").get("expectedWake").get("default").asBoolean())
        .isTrue();

    JsonNode noTable = report(endpoint("InService"), HostingStatus.scheduled()).toJson();
    assertThat(noTable.get("outlook").isNull()).isTrue();
    assertThat(report(endpoint("InService"), HostingStatus.scheduled()).render())
        .doesNotContain("next run");
  }

  @Test
  void theControllersListsAndSetsReadAsValues() {
    assertThat(EndpointStatusCommand.text(
            AttributeValue.fromL(List.of(AttributeValue.fromN("120"), AttributeValue.fromN("95")))))
        .isEqualTo("[120, 95]");
    assertThat(EndpointStatusCommand.text(AttributeValue.fromL(List.of()))).isEqualTo("[]");
    assertThat(EndpointStatusCommand.text(AttributeValue.fromSs(List.of("a", "b"))))
        .isEqualTo("a, b");
  }

  @Test
  void theHostingAndTheComponentComeFromTheStacksOutputs() {
    Map<Name, String> names = Targets.namesFromOutputs(Map.of(
        "HostingOption", "scheduled", "InferenceComponentName", COMPONENT, "EndpointName", "e"));
    assertThat(names)
        .containsEntry(Name.HOSTING, "scheduled")
        .containsEntry(Name.INFERENCE_COMPONENT, COMPONENT);
    assertThat(HostingStatus.read(target(names), null, null).hosting())
        .isEqualTo(Hosting.SCHEDULED);
    assertThat(target(Map.of()).optionalName(Name.INFERENCE_COMPONENT)).isEmpty();
    assertThat(target(Map.of(Name.INFERENCE_COMPONENT, " ")).optionalName(Name.INFERENCE_COMPONENT))
        .as("a blank name counts as absent")
        .isEmpty();
  }

  /** A manual override without an end lasts until 'auto': the line names the command that ends it. */
  @Test
  void anOverrideWithoutAnEndNamesTheCommandThatEndsIt() {
    EndpointReport stopped = new EndpointReport(
        "offhours-endpoint",
        null,
        HostingStatus.scheduled(),
        "uuid-1",
        GetEventSourceMappingResponse.builder().state("Disabled").build(),
        Map.of("overrideMode", "STOP"),
        null,
        null,
        null,
        ZONE,
        new HandBacks(null, "Disabled", 0, false),
        noSettings());
    assertThat(stopped.render().lines())
        .contains(
            "manual override: STOP until 'offhours endpoint auto' gives the endpoint back to the schedule");
    EndpointReport until = new EndpointReport(
        "offhours-endpoint",
        null,
        HostingStatus.scheduled(),
        "uuid-1",
        GetEventSourceMappingResponse.builder().state("Disabled").build(),
        Map.of("overrideMode", "START", "overrideUntil", "2026-11-25T17:00:00Z"),
        null,
        null,
        null,
        ZONE,
        new HandBacks(null, "Disabled", 0, false),
        noSettings());
    assertThat(until.render().lines())
        .contains("manual override: START until 2026-11-25 18:00 Europe/Berlin");
  }
}
