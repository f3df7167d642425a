package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * Starts and stops SageMaker made for a run that was cut before it could record them: the run died right after its
 * call (its Lambda timeout), or its call was cut and the write of its result was cut too, or a newer run's claim
 * overtook that write. The ledger counts each one once all the same, for the scheduled and the scale-to-zero hosting
 * alike.
 */
class UnrecordedCutsTest {
  private static final LocalDate DAY = LocalDate.parse("2026-01-14");
  private static final String AFTER_HOURS = "2026-01-14T19:00:00Z"; // 20:00 in Berlin

  private Rig rig = new Rig();

  private static ApiCallTimeoutException cut(String call) {
    return ApiCallTimeoutException.create(
        call + " was cut after 300 ms, 5000 ms before this controller run's deadline", null);
  }

  private Ledger.Day today() {
    return rig.table.days(DAY, DAY).stream().findFirst().orElse(new Ledger.Day(DAY, 0, 0, 0, 0));
  }

  /** The rig's table, whose next write after a claim (the step's result) is cut by the run's deadline. */
  private EndpointController resultWriteCut() {
    boolean[] claimed = {false};
    return rig.controller(rig.controller.config(), new ControlStore() {
      @Override
      public Optional<ControlState> load() {
        return rig.table.load();
      }

      @Override
      public boolean save(ControlState next, long expectedVersion) {
        if (claimed[0]) {
          throw cut("DynamoDb's PutItem");
        }
        claimed[0] = true;
        return rig.table.save(next, expectedVersion);
      }

      @Override
      public boolean save(ControlState next, long expectedVersion, List<Ledger.Day> counted) {
        claimed[0] = true;
        return rig.table.save(next, expectedVersion, counted);
      }
    });
  }

  /** Runs until the endpoint is up and then on, so that every run that could count its start has run. */
  private void servesFrom(String instant) {
    rig.runAt(instant);
    rig.inService();
    rig.now = rig.now.plusSeconds(60);
    rig.run();
  }

  /** Runs until the endpoint is gone and then on. */
  private void goneFrom(String instant) {
    rig.runAt(instant);
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.now = rig.now.plusSeconds(600);
    rig.run();
  }

  @Test
  void aCreateThatAppliedIsOneStartThoughItsRunDiedRightAfterIt() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    rig.dieAfterCreate = new Error("the run timed out");
    assertThatThrownBy(rig::run).hasMessage("the run timed out");
    rig.dieAfterCreate = null;

    servesFrom("2026-01-14T09:01:00Z");

    assertThat(rig.calls).containsExactly("create", "probe", "enable", "retention");
    assertThat(today().starts()).isEqualTo(1);
  }

  @Test
  void aCreateCutThatAppliedIsOneStartThoughTheWriteOfItsResultWasCutToo() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    Instant created = rig.now.plusMillis(200);
    rig.onCall = () -> rig.endpoint = Endpoint.Status.of(State.CREATING, null, created, created);
    rig.createError = cut("SageMaker's CreateEndpoint");

    resultWriteCut().reconcile(rig.now);

    rig.createError = null;
    servesFrom("2026-01-14T09:01:00Z");
    assertThat(today().starts()).isEqualTo(1);
  }

  @Test
  void aCreateCutThatAppliedIsOneStartThoughANewerRunsClaimOvertookItsResult() {
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    Instant created = rig.now.plusMillis(200);
    Decision[] newer = new Decision[1];
    rig.onCall = () -> {
      rig.endpoint = Endpoint.Status.of(State.CREATING, null, created, created);
      newer[0] = rig.controller.reconcile(rig.now.plusSeconds(1));
    };
    rig.createError = cut("SageMaker's CreateEndpoint");

    rig.run();

    assertThat(newer[0].action()).as("the newer run saw it creating").isEqualTo(Action.WAIT);
    rig.createError = null;
    servesFrom("2026-01-14T09:01:00Z");
    assertThat(today().starts()).isEqualTo(1);
  }

  /** The endpoint serving after hours with the trigger off: the run at 20:00 in Berlin deletes it. */
  private void servingAfterHours() {
    rig.now = Instant.parse(AFTER_HOURS);
    rig.inService();
  }

  @Test
  void aDeleteThatAppliedIsOneStopThoughItsRunDiedRightAfterIt() {
    servingAfterHours();
    rig.onCall = () -> {
      rig.endpoint = Endpoint.Status.of(State.DELETING, null, rig.endpoint.createdAt(), rig.now);
      throw new Error("the run timed out");
    };
    assertThatThrownBy(rig::run).hasMessage("the run timed out");

    goneFrom("2026-01-14T19:01:00Z");

    assertThat(rig.calls).containsExactly("delete");
    assertThat(today().stops()).isEqualTo(1);
  }

  @Test
  void aDeleteCutThatAppliedIsOneStopThoughTheWriteOfItsResultWasCutToo() {
    servingAfterHours();
    rig.onCall = () ->
        rig.endpoint = Endpoint.Status.of(State.DELETING, null, rig.endpoint.createdAt(), rig.now);
    rig.deleteError = cut("SageMaker's DeleteEndpoint");

    assertThat(resultWriteCut().reconcile(rig.now).action()).isEqualTo(Action.DELETE_ENDPOINT);

    rig.deleteError = null;
    goneFrom("2026-01-14T19:01:00Z");
    assertThat(today().stops()).isEqualTo(1);
  }

  @Test
  void aWakeAndAScaleInOfTheComponentsCopiesAreOneStartAndOneStopThoughTheirRunsDied() {
    rig = new Rig(Rig.SCALE_TO_ZERO);
    Instant componentCreated = rig.now.minusSeconds(2 * 86_400);
    Endpoint.Status asleep = Endpoint.Status.of(State.ABSENT, null, componentCreated, rig.now)
        .withConfig("offhours-endpoint-config", false);
    rig.endpoint = asleep;
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    rig.dieAfterCreate = new Error("the run timed out"); // the copies set back to 1
    assertThatThrownBy(rig::run).hasMessage("the run timed out");
    rig.dieAfterCreate = null;
    servesFrom("2026-01-14T09:01:00Z");
    rig.queue = Backlog.Snapshot.EMPTY;
    rig.mapping = Mapping.TriggerState.DISABLED;

    servingAfterHours();
    rig.onCall = () -> {
      rig.endpoint = Endpoint.Status.of(State.DELETING, null, componentCreated, rig.now)
          .withConfig("offhours-endpoint-config", false); // the copies scaling in
      throw new Error("the run timed out");
    };
    assertThatThrownBy(rig::run).hasMessage("the run timed out");
    rig.runAt("2026-01-14T19:01:00Z");
    rig.endpoint = asleep;
    rig.runAt("2026-01-14T19:30:00Z");

    assertThat(rig.calls).containsExactly("create", "probe", "enable", "retention", "delete");
    assertThat(today().starts()).isEqualTo(1);
    assertThat(today().stops()).isEqualTo(1);
  }
}
