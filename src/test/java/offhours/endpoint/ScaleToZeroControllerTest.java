package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;

/**
 * The controller's decisions with Hosting scale-to-zero, over the states {@link ComponentEndpoint} reports: asleep is
 * ABSENT (a wake is a create), scaling in is DELETING (waited for, and billed), and the settings that must agree.
 */
class ScaleToZeroControllerTest {
  private static final Map<String, String> SCALE_TO_ZERO = Rig.SCALE_TO_ZERO;
  private final Rig rig = new Rig(SCALE_TO_ZERO);

  @Test
  void theSettingsNameTheComponentTheProbeInvokesAndTheModelItRuns() {
    ControllerConfig config = rig.controller.config();
    assertThat(config.hosting()).isEqualTo(Hosting.SCALE_TO_ZERO);
    assertThat(config.model().inferenceComponentName()).isEqualTo("offhours-component");
    assertThat(config.modelName()).isEqualTo("offhours-model");
  }

  @Test
  void scaleToZeroWithoutAComponentOrModelNameAndAComponentNameWithoutScaleToZeroAreRefused() {
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("INFERENCE_COMPONENT_NAME", "")))
        .hasMessageStartingWith(
            "INFERENCE_COMPONENT_NAME is not set; HOSTING scale-to-zero invokes");
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("MODEL_NAME", " ")))
        .hasMessageStartingWith("MODEL_NAME is not set; HOSTING scale-to-zero deploys that model");
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("HOSTING", "scheduled")))
        .hasMessage(
            "INFERENCE_COMPONENT_NAME is offhours-component but HOSTING is scheduled; only scale-to-zero"
                + " hosts an inference component");
  }

  @Test
  void anAsleepComponentIsWokenByACreateCountedAsAStart() {
    rig.endpoint = Endpoint.Status.of(State.ABSENT, null, null, null)
        .withConfig("offhours-endpoint-config", false);
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.calls).containsExactly("create");
    rig.runAt("2026-01-14T09:01:00Z"); // sees the copies coming up
    assertThat(rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")))
        .singleElement()
        .satisfies(day -> assertThat(day.starts()).isEqualTo(1));
  }

  @Test
  void whileCopiesAndInstancesScaleInTheWakeWaitsAndTheTimeIsBilled() {
    rig.endpoint = Endpoint.Status.of(State.DELETING, null, rig.now.minusSeconds(3600), rig.now);
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    assertThat(rig.run().action()).isEqualTo(Action.WAIT);
    rig.now = rig.now.plusSeconds(600);
    assertThat(rig.run().action()).isEqualTo(Action.WAIT);
    assertThat(rig.calls).isEmpty();
    assertThat(rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")))
        .singleElement()
        .satisfies(day -> assertThat(day.endpointSeconds()).isEqualTo(600));
  }

  @Test
  void onceTheCopiesAreDownTheInstancesStillUpAreWokenAtOnceRatherThanWaitedOut() {
    rig.endpoint = copiesDownInstancesUp();
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);

    Decision d = rig.run();

    assertThat(d.action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(d.why()).startsWith("copies at 0 on instances not yet removed");
    assertThat(rig.calls).containsExactly("create");
    rig.runAt("2026-01-14T09:01:00Z");
    assertThat(rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")))
        .singleElement()
        .satisfies(day -> assertThat(day.starts()).as("a wake like any other").isEqualTo(1));
  }

  @Test
  void aWakeCutByTheRunsDeadlineIsCountedByTheRunThatSeesTheCopiesUpNoEarlierThanTheCutRun() {
    rig.endpoint = copiesDownInstancesUp();
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    // The copies came up, and DescribeInferenceComponent dates an InService component at its
    // CreationTime, two days before this wake.
    rig.onCall = () -> rig.endpoint =
        Endpoint.Status.of(State.IN_SERVICE, null, rig.now.minusSeconds(2 * 86_400), rig.now);
    rig.createError = software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(
        "SageMaker's UpdateInferenceComponentRuntimeConfig was cut", null);
    rig.run();
    rig.createError = null;

    rig.runAt("2026-01-14T09:01:00Z");

    assertThat(rig.table.days(LocalDate.parse("2026-01-12"), LocalDate.parse("2026-01-14")))
        .singleElement()
        .satisfies(day -> {
          assertThat(day.date()).isEqualTo(LocalDate.parse("2026-01-14"));
          assertThat(day.starts()).isEqualTo(1);
        });
  }

  @Test
  void aWakeCutBeforeTheCopiesCameUpIsNotCounted() {
    rig.endpoint = copiesDownInstancesUp();
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    rig.createError = software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(
        "SageMaker's UpdateInferenceComponentRuntimeConfig was cut", null);
    rig.run();
    rig.createError = null;

    // The copies are still at 0 on instances going: the cut wake made no start, and this run wakes.
    Decision next = rig.runAt("2026-01-14T09:01:00Z");

    assertThat(next.action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(next.outcome()).isEqualTo("ok");
    rig.runAt("2026-01-14T09:02:00Z");
    assertThat(rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")))
        .singleElement()
        .satisfies(day -> assertThat(day.starts()).as("this run's wake only").isEqualTo(1));
  }

  @Test
  void withNothingWaitingTheInstancesStillUpAreLeftToGo() {
    rig.now = Instant.parse("2026-01-17T09:00:00Z"); // Saturday: outside working hours
    rig.endpoint = copiesDownInstancesUp();

    assertThat(rig.run().action()).isEqualTo(Action.WAIT);
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void instancesWithoutAComponentAreStoppedNotWaitedFor() {
    // The wish turned off after CreateEndpoint and before the component: its instances stay until
    // a component is there, so waiting for them to go would bill them for ever.
    rig.now = Instant.parse("2026-01-17T09:00:00Z"); // Saturday: outside working hours
    rig.endpoint = instancesWithoutComponent(rig.now.minusSeconds(600));

    Decision d = rig.run();

    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.why()).startsWith("stop: instances without an inference component");
    assertThat(rig.calls).containsExactly("delete");
  }

  @Test
  void aComponentOfAnOlderModelIsDrainedThenReplaced() {
    rig.endpoint = Endpoint.Status.of(State.IN_SERVICE, null, rig.now.minusSeconds(3600), rig.now)
        .withConfig("offhours-endpoint-config with model offhours-model-old", false);
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    assertThat(rig.run().action()).isEqualTo(Action.DISABLE_MAPPING);
    rig.mapping = Mapping.TriggerState.DISABLED;
    Decision d = rig.run();
    assertThat(d.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(d.why())
        .startsWith("replace: the endpoint runs config offhours-endpoint-config with model"
            + " offhours-model-old");
  }

  @Test
  void aScaleInIsLearnedAsALongStopYetTheNextDrainStopsAtOnceForAWakeDuringItIsAResume() {
    Rig rig = servingWithBudget("15", ControlState.INITIAL.withWake(600).withVersion(1));
    // 10 min wakes + the 2 min default stop < the 15 min budget: a drained endpoint stops at once.
    assertThat(rig.run().action()).isEqualTo(Action.DELETE_ENDPOINT);
    Instant copiesToZero = rig.now;

    // Copies scale in, then the instances go: 24 minutes of DELETING, every second billed.
    rig.mapping = Mapping.TriggerState.DISABLED;
    rig.now = copiesToZero.plusSeconds(600);
    Decision scalingIn = rig.run();
    assertThat(scalingIn.action()).isEqualTo(Action.WAIT);
    assertThat(scalingIn.nextRunAt()).isEqualTo(rig.now.plusSeconds(12));
    rig.now = copiesToZero.plusSeconds(1440);
    rig.endpoint = Endpoint.Status.of(State.ABSENT, null, null, null)
        .withConfig("offhours-endpoint-config", false);
    rig.run();
    assertThat(rig.state().stopSeconds()).containsExactly(1440L);

    // Woken again and drained. Staying 10 + 24 - 15 = 19 min would weigh the whole scale-in, but
    // its instances are billed whether the endpoint stays or not, and a wake while they are up is a
    // resume: only the copies' part counts, and 10 + 2 - 15 < 0 stops at once.
    rig.now = rig.now.plusSeconds(3600);
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    rig.run();
    rig.now = rig.now.plusSeconds(60);
    rig.queue = Backlog.Snapshot.EMPTY;
    Decision drained = rig.run();
    assertThat(drained.action()).as(drained.toString()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(drained.wantOn()).isFalse();
  }

  @Test
  void aBudgetNearTheWakeStaysOnlyForTheCopiesPartOfTheScaleIn() {
    Rig rig = servingWithBudget(
        "11", ControlState.INITIAL.withWake(600).withStop(1440).withVersion(1));

    Decision drained = rig.run();
    assertThat(drained.action()).as(drained.toString()).isEqualTo(Action.NONE);
    assertThat(drained.wantOn()).isTrue();
    assertThat(drained.nextRunAt())
        .as("10 + 2 - 11 minutes, not 10 + 24 - 11")
        .isEqualTo(rig.now.plusSeconds(60));
    rig.now = rig.now.plusSeconds(60);
    assertThat(rig.run().action()).isEqualTo(Action.DELETE_ENDPOINT);
  }

  @Test
  void theStayForAStreamEndsAWakeAndTheCopiesPartOfAStopAfterTheMeasurement() {
    Map<String, String> budget = new HashMap<>(SCALE_TO_ZERO);
    budget.put("MAX_WAIT_MINUTES", "60");
    Rig rig = new Rig(budget);
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    // 3 uploads a minute measured 11 min 45 s ago, drained 5 s ago; 10 min wakes, 24 min scale-ins.
    rig.seed(ControlStateBuilder.controlState()
        .idleSince(rig.now.minusSeconds(5))
        .scheduleOpen(true)
        .lastRun(rig.now.minusSeconds(10), true)
        .wakeSeconds(java.util.List.of(600L))
        .stopSeconds(java.util.List.of(1440L))
        .arrivals(new Arrivals(rig.now.minusSeconds(10), 0, 0, rig.now.minusSeconds(705), 0.05))
        .build());
    Decision d = rig.run();
    assertThat(d.wantOn()).as(d.toString()).isTrue();
    assertThat(d.nextRunAt())
        .as("10 + 2 min after the measurement, before the half minute's end; not 10 + 24")
        .isEqualTo(rig.now.plusSeconds(15));
    assertThat(d.wantReason()).contains("a stop (about 2 min) and a wake (about 10 min)");
  }

  @Test
  void theFirstWakeCreatesTheEndpointThenTheComponentAndIsMeasuredFromTheFirstStep() {
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    Instant issued = rig.now;
    assertThat(rig.run().action()).as("the endpoint").isEqualTo(Action.CREATE_ENDPOINT);
    rig.now = issued.plusSeconds(300);
    rig.endpoint = Endpoint.Status.of(State.ABSENT, null, null, null)
        .withConfig("offhours-endpoint-config", false);
    assertThat(rig.run().action()).as("then the component").isEqualTo(Action.CREATE_ENDPOINT);
    rig.now = issued.plusSeconds(480);
    rig.endpoint = Endpoint.Status.of(State.IN_SERVICE, null, issued.plusSeconds(300), rig.now)
        .withConfig("offhours-endpoint-config", false);
    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);
    rig.now = issued.plusSeconds(510);
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.run();
    assertThat(rig.state().wakeSeconds()).containsExactly(510L);
  }

  @Test
  void aWakeFromNothingIsOneStartThoughItCreatesTheEndpointAndThenTheComponent() {
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    assertThat(rig.run().action()).as("the endpoint").isEqualTo(Action.CREATE_ENDPOINT);
    rig.now = rig.now.plusSeconds(300);
    rig.endpoint = endpointWithoutComponent(rig.now.minusSeconds(299));
    assertThat(rig.run().action()).as("then the component").isEqualTo(Action.CREATE_ENDPOINT);
    Instant componentCreated = rig.now;
    rig.now = rig.now.plusSeconds(180);
    rig.inService();
    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);
    rig.now = rig.now.plusSeconds(30);
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.run();
    assertThat(starts()).as("one wake").isEqualTo(1);

    // Drained, stopped, scaled in: the next wake sets the copies back, one step and one start.
    rig.queue = Backlog.Snapshot.EMPTY;
    rig.runAt("2026-01-14T12:00:00Z"); // idle from 13:00 in Berlin
    assertThat(rig.runAt("2026-01-14T12:31:00Z").action()).isEqualTo(Action.DISABLE_MAPPING);
    rig.mapping = Mapping.TriggerState.DISABLED;
    rig.now = rig.now.plusSeconds(60);
    assertThat(rig.run().action()).isEqualTo(Action.DELETE_ENDPOINT);
    rig.now = rig.now.plusSeconds(1800);
    // Asleep: the component at 0 copies on no instance, dated at its creation in the first wake.
    rig.endpoint = Endpoint.Status.of(State.ABSENT, null, componentCreated, rig.now)
        .withConfig("offhours-endpoint-config", false);
    rig.run();
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);
    rig.now = rig.now.plusSeconds(60);
    assertThat(rig.run().action()).isEqualTo(Action.CREATE_ENDPOINT);
    rig.now = rig.now.plusSeconds(420);
    rig.inService();
    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);

    assertThat(rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")))
        .singleElement()
        .satisfies(day -> {
          assertThat(day.starts()).as("two wakes").isEqualTo(2);
          assertThat(day.stops()).isEqualTo(1);
        });
  }

  @Test
  void aWakeFromNothingWhoseEndpointHoldsInstancesBeforeItsComponentIsOneStartAndNoStop() {
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    rig.run(); // the endpoint
    rig.now = rig.now.plusSeconds(300);
    rig.endpoint = instancesWithoutComponent(rig.now.minusSeconds(299));
    assertThat(rig.run().action()).as("the component").isEqualTo(Action.CREATE_ENDPOINT);
    rig.now = rig.now.plusSeconds(180);
    rig.inService();
    rig.run();

    assertThat(starts()).isEqualTo(1);
    assertThat(rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")))
        .singleElement()
        .satisfies(day -> assertThat(day.stops()).isZero());
  }

  @Test
  void theComponentsStepOfAFirstWakeCutByTheDeadlineIsNoSecondStart() {
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    rig.run(); // the endpoint, its start counted
    rig.now = rig.now.plusSeconds(300);
    rig.endpoint = endpointWithoutComponent(rig.now.minusSeconds(299));
    rig.onCall = () -> rig.inService();
    rig.createError = software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(
        "SageMaker's CreateInferenceComponent was cut", null);
    rig.run();
    rig.createError = null;

    rig.now = rig.now.plusSeconds(60);
    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(starts()).isEqualTo(1);
  }

  @Test
  void aComponentCreatedAgainOnAnEndpointOfAnEarlierWakeIsAStart() {
    // The component of an older model was deleted (a stop): its replacement is a wake of its own.
    rig.endpoint = endpointWithoutComponent(rig.now.minusSeconds(86_400));
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    assertThat(rig.run().action()).isEqualTo(Action.CREATE_ENDPOINT);
    rig.runAt("2026-01-14T09:01:00Z");
    assertThat(starts()).isEqualTo(1);
  }

  @Test
  void aScaleInCutByTheDeadlineThatAppliedIsOneStop() {
    rig.now = Instant.parse("2026-01-17T09:00:00Z"); // Saturday: outside working hours
    rig.inService();
    rig.onCall = () -> rig.endpoint = copiesDownInstancesUp();
    rig.deleteError = software.amazon.awssdk.core.exception.ApiCallTimeoutException.create(
        "SageMaker's UpdateInferenceComponentRuntimeConfig was cut", null);
    assertThat(rig.run().action()).isEqualTo(Action.DELETE_ENDPOINT);
    rig.deleteError = null;

    rig.now = rig.now.plusSeconds(60);
    assertThat(rig.run().action()).isEqualTo(Action.WAIT);
    assertThat(rig.table.days(LocalDate.parse("2026-01-17"), LocalDate.parse("2026-01-17")))
        .singleElement()
        .satisfies(day -> assertThat(day.stops()).isEqualTo(1));
  }

  /**
   * The endpoint InService since {@code created} on instances but without its component, as ComponentEndpoint reports
   * it: billed, and a stop still to issue.
   */
  private Endpoint.Status instancesWithoutComponent(Instant created) {
    return Endpoint.Status.of(
            State.DELETING, "no inference component on instances not yet removed", created, rig.now)
        .withConfig("offhours-endpoint-config", false)
        .withResumable(true)
        .withNeedsStop(true);
  }

  /** The endpoint up since {@code created} without its component, as ComponentEndpoint reports it. */
  private static Endpoint.Status endpointWithoutComponent(Instant created) {
    return Endpoint.Status.of(State.ABSENT, null, created, created)
        .withConfig("offhours-endpoint-config", false);
  }

  private long starts() {
    return rig.table.days(LocalDate.parse("2026-01-14"), LocalDate.parse("2026-01-14")).stream()
        .mapToLong(Ledger.Day::starts)
        .sum();
  }

  @Test
  void aWakeIsMeasuredFromTheRunThatIssuedItAndAResumeIsNotMeasured() {
    rig.endpoint = Endpoint.Status.of(State.ABSENT, null, null, null)
        .withConfig("offhours-endpoint-config", false);
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    Instant issued = rig.now;
    assertThat(rig.run().action()).isEqualTo(Action.CREATE_ENDPOINT);
    // Copies up 7 minutes later; the component's CreationTime is its first deployment, days ago.
    rig.now = issued.plusSeconds(420);
    rig.endpoint = Endpoint.Status.of(
            State.IN_SERVICE, null, issued.minusSeconds(5 * 86400), issued)
        .withConfig("offhours-endpoint-config", false);
    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);
    rig.now = issued.plusSeconds(450);
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.run();
    assertThat(rig.state().wakeSeconds()).containsExactly(450L);

    // Stopped an hour later, and woken again while the instances are still up: a resume.
    rig.now = issued.plusSeconds(3600);
    rig.mapping = Mapping.TriggerState.DISABLED;
    rig.endpoint = copiesDownInstancesUp();
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);
    assertThat(rig.run().action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.state().wakeIssuedAt()).isNull();
    rig.now = rig.now.plusSeconds(90);
    rig.endpoint = Endpoint.Status.of(
            State.IN_SERVICE, null, issued.minusSeconds(5 * 86400), rig.now)
        .withConfig("offhours-endpoint-config", false);
    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);
    rig.now = rig.now.plusSeconds(30);
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.run();
    assertThat(rig.state().wakeSeconds())
        .as("a resume plans nothing: the next wake may be from no instance")
        .containsExactly(450L);
    assertThat(rig.state().enabledAt()).isNull();
  }

  /** A serving component with the trigger polling, MAX_WAIT_MINUTES={@code minutes} and {@code learned}. */
  private static Rig servingWithBudget(String minutes, ControlState learned) {
    Map<String, String> budget = new HashMap<>(SCALE_TO_ZERO);
    budget.put("MAX_WAIT_MINUTES", minutes);
    Rig rig = new Rig(budget);
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.seed(learned);
    return rig;
  }

  private static Map<String, String> env(String name, String value) {
    Map<String, String> env = new HashMap<>(Rig.ENV);
    env.putAll(SCALE_TO_ZERO);
    env.put(name, value);
    return env;
  }

  /** Scale-in's second half: the copies are at 0 and settled, the instances not yet removed. */
  private Endpoint.Status copiesDownInstancesUp() {
    return Endpoint.Status.of(State.DELETING, null, rig.now.minusSeconds(3600), rig.now)
        .withConfig("offhours-endpoint-config", false)
        .withResumable(true);
  }
}
