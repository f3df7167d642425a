package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.endpoint.ControlState.Override.Mode;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import offhours.endpoint.sim.MemoryControlTable;
import offhours.stack.StackSpec;
import org.junit.jupiter.api.Test;

/**
 * The controller's runs on the settings of {@link Rig}: a start (create, wait, a test invocation, then the trigger on),
 * the drain it measures, overrides, a trigger that drifted from the endpoint, overlapping runs and the metrics of every
 * run. A failed start: {@link CreateBackoffTest}; the stops and starts around working hours: {@link WorkingHoursTest}.
 */
class EndpointControllerTest {
  private final Rig rig = new Rig();

  // ---- want ON ----

  @Test
  void inWorkingHoursAnAbsentEndpointIsCreatedAndCountedAsAStart() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    Decision d = rig.run();
    assertThat(d.wantOn()).isTrue();
    assertThat(d.wantReason()).isEqualTo("working hours; 5 waiting, 0 in flight, 0 deferred");
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.calls).containsExactly("create");
    rig.runAt("2026-01-14T09:01:00Z"); // counted by the run that sees it creating
    assertThat(rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")))
        .singleElement()
        .satisfies(day -> assertThat(day.starts()).isEqualTo(1));
  }

  @Test
  void aCreatingEndpointIsWaitedForWithoutTouchingTheMapping() {
    rig.endpoint = Endpoint.Status.of(State.CREATING, null, rig.now.minusSeconds(600), null);
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.WAIT);
    assertThat(d.why()).isEqualTo("endpoint creating for 10 min");
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void theMappingIsEnabledOnlyAfterATestInvocationAnswers() {
    rig.inService();
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(d.outcome()).isEqualTo("ok");
    assertThat(rig.calls).containsExactly("probe", "enable", "retention");
  }

  @Test
  void theRunsMeasureADrainAndTheBudgetPlansTheNextOneWithIt() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(1000, 50, 0, 0);
    rig.run();
    assertThat(rig.state().drain().since()).isEqualTo(rig.now);
    rig.now = rig.now.plusSeconds(60);
    rig.queue = new Backlog.Snapshot(400, 50, 0, 0);
    rig.run();
    rig.now = rig.now.plusSeconds(190);
    rig.queue = Backlog.Snapshot.EMPTY;
    rig.run();
    // 1000 waiting at the first run, idle 250 s later: 4 images/s, never more than the endpoint
    // did.
    assertThat(rig.state().drain().rates()).containsExactly(new DrainMeter.Rate(4.0, 1));
    assertThat(rig.state().drain().drain(1200, 1)).hasSeconds(300);
  }

  /**
   * The endpoint serving on the stack's config, the trigger polling, 1000 waiting; 250 s later the queue is idle, the
   * endpoint serving on {@code configAtTheEnd}.
   */
  private static void drainOf1000In250Seconds(Rig rig, String configAtTheEnd) {
    rig.endpoint = serving(rig, "offhours-endpoint-config");
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(1000, 50, 0, 0);
    rig.run();
    rig.now = rig.now.plusSeconds(250);
    rig.endpoint = serving(rig, configAtTheEnd);
    rig.queue = Backlog.Snapshot.EMPTY;
    rig.run();
  }

  private static Endpoint.Status serving(Rig rig, String config) {
    return Endpoint.Status.of(State.IN_SERVICE, null, rig.now.minusSeconds(3600), rig.now)
        .withConfig(config, false);
  }

  @Test
  void aDrainIsRecordedWithTheInstanceCountTheControllerRunsWith() {
    Rig rig = new Rig(Map.of("INSTANCE_COUNT", "3"));
    drainOf1000In250Seconds(rig, "offhours-endpoint-config");
    assertThat(rig.state().drain().rates()).containsExactly(new DrainMeter.Rate(4.0, 3));
  }

  @Test
  void aDrainEndingOnAnEndpointThatRunsAnotherConfigThanTheStacksIsNotMeasured() {
    Rig rig = new Rig();
    drainOf1000In250Seconds(rig, "offhours-endpoint-config-before-the-update");
    assertThat(rig.state().drain().rates())
        .as("a stack update between the runs: the endpoint may serve on another count")
        .isEmpty();
  }

  @Test
  void ratesReadWithoutACountAreRecordedWithTheCountOfTheFirstControllerThatRuns() {
    Rig rig = new Rig(Map.of("INSTANCE_COUNT", "2"));
    rig.seed(ControlStateBuilder.controlState().drainRates(List.of(4.0, 6.0)).build());
    rig.run();
    assertThat(rig.state().drain().rates())
        .containsExactly(new DrainMeter.Rate(4.0, 2), new DrainMeter.Rate(6.0, 2));
  }

  @Test
  void aFailedTestInvocationKeepsTheMappingDisabledAndTheNextRunRetries() {
    rig.inService();
    rig.probe = new Endpoint.Probe(false, "ModelNotReadyException: model not loaded");
    Decision d = rig.run();
    assertThat(d.outcome())
        .isEqualTo(
            "test invocation failed, mapping stays disabled, retry next run: ModelNotReadyException: model not loaded");
    assertThat(rig.calls).containsExactly("probe");
    assertThat(metric(rig.metrics.getLast(), StackSpec.METRICS.testInvocationFailures()))
        .as("the endpoint bills while nothing is classified: the alarm counts these runs")
        .isEqualTo(1.0);
    assertThat(rig.stepFailures())
        .as("a probe that answered badly is no failed step: its own alarm counts it")
        .isEqualTo(0.0);
    rig.probe = new Endpoint.Probe(true, "ok");
    rig.now = rig.now.plusSeconds(300);
    rig.run();
    assertThat(rig.calls).containsExactly("probe", "probe", "enable", "retention");
    assertThat(metric(rig.metrics.getLast(), StackSpec.METRICS.testInvocationFailures()))
        .isEqualTo(0.0);
  }

  /**
   * SageMaker's own words for a failed test invocation ride on the run's decision to the log line, never into the
   * outcome that the control table keeps and the status pages show.
   */
  @Test
  void aTestInvocationSageMakerFailedKeepsItsOwnWordsOutOfTheOutcome() {
    rig.inService();
    String said =
        "ModelNotReadyException (HTTP 429): Model for endpoint offhours-endpoint of account"
            + " 123456789012 is not ready";
    rig.probe = Endpoint.Probe.refused("the endpoint's model is not ready yet", said);

    Decision d = rig.run();

    assertThat(d.outcome())
        .isEqualTo("test invocation failed, mapping stays disabled, retry next run: the endpoint's"
            + " model is not ready yet");
    assertThat(d.awsSaid()).isEqualTo(ControllerHandler.SAGEMAKER_SAID + said);
    assertThat(List.of(d.toString(), d.toMap().toString(), rig.state().toString()))
        .allSatisfy(shown -> assertThat(shown).doesNotContain("123456789012", "ModelNotReady"));

    rig.probe = new Endpoint.Probe(true, "ok");
    rig.now = rig.now.plusSeconds(300);
    assertThat(rig.run().awsSaid()).as("a run whose probe answered").isNull();
  }

  @Test
  void aServingEndpointWithAnEnabledMappingNeedsNothing() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.why()).isEqualTo("serving");
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void transitionalMappingAndEndpointStatesAreWaitedFor() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.UPDATING;
    assertThat(rig.run().action()).isEqualTo(Action.WAIT);
    rig.endpoint = Endpoint.Status.of(State.DELETING, null, null, null);
    rig.mapping = Mapping.TriggerState.DISABLED;
    assertThat(rig.run().why()).isEqualTo("endpoint deleting; create once it is gone");
    rig.endpoint = Endpoint.Status.of(State.UPDATING, null, null, null);
    assertThat(rig.run().why()).isEqualTo("endpoint updating");
    assertThat(rig.calls).isEmpty();
  }

  // ---- overrides ----

  @Test
  void aManualStartOutsideHoursLastsUntilTheNextScheduleChangeAndIsNotReportedAsOutsideSchedule() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    Decision d = rig.controller.override(Mode.START, null, Instant.parse("2026-01-14T20:00:00Z"));
    assertThat(d.wantReason()).isEqualTo("manual start until 2026-01-15 08:00 Europe/Berlin");
    assertThat(d.runningOutsideSchedule()).isFalse();
    assertThat(rig.state().override().until()).isEqualTo(Instant.parse("2026-01-15T07:00:00Z"));
  }

  @Test
  void anOverrideExpiresAndAutoClearsIt() {
    rig.controller.override(
        Mode.START, Instant.parse("2026-01-14T21:00:00Z"), Instant.parse("2026-01-14T20:00:00Z"));
    assertThat(rig.runAt("2026-01-14T20:30:00Z").wantOn()).isTrue();
    assertThat(rig.runAt("2026-01-14T21:00:00Z").wantReason()).isEqualTo("outside working hours");
    rig.controller.override(Mode.STOP, null, Instant.parse("2026-01-15T09:00:00Z"));
    assertThat(rig.state().override()).isNotNull();
    Decision auto = rig.controller.override(null, null, Instant.parse("2026-01-15T09:05:00Z"));
    assertThat(rig.state().override()).isNull();
    assertThat(auto.wantReason()).startsWith("working hours");
  }

  @Test
  void anOverrideUntilThePastIsRejected() {
    assertThatThrownBy(() ->
            rig.controller.override(Mode.START, Instant.parse("2026-01-14T08:00:00Z"), rig.now))
        .hasMessage("until 2026-01-14T08:00:00Z is not in the future (now 2026-01-14T09:00:00Z)");
  }

  // ---- drift ----

  @Test
  void aMappingReEnabledByADeployWhileTheEndpointIsOffIsDisabledOnTheNextRun() {
    rig.mapping = Mapping.TriggerState.ENABLED;
    Decision d = rig.runAt("2026-01-14T22:00:00Z");
    assertThat(d.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(rig.calls).containsExactly("disable");
  }

  @Test
  void aMappingEnabledWhileTheWantedEndpointIsStillCreatingIsDisabled() {
    rig.endpoint = Endpoint.Status.of(State.CREATING, null, rig.now, null);
    rig.mapping = Mapping.TriggerState.ENABLED;
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(d.why()).isEqualTo("drift: mapping ENABLED while the endpoint is CREATING");
  }

  // ---- overlapping runs ----

  @Test
  void whenTwoRunsOverlapOnlyOneActsAndTheOtherReportsTheLostRace() {
    MemoryControlTable table = new MemoryControlTable();
    Rig shared = new Rig(Map.of(), table);
    shared.queue = new Backlog.Snapshot(5, 0, 0, 0);
    ControllerConfig config = shared.controller.config();
    // The second run reads the state, then the first run completes before the second one claims its
    // step.
    Decision[] first = new Decision[1];
    ControlStore interleaving = new ControlStore() {
      @Override
      public Optional<ControlState> load() {
        return table.load();
      }

      @Override
      public boolean save(ControlState next, long expectedVersion) {
        if (first[0] == null) {
          first[0] = shared.controller.reconcile(shared.now);
        }
        return table.save(next, expectedVersion);
      }

      @Override
      public boolean save(ControlState next, long expectedVersion, List<Ledger.Day> counted) {
        throw new AssertionError("no start to count: " + counted);
      }
    };
    Decision second = shared.controller(config, interleaving).reconcile(shared.now);
    assertThat(first[0].action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(second.action()).isEqualTo(Action.LOST_RACE);
    assertThat(second.why()).isEqualTo("another run claimed the step (control state version 1)");
    assertThat(shared.calls).containsExactly("create");
    assertThat(shared.metrics)
        .as("both runs completed: both report the heartbeat")
        .hasSize(2)
        .allSatisfy(
            line -> assertThat(metric(line, StackSpec.METRICS.controllerRuns())).isEqualTo(1.0));
  }

  // ---- metrics ----

  @Test
  void everyRunLogsOneEmbeddedMetricFormatLine() throws Exception {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(7, 0, 0, 0);
    rig.run();
    JsonNode line = new ObjectMapper().readTree(rig.metrics.getLast());
    JsonNode directive = line.get("_aws").get("CloudWatchMetrics").get(0);
    assertThat(directive.get("Namespace").asText()).isEqualTo("offhours");
    assertThat(directive.get("Dimensions").get(0).get(0).asText()).isEqualTo("EndpointName");
    assertThat(line.get("_aws").get("Timestamp").asLong()).isEqualTo(rig.now.toEpochMilli());
    assertThat(line.get("EndpointName").asText()).isEqualTo("offhours-endpoint");
    assertThat(line.get("EndpointOn").asDouble()).isEqualTo(1.0);
    assertThat(line.get("Backlog").asDouble()).isEqualTo(7.0);
  }

  @Test
  void everyRunReportsTheValuesTheTemplatesAlarmsWatchAndPublishesTheHeartbeat() throws Exception {
    rig.run();
    JsonNode line = new ObjectMapper().readTree(rig.metrics.getLast());
    JsonNode declared = line.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics");
    for (String name : List.of(
        StackSpec.METRICS.endpointCreateFailures(),
        StackSpec.METRICS.endpointRunningOutsideSchedule(),
        StackSpec.METRICS.controllerRuns(),
        StackSpec.METRICS.testInvocationFailures(),
        StackSpec.METRICS.controllerStepFailures(),
        StackSpec.METRICS.overdueSeconds())) {
      assertThat(line.has(name)).as("value %s in %s", name, line).isTrue();
    }
    assertThat(declared.findValuesAsText("Name")).contains(StackSpec.METRICS.controllerRuns());
    assertThat(line.get("_aws").get("CloudWatchMetrics").get(0).get("Namespace").asText())
        .isEqualTo(StackSpec.METRICS.namespace());
    assertThat(metric(rig.metrics.getLast(), StackSpec.METRICS.controllerRuns()))
        .isEqualTo(1.0);
  }

  static double metric(String emfLine, String name) {
    try {
      return new ObjectMapper().readTree(emfLine).get(name).asDouble();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
