package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
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
}
