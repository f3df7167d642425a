package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import offhours.endpoint.Endpoint.State;
import offhours.endpoint.Mapping.TriggerState;
import org.junit.jupiter.api.Test;

class DrainMeterTest {

  private static final Instant T0 = Instant.parse("2026-03-23T07:00:00Z");
  private static final Endpoint.Status UP = Endpoint.Status.of(State.IN_SERVICE, null, T0, T0);

  @Test
  void withoutAMeasurementTheBudgetPlansWithTheConservativeDefaultOnEachInstance() {
    assertThat(DrainMeter.NONE.expectedPerSecond(1)).isEqualTo(DrainMeter.DEFAULT_PER_SECOND);
    assertThat(DrainMeter.NONE.drain(1000, 1)).isEqualTo(Duration.ofSeconds(500));
    assertThat(DrainMeter.NONE.drain(1000, 3))
        .as("1,000 at 3 x 2 images/s: 166.7 s, rounded up")
        .isEqualTo(Duration.ofSeconds(167));
    assertThatThrownBy(() -> DrainMeter.NONE.drain(1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an endpoint serves on at least 1 instance, got 0");
  }

  @Test
  void aMeasuredRateIsTheWholeEndpointsAndNotMultipliedByItsInstances() {
    DrainMeter measured = new DrainMeter(null, 0, List.of(5.0));
    assertThat(measured.drain(1000, 1)).isEqualTo(Duration.ofSeconds(200));
    assertThat(measured.drain(1000, 4)).isEqualTo(Duration.ofSeconds(200));
  }

  @Test
  void aDrainIsMeasuredFromTheFirstRunThatSeesItToTheFirstRunThatSeesTheQueueIdle() {
    DrainMeter m =
        DrainMeter.NONE.observe(UP, TriggerState.ENABLED, new Backlog.Snapshot(900, 100, 0, 0), T0);
    assertThat(m.since()).isEqualTo(T0);
    assertThat(m.images()).isEqualTo(900); // in flight was already handed out: not counted
    m = m.observe(
        UP, TriggerState.ENABLED, new Backlog.Snapshot(300, 100, 0, 0), T0.plusSeconds(60));
    m = m.observe(UP, TriggerState.ENABLED, Backlog.Snapshot.EMPTY, T0.plusSeconds(180));
    assertThat(m.since()).isNull();
    assertThat(m.perSecond()).containsExactly(5.0);
    assertThat(m.drain(1000, 1)).isEqualTo(Duration.ofSeconds(200));
  }

  @Test
  void smallDrainsAndDrainsCutShortByAStopMeasureNothing() {
    DrainMeter small = DrainMeter.NONE
        .observe(UP, TriggerState.ENABLED, new Backlog.Snapshot(20, 0, 0, 0), T0)
        .observe(UP, TriggerState.ENABLED, Backlog.Snapshot.EMPTY, T0.plusSeconds(60));
    assertThat(small).isEqualTo(DrainMeter.NONE);
    DrainMeter stopped = DrainMeter.NONE
        .observe(UP, TriggerState.ENABLED, new Backlog.Snapshot(900, 0, 0, 0), T0)
        .observe(UP, TriggerState.DISABLED, new Backlog.Snapshot(400, 0, 0, 0), T0.plusSeconds(60))
        .observe(
            Endpoint.Status.ABSENT,
            TriggerState.DISABLED,
            Backlog.Snapshot.EMPTY,
            T0.plusSeconds(120));
    assertThat(stopped).isEqualTo(DrainMeter.NONE);
  }

  @Test
  void theBudgetPlansWithTheMedianOfTheLastMeasurements() {
    List<Double> rates = List.of(9.0, 1.0, 4.0, 5.0, 3.0, 4.5, 4.0, 4.2, 3.8, 4.1, 4.4, 100.0);
    DrainMeter m = new DrainMeter(null, 0, List.of());
    for (double r : rates) {
      m = m.observe(
              UP, TriggerState.ENABLED, new Backlog.Snapshot(Math.round(r * 100), 0, 0, 0), T0)
          .observe(UP, TriggerState.ENABLED, Backlog.Snapshot.EMPTY, T0.plusSeconds(100));
    }
    // 9.0 and 1.0 fell out of the last ten; 1.0 measured nothing anyway (100 images).
    assertThat(m.perSecond()).hasSize(WakePolicy.HISTORY).doesNotContain(9.0);
    assertThat(m.expectedPerSecond(1)).isEqualTo(4.1);
  }
}
