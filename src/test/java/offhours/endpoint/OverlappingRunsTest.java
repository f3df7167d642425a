package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import offhours.endpoint.ControlState.Override.Mode;
import offhours.endpoint.Decision.Action;
import org.junit.jupiter.api.Test;

/**
 * Runs that overlap on AWS: the minute tick, a timer message, a state-change event and a manual action each start one,
 * the timer's SQS trigger runs up to two at once, and Lambda may deliver an asynchronous event twice
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). The claim serializes the
 * decisions; these tests cover the steps that take long enough for another run to decide in between.
 */
class OverlappingRunsTest {
  private final Rig rig = new Rig();

  /** In working hours with uploads waiting, an InService endpoint whose trigger is off: the next step enables it. */
  private void readyToEnable() {
    rig.inService();
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
  }

  @Test
  void aManualStopDuringTheTestInvocationIsNotUndoneByTheEnableThatFollows() {
    readyToEnable();
    Decision[] stop = new Decision[1];
    rig.onProbe = () -> stop[0] = rig.controller.override(Mode.STOP, null, rig.now.plusSeconds(1));

    Decision enabling = rig.run();

    assertThat(stop[0].action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(enabling.action()).isEqualTo(Action.LOST_RACE);
    assertThat(enabling.why()).startsWith("another run claimed a step during the test invocation");
    assertThat(enabling.nextRunAt()).isNull();
    assertThat(rig.calls)
        .as("the trigger stays off on the endpoint the manual stop deletes")
        .containsExactly("probe", "delete");
    assertThat(rig.mapping).isEqualTo(Mapping.TriggerState.DISABLED);
  }

  @Test
  void twoRunsThatBothTestTheEndpointEnableTheTriggerOnce() {
    readyToEnable();
    Decision[] second = new Decision[1];
    rig.onProbe = () -> second[0] = rig.controller.reconcile(rig.now.plusSeconds(1));

    Decision first = rig.run();

    assertThat(second[0].action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(first.action()).isEqualTo(Action.LOST_RACE);
    assertThat(rig.calls).containsExactly("probe", "probe", "enable", "retention");
    assertThat(rig.state().enabledAt())
        .as("the wake's measurement starts at the enable that happened")
        .isEqualTo(rig.now.plusSeconds(1));
  }

  @Test
  void aTestInvocationNobodyOverlapsStillEnablesTheTrigger() {
    readyToEnable();

    Decision d = rig.run();

    assertThat(d.action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.calls).containsExactly("probe", "enable", "retention");
    assertThat(rig.state().enabledAt()).isEqualTo(rig.now);
    assertThat(rig.state().version()).as("claim, fence, result").isEqualTo(3);
  }

  @Test
  void aStartIsCountedOnceWhenTwoRunsBothSawTheEndpointAbsent() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    assertThat(rig.run().action()).isEqualTo(Action.CREATE_ENDPOINT);
    // The second run (a duplicate delivery of the same event, say) read the first one's claim but
    // described the endpoint before the first CreateEndpoint landed: absent.
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.createdByAnotherRun = true;

    Decision duplicate = rig.runAt("2026-01-14T09:00:01Z");

    assertThat(duplicate.action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(duplicate.outcome()).startsWith("an overlapping run created the endpoint first");
    assertThat(rig.calls).containsExactly("create", "create");
    rig.endpoint = Endpoint.Status.of(Endpoint.State.CREATING, null, rig.now, rig.now);
    rig.runAt("2026-01-14T09:01:00Z");
    assertThat(rig.table.days(LocalDate.of(2026, 1, 14), LocalDate.of(2026, 1, 14)))
        .singleElement()
        .satisfies(day -> assertThat(day.starts()).isEqualTo(1));
    assertThat(rig.state().createFailures()).as("no failed create").isZero();
    assertThat(rig.state().billing()).isTrue();
  }

  @Test
  void aRunThatDiesRightAfterCreateEndpointLeavesAClaimTheNextRunContinuesFrom() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    rig.dieAfterCreate = new Error("the run timed out");
    Instant died = rig.now;
    assertThatThrownBy(rig::run).hasMessage("the run timed out");
    rig.dieAfterCreate = null;

    Decision next = rig.runAt("2026-01-14T09:01:00Z");

    assertThat(next.action()).isEqualTo(Action.WAIT);
    assertThat(next.why()).startsWith("endpoint creating");
    assertThat(rig.calls).as("no second CreateEndpoint").containsExactly("create");
    assertThat(rig.state().billing()).isTrue();
    assertThat(rig.state().wakeIssuedAt())
        .as("the wake is measured from the claim")
        .isEqualTo(died);
    assertThat(rig.table.days(LocalDate.of(2026, 1, 14), LocalDate.of(2026, 1, 14)))
        .singleElement()
        .satisfies(day -> assertThat(day.endpointSeconds())
            .as("billed from the dead run's claim")
            .isEqualTo(60));
  }

  // ---- a step repeated by a run that claimed it after the first run, whose call landed first ----

  private static final String AFTER_HOURS = "2026-01-14T19:00:00Z"; // 20:00 in Berlin

  /** The second run, started while the first one's call is in flight, one second later. */
  private Decision[] overlappingRunAtTheNextCall() {
    Decision[] other = new Decision[1];
    rig.refusesRepeats = true;
    rig.onCall = () -> other[0] = rig.controller.reconcile(rig.now.plusSeconds(1));
    return other;
  }

  private double metric(String name) {
    return EndpointControllerTest.metric(rig.metrics.getLast(), name);
  }

  private Ledger.Day today() {
    return rig.table.days(LocalDate.of(2026, 1, 14), LocalDate.of(2026, 1, 14)).getFirst();
  }

  @Test
  void aDeleteEndpointRefusedBecauseAnOverlappingRunDeletedItFirstIsNoFailedStep() {
    rig.inService();
    Decision[] other = overlappingRunAtTheNextCall();

    Decision d = rig.runAt(AFTER_HOURS);

    assertThat(other[0].action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(other[0].outcome()).isEqualTo("ok");
    assertThat(rig.calls).containsExactly("delete", "delete");
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.outcome())
        .isEqualTo("an overlapping run is deleting the endpoint already; its stop is counted once"
            + " (the call answered: ValidationException: Cannot update in-progress endpoint"
            + " offhours-endpoint)");
    assertThat(metric("ControllerStepFailures")).isEqualTo(0.0);
    rig.runAt("2026-01-14T19:01:00Z"); // sees it deleting
    assertThat(today().stops()).isEqualTo(1);
  }

  @Test
  void aRefusedDeleteEndpointStillFailsWhenTheEndpointIsNotGoing() {
    rig.inService();
    rig.refusesRepeats = true;
    // Another run's UpdateEndpoint (a stack update) landed first: the endpoint is not going.
    rig.onCall = () -> rig.endpoint = Endpoint.Status.of(Endpoint.State.UPDATING, null, null, null);
    rig.deleteError = new IllegalStateException(
        "ValidationException: Cannot update in-progress endpoint offhours-endpoint");

    Decision d = rig.runAt(AFTER_HOURS);

    assertThat(d.outcome()).startsWith("DELETE_ENDPOINT failed, retry next run: ");
    assertThat(metric("ControllerStepFailures")).isEqualTo(1.0);
    assertThat(rig.table.days(LocalDate.of(2026, 1, 14), LocalDate.of(2026, 1, 14)))
        .isEmpty();
  }

  @Test
  void aDisableRefusedBecauseAnOverlappingRunIsPausingTheTriggerIsNoFailedStep() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    Decision[] other = overlappingRunAtTheNextCall();

    Decision d = rig.runAt(AFTER_HOURS);

    assertThat(other[0].action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(rig.calls).containsExactly("disable", "disable");
    assertThat(d.action()).isEqualTo(Action.DISABLE_MAPPING);
    assertThat(d.outcome())
        .isEqualTo("an overlapping run is pausing the trigger already (the call answered:"
            + " ResourceInUseException: Cannot update the event source mapping uuid-1 because it"
            + " is in state DISABLING)");
    assertThat(metric("ControllerStepFailures")).isEqualTo(0.0);
  }

  @Test
  void aRefusedDisableStillFailsWhenTheTriggerIsBeingEnabled() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.refusesRepeats = true;
    // A manual start's enable landed first: the trigger is heading the other way.
    rig.onCall = () -> rig.mapping = Mapping.TriggerState.ENABLING;
    rig.disableError = new IllegalStateException(
        "ResourceInUseException: Cannot update the event source mapping uuid-1 because it is in"
            + " state ENABLING");

    Decision d = rig.runAt(AFTER_HOURS);

    assertThat(d.outcome()).startsWith("DISABLE_MAPPING failed, retry next run: ");
    assertThat(metric("ControllerStepFailures")).isEqualTo(1.0);
  }

  @Test
  void aStopInOneRunWhoseCallsBothRepeatAnOverlappingRunsCountsOneStopAndNoFailure() {
    Rig budget = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    budget.inService();
    budget.mapping = Mapping.TriggerState.ENABLED;
    budget.refusesRepeats = true;
    Decision[] other = new Decision[1];
    budget.onCall = () -> other[0] = budget.controller.reconcile(budget.now.plusSeconds(1));

    Decision d = budget.runAt(AFTER_HOURS);

    assertThat(other[0].action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(budget.calls).containsExactly("disable", "disable", "delete", "delete");
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.outcome())
        .startsWith("an overlapping run is pausing the trigger already (")
        .contains(
            "; an overlapping run is deleting the endpoint already; its stop is counted once");
    assertThat(EndpointControllerTest.metric(budget.metrics.getLast(), "ControllerStepFailures"))
        .isEqualTo(0.0);
    budget.runAt("2026-01-14T19:01:00Z"); // sees it deleting
    assertThat(budget.table.days(LocalDate.of(2026, 1, 14), LocalDate.of(2026, 1, 14)))
        .singleElement()
        .satisfies(day -> assertThat(day.stops()).isEqualTo(1));
  }

  @Test
  void anEnableRefusedBecauseAnOverlappingRunIsEnablingTheTriggerIsNoFailedStep() {
    readyToEnable();
    Decision[] other = overlappingRunAtTheNextCall();

    Decision d = rig.run();

    assertThat(other[0].action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.calls).containsExactly("probe", "enable", "probe", "enable", "retention");
    assertThat(d.action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(d.outcome()).startsWith("an overlapping run is enabling the trigger already (");
    assertThat(metric("ControllerStepFailures")).isEqualTo(0.0);
    assertThat(rig.state().enabledAt())
        .as("the wake is measured from the enable that landed")
        .isEqualTo(rig.now.plusSeconds(1));
  }

  @Test
  void aWakeRefusedBecauseAnOverlappingRunStartedItIsNoFailedCreateAndCountsOneStart() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    Decision[] other = overlappingRunAtTheNextCall();

    Decision d = rig.run();

    assertThat(other[0].action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.calls).containsExactly("create", "create");
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(d.outcome())
        .startsWith("an overlapping run created the endpoint first; its start is counted once"
            + " (the call answered: ValidationException: Cannot update inference component");
    assertThat(metric("EndpointCreateFailures")).isEqualTo(0.0);
    assertThat(rig.state().createFailures()).as("no backoff").isZero();
    assertThat(rig.state().billing()).isTrue();
    rig.runAt("2026-01-14T09:01:00Z"); // sees it creating
    assertThat(today().starts()).isEqualTo(1);
  }
}
