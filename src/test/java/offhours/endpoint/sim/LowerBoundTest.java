package offhours.endpoint.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The lower bound on traces small enough to work out by hand: wake 10 min, stop 2 min, one image per second. */
class LowerBoundTest {

  private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  private static final Instant TEN = Instant.parse("2026-01-05T10:00:00Z");

  private static double seconds(Duration budget, Instant... uploads) {
    return LowerBound.plan(
                List.of(uploads),
                u -> Optional.of(u.plus(budget)),
                Duration.ofMinutes(10),
                Duration.ofMinutes(2),
                1.0,
                START,
                START.plus(Duration.ofDays(1)))
            .hours()
        * 3600;
  }

  @Test
  void oneUploadCostsAWakeItsOneSecondAndAStop() {
    assertThat(seconds(Duration.ofMinutes(60), TEN)).isCloseTo(600 + 1 + 120, within(1e-6));
  }

  @Test
  void twoUploadsWithinTheBudgetShareOneWake() {
    // Both served from 10:59:59 (the first's due time minus its second): 2 s of serving.
    assertThat(seconds(Duration.ofMinutes(60), TEN, TEN.plus(Duration.ofMinutes(30))))
        .isCloseTo(600 + 2 + 120, within(1e-6));
  }

  @Test
  void twoUploadsFurtherApartThanTheBudgetAllowsPayTwoWakes() {
    assertThat(seconds(Duration.ofMinutes(60), TEN, TEN.plus(Duration.ofHours(3))))
        .isCloseTo(2 * 721, within(1e-6));
  }

  @Test
  void withABudgetShorterThanAWakeStayingOnBetweenCloseUploadsIsCheaper() {
    // Apart: 2 x 721 s. Together: on from 09:54:59 (wake) until 10:15:01, then the stop: 1322 s.
    assertThat(seconds(Duration.ofMinutes(5), TEN, TEN.plus(Duration.ofMinutes(15))))
        .isCloseTo(600 + 602 + 120, within(1e-6));
  }

  @Test
  void thePlanCountsItsStartsStayingOnIsOneStartAndStoppingIsTwo() {
    Duration wake = Duration.ofMinutes(10);
    Duration stop = Duration.ofMinutes(2);
    Instant end = START.plus(Duration.ofDays(1));
    // 15 min apart with a 5 min budget: staying on is cheaper (see above), one start.
    LowerBound.Optimum close = LowerBound.plan(
        List.of(TEN, TEN.plus(Duration.ofMinutes(15))),
        u -> Optional.of(u.plus(Duration.ofMinutes(5))),
        wake,
        stop,
        1.0,
        START,
        end);
    // 3 h apart with a 60 min budget: two starts.
    LowerBound.Optimum apart = LowerBound.plan(
        List.of(TEN, TEN.plus(Duration.ofHours(3))),
        u -> Optional.of(u.plus(Duration.ofMinutes(60))),
        wake,
        stop,
        1.0,
        START,
        end);
    assertThat(close.starts()).isEqualTo(1);
    assertThat(apart.starts()).isEqualTo(2);
    assertThat(apart.hours() * 3600).isCloseTo(2 * 721, within(1e-6));
  }

  @Test
  void aBurstIsDrainedAtTheRateAndFinishesExactlyAtTheFirstDueTime() {
    Instant[] burst = Stream.generate(() -> TEN).limit(10).toArray(Instant[]::new);
    assertThat(seconds(Duration.ofMinutes(60), burst)).isCloseTo(600 + 10 + 120, within(1e-6));
  }

  @Test
  void anUploadDueAfterThePeriodCostsNothingInIt() {
    assertThat(seconds(Duration.ofMinutes(60), Instant.parse("2026-01-05T23:30:00Z")))
        .isZero();
  }

  @Test
  void theControllerNeverBeatsTheBoundNorMissesTheBudget() {
    SimulationReport r = Simulation.run(SimulationConfig.defaults(), Trace.OFFICE_HOURS, 7);
    assertThat(r.lowerBoundHours()).isPositive();
    assertThat(r.endpointHours()).isGreaterThanOrEqualTo(r.lowerBoundHours());
    assertThat(r.budgetMisses()).isZero();
  }
}
