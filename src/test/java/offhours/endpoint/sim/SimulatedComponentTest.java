package offhours.endpoint.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Endpoint.State;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;

/**
 * The simulated scale-to-zero hosting as the controller sees it: the deployed {@code ComponentEndpoint} over the
 * in-memory component, phase by phase (state, createdAt, resumable), and the instance-seconds billed. Default times:
 * instance 5 min, copy 2 min, copies to 0 in 2 min, instance idle 10 min.
 */
class SimulatedComponentTest {
  private static final Instant START = Instant.parse("2026-03-23T06:00:00Z");
  private static final SimulationConfig CONFIG =
      SimulationConfig.defaults().withHosting(Hosting.SCALE_TO_ZERO);

  private final World world = world(CONFIG);
  private final Endpoint endpoint = world.endpoint();

  private static World world(SimulationConfig config) {
    return new World(config, START, config.controllerConfig(Map.of()));
  }

  private void advance(World w, Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      w.step();
    }
  }

  private void advance(Duration d) {
    advance(world, d);
  }

  private Instant at(int minutes) {
    return START.plus(Duration.ofMinutes(minutes));
  }

  @Test
  void
      asleepWithoutAComponentIsAbsentAndUnbilledAndTheFirstCreateMakesTheComponentOnANewInstance() {
    assertThat(endpoint.describe().state()).isEqualTo(State.ABSENT);
    assertThat(endpoint.describe().createdAt())
        .as("the endpoint's CreationTime, before any wake")
        .isEqualTo(START);
    assertThat(endpoint.describe().configName()).isEqualTo(SimulationConfig.ENDPOINT_CONFIG);
    advance(Duration.ofMinutes(30));
    assertThat(world.billedSeconds).isZero();

    endpoint.create(); // at 30 min: CreateInferenceComponent, an instance launched for its copy

    assertThat(world.component.creationTime).isEqualTo(at(30));
    Endpoint.Status creating = endpoint.describe();
    assertThat(creating.state()).isEqualTo(State.CREATING);
    assertThat(creating.createdAt()).isEqualTo(at(30));
    assertThat(endpoint.probe().ok()).isFalse();
    advance(Duration.ofMinutes(7).minusSeconds(1)); // instance 5 min + copy 2 min
    assertThat(endpoint.describe().state()).isEqualTo(State.CREATING);
    advance(Duration.ofSeconds(1));
    assertThat(endpoint.describe().state()).isEqualTo(State.IN_SERVICE);
    assertThat(endpoint.describe().createdAt()).isEqualTo(at(30));
    assertThat(endpoint.probe().ok()).isTrue();
    assertThat(world.billedSeconds).isEqualTo(7 * 60);
  }

  @Test
  void aStopScalesTheCopiesInThenIsResumableWhileTheInstanceIdlesThenTheInstanceGoes() {
    endpoint.create();
    advance(Duration.ofMinutes(7));
    advance(Duration.ofMinutes(53)); // serving until 60 min

    endpoint.delete(); // UpdateInferenceComponentRuntimeConfig to 0 copies

    Endpoint.Status scalingIn = endpoint.describe();
    assertThat(scalingIn.state()).isEqualTo(State.DELETING);
    assertThat(scalingIn.resumable()).as("the copy is still there").isFalse();
    assertThat(scalingIn.createdAt()).isEqualTo(START);
    assertThat(scalingIn.modifiedAt()).isEqualTo(at(60));
    advance(Duration.ofMinutes(2)); // the copies settle at 0
    Endpoint.Status idle = endpoint.describe();
    assertThat(idle.state()).isEqualTo(State.DELETING);
    assertThat(idle.resumable()).isTrue();
    assertThat(idle.billing()).isTrue();
    assertThat(endpoint.probe().ok()).isFalse();
    advance(Duration.ofMinutes(10).minusSeconds(1));
    assertThat(endpoint.describe().resumable()).isTrue();
    advance(Duration.ofSeconds(1)); // managed instance scaling removes the instance
    Endpoint.Status asleep = endpoint.describe();
    assertThat(asleep.state()).isEqualTo(State.ABSENT);
    assertThat(asleep.resumable()).isFalse();
    assertThat(asleep.createdAt()).as("the component stays").isEqualTo(START);
    assertThat(world.billedSeconds).isEqualTo(72 * 60);
    advance(Duration.ofHours(3));
    assertThat(world.billedSeconds).isEqualTo(72 * 60);
    assertThat(world.billed).hasSize(1);
    assertThat(world.billed.getFirst()).containsExactly(START, at(72));
  }

  @Test
  void aWakeFromAsleepLaunchesAnInstanceAndItsCreatedAtIsWhenTheCopiesWereSetBack() {
    endpoint.create();
    advance(Duration.ofMinutes(7));
    endpoint.delete();
    advance(Duration.ofMinutes(12)); // asleep at 19 min
    advance(Duration.ofMinutes(41));

    endpoint.create(); // at 60 min: the copies set back to 1

    Endpoint.Status waking = endpoint.describe();
    assertThat(waking.state()).isEqualTo(State.CREATING);
    assertThat(waking.createdAt()).as("the component's LastModifiedTime").isEqualTo(at(60));
    advance(Duration.ofMinutes(7).minusSeconds(1));
    assertThat(endpoint.describe().state()).isEqualTo(State.CREATING);
    advance(Duration.ofSeconds(1));
    Endpoint.Status serving = endpoint.describe();
    assertThat(serving.state()).isEqualTo(State.IN_SERVICE);
    assertThat(serving.createdAt())
        .as("the component's CreationTime, its first creation")
        .isEqualTo(START);
    assertThat(world.billedSeconds).isEqualTo((19 + 7) * 60);
    assertThat(world.billed).hasSize(2);
  }

  @Test
  void aWakeWhileResumableLoadsTheCopyOnTheInstanceStillUpAndTheBillDoesNotStop() {
    endpoint.create();
    advance(Duration.ofMinutes(7));
    endpoint.delete();
    advance(Duration.ofMinutes(5)); // copies at 0 since 9 min, the instance idles until 19 min
    assertThat(endpoint.describe().resumable()).isTrue();

    endpoint.create(); // at 12 min

    assertThat(endpoint.describe().state()).isEqualTo(State.CREATING);
    assertThat(endpoint.describe().createdAt()).isEqualTo(at(12));
    advance(Duration.ofMinutes(2).minusSeconds(1));
    assertThat(endpoint.describe().state()).isEqualTo(State.CREATING);
    advance(Duration.ofSeconds(1)); // the copy load only
    assertThat(endpoint.describe().state()).isEqualTo(State.IN_SERVICE);
    advance(Duration.ofMinutes(30)); // no instance removal pending any more
    assertThat(endpoint.describe().state()).isEqualTo(State.IN_SERVICE);
    assertThat(world.billed).hasSize(1);
    assertThat(world.billedSeconds).isEqualTo(44 * 60);
  }

  @Test
  void aFailedScaleOutIsDeletedAndTheNextComponentLoadsOnTheInstanceStillUp() {
    World w = world(CONFIG.withCreateFailures(1));
    Endpoint e = w.endpoint();
    e.create();
    advance(w, Duration.ofMinutes(7));
    Endpoint.Status failed = e.describe();
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.failureReason()).startsWith("simulated capacity error");
    assertThatThrownBy(e::create)
        .hasMessageContaining("Cannot update inference component in Failed status");

    e.delete(); // DeleteInferenceComponent
    assertThat(e.describe().state()).isEqualTo(State.DELETING);
    advance(w, Duration.ofMinutes(2));
    assertThat(w.component.billing()).as("its instance idles").isTrue();
    assertThat(e.describe().state())
        .as("no component, but an instance that bills: a stop a wake can resume")
        .isEqualTo(State.DELETING);
    assertThat(e.describe().resumable()).isTrue();
    e.create(); // a new component at 9 min
    advance(w, Duration.ofMinutes(2));
    assertThat(e.describe().state()).isEqualTo(State.IN_SERVICE);
    assertThat(e.describe().createdAt()).isEqualTo(at(9));
    assertThat(w.billed).hasSize(1);
  }

  @Test
  void theScheduledHostingHasNoComponentAndTheSimulationRefusesServerless() {
    World scheduled = world(SimulationConfig.defaults());
    assertThat(scheduled.component).isNull();
    scheduled.endpoint().create();
    assertThat(scheduled.endpoint().describe().state()).isEqualTo(State.CREATING);
    assertThatThrownBy(() -> SimulationConfig.defaults().withHosting(Hosting.SERVERLESS))
        .hasMessage("the simulation switches a scheduled or a scale-to-zero endpoint, not"
            + " serverless (a serverless endpoint is never switched)");
  }
}
