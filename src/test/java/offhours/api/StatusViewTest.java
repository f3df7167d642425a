package offhours.api;

import static offhours.endpoint.ControlStateBuilder.controlState;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControlState;
import offhours.endpoint.CostReport;
import offhours.endpoint.Decision;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Ledger;
import offhours.endpoint.LedgerPrices;
import offhours.endpoint.Mapping;
import offhours.endpoint.ServerlessUsage;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** GET /status's {@code controller} object: what the controller does next and why, from its last run and state. */
class StatusViewTest {

  private static final Instant NOW = Instant.parse("2026-11-25T09:40:00Z");

  private static final StatusView.Upcoming UNKNOWN =
      new StatusView.Upcoming(null, "not read here", null, "not read here");

  private static Map<String, Object> status(StackObserver.Observed seen) {
    return StatusView.of(
        seen,
        "offhours-endpoint-1a2b",
        LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 1.0),
        new StatusView.Upcoming(null, "not read here", null, "not read here"),
        false);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> controller(StackObserver.Observed seen) {
    return (Map<String, Object>) status(seen).get("controller");
  }

  private static StackObserver.Observed seen(
      Decision decision, String startedBy, List<Long> wakes, Instant timerAt) {
    return seen(decision, startedBy, wakes, timerAt, Hosting.SCHEDULED);
  }

  /** As above, the state learned under {@code learnedWith}. */
  private static StackObserver.Observed seen(
      Decision decision, String startedBy, List<Long> wakes, Instant timerAt, Hosting learnedWith) {
    ControlState state = controlState()
        .version(3)
        .scheduleOpen(true)
        .lastRun(NOW, true)
        .wakeSeconds(wakes)
        .timerAt(timerAt)
        .hosting(learnedWith)
        .build();
    return new StackObserver.Observed(
        NOW,
        Optional.ofNullable(decision),
        state,
        Backlog.Snapshot.EMPTY,
        new Ledger.Day(LocalDate.ofInstant(NOW, ApiFixtures.BERLIN), 0, 0, 0, 0),
        ApiFixtures.BERLIN,
        startedBy,
        ServerlessUsage.NONE,
        Optional.empty());
  }

  private static Decision decision(
      boolean on, String reason, Decision.Action action, String why, Instant nextRunAt) {
    return new Decision(
        NOW.minusSeconds(20),
        on,
        reason,
        Endpoint.Status.of(Endpoint.State.IN_SERVICE, null, NOW.minusSeconds(900), null),
        on ? Mapping.TriggerState.ENABLED : Mapping.TriggerState.DISABLING,
        Backlog.Snapshot.EMPTY,
        action,
        why,
        "ok",
        false,
        nextRunAt);
  }

  @Test
  void beforeTheFirstRunTheNextIsTheFirstTickWithNoTimerAndTheDefaultWake() {
    Map<String, Object> controller = controller(ApiFixtures.seen(NOW));

    assertThat(controller)
        .containsEntry("lastRunAt", null)
        .containsEntry("startedBy", null)
        .containsEntry("nextRunAt", null)
        .containsEntry("nextRun", "the first schedule tick (the controller has not run yet)")
        .containsEntry("timerAt", null)
        .containsEntry(
            "expectedWake",
            Map.of(
                "seconds",
                1800L,
                "wakes",
                0,
                "default",
                true,
                "words",
                "30 min, the default until a wake is measured"))
        .containsEntry(
            "expectedStop",
            Map.of(
                "seconds",
                120L,
                "stops",
                0,
                "default",
                true,
                "words",
                "2 min, the default until a stop is measured"));
  }

  @Test
  void aRunThatAskedForAnotherSaysWhenWhyWhatStartedItTheArmedTimerAndTheLearnedWake() {
    Instant until = NOW.plusSeconds(130);
    Decision stay = decision(
        true,
        "drained; staying on until 2026-11-25 10:42 Europe/Berlin: an upload before then costs less"
            + " than a stop and a wake (MAX_WAIT_MINUTES=5)",
        Decision.Action.NONE,
        "serving",
        until);

    Map<String, Object> controller =
        controller(seen(stay, "timer for 2026-11-25T09:39:40Z", List.of(300L, 95L, 240L), until));

    assertThat(controller)
        .containsEntry("lastRunAt", "2026-11-25T09:39:40Z")
        .containsEntry("startedBy", "timer for 2026-11-25T09:39:40Z")
        .containsEntry("nextRunAt", "2026-11-25T09:42:10Z")
        .containsEntry(
            "nextRun",
            "asked by the last run: drained; staying on until 2026-11-25 10:42 Europe/Berlin: an"
                + " upload before then costs less than a stop and a wake (MAX_WAIT_MINUTES=5)")
        .containsEntry("timerAt", "2026-11-25T09:42:10Z")
        .containsEntry(
            "expectedWake",
            Map.of(
                "seconds",
                300L,
                "wakes",
                3,
                "default",
                false,
                "words",
                "about 5 min, learned from 3 wakes"));
    JsonNode json =
        JsonText.parse(JsonText.write(status(seen(stay, "schedule tick", List.of(), until)))
            .getBytes(StandardCharsets.UTF_8));
    JsonNode written = json.asObject().get("controller");
    assertThat(JsonText.string(written, "nextRunAt"))
        .as("the instant as GET /status writes it")
        .isEqualTo("2026-11-25T09:42:10Z");
    assertThat(JsonText.string(written, "startedBy")).isEqualTo("schedule tick");
  }

  @Test
  void aRunWithoutAWishLeavesTheTickAndATimerThatFiredIsNotArmed() {
    Decision plain = decision(true, "working hours", Decision.Action.NONE, "serving", null);

    Map<String, Object> controller =
        controller(seen(plain, "schedule tick", List.of(100L), NOW.minusSeconds(30)));

    assertThat(controller)
        .containsEntry("startedBy", "schedule tick")
        .containsEntry("nextRunAt", null)
        .containsEntry(
            "nextRun",
            "the next schedule tick or endpoint state change (the last run asked for no earlier run)")
        .containsEntry("timerAt", null);
    assertThat(((Map<?, ?>) controller.get("expectedWake")).get("words"))
        .isEqualTo("about 100 s, learned from 1 wake");
  }

  @Test
  void aStopInProgressIsNamedAsTheReasonAndAnUnrecordedStarterStaysNull() {
    Decision stopping = decision(
        false,
        "drained; stopping (the next upload waits within MAX_WAIT_MINUTES=60)",
        Decision.Action.WAIT,
        "mapping Disabling; waiting for it before deleting the endpoint",
        NOW.minusSeconds(10));

    Map<String, Object> controller = controller(seen(stopping, null, List.of(), null));

    assertThat(controller)
        .containsEntry("startedBy", null)
        .containsEntry(
            "nextRun",
            "asked by the last run: a stop in progress (mapping Disabling; waiting for it before"
                + " deleting the endpoint)");
    assertThat(status(seen(stopping, null, List.of(), null)).get("endpoint"))
        .as("the endpoint object keeps its fields")
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry("lastAction", "WAIT")
        .containsEntry("want", "OFF");
  }

  @Test
  void aDeletionThisRunStartedIsLookedAtUntilItIsGoneToMeasureTheStop() {
    Decision deleted = decision(
        false,
        "drained; stopping (the next upload waits within MAX_WAIT_MINUTES=60)",
        Decision.Action.DELETE_ENDPOINT,
        "trigger paused and idle; deleting the endpoint",
        NOW.plusSeconds(12));

    Map<String, Object> controller = controller(seen(deleted, "timer", List.of(), null));

    assertThat(controller)
        .containsEntry(
            "nextRun",
            "asked by the last run: the endpoint is being deleted; it is looked at until it is gone,"
                + " to measure the stop");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aServerlessStacksLedgerIsItsInvocationsPricedAndComparedAsTheCostReportDoes() {
    LocalDate today = LocalDate.ofInstant(NOW, ApiFixtures.BERLIN);
    // 1,000 invocations of 0.2 s on 2 GB (400 GB-s), 0.1 GB of data; no endpoint time.
    ServerlessUsage used = new ServerlessUsage(1000, 200_000, 200_000L * 2048, 100_000_000L);
    StackObserver.Observed seen = new StackObserver.Observed(
        NOW,
        Optional.empty(),
        ControlState.INITIAL,
        Backlog.Snapshot.EMPTY,
        new Ledger.Day(today, 0, 0, 0, 0),
        ApiFixtures.BERLIN,
        null,
        used,
        Optional.empty());
    LedgerPrices prices = LedgerPrices.listed(Hosting.SERVERLESS, "ml.m5.large", 1, 0.115);

    Map<String, Object> ledger = (Map<String, Object>)
        StatusView.of(seen, "offhours-endpoint-1a2b", prices, UNKNOWN, false).get("ledger");

    CostReport.Row cli = CostReport.compute(
            List.of(seen.today()),
            Map.of(),
            Map.of(today, used),
            today,
            today,
            seen.zone(),
            prices,
            today.atStartOfDay(seen.zone()).toInstant(),
            NOW)
        .days()
        .getFirst();
    double cost = 400 * 0.00002 + 0.1 * 0.016;
    assertThat(cli.costUsd()).isCloseTo(cost, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(ledger)
        .containsEntry("hosting", "serverless")
        .containsEntry("endpointHours", 0.0)
        .containsEntry("costUsd", Math.round(cli.costUsd() * 1e6) / 1e6)
        .containsEntry("alwaysOnHours", Math.round(cli.alwaysOnHours() * 1000) / 1000.0)
        .containsEntry("alwaysOnCostUsd", Math.round(cli.alwaysOnCostUsd() * 1e6) / 1e6)
        .containsEntry("savedPercent", Math.round(cli.savedPercent() * 1000) / 1000.0);
    assertThat((double) ledger.get("savedPercent"))
        .as("by dollars, not by the endpoint-hours it does not have")
        .isLessThan(100.0);
    assertThat((Map<String, Object>) ledger.get("serverless"))
        .containsEntry("invocations", 1000L)
        .containsEntry("gbSeconds", 400.0)
        .containsEntry("dataGb", 0.1)
        .containsEntry("costUsd", Math.round(cost * 1e6) / 1e6);
    assertThat((Map<String, Object>) status(ApiFixtures.seen(NOW)).get("ledger"))
        .as("a scheduled stack without invocations")
        .doesNotContainKey("serverless")
        .containsEntry("hosting", "scheduled");
  }

  @Test
  void afterASwitchOfHostingTheOutlookExpectsTheDefaultWakeAsTheNextRunWill() {
    Map<String, Object> controller =
        controller(seen(null, null, List.of(300L, 95L, 240L), null, Hosting.SCALE_TO_ZERO));

    assertThat(controller.get("expectedWake"))
        .as("the stack is scheduled now; those were the component's wakes")
        .isEqualTo(Map.of(
            "seconds",
            1800L,
            "wakes",
            0,
            "default",
            true,
            "words",
            "30 min, the default until a wake is measured"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void todaysAlwaysOnStartsWhenTheControllerFirstRanNotAtMidnight() {
    // 09:40 UTC is 10:40 in Berlin; the stack's controller first ran at 08:40 Berlin.
    Instant started = NOW.minusSeconds(2 * 3600);
    StackObserver.Observed unrecorded = ApiFixtures.seen(NOW);
    StackObserver.Observed seen = new StackObserver.Observed(
        unrecorded.at(),
        unrecorded.decision(),
        unrecorded.control(),
        unrecorded.queue(),
        unrecorded.today(),
        unrecorded.zone(),
        null,
        ServerlessUsage.NONE,
        Optional.of(started));

    Map<String, Object> ledger = (Map<String, Object>) status(seen).get("ledger");
    assertThat(ledger)
        .containsEntry("alwaysOnHours", 2.0)
        .containsEntry("alwaysOnCostUsd", 2.0)
        .containsEntry("alwaysOnSince", started);
    assertThat((Map<String, Object>) status(unrecorded).get("ledger"))
        .as("a stack whose controller's first run was not recorded: from midnight, as before")
        .containsEntry("alwaysOnHours", 10.667);
    Instant yesterday = NOW.minusSeconds(86_400);
    assertThat((Map<String, Object>)
            status(seen.startingAt(started.plusSeconds(600))).get("ledger"))
        .as(
            "the ledger's recorded start wins over a later start the reader knows (Ledger.stackStart)")
        .containsEntry("alwaysOnHours", 2.0)
        .containsEntry("alwaysOnSince", started);
    assertThat((Map<String, Object>) status(seen.startingAt(yesterday)).get("ledger"))
        .as(
            "a stack the reader knows existed before its ledger's recorded start: from then, here midnight")
        .containsEntry("alwaysOnHours", 10.667);
    assertThat((Map<String, Object>) status(unrecorded.startingAt(yesterday)).get("ledger"))
        .as("a stack started before today: from midnight")
        .containsEntry("alwaysOnHours", 10.667)
        .containsEntry(
            "alwaysOnSince",
            LocalDate.parse("2026-11-25").atStartOfDay(ApiFixtures.BERLIN).toInstant());
  }
}
