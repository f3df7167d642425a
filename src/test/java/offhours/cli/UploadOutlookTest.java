package offhours.cli;

import static offhours.endpoint.ControlStateBuilder.controlState;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import offhours.api.ApiConfig;
import offhours.api.Forecast;
import offhours.api.StackObserver;
import offhours.api.StatusView;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControlState;
import offhours.endpoint.Decision;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Ledger;
import offhours.endpoint.Mapping;
import offhours.endpoint.RecordedDecision;
import offhours.endpoint.ServerlessUsage;
import offhours.local.StateFile;
import offhours.stack.FunctionVariables;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * {@code endpoint status}'s working hours, oldest waiting upload and forecast for an upload made now, with a fixed
 * clock: the forecast is the API's own, from the stack's settings as the command line has them, and a setting it
 * lacks is named, never guessed.
 */
class UploadOutlookTest {

  private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  /** A Wednesday, 22:00 in Berlin: outside the working hours. */
  private static final Instant NOW = Instant.parse("2026-11-25T21:00:00Z");

  private static final Instant LAST_RUN = Instant.parse("2026-11-25T20:59:30Z");
  private static final Instant QUEUE_EMPTY = Instant.parse("2026-11-25T20:40:00Z");

  /** A deployed stack's parameters, as DescribeStacks returns them (this version's template). */
  private static final Map<String, String> PARAMETERS = DeployedParameters.PROD;

  private static final Backlog.Snapshot THREE_WAITING = new Backlog.Snapshot(3, 0, 0, 0);

  private static final ControlState STATE =
      controlState().lastRun(LAST_RUN, false).backlogSince(QUEUE_EMPTY).build();

  private static final RecordedDecision OFF = new RecordedDecision(
      new Decision(
          LAST_RUN,
          false,
          "outside working hours",
          Endpoint.Status.ABSENT,
          Mapping.TriggerState.DISABLED,
          THREE_WAITING,
          Decision.Action.NONE,
          "off",
          "ok",
          false,
          null),
      "schedule tick");

  private static UploadOutlook outlook(
      Target target, Optional<ControlState> state, UploadOutlook.QueueCounts queue) {
    return UploadOutlook.of(target, NOW, ZONE, Optional.of(OFF), state, null, queue);
  }

  private static UploadOutlook.QueueCounts counts(Backlog.Snapshot snapshot) {
    return new UploadOutlook.QueueCounts(snapshot, null);
  }

  private static JsonNode json(UploadOutlook outlook) {
    ObjectNode json = Json.object();
    outlook.putJson(json);
    return json;
  }

  @Test
  void aDeployedStackGetsTheApisForecastTheWorkingHoursAndTheOldestWait() {
    UploadOutlook seen = outlook(
        TestTargets.deployed(Map.of(), PARAMETERS), Optional.of(STATE), counts(THREE_WAITING));

    // The API's own forecast, from the settings the template gives its function, of the same sight.
    Map<String, String> apiEnv = new HashMap<>();
    Targets.settingsFromParameters(PARAMETERS).forEach(apiEnv::put);
    apiEnv.putAll(Map.of(
        "ENDPOINT_NAME",
        "e",
        "ENDPOINT_CONFIG_NAME",
        "c",
        "STACK_ID",
        "s",
        "MAPPING_UUID",
        "m",
        "QUEUE_URL",
        "q",
        "CONTROL_TABLE_NAME",
        "t",
        "BUCKET_NAME",
        "b",
        "RESULTS_TABLE_NAME",
        "r",
        "CONTROLLER_INTERVAL_SECONDS",
        FunctionVariables.API_ENV.get("CONTROLLER_INTERVAL_SECONDS")));
    Forecast api = Forecast.of(
        ApiConfig.fromEnv(apiEnv),
        new StackObserver.Observed(
            NOW,
            Optional.of(OFF.decision()),
            STATE,
            THREE_WAITING,
            new Ledger.Day(NOW.atZone(ZONE).toLocalDate(), 0, 0, 0, 0),
            ZONE,
            OFF.startedBy(),
            ServerlessUsage.NONE,
            Optional.empty()));
    assertThat(seen.forecast()).isEqualTo(api);
    assertThat(api.startsAt()).isAfter(NOW);

    assertThat(seen.lines(null))
        .containsExactly(
            "schedule: Mon-Fri 08:00-19:00 Europe/Berlin: outside working hours until 2026-11-26"
                + " 08:00 Europe/Berlin",
            "oldest waiting upload: at most 20 min at the controller's run at 2026-11-25 21:59"
                + " Europe/Berlin (it arrived after 2026-11-25 21:40 Europe/Berlin, the last run"
                + " that saw the queue empty)",
            "an upload made now: the endpoint starts by "
                + offhours.units.Times.at(api.startsAt(), ZONE)
                + ", its result is expected by "
                + offhours.units.Times.at(api.expectedAt(), ZONE)
                + " ("
                + api.reason()
                + ")");
    assertThat(api.reason()).contains("2026-11-26 09:00 Europe/Berlin");

    JsonNode json = json(seen);
    assertThat(json.get("schedule").get("workingHours").asText())
        .isEqualTo("Mon-Fri 08:00-19:00 Europe/Berlin");
    assertThat(json.get("schedule").get("open").asBoolean()).isFalse();
    assertThat(json.get("schedule").get("nextChange").asText()).isEqualTo("2026-11-26T07:00:00Z");
    assertThat(json.get("nextUpload").get("startsAt").asText())
        .isEqualTo(api.startsAt().toString());
    assertThat(json.get("nextUpload").get("expectedAt").asText())
        .isEqualTo(api.expectedAt().toString());
    assertThat(json.get("nextUpload").get("reason").asText()).isEqualTo(api.reason());
    assertThat(json.has("nextUploadNote")).isFalse();
    JsonNode oldest = json.get("oldestWaiting");
    assertThat(oldest.get("waiting").asBoolean()).isTrue();
    assertThat(oldest.get("queueEmptyAt").asText()).isEqualTo("2026-11-25T20:40:00Z");
    assertThat(oldest.get("atMostSeconds").asLong()).isEqualTo(19 * 60 + 30);
    assertThat(oldest.get("asOf").asText()).isEqualTo("2026-11-25T20:59:30Z");
  }

  @Test
  void aStopUntilAutoIsNothingThatWillStartTheEndpoint() {
    ControlState stopped = controlState()
        .lastRun(LAST_RUN, false)
        .override(new ControlState.Override(ControlState.Override.Mode.STOP, null))
        .build();

    UploadOutlook seen = outlook(
        TestTargets.deployed(Map.of(), PARAMETERS),
        Optional.of(stopped),
        counts(Backlog.Snapshot.EMPTY));

    assertThat(seen.lines(null))
        .endsWith(
            "oldest waiting upload: none at the controller's run at 2026-11-25 21:59 Europe/Berlin"
                + " (nothing visible or deferred in the queue)",
            "an upload made now: nothing will start the endpoint (the endpoint was stopped by hand"
                + " until 'offhours endpoint auto', which gives it back to the schedule and the"
                + " wake-up thresholds; start it with 'offhours endpoint start')");
    JsonNode json = json(seen);
    assertThat(json.get("nextUpload").get("startsAt").isNull()).isTrue();
    assertThat(json.get("nextUpload").get("expectedAt").isNull()).isTrue();
    assertThat(json.get("oldestWaiting").get("waiting").asBoolean()).isFalse();
    assertThat(json.get("oldestWaiting").get("atMostSeconds").isNull()).isTrue();
  }

  @Test
  void aStackOfAnOlderTemplateNamesTheParametersItLacksAndGuessesNoForecast() {
    Map<String, String> older = new HashMap<>(PARAMETERS);
    older.remove("WakeBacklogMessages");
    older.remove("BatchingWindowSeconds");

    UploadOutlook seen =
        outlook(TestTargets.deployed(Map.of(), older), Optional.of(STATE), counts(THREE_WAITING));

    assertThat(seen.forecast()).isNull();
    assertThat(seen.schedule()).as("the working hours need none of them").isNotNull();
    assertThat(seen.lines(null))
        .last()
        .isEqualTo("an upload made now: unknown: stack prod has no parameter WakeBacklogMessages,"
            + " BatchingWindowSeconds (it was deployed from an older template; update it with this"
            + " version's template.yaml)");
    JsonNode json = json(seen);
    assertThat(json.get("nextUpload").isNull()).isTrue();
    assertThat(json.get("nextUploadNote").asText()).startsWith("stack prod has no parameter ");
  }

  @Test
  void aLocalStackStartedByAnOlderVersionSaysWhatItsStateFileLacks() {
    Map<String, String> settings = new LinkedHashMap<>();
    Targets.settingsFromParameters(PARAMETERS).forEach(settings::put);
    settings.remove("WAKE_BACKLOG_AGE_MINUTES");
    StateFile older =
        new StateFile(null, null, null, null, null, null, null, null, settings, null, null, null);

    UploadOutlook seen =
        outlook(TestTargets.local(Map.of(), older), Optional.of(STATE), counts(THREE_WAITING));

    assertThat(seen.lines(null))
        .last()
        .isEqualTo("an upload made now: unknown: the local stack's state file does not record"
            + " WAKE_BACKLOG_AGE_MINUTES, CONTROLLER_INTERVAL_SECONDS (it was started by an older"
            + " version; restart it with this one: 'scripts/offhours local stop', then 'local"
            + " start')");

    settings.put("WAKE_BACKLOG_AGE_MINUTES", "0");
    settings.put("CONTROLLER_INTERVAL_SECONDS", "2");
    StateFile current =
        new StateFile(null, null, null, null, null, null, null, null, settings, null, null, null);
    assertThat(
            outlook(TestTargets.local(Map.of(), current), Optional.of(STATE), counts(THREE_WAITING))
                .forecast())
        .isNotNull();
  }

  @Test
  void withoutSettingsTheScheduleIsTheControllersLastSighting() {
    UploadOutlook seen = EndpointStatusTest.noSettings();

    assertThat(seen.lines("outside working hours").getFirst())
        .isEqualTo("schedule: outside working hours at the controller's last run (the working hours"
            + " are not known here: stack prod has no parameter TimeZone, WorkingHours, Holidays (it"
            + " was deployed from an older template; update it with this version's"
            + " template.yaml))");
    assertThat(seen.lines(null).getFirst())
        .startsWith("schedule: unknown: stack prod has no parameter TimeZone,");
    JsonNode json = json(seen);
    assertThat(json.get("schedule").isNull()).isTrue();
    assertThat(json.get("scheduleNote").asText()).startsWith("stack prod has no parameter");
    assertThat(json.get("oldestWaiting").isNull())
        .as("before the controller's first run")
        .isTrue();
  }

  @Test
  void aRefusedQueueReadLeavesTheForecastUnknownAndSaysWhy() {
    SqsException refused = (SqsException) SqsException.builder()
        .statusCode(403)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("AccessDenied")
            .errorMessage("not authorized to perform: sqs:GetQueueAttributes")
            .build())
        .build();

    UploadOutlook seen = outlook(
        TestTargets.deployed(Map.of(), PARAMETERS),
        Optional.of(STATE),
        new UploadOutlook.QueueCounts(null, refused));

    assertThat(seen.lines(null))
        .last()
        .isEqualTo("an upload made now: unknown: reading the queue's counts needs"
            + " sqs:GetQueueAttributes: AccessDenied: not authorized to perform:"
            + " sqs:GetQueueAttributes");
  }

  /**
   * A queue that does not exist is named, with the output it came from, as every command names it; a stack that names
   * none says so, where both said "the stack's queue does not exist".
   */
  @Test
  void aQueueThatDoesNotExistIsNamedOnTheForecastsLine() {
    String url = "https://sqs.us-east-1.amazonaws.com/123456789012/offhours-queue";
    SqsClient gone = new SqsClient() {
      @Override
      public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
        throw SqsException.builder()
            .awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("AWS.SimpleQueueService.NonExistentQueue")
                .build())
            .build();
      }

      @Override
      public String serviceName() {
        return "sqs";
      }

      @Override
      public void close() {}
    };
    Target named = TestTargets.deployed(Map.of(Target.Name.QUEUE_URL, url), PARAMETERS);
    Target none = TestTargets.deployed(Map.of(), PARAMETERS);

    assertThat(outlook(named, Optional.of(STATE), UploadOutlook.QueueCounts.read(gone, named))
            .lines(null))
        .last()
        .isEqualTo("an upload made now: unknown: queue " + url
            + " (QueueUrl of stack prod) does not exist");
    assertThat(outlook(none, Optional.of(STATE), UploadOutlook.QueueCounts.read(gone, none))
            .lines(null))
        .last()
        .isEqualTo("an upload made now: unknown: stack prod names no queue (no QueueUrl output)");
  }

  @Test
  void theControllersFirstRunFindingUploadsKnowsNotTheirAge() {
    ControlState first =
        controlState().lastRun(LAST_RUN, false).backlogSince(LAST_RUN).build();

    UploadOutlook seen = outlook(
        TestTargets.deployed(Map.of(), PARAMETERS), Optional.of(first), counts(THREE_WAITING));

    assertThat(seen.lines(null))
        .contains("oldest waiting upload: waiting at the controller's run at 2026-11-25 21:59"
            + " Europe/Berlin, its first: how long before it arrived is not known");
    assertThat(json(seen).get("oldestWaiting").get("atMostSeconds").isNull()).isTrue();
  }

  @Test
  void endpointStatusShowsThemAfterTheControllersOutlook() {
    EndpointReport report = new EndpointReport(
        "offhours-endpoint",
        null,
        HostingStatus.scheduled(),
        "uuid-1",
        null,
        Map.of("scheduleOpen", "false", "lastAction", "NONE: off"),
        OFF,
        null,
        null,
        ZONE,
        new HandBacks(null, null, 0, false),
        outlook(
            TestTargets.deployed(Map.of(), PARAMETERS), Optional.of(STATE), counts(THREE_WAITING)));

    assertThat(report.render().lines().toList())
        .containsSubsequence(
            "last decision: want OFF (outside working hours) -> NONE: off [ok]",
            "schedule: Mon-Fri 08:00-19:00 Europe/Berlin: outside working hours until 2026-11-26"
                + " 08:00 Europe/Berlin",
            "manual override: none (following the schedule)",
            "controller state (raw attributes): lastAction=NONE: off")
        .anyMatch(l -> l.startsWith("oldest waiting upload: at most 20 min"))
        .anyMatch(l -> l.startsWith("an upload made now: the endpoint starts by 2026-11-26"));
    JsonNode json = report.toJson();
    assertThat(json.get("schedule").get("open").asBoolean()).isFalse();
    assertThat(json.get("nextUpload").get("expectedAt").isTextual()).isTrue();
    assertThat(json.get("oldestWaiting").get("asOf").asText()).isEqualTo("2026-11-25T20:59:30Z");
  }

  /** The sight GET /status and the page read: the same decision, state and counts as {@link #outlook}'s. */
  private static StackObserver.Observed observed() {
    return new StackObserver.Observed(
        NOW,
        Optional.of(OFF.decision()),
        STATE,
        THREE_WAITING,
        new Ledger.Day(NOW.atZone(ZONE).toLocalDate(), 0, 0, 0, 0),
        ZONE,
        OFF.startedBy(),
        ServerlessUsage.NONE,
        Optional.empty());
  }

  @Test
  void thePageGetsWhatEndpointStatusSaysOfTheSameSight() {
    Target target = TestTargets.deployed(Map.of(), PARAMETERS);
    UploadOutlook cli = outlook(target, Optional.of(STATE), counts(THREE_WAITING));

    StatusView.Upcoming page = UploadOutlook.forPage(target).apply(observed());

    assertThat(page.nextUpload()).isNotNull().isEqualTo(cli.forecast());
    assertThat(page.schedule()).isNotNull().hasToString(cli.schedule().toString());
    assertThat(page.scheduleNote()).isNull();
    assertThat(page.nextUploadNote()).isNull();
  }

  @Test
  void thePageOfAStackOfAnOlderTemplateSaysWhatItLacks() {
    Map<String, String> older = new HashMap<>(PARAMETERS);
    older.remove("WorkingHours");
    older.remove("WakeBacklogMessages");

    StatusView.Upcoming page =
        UploadOutlook.forPage(TestTargets.deployed(Map.of(), older)).apply(observed());

    assertThat(page.schedule()).isNull();
    assertThat(page.scheduleNote())
        .isEqualTo("stack prod has no parameter WorkingHours (it was deployed from an older"
            + " template; update it with this version's template.yaml)");
    assertThat(page.nextUpload()).isNull();
    assertThat(page.nextUploadNote())
        .startsWith("stack prod has no parameter WorkingHours, WakeBacklogMessages (");
  }

  /** A sight without the queue's counts names the queue as the command line does, where it said "the stack's queue". */
  @Test
  void thePageOfASightWithoutTheQueuesCountsNamesTheQueueAsTheCommandLineDoes() {
    String url = "https://sqs.us-east-1.amazonaws.com/123456789012/offhours-queue";
    StackObserver.Observed all = observed();
    StackObserver.Observed noQueue = new StackObserver.Observed(
        all.at(),
        all.decision(),
        all.control(),
        null,
        all.today(),
        all.zone(),
        all.startedBy(),
        all.serverless(),
        all.ledgerStart());

    StatusView.Upcoming named = UploadOutlook.forPage(
            TestTargets.deployed(Map.of(Target.Name.QUEUE_URL, url), PARAMETERS))
        .apply(noQueue);
    StatusView.Upcoming none =
        UploadOutlook.forPage(TestTargets.deployed(Map.of(), PARAMETERS)).apply(noQueue);

    assertThat(named.nextUpload()).isNull();
    assertThat(named.nextUploadNote())
        .isEqualTo("queue " + url + " (QueueUrl of stack prod) does not exist");
    assertThat(none.nextUploadNote()).isEqualTo("stack prod names no queue (no QueueUrl output)");
  }
}
