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
 * The controller's savings ledger: each run's claim adds the billed seconds since the last one, split at local midnight
 * and by the schedule, and a ledger start that cannot be written never holds up the run's step.
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
  void anOldStacksFirstRunOfThisVersionRecordsTheEarliestInstantItsLedgerCoversNotTheUpgrade() {
    // Controllers of an older version ran these stacks, the last time at 09:55 Berlin, and never
    // recorded a start; one's endpoint billed since January 5th, the other's never did.
    Rig billed = new Rig();
    billed.table.add(new Ledger.Day(LocalDate.parse("2026-01-05"), 3600, 0, 1, 1));
    billed.table.add(new Ledger.Day(LocalDate.parse("2026-01-12"), 7200, 0, 1, 1));
    Rig neverBilled = new Rig();
    for (Rig old : List.of(billed, neverBilled)) {
      old.table.save(olderVersionsState("2026-01-14T08:55:00Z"), 0);
      old.runAt("2026-01-14T09:00:00Z");
    }

    assertThat(billed.table.started())
        .as("midnight of January 5th in Berlin, not the upgrade's run at 10:00")
        .contains(Instant.parse("2026-01-04T23:00:00Z"));
    assertThat(neverBilled.table.started())
        .as("its ledger has no day; it has counted at least since the run before this one")
        .contains(Instant.parse("2026-01-14T08:55:00Z"));
  }

  @Test
  void theLedgersStartIsReadOncePerContainerAndAFailedWriteIsTriedAgain() {
    List<String> calls = new java.util.ArrayList<>();
    boolean[] failNextStart = {true};
    Ledger counting = new Ledger() {
      @Override
      public void add(Day increment) {
        rig.table.add(increment);
      }

      @Override
      public List<Day> days(LocalDate from, LocalDate to) {
        return rig.table.days(from, to);
      }

      @Override
      public void start(Instant at) {
        calls.add("start " + at);
        if (failNextStart[0]) {
          failNextStart[0] = false;
          throw new IllegalStateException("InternalServerError");
        }
        rig.table.start(at);
      }

      @Override
      public java.util.Optional<Instant> started() {
        calls.add("started");
        return rig.table.started();
      }

      @Override
      public java.util.Optional<LocalDate> firstDay() {
        calls.add("firstDay");
        return rig.table.firstDay();
      }
    };
    EndpointController controller = rig.controller(rig.controller.config(), rig.table, counting);

    controller.reconcile(Instant.parse("2026-01-17T14:00:00Z"));
    controller.reconcile(Instant.parse("2026-01-17T14:05:00Z"));
    controller.reconcile(Instant.parse("2026-01-17T14:10:00Z"));
    controller.reconcile(Instant.parse("2026-01-17T14:15:00Z"));

    assertThat(calls)
        .as("the first run's write failed; the second finds it missing and records the first run,"
            + " the last run before it; later runs read nothing")
        .containsExactly(
            "started",
            "start 2026-01-17T14:00:00Z",
            "started",
            "firstDay",
            "start 2026-01-17T14:00:00Z");
    assertThat(rig.table.started()).contains(Instant.parse("2026-01-17T14:00:00Z"));
  }

  /** The state a controller of a version before the ledger's start left: runs, the last at {@code lastRun}. */
  private static ControlState olderVersionsState(String lastRun) {
    return ControlState.INITIAL
        .withRun(Instant.parse(lastRun), false, "NONE: outside working hours")
        .withVersion(1);
  }

  @Test
  void nothingIsBilledWhileTheEndpointIsAbsent() {
    rig.runAt("2026-01-17T10:00:00Z");
    rig.runAt("2026-01-17T11:00:00Z");
    assertThat(rig.table.days(LocalDate.parse("2026-01-17"), LocalDate.parse("2026-01-17")))
        .isEmpty();
  }

  @Test
  void aFailingWriteOfTheLedgersStartNeverBlocksOrFailsTheStepNorLosesTheClaimsSeconds() {
    Ledger broken = new Ledger() {
      @Override
      public void add(Day increment) {
        throw new AssertionError("the claim counts its seconds with the state: " + increment);
      }

      @Override
      public List<Day> days(LocalDate from, LocalDate to) {
        return List.of();
      }

      @Override
      public void start(java.time.Instant at) {
        throw new IllegalStateException("ProvisionedThroughputExceededException");
      }

      @Override
      public java.util.Optional<java.time.Instant> started() {
        return java.util.Optional.empty();
      }

      @Override
      public java.util.Optional<LocalDate> firstDay() {
        return java.util.Optional.empty();
      }
    };
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);
    // A create a minute ago, claimed billing, that did not apply: this run's claim counts its
    // seconds.
    MemoryControlTable table = new MemoryControlTable();
    table.save(
        ControlStateBuilder.controlState()
            .lastRun(rig.now.minusSeconds(60), true)
            .build(),
        0);
    EndpointController controller = new EndpointController(
        rig.controller.config(),
        rigEndpointCreatingOnCreate(),
        new DisabledMapping("the endpoint is only created"),
        () -> rig.queue,
        table,
        broken,
        rig.metrics::add);
    Decision d = controller.reconcile(rig.now);
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(d.outcome())
        .isEqualTo("ok; ledger not updated: ProvisionedThroughputExceededException");
    assertThat(rig.calls).containsExactly("create");
    assertThat(rig.stepFailures())
        .as("the step succeeded; only the ledger's start is still to record")
        .isEqualTo(0.0);
    assertThat(table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")))
        .containsExactly(new Ledger.Day(LocalDate.parse("2026-01-14"), 60, 0, 0, 0));
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
