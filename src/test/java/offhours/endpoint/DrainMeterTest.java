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
  void aMeasuredRateIsTheWholeEndpointsAndNotMultipliedByTheInstancesItWasMeasuredOn() {
    DrainMeter measured = new DrainMeter(null, 0, List.of(new DrainMeter.Rate(5.0, 4)));
    assertThat(measured.drain(1000, 4)).isEqualTo(Duration.ofSeconds(200));
  }

  @Test
  void aDrainIsMeasuredFromTheFirstRunThatSeesItToTheFirstRunThatSeesTheQueueIdle() {
    DrainMeter m = DrainMeter.NONE.observe(
        UP, TriggerState.ENABLED, new Backlog.Snapshot(900, 100, 0, 0), T0, 1);
    assertThat(m.since()).isEqualTo(T0);
    assertThat(m.images()).isEqualTo(900); // in flight was already handed out: not counted
    m = m.observe(
        UP, TriggerState.ENABLED, new Backlog.Snapshot(300, 100, 0, 0), T0.plusSeconds(60), 1);
    m = m.observe(UP, TriggerState.ENABLED, Backlog.Snapshot.EMPTY, T0.plusSeconds(180), 1);
    assertThat(m.since()).isNull();
    assertThat(m.rates()).containsExactly(new DrainMeter.Rate(5.0, 1));
    assertThat(m.drain(1000, 1)).isEqualTo(Duration.ofSeconds(200));
  }

  @Test
  void smallDrainsAndDrainsCutShortByAStopMeasureNothing() {
    DrainMeter small = DrainMeter.NONE
        .observe(UP, TriggerState.ENABLED, new Backlog.Snapshot(20, 0, 0, 0), T0, 1)
        .observe(UP, TriggerState.ENABLED, Backlog.Snapshot.EMPTY, T0.plusSeconds(60), 1);
    assertThat(small).isEqualTo(DrainMeter.NONE);
    DrainMeter stopped = DrainMeter.NONE
        .observe(UP, TriggerState.ENABLED, new Backlog.Snapshot(900, 0, 0, 0), T0, 1)
        .observe(
            UP, TriggerState.DISABLED, new Backlog.Snapshot(400, 0, 0, 0), T0.plusSeconds(60), 1)
        .observe(
            Endpoint.Status.ABSENT,
            TriggerState.DISABLED,
            Backlog.Snapshot.EMPTY,
            T0.plusSeconds(120),
            1);
    assertThat(stopped).isEqualTo(DrainMeter.NONE);
  }

  @Test
  void theBudgetPlansWithTheMedianOfTheLastMeasurements() {
    List<Double> rates = List.of(9.0, 1.0, 4.0, 5.0, 3.0, 4.5, 4.0, 4.2, 3.8, 4.1, 4.4, 100.0);
    DrainMeter m = new DrainMeter(null, 0, List.of());
    for (double r : rates) {
      m = m.observe(
              UP, TriggerState.ENABLED, new Backlog.Snapshot(Math.round(r * 100), 0, 0, 0), T0, 1)
          .observe(UP, TriggerState.ENABLED, Backlog.Snapshot.EMPTY, T0.plusSeconds(100), 1);
    }
    // 9.0 and 1.0 fell out of the last ten; 1.0 measured nothing anyway (100 images).
    assertThat(m.rates())
        .hasSize(LearnedTimes.HISTORY)
        .extracting(DrainMeter.Rate::perSecond)
        .doesNotContain(9.0);
    assertThat(m.expectedPerSecond(1)).isEqualTo(4.1);
  }

  private static DrainMeter measured(DrainMeter.Rate... rates) {
    return new DrainMeter(null, 0, List.of(rates));
  }

  @Test
  void aRateMeasuredOnMoreInstancesIsScaledDownInProportionSoTheBudgetIsNotLate() {
    DrainMeter onFour = measured(new DrainMeter.Rate(20.0, 4));
    assertThat(onFour.expectedPerSecond(1)).as("20/s on 4: 5/s on 1").isEqualTo(5.0);
    assertThat(onFour.drain(1000, 1)).as("1,000 at 5/s, not 50 s at 20/s").hasSeconds(200);
    assertThat(onFour.expectedPerSecond(2)).isEqualTo(10.0);
    assertThat(onFour.drain(1000, 4)).as("its own count: as measured").hasSeconds(50);
  }

  @Test
  void aRateMeasuredOnFewerInstancesIsPlannedAsMeasuredNotAGuessedFasterOne() {
    assertThat(measured(new DrainMeter.Rate(5.0, 1)).expectedPerSecond(4))
        .as(
            "5/s on 1: on 4 between 5 (the consumer bounds it) and 20 (linear); 5 is never too fast")
        .isEqualTo(5.0);
    assertThat(measured(new DrainMeter.Rate(5.0, 1)).drain(1000, 4))
        .as("1,000 at 5/s until a drain on 4 is measured")
        .hasSeconds(200);
    assertThat(measured(new DrainMeter.Rate(5.0, 1), new DrainMeter.Rate(16.0, 4))
            .expectedPerSecond(4))
        .as("a drain measured on 4 replaces the one on 1")
        .isEqualTo(16.0);
  }

  @Test
  void ratesMeasuredOnTheCurrentCountReplaceScaledOnes() {
    DrainMeter mixed = measured(
        new DrainMeter.Rate(20.0, 4),
        new DrainMeter.Rate(21.0, 4),
        new DrainMeter.Rate(19.0, 4),
        new DrainMeter.Rate(3.0, 1));
    assertThat(mixed.expectedPerSecond(1))
        .as("the one drain on 1, not 5/s scaled")
        .isEqualTo(3.0);
    assertThat(mixed.measuredOn(1)).isTrue();
    assertThat(mixed.expectedPerSecond(4)).isEqualTo(20.0);
    assertThat(mixed.measuredOn(2)).isFalse();
    assertThat(mixed.expectedPerSecond(2))
        .as("none on 2: the lower median of 10, 10.5, 9.5 (halved) and 4 (3/s on 1: 6 linear, the"
            + " default's 2 x 2 at most)")
        .isEqualTo(9.5);
  }

  @Test
  void aRateReadWithoutItsCountIsTheReadersAndTheControllerRecordsItsCountWithEachDrain() {
    DrainMeter old = measured(new DrainMeter.Rate(5.0, 0));
    assertThat(old.drain(1000, 4)).as("taken as measured on the current count").hasSeconds(200);
    assertThat(old.measuredOn(3)).isTrue();

    DrainMeter m = old.observe(UP, TriggerState.ENABLED, new Backlog.Snapshot(900, 0, 0, 0), T0, 3)
        .observe(UP, TriggerState.ENABLED, Backlog.Snapshot.EMPTY, T0.plusSeconds(100), 3);
    assertThat(m.rates()).containsExactly(new DrainMeter.Rate(5.0, 3), new DrainMeter.Rate(9.0, 3));
  }

  @Test
  void aDrainEndingOnAnEndpointOfUnknownCountMeasuresNothing() {
    DrainMeter m = DrainMeter.NONE
        .observe(UP, TriggerState.ENABLED, new Backlog.Snapshot(900, 0, 0, 0), T0, 1)
        .observe(UP, TriggerState.ENABLED, Backlog.Snapshot.EMPTY, T0.plusSeconds(100), 0);
    assertThat(m).isEqualTo(DrainMeter.NONE);
  }

  @Test
  void aRateIsPositiveAndItsCountNotNegative() {
    assertThatThrownBy(() -> new DrainMeter.Rate(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a drain rate needs images/s > 0 and instances >= 0, got 0.0, 1");
    assertThatThrownBy(() -> new DrainMeter.Rate(2.0, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
