package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.endpoint.ControlState.Override.Mode;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import offhours.endpoint.sim.MemoryControlTable;
import offhours.stack.StackSpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

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

  @Test
  void aFailedEndpointIsDeletedWithAMetricAndRecreatedAfterABackoff() {
    rig.endpoint = Endpoint.Status.of(
        State.FAILED, "CapacityError: insufficient ml.m5.large", rig.now, rig.now);
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.why()).isEqualTo("endpoint failed: CapacityError: insufficient ml.m5.large");
    assertThat(metric(rig.metrics.getLast(), "EndpointCreateFailures")).isEqualTo(1.0);
    assertThat(rig.state().createFailures()).isEqualTo(1);

    rig.endpoint = Endpoint.Status.ABSENT;
    Decision waiting = rig.runAt("2026-01-14T09:03:00Z");
    assertThat(waiting.action()).isEqualTo(Action.WAIT);
    assertThat(waiting.why())
        .as("the backoff names the failure, which lastAction no longer holds")
        .isEqualTo("create backoff after 1 failure until 2026-01-14T09:05:00Z; the last: endpoint"
            + " failed: CapacityError: insufficient ml.m5.large");
    assertThat(metric(rig.metrics.getLast(), "EndpointCreateFailures")).isEqualTo(0.0);

    assertThat(rig.runAt("2026-01-14T09:05:00Z").action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.calls).containsExactly("delete", "create");
  }

  @Test
  void createFailsOnceThenIsRetriedWhileMessagesWaitAndTheMappingStaysOff() {
    rig.queue = new Backlog.Snapshot(40, 0, 0, 0);
    rig.runAt("2026-01-14T09:00:00Z"); // create
    rig.endpoint = Endpoint.Status.of(State.FAILED, "image pull failed", rig.now, rig.now);
    rig.runAt("2026-01-14T09:10:00Z"); // delete, backoff 5 min
    rig.endpoint = Endpoint.Status.ABSENT;
    assertThat(rig.runAt("2026-01-14T09:12:00Z").action()).isEqualTo(Action.WAIT);
    rig.runAt("2026-01-14T09:15:00Z"); // create again
    rig.inService();
    Decision enabled = rig.runAt("2026-01-14T09:25:00Z");
    assertThat(enabled.action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.calls)
        .containsExactly("create", "delete", "create", "probe", "enable", "retention");
    assertThat(rig.state().createFailures())
        .isZero(); // a successful test invocation ends the backoff series
  }

  @Test
  void backoffDoublesUpToAnHour() {
    Duration base = Duration.ofMinutes(5); // CREATE_BACKOFF_SECONDS' default
    assertThat(RunPlanner.createBackoff(base, 1)).isEqualTo(Duration.ofMinutes(5));
    assertThat(RunPlanner.createBackoff(base, 2)).isEqualTo(Duration.ofMinutes(10));
    assertThat(RunPlanner.createBackoff(base, 4)).isEqualTo(Duration.ofMinutes(40));
    assertThat(RunPlanner.createBackoff(base, 5)).isEqualTo(Duration.ofMinutes(60));
    assertThat(RunPlanner.createBackoff(base, 50)).isEqualTo(Duration.ofMinutes(60));
  }

  /**
   * README's table of failed steps, and its runbook for EndpointCreateFailuresAlarm, give the create backoff's series
   * as the template's base and RunPlanner make it.
   */
  @Test
  void readmeQuotesTheCreateBackoffSeries() throws java.io.IOException {
    Duration base = Duration.ofSeconds(Long.parseLong(
        offhours.stack.FunctionVariables.CONTROLLER_ENV.get("CREATE_BACKOFF_SECONDS")));
    List<String> minutes = new ArrayList<>();
    for (int failures = 1; failures <= 5; failures++) {
      minutes.add(String.valueOf(RunPlanner.createBackoff(base, failures).toMinutes()));
    }
    assertThat(RunPlanner.createBackoff(base, 6)).isEqualTo(RunPlanner.createBackoff(base, 5));
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
    assertThat(readme).contains("delete, back off (" + String.join(", ", minutes) + " min)");
    String runbook = "tries again, backing off " + String.join(", ", minutes) + " minutes";
    assertThat(readme.replaceAll("\\s+", " ").contains(runbook))
        .as("README's When an alarm fires says %s", runbook)
        .isTrue();
  }

  @Test
  void aShorterBackoffBaseKeepsTheSameSeries() {
    Duration base = Duration.ofSeconds(2);
    assertThat(RunPlanner.createBackoff(base, 1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RunPlanner.createBackoff(base, 3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(RunPlanner.createBackoff(base, 5)).isEqualTo(Duration.ofSeconds(24));
  }

  @Test
  void aRefusedCreateEndpointCallBacksOffAndEmitsTheMetric() {
    rig.createError =
        new IllegalStateException("ResourceLimitExceeded: account quota for ml.g4dn.xlarge is 0");
    Decision d = rig.run();
    assertThat(d.outcome())
        .isEqualTo(
            "CREATE_ENDPOINT failed, retry next run: ResourceLimitExceeded: account quota for ml.g4dn.xlarge is 0");
    assertThat(metric(rig.metrics.getLast(), "EndpointCreateFailures")).isEqualTo(1.0);
    assertThat(rig.stepFailures())
        .as("EndpointCreateFailuresAlarm tells of it already: one cause, one alarm")
        .isEqualTo(0.0);
    assertThat(rig.state().createNotBefore()).isEqualTo(rig.now.plus(Duration.ofMinutes(5)));
    assertThat(rig.state().billing()).isFalse();
    assertThat(rig.state().wakeIssuedAt())
        .as("the retry's wake is measured from the retry, not through the backoff")
        .isNull();
  }

  @Test
  void aCreateEndpointRefusedForAQuotaNamesTheQuotaAndTheCommandThatChecksIt() {
    // As SageMaker answers a young account (aws-samples/sagemaker-custom-project-templates#51).
    rig.createError = SageMakerException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ResourceLimitExceeded")
            .errorMessage(
                "The account-level service limit 'ml.m5.large for endpoint usage' is 0"
                    + " Instances, with current utilization of 0 Instances and a request delta of 1"
                    + " Instances. Please use AWS Service Quotas to request an increase for this quota.")
            .serviceName("SageMaker")
            .build())
        .build();
    Decision d = rig.run();
    String hint = "CreateEndpoint was refused for the account's quota 'ml.m5.large for endpoint"
        + " usage' (ResourceLimitExceeded, HTTP 400), too low for this stack: compare the stack's"
        + " needs with the account's quotas and request an increase with 'scripts/offhours quotas"
        + " --stack STACK'; the controller retries after its backoff";
    assertThat(d.outcome())
        .startsWith("CREATE_ENDPOINT failed, retry next run: ")
        .endsWith(hint);
    assertThat(rig.state().lastAction())
        .as("said once, beginning with the call")
        .isEqualTo(hint);
    assertThat(rig.state().createNotBefore()).isEqualTo(rig.now.plus(Duration.ofMinutes(5)));
  }

  @Test
  void anotherRefusalOfCreateEndpointGetsNoQuotaHint() {
    rig.createError = SageMakerException.builder()
        .statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ValidationException")
            .errorMessage("Could not find model 'm'.")
            .build())
        .build();
    assertThat(rig.run().outcome()).doesNotContain("quota");
  }

  @Test
  void anEndpointStuckInCreatingPastTheTimeoutIsDeletedAndCountedAsAFailure() {
    rig.endpoint =
        Endpoint.Status.of(State.CREATING, null, rig.now.minus(Duration.ofMinutes(45)), null);
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.why()).isEqualTo("stuck in Creating for 45 min >= CREATE_TIMEOUT_MINUTES=45");
    assertThat(rig.state().createFailures()).isEqualTo(1);
    assertThat(metric(rig.metrics.getLast(), "EndpointCreateFailures")).isEqualTo(1.0);
  }

  // ---- want OFF ----

  @Test
  void stoppingWhileABacklogIsProcessedDisablesFirstAndDeletesOnlyAfterTheInFlightBatchesDrain() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(300, 10, 0, 0);
    Decision first = rig.controller.override(Mode.STOP, null, rig.now);
    assertThat(first.wantReason()).isEqualTo("manual stop until 2026-01-14 19:00 Europe/Berlin");
    assertThat(first.action()).isEqualTo(Action.DISABLE_MAPPING);

    rig.mapping = Mapping.TriggerState.DISABLED;
    Decision draining = rig.runAt("2026-01-14T09:01:00Z");
    assertThat(draining.action()).isEqualTo(Action.WAIT);
    assertThat(draining.why())
        .isEqualTo("draining 10 in-flight messages, at most until 2026-01-14T09:10:00Z");
    rig.queue = new Backlog.Snapshot(300, 1, 0, 0);
    assertThat(rig.runAt("2026-01-14T09:01:30Z").why())
        .isEqualTo("draining 1 in-flight message, at most until 2026-01-14T09:10:00Z");

    rig.queue = new Backlog.Snapshot(300, 0, 0, 0);
    Decision delete = rig.runAt("2026-01-14T09:02:00Z");
    assertThat(delete.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(delete.why()).isEqualTo("stop: nothing in flight");
    assertThat(rig.calls).containsExactly("disable", "delete");
  }

  @Test
  void theDrainIsBoundedByTheDrainTimeout() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(0, 3, 0, 0);
    rig.controller.override(Mode.STOP, null, rig.now);
    rig.mapping = Mapping.TriggerState.DISABLED;
    assertThat(rig.runAt("2026-01-14T09:09:59Z").action()).isEqualTo(Action.WAIT);
    Decision d = rig.runAt("2026-01-14T09:10:00Z");
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.why())
        .isEqualTo(
            "drain timeout (DRAIN_TIMEOUT_MINUTES=10) with 3 in flight; the consumer defers them");
  }

  @Test
  void aMappingStuckDisablingIsBoundedByTheDrainTimeoutToo() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.controller.override(Mode.STOP, null, rig.now);
    rig.mapping = Mapping.TriggerState.DISABLING;
    assertThat(rig.runAt("2026-01-14T09:05:00Z").why()).isEqualTo("mapping DISABLING");
    assertThat(rig.runAt("2026-01-14T09:10:00Z").action()).isEqualTo(Action.DELETE_ENDPOINT);
  }

  @Test
  void outsideHoursAnIdleEndpointIsStoppedAndReportedAsRunningOutsideSchedule() {
    rig.inService();
    Decision d = rig.runAt("2026-01-14T19:00:00Z"); // 20:00 local
    assertThat(d.wantReason()).isEqualTo("outside working hours");
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.runningOutsideSchedule()).isTrue();
    assertThat(metric(rig.metrics.getLast(), "EndpointRunningOutsideSchedule")).isEqualTo(1.0);
    assertThat(rig.state().billing()).isTrue(); // Deleting is still billed until it is gone
  }

  @Test
  void outsideHoursABacklogBeingProcessedIsFinishedFirst() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(50, 10, 0, 0);
    Decision d = rig.runAt("2026-01-14T18:05:00Z");
    assertThat(d.wantOn()).isTrue();
    assertThat(d.wantReason())
        .isEqualTo(
            "outside working hours; finishing the backlog before stopping (50 waiting, 10 in flight, 0 deferred)");
    assertThat(d.runningOutsideSchedule()).isFalse();
  }

  @Test
  void outsideHoursMessagesWaitForTheNextOpeningWhenWakeThresholdsAreOff() {
    rig.queue = new Backlog.Snapshot(5000, 0, 0, 0);
    Decision d = rig.runAt("2026-01-17T12:00:00Z"); // Saturday
    assertThat(d.wantOn()).isFalse();
    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.why()).isEqualTo("off");
  }

  @Test
  void uploadsThatArriveJustBeforeTheCloseWhileTheEndpointIsOffAreStillServed() {
    rig.runAt("2026-01-14T17:00:00Z");
    rig.endpoint = Endpoint.Status.ABSENT;
    assertThat(rig.runAt("2026-01-14T17:55:00Z").wantOn())
        .isFalse(); // 18:55 local, idle for 55 min: off
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    Decision d = rig.runAt("2026-01-14T18:00:00Z"); // 19:00 local: closed
    assertThat(d.wantReason())
        .isEqualTo(
            "just closed; starting for uploads that arrived during working hours (3 waiting, 0 in flight, 0 deferred)");
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
    // The next run is no longer "just closed", but the endpoint is up with work: the backlog is
    // finished.
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    assertThat(rig.runAt("2026-01-14T18:05:00Z").wantReason())
        .startsWith("outside working hours; finishing the backlog");
  }

  @Test
  void insideHoursAnIdleEndpointStopsAfterIdleStopMinutesAndTheNextUploadWakesIt() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    assertThat(rig.runAt("2026-01-14T09:00:00Z").wantOn()).isTrue();
    assertThat(rig.runAt("2026-01-14T09:29:00Z").wantReason())
        .isEqualTo("working hours; idle 29 of 30 min (IDLE_STOP_MINUTES)");
    Decision stop = rig.runAt("2026-01-14T09:30:00Z");
    assertThat(stop.wantReason())
        .isEqualTo(
            "working hours but idle 30 min >= IDLE_STOP_MINUTES=30; the next upload wakes it");
    assertThat(stop.action()).isEqualTo(Action.DISABLE_MAPPING);
    rig.mapping = Mapping.TriggerState.DISABLED;
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);
    assertThat(rig.runAt("2026-01-14T11:00:00Z").action()).isEqualTo(Action.CREATE_ENDPOINT);
  }

  @Test
  void theEndpointIsStartedAtTheOpeningEvenWithAnEmptyQueue() {
    assertThat(rig.runAt("2026-01-14T06:55:00Z").wantOn()).isFalse();
    Decision d = rig.runAt("2026-01-14T07:00:00Z"); // 08:00 local
    assertThat(d.wantReason()).isEqualTo("working hours; idle 0 of 30 min (IDLE_STOP_MINUTES)");
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);

    // No upload all morning: the idleness counts from the opening, as README says.
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    assertThat(rig.runAt("2026-01-14T07:29:00Z").wantOn()).isTrue();
    assertThat(rig.runAt("2026-01-14T07:30:00Z").wantReason())
        .isEqualTo(
            "working hours but idle 30 min >= IDLE_STOP_MINUTES=30; the next upload wakes it");
  }

  @Test
  void afterTheSpringChangeTheControllerStartsAtEightLocalWhichIsSixUtc() {
    assertThat(rig.runAt("2026-03-30T05:59:00Z").wantOn()).isFalse(); // Monday 07:59 CEST
    Decision d = rig.runAt("2026-03-30T06:00:00Z");
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
  }

  @Test
  void afterTheAutumnChangeTheControllerStartsAtEightLocalWhichIsSevenUtcAndStopsAtNineteenLocal() {
    assertThat(rig.runAt("2026-10-26T06:59:00Z").wantOn()).isFalse(); // Monday 07:59 CET
    assertThat(rig.runAt("2026-10-26T07:00:00Z").action()).isEqualTo(Action.CREATE_ENDPOINT);
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(0, 0, 1, 0);
    assertThat(rig.runAt("2026-10-26T17:59:00Z").wantReason()).startsWith("working hours");
    rig.queue = Backlog.Snapshot.EMPTY;
    Decision close = rig.runAt("2026-10-26T18:00:00Z"); // 19:00 CET
    assertThat(close.wantReason()).isEqualTo("outside working hours");
    assertThat(close.action()).isEqualTo(Action.DISABLE_MAPPING);
  }

  @Test
  void idleStopZeroKeepsTheEndpointOnThroughWorkingHours() {
    Rig always = new Rig(Map.of("IDLE_STOP_MINUTES", "0"));
    always.runAt("2026-01-14T07:00:00Z");
    assertThat(always.runAt("2026-01-14T17:59:00Z").wantReason()).isEqualTo("working hours");
  }

  @Test
  void wakeOnBacklogCountStartsTheEndpointOutsideHours() {
    Rig wake = new Rig(Map.of("WAKE_BACKLOG_MESSAGES", "100"));
    wake.queue = new Backlog.Snapshot(99, 0, 0, 0);
    assertThat(wake.runAt("2026-01-14T22:00:00Z").wantOn()).isFalse();
    wake.queue = new Backlog.Snapshot(100, 0, 0, 0);
    Decision d = wake.runAt("2026-01-14T22:05:00Z");
    assertThat(d.wantReason()).isEqualTo("backlog: 100 visible >= WAKE_BACKLOG_MESSAGES=100");
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
  }

  @Test
  void wakeOnBacklogAgeUsesTheFirstRunThatSawTheQueueNonEmpty() {
    Rig wake = new Rig(Map.of("WAKE_BACKLOG_AGE_MINUTES", "60"));
    wake.queue = new Backlog.Snapshot(1, 0, 0, 0);
    wake.runAt("2026-01-14T22:00:00Z");
    assertThat(wake.state().backlogSince()).isEqualTo(Instant.parse("2026-01-14T22:00:00Z"));
    assertThat(wake.runAt("2026-01-14T22:59:00Z").wantOn()).isFalse();
    Decision d = wake.runAt("2026-01-14T23:00:00Z");
    assertThat(d.wantReason())
        .isEqualTo("backlog: oldest message about 60 min old >= WAKE_BACKLOG_AGE_MINUTES=60");
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
