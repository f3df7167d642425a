package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import offhours.endpoint.Decision.Action;
import org.junit.jupiter.api.Test;

/**
 * The template deploys the Classify trigger with Enabled: false, and AWS does not document whether a stack update that
 * changes another of its properties (BatchSize, say) sends that again. If it does while the endpoint serves, the
 * controller's next run finds the trigger paused, no stop of its own under way and uploads waiting or in flight: it
 * tests the endpoint and enables the trigger again in that run, under every hosting and budget. A run that finds the
 * pause still under way (Disabling) waits for the next. README "Changing parameters after the first deploy" says so.
 */
class TriggerPausedByAStackUpdateTest {

  private static final Map<String, String> BUDGET = Map.of("MAX_WAIT_MINUTES", "60");
  private static final Map<String, String> SCALE_TO_ZERO = Rig.SCALE_TO_ZERO;
  private static final Map<String, String> SERVERLESS = Map.of("HOSTING", "serverless");

  private static final Backlog.Snapshot WAITING = new Backlog.Snapshot(200, 20, 0, 0);
  private static final Backlog.Snapshot IN_FLIGHT_ONLY = new Backlog.Snapshot(0, 20, 0, 0);
  private static final Backlog.Snapshot DEFERRED_ONLY = new Backlog.Snapshot(0, 0, 5, 0);

  /** A rig whose endpoint has served {@code queue} for two runs a minute apart, the trigger polling. */
  private static Rig draining(Map<String, String> env, Backlog.Snapshot queue, String at) {
    Rig rig = new Rig(env);
    rig.now = Instant.parse(at);
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = queue;
    for (int run = 0; run < 2; run++) {
      assertThat(rig.run().action()).isEqualTo(Action.NONE);
      rig.now = rig.now.plusSeconds(60);
    }
    rig.calls.clear();
    return rig;
  }

  /** The stack update's pause lands, and the next run (a minute later) enables the trigger again. */
  private static void pausedAndResumedInOneRun(Rig rig) {
    rig.mapping = Mapping.TriggerState.DISABLED;
    Decision d = rig.run();
    assertThat(d.wantOn()).as(d.toString()).isTrue();
    assertThat(d.action()).as(d.toString()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.calls).containsExactly("probe", "enable", "retention");
  }

  @Test
  void inWorkingHoursTheNextRunEnablesThePausedTrigger() {
    for (Backlog.Snapshot q : List.of(WAITING, IN_FLIGHT_ONLY, DEFERRED_ONLY)) {
      pausedAndResumedInOneRun(draining(Map.of(), q, "2026-01-14T09:00:00Z"));
    }
  }

  @Test
  void outsideWorkingHoursTheBacklogBeingFinishedGetsTheTriggerBack() {
    // Wednesday 21:00 in Berlin: the endpoint is up only to finish the backlog.
    for (Backlog.Snapshot q : List.of(WAITING, IN_FLIGHT_ONLY, DEFERRED_ONLY)) {
      pausedAndResumedInOneRun(draining(Map.of(), q, "2026-01-14T20:00:00Z"));
    }
  }

  @Test
  void withAWaitBudgetEvenBatchesOnlyInFlightAreNoStopAndGetTheTriggerBack() {
    for (String at : List.of("2026-01-14T09:00:00Z", "2026-01-14T20:00:00Z")) {
      for (Backlog.Snapshot q : List.of(WAITING, IN_FLIGHT_ONLY, DEFERRED_ONLY)) {
        pausedAndResumedInOneRun(draining(BUDGET, q, at));
      }
    }
  }

  @Test
  void withScaleToZeroAndServerlessTheNextRunEnablesThePausedTrigger() {
    for (Map<String, String> env : List.of(SCALE_TO_ZERO, SERVERLESS)) {
      for (Backlog.Snapshot q : List.of(WAITING, IN_FLIGHT_ONLY)) {
        pausedAndResumedInOneRun(draining(env, q, "2026-01-14T20:00:00Z"));
      }
    }
  }

  @Test
  void aRunThatFindsThePauseStillUnderWayWaitsAndTheNextEnablesIt() {
    Rig rig = draining(BUDGET, WAITING, "2026-01-14T09:00:00Z");
    rig.mapping = Mapping.TriggerState.DISABLING;
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.WAIT);
    assertThat(d.why()).isEqualTo("mapping DISABLING");
    assertThat(rig.calls).isEmpty();
    rig.now = rig.now.plusSeconds(60);
    pausedAndResumedInOneRun(rig);
  }

  @Test
  void anUpdateThatAlsoReplacedTheEndpointConfigGoesOnToReplaceTheEndpointInstead() {
    // A new model and a new BatchSize in one update: the endpoint runs the old config, so the
    // paused trigger stays paused, what is in flight drains, and the endpoint is replaced.
    for (Map<String, String> env : List.of(BUDGET, Map.<String, String>of(), SCALE_TO_ZERO)) {
      Rig rig = draining(env, IN_FLIGHT_ONLY, "2026-01-14T09:00:00Z");
      rig.endpoint = Endpoint.Status.of(
              Endpoint.State.IN_SERVICE, null, rig.now.minusSeconds(3600), rig.now)
          .withConfig("offhours-endpoint-config-before-the-update", false);
      rig.mapping = Mapping.TriggerState.DISABLED;
      Decision drain = rig.run();
      assertThat(drain.action()).as(drain.toString()).isEqualTo(Action.WAIT);
      assertThat(drain.why()).contains("draining 20 in-flight messages");
      rig.queue = Backlog.Snapshot.EMPTY;
      rig.now = rig.now.plusSeconds(60);
      Decision replace = rig.run();
      assertThat(replace.action()).as(replace.toString()).isEqualTo(Action.DELETE_ENDPOINT);
      assertThat(rig.calls).as("%s", env).containsExactly("delete");
    }
  }

  @Test
  void aServerlessEndpointFollowsItsNewConfigInPlaceAndGetsTheTriggerBack() {
    // CloudFormation updates the serverless endpoint to the new config (UpdateEndpoint): it keeps
    // serving meanwhile, so the trigger comes back at once; the controller never replaces it.
    Rig rig = draining(SERVERLESS, WAITING, "2026-01-14T09:00:00Z");
    rig.endpoint = Endpoint.Status.of(
            Endpoint.State.UPDATING, null, rig.now.minusSeconds(3600), rig.now)
        .withConfig("offhours-endpoint-config-before-the-update", false)
        .withServerless(true);
    pausedAndResumedInOneRun(rig);
  }
}
