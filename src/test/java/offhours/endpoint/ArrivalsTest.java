package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArrivalsTest {
  private static final Instant T0 = Instant.parse("2026-01-15T06:20:00Z");
  private static final Mapping.TriggerState PAUSED = Mapping.TriggerState.DISABLED;

  private static Backlog.Snapshot queue(long visible, long inFlight, long delayed) {
    return new Backlog.Snapshot(visible, inFlight, delayed, 0);
  }

  @Test
  void theFirstRunSeesNoRateAndTheGrowthWhileTheTriggerIsPausedIsTheRate() {
    Arrivals first = Arrivals.NONE.observe(PAUSED, queue(100, 0, 0), T0);
    assertThat(first).as("nothing measured yet").isEqualTo(new Arrivals(T0, 100, 0, null, 0));

    // visible, in flight and deferred all count: a deferral only replaces a message
    Arrivals second = first.observe(PAUSED, queue(600, 20, 80), T0.plusSeconds(60));
    assertThat(second.messages()).isEqualTo(700);
    assertThat(second.perSecond()).isEqualTo(10.0);
    assertThat(second.perMinute()).isEqualTo("600.0/min");

    Arrivals ended = second.observe(PAUSED, queue(700, 0, 0), T0.plusSeconds(120));
    assertThat(ended.perSecond()).as("a burst that has ended").isZero();
  }

  @Test
  void whileTheTriggerPollsOrTheQueueShrinksTheRateIsZero() {
    Arrivals seen = new Arrivals(T0, 100, 3.0);
    for (Mapping.TriggerState polling :
        new Mapping.TriggerState[] {Mapping.TriggerState.ENABLING, Mapping.TriggerState.ENABLED}) {
      assertThat(seen.observe(polling, queue(900, 0, 0), T0.plusSeconds(60)).perSecond())
          .as("%s: the consumer removes what arrives", polling)
          .isZero();
    }
    assertThat(seen.observe(PAUSED, queue(40, 0, 0), T0.plusSeconds(60)).perSecond())
        .isZero();
  }

  @Test
  void theLastRateMeasuredOutlivesThePollingAfterItUntilAPausedRunMeasuresAgain() {
    Arrivals burst = new Arrivals(T0, 100, 3.0);
    Arrivals polling =
        burst.observe(Mapping.TriggerState.ENABLED, queue(0, 10, 0), T0.plusSeconds(60));
    assertThat(polling.perSecond())
        .as("unknown while the consumer removes what arrives")
        .isZero();
    assertThat(polling.lastRateAt()).isEqualTo(T0);
    assertThat(polling.lastPerSecond()).isEqualTo(3.0);
    Arrivals later =
        polling.observe(Mapping.TriggerState.ENABLED, queue(0, 0, 0), T0.plusSeconds(600));
    assertThat(later.lastPerSecondSince(T0)).isEqualTo(3.0);
    assertThat(later.lastPerSecondSince(T0.plusSeconds(1)))
        .as("measured before that")
        .isZero();

    // Paused again: the first run measures nothing yet (the interval is too short), the next one
    // does.
    Arrivals paused = later.observe(PAUSED, queue(2, 0, 0), T0.plusSeconds(610));
    assertThat(paused).isSameAs(later);
    Arrivals measured = paused.observe(PAUSED, queue(2, 0, 0), T0.plusSeconds(660));
    assertThat(measured.lastRateAt()).isEqualTo(T0.plusSeconds(660));
    assertThat(measured.lastPerSecond())
        .as("2 in a minute: the slowest stream WakePolicy stays for")
        .isEqualTo(2 / 60.0);
  }

  @Test
  void aRunLessThanTheShortestIntervalAfterTheLastKeepsItsRateAndReference() {
    Arrivals seen = new Arrivals(T0, 100, 3.0);
    // A few messages more 12 s later (a stop's recheck, say) would read as 0.5/s.
    assertThat(seen.observe(PAUSED, queue(106, 0, 0), T0.plusSeconds(12))).isSameAs(seen);
    Arrivals minute = seen.observe(PAUSED, queue(160, 0, 0), T0.plus(Arrivals.MIN_INTERVAL));
    assertThat(minute.seenAt()).isEqualTo(T0.plus(Arrivals.MIN_INTERVAL));
    assertThat(minute.perSecond()).isEqualTo(60 / 45.0);
  }

  @Test
  void aRunThatOvertookALaterOneChangesNothing() {
    Arrivals seen = new Arrivals(T0, 100, 3.0);
    assertThat(seen.observe(PAUSED, queue(900, 0, 0), T0)).isSameAs(seen);
    assertThat(seen.observe(PAUSED, queue(900, 0, 0), T0.minusSeconds(5))).isSameAs(seen);
  }

  @Test
  void theUploadsExpectedUntilAnInstantAreRoundedUpAndNoneBeforeNow() {
    Arrivals rate = new Arrivals(T0, 0, 0.25);
    assertThat(rate.between(T0, T0.plusSeconds(10))).isEqualTo(3); // 2.5
    assertThat(rate.between(T0, T0)).isZero();
    assertThat(rate.between(T0, T0.minusSeconds(60))).isZero();
    assertThat(Arrivals.NONE.between(T0, T0.plusSeconds(3600))).isZero();
  }

  @Test
  void aNegativeRateOrCountIsRefused() {
    assertThatThrownBy(() -> new Arrivals(T0, 0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rates >= 0");
    assertThatThrownBy(() -> new Arrivals(T0, -1, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Arrivals(T0, 0, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
