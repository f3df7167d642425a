package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import offhours.endpoint.ControlState.Override.Mode;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.sim.MemoryControlTable;
import org.junit.jupiter.api.Test;

/**
 * The controller's savings ledger: each run adds the billed seconds since the last one, split at local midnight and
 * by the schedule, and a ledger that cannot be written never holds up the run's step.
 */
class EndpointControllerLedgerTest {
  private final Rig rig = new Rig();

  @Test
  void theLedgerSplitsBillingTimeAtLocalMidnight() {
    rig.inService();
    rig.controller.override(
        Mode.START, Instant.parse("2026-01-15T06:00:00Z"), Instant.parse("2026-01-14T22:50:00Z"));
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.runAt("2026-01-14T23:10:00Z"); // 23:50 -> 00:10 Berlin
    assertThat(rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-15")))
        .containsExactly(
            new Ledger.Day(LocalDate.parse("2026-01-14"), 600, 600, 0, 0),
            new Ledger.Day(LocalDate.parse("2026-01-15"), 600, 600, 0, 0));
  }

  @Test
  void theLedgerSeparatesTimeInsideAndOutsideTheSchedule() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(10, 5, 0, 0);
    rig.runAt("2026-01-14T17:30:00Z"); // 18:30 local
    rig.runAt("2026-01-14T18:30:00Z"); // 19:30 local: 30 min in hours, 30 min outside
    assertThat(rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")))
        .containsExactly(new Ledger.Day(LocalDate.parse("2026-01-14"), 3600, 1800, 0, 0));
  }

  @Test
  void runsAtAnyMillisecondAddUpToTheWholeBilledTime() {
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(10, 5, 0, 0);
    Instant t = Instant.parse("2026-01-14T09:00:00.300Z");
    rig.runAt(t.toString());
    for (int i = 0; i < 100; i++) { // a drain: a run every 10.5 s
      t = t.plusMillis(10_500);
      rig.runAt(t.toString());
    }
    assertThat(rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")))
        .as("1,050 s, not 100 x 10 s")
        .containsExactly(new Ledger.Day(LocalDate.parse("2026-01-14"), 1050, 0, 0, 0));
  }

  @Test
  void theFirstRunThatClaimsRecordsWhenTheLedgerStartsAndLaterRunsKeepIt() {
    assertThat(rig.table.started()).isEmpty();
    rig.runAt("2026-01-17T14:00:00Z");
    rig.runAt("2026-01-17T15:00:00Z");
    assertThat(rig.table.started()).contains(Instant.parse("2026-01-17T14:00:00Z"));
  }

  @Test
  void nothingIsBilledWhileTheEndpointIsAbsent() {
    rig.runAt("2026-01-17T10:00:00Z");
    rig.runAt("2026-01-17T11:00:00Z");
    assertThat(rig.table.days(LocalDate.parse("2026-01-17"), LocalDate.parse("2026-01-17")))
        .isEmpty();
  }

  @Test
  void aFailingLedgerWriteNeverBlocksOrFailsTheStep() {
    Ledger broken = new Ledger() {
      @Override
      public void add(Day increment) {
        throw new IllegalStateException("ProvisionedThroughputExceededException");
      }

      @Override
      public List<Day> days(LocalDate from, LocalDate to) {
        return List.of();
      }

      @Override
      public void start(java.time.Instant at) {}

      @Override
      public java.util.Optional<java.time.Instant> started() {
        return java.util.Optional.empty();
      }
    };
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);
    EndpointController controller = new EndpointController(
        rig.controller.config(),
        rigEndpointCreatingOnCreate(),
        new DisabledMapping("the endpoint is only created"),
        () -> rig.queue,
        new MemoryControlTable(),
        broken,
        rig.metrics::add);
    Decision d = controller.reconcile(rig.now);
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(d.outcome())
        .isEqualTo("ok; ledger not updated: ProvisionedThroughputExceededException");
    assertThat(rig.calls).containsExactly("create");
    assertThat(rig.stepFailures())
        .as("the step succeeded; only the savings ledger lost this run's seconds")
        .isEqualTo(0.0);
  }

  private Endpoint rigEndpointCreatingOnCreate() {
    return new Endpoint() {
      @Override
      public Status describe() {
        return Status.ABSENT;
      }

      @Override
      public boolean create() {
        rig.calls.add("create");
        return true;
      }

      @Override
      public void delete() {
        throw new AssertionError();
      }

      @Override
      public Probe probe() {
        throw new AssertionError();
      }
    };
  }
}
