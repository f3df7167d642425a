package offhours.endpoint.sim;

import static offhours.endpoint.sim.HostingFixtures.DAY;
import static offhours.endpoint.sim.HostingFixtures.PRICES;
import static offhours.endpoint.sim.HostingFixtures.at;
import static offhours.endpoint.sim.HostingFixtures.day;
import static offhours.endpoint.sim.HostingFixtures.waits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous-inference row on uploads worked out by hand: UTC, budget 60 min, the model's own times (backlog
 * alarm 2 min, launch and load 7 min, 15 idle minutes to 0, requests expire after 6 h).
 */
class AsyncInferenceModelTest {

  @Test
  void theTimesAreTheDocumentedOnes() {
    assertThat(AsyncInferenceModel.SCALE_OUT_ALARM).isEqualTo(Duration.ofMinutes(2));
    assertThat(AsyncInferenceModel.LAUNCH_AND_LOAD).isEqualTo(Duration.ofMinutes(7));
    assertThat(AsyncInferenceModel.SCALE_IN_IDLE).isEqualTo(Duration.ofMinutes(15));
    assertThat(AsyncInferenceModel.REQUEST_TTL).isEqualTo(Duration.ofSeconds(21_600));
  }

  @Test
  void
      aRequestAtZeroInstancesWaitsForTheBacklogAlarmAndTheLaunchAndTheOnesQueuedMeanwhileFollowIt() {
    HostingRow row = AsyncInferenceModel.asynchronous(
        day("10:00:00", "10:05:00", "10:05:00"), HostingFixtures.assumptions(1), PRICES);

    // alarm 10:02, instance and model 10:09, then 1 s each
    assertThat(waits(row))
        .containsExactly(
            Duration.ofMinutes(9).plusSeconds(1),
            Duration.ofMinutes(4).plusSeconds(2),
            Duration.ofMinutes(4).plusSeconds(3));
    // billed from the scaling action until 15 idle minutes after the last result
    assertThat(row.bands()).hasSize(1);
    assertThat(row.bands().getFirst()).containsExactly(at("10:02:00"), at("10:24:03"));
    assertThat(row.units()).isCloseTo((22 * 60 + 3) / 3600.0, within(1e-9));
    assertThat(row.usd()).isCloseTo(row.units() * 0.1, within(1e-12));
    assertThat(row.unit()).isEqualTo("endpoint-h");
    assertThat(row.waits().misses()).isZero();
    assertThat(row.note())
        .isEqualTo("wake 9 min, idle to 0: 15 min; 1 launch; 0 expired (queued > 6 h)");
  }

  @Test
  void theInstanceScalesInAfterFifteenIdleMinutesAndAnUploadBeforeThatReusesIt() {
    HostingRow row = AsyncInferenceModel.asynchronous(
        day("10:00:00", "10:24:00", "11:00:00"), HostingFixtures.assumptions(1), PRICES);

    assertThat(waits(row))
        .containsExactly(
            Duration.ofMinutes(9).plusSeconds(1), // served 10:09:01, instance kept until 10:24:01
            Duration.ofSeconds(1), // 10:24:00: still there
            Duration.ofMinutes(9).plusSeconds(1)); // gone at 10:39:01: a new launch
    assertThat(row.bands()).hasSize(2);
    assertThat(row.bands().get(0)).containsExactly(at("10:02:00"), at("10:39:01"));
    assertThat(row.bands().get(1)).containsExactly(at("11:02:00"), at("11:24:01"));
    assertThat(row.units()).isCloseTo((37 * 60 + 1 + 22 * 60 + 1) / 3600.0, within(1e-9));
    assertThat(row.note()).contains("; 2 launches;");
  }

  @Test
  void aRequestStillQueuedSixHoursAfterItsInvocationExpiresUnservedAndIsAMiss() {
    // One hour per image: seven at 10:00 on one instance ready at 10:09; the sixth starts at 15:09,
    // the seventh would start at 16:09, past its 16:00 expiry.
    HostingRow row = AsyncInferenceModel.asynchronous(
        day("10:00:00", "10:00:00", "10:00:00", "10:00:00", "10:00:00", "10:00:00", "10:00:00"),
        HostingFixtures.assumptions(1 / 3600.0),
        PRICES);

    assertThat(waits(row)).hasSize(6).last().isEqualTo(Duration.ofHours(6).plusMinutes(9));
    assertThat(row.waits().expired()).isEqualTo(1);
    assertThat(row.waits().pending()).isZero();
    assertThat(row.waits().misses())
        .as("six results over 60 min, and the expired one")
        .isEqualTo(7);
    assertThat(row.note()).contains("; 1 expired (queued > 6 h)");
    // the expired request took no instance time: billed until 15 min after the sixth result
    assertThat(row.bands().getFirst()).containsExactly(at("10:02:00"), at("16:24:00"));
  }

  @Test
  void aRequestWhoseExpiryFallsAfterThePeriodIsStillWaitingNotExpired() {
    HostingRow row = AsyncInferenceModel.asynchronous(
        day("21:00:00", "21:00:00", "21:00:00", "21:00:00"),
        HostingFixtures.assumptions(1 / 3600.0),
        PRICES);

    // ready 21:09; results 22:09 and 23:09; the third ends 00:09, after the period; expiries at
    // 03:00
    assertThat(waits(row)).hasSize(2);
    assertThat(row.waits().expired()).isZero();
    assertThat(row.waits().pending()).isEqualTo(2);
    assertThat(row.bands().getFirst())
        .containsExactly(at("21:02:00"), DAY.plus(Duration.ofDays(1)));
  }

  @Test
  void waitStatsCountsAnExpiredUploadAsAMissEvenUnderALongerBudgetAndNotAsPending() {
    List<Instant> uploads = List.of(at("10:00:00"), at("10:00:00"), at("11:00:00"));
    List<Instant[]> results = List.<Instant[]>of(new Instant[] {at("10:00:00"), at("10:01:00")});

    WaitStats w = WaitStats.of(
        uploads,
        results,
        List.of(at("10:00:00")),
        DAY.plus(Duration.ofDays(1)),
        Duration.ofHours(8));

    assertThat(w.expired()).isEqualTo(1);
    assertThat(w.pending()).as("11:00, still waiting").isEqualTo(1);
    assertThat(w.misses()).as("the expired one, and 11:00 waiting 13 h").isEqualTo(2);
    assertThat(WaitStats.of(uploads, results, DAY.plus(Duration.ofDays(1)), Duration.ofHours(8)))
        .as("without expiries")
        .extracting(WaitStats::pending, WaitStats::expired)
        .containsExactly(2, 0);
  }
}
