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
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each hosting option's model on a few uploads worked out by hand (1 image/s per instance, UTC, budget 60 min). */
class HostingModelsTest {

  private static final HostingAssumptions A = HostingFixtures.assumptions(1.0);

  @Test
  void alwaysOnBillsTheWholePeriodAndQueuesSimultaneousUploadsOneAfterTheOther() {
    HostingRow row = HostingModels.alwaysOn(day("10:00:00", "10:00:00"), A, PRICES);

    assertThat(row.units()).isEqualTo(24.0);
    assertThat(row.usd()).isCloseTo(2.4, within(1e-9));
    assertThat(waits(row)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(row.waits().misses()).isZero();
  }

  @Test
  void theSeedsCronServesOnlyInsideItsUtcWindowAndBillsFromCreateUntilTheDeleteIsDone() {
    HostingRow row = HostingModels.cron(day("07:00:00", "12:00:00", "19:00:00"), A, PRICES);

    // created 08:00, in service 08:10, deleted 18:00, gone 18:02
    assertThat(row.units()).isCloseTo(10 + 2 / 60.0, within(1e-9));
    assertThat(row.bands()).hasSize(1);
    assertThat(row.bands().getFirst()).containsExactly(at("08:00:00"), at("18:02:00"));
    assertThat(waits(row))
        .containsExactly(Duration.ofMinutes(70).plusSeconds(1), Duration.ofSeconds(1));
    // 07:00 waited 70 min; 19:00 still waits at midnight, 5 h later
    assertThat(row.waits().misses()).isEqualTo(2);
    assertThat(row.waits().pending()).isEqualTo(1);
  }

  @Test
  void scaleToZeroWakesOnTheFirstRequestReusesALiveInstanceAndBillsUntilTheInstanceIsGone() {
    HostingRow row =
        HostingModels.scaleToZero(day("10:00:00", "10:20:00", "10:40:00", "12:00:00"), A, PRICES);

    assertThat(waits(row))
        .containsExactly(
            Duration.ofMinutes(8).plusSeconds(1), // alarm 1 + instance 5 + copy 2
            Duration.ofSeconds(1), // the copy is still there (until 10:23:01 + 15 min of idle)
            Duration.ofMinutes(3)
                .plusSeconds(
                    1), // copies gone at 10:35:01, instance alive until 10:45:01: alarm + copy
            Duration.ofMinutes(8).plusSeconds(1)); // instance gone at 11:08:01
    assertThat(row.bands()).hasSize(2);
    assertThat(row.bands().get(0)).containsExactly(at("10:01:00"), at("11:08:01"));
    assertThat(row.bands().get(1)).containsExactly(at("12:01:00"), at("12:33:01"));
    assertThat(row.units()).isCloseTo((67 * 60 + 1 + 32 * 60 + 1) / 3600.0, within(1e-9));
    assertThat(row.waits().misses()).isZero();
  }

  @Test
  void scaleToZeroBillsALaunchInThePeriodsLastMinutesUntilItsEndAndOneAfterItNotAtAll() {
    // 23:55 launches at 23:56 and is not ready before midnight: 4 min billed, no result
    HostingRow late = HostingModels.scaleToZero(day("10:00:00", "23:55:00"), A, PRICES);
    assertThat(late.bands()).hasSize(2);
    assertThat(late.bands().get(1)).containsExactly(at("23:56:00"), DAY.plus(Duration.ofDays(1)));
    // 10:01 to 10:33:01 (as above), then 23:56 to midnight
    assertThat(late.units()).isCloseTo((32 * 60 + 1 + 4 * 60) / 3600.0, within(1e-9));
    assertThat(late.results()).hasSize(1);
    assertThat(late.waits().pending()).isEqualTo(1);

    // 23:59:30 asks for a launch that comes after midnight: nothing of it is billed in this day
    HostingRow after = HostingModels.scaleToZero(day("23:59:30"), A, PRICES);
    assertThat(after.bands()).isEmpty();
    assertThat(after.units()).isZero();
    assertThat(after.waits().pending()).isEqualTo(1);
  }

  @Test
  void serverlessAddsAColdStartToAWorkerThatWasIdleTooLongAndBillsProcessingAndData() {
    HostingRow row =
        HostingModels.serverless(day("10:00:00", "10:00:00", "10:00:00", "10:30:00"), A, PRICES);

    assertThat(waits(row))
        .containsExactly(
            Duration.ofSeconds(11), // worker 1, cold
            Duration.ofSeconds(11), // worker 2, cold
            Duration.ofSeconds(12), // worker 1 again at 10:00:11, warm
            Duration.ofSeconds(11)); // worker 2 idle since 10:00:11: cold again
    assertThat(row.note()).contains("3 cold starts");
    assertThat(row.units()).isEqualTo(8.0); // 4 requests x 1 s x 2 GB; cold starts are not billed
    // data in and out: each 0.11 MB image sent and its answer (1 KB) received
    assertThat(row.usd()).isCloseTo(8 * 0.00002 + 4 * (0.11 + 0.001) / 1000 * 0.016, within(1e-12));
    assertThat(row.bands()).isEmpty();
  }

  @Test
  void serverlessIsNotAnOptionForGpuOrInferentiaTypes() {
    for (String type :
        List.of("ml.g4dn.xlarge", "ml.g5.xlarge", "ml.inf2.xlarge", "ml.p3.2xlarge")) {
      HostingRow row =
          HostingModels.serverless(day("10:00:00"), A, PRICES.withInstanceHour(type, 1));
      assertThat(row.available()).as(type).isFalse();
      assertThat(row.note()).startsWith("n/a").contains(type);
    }
    assertThat(PRICES.withInstanceHour("ml.c5.large", 0.1).serverlessAvailable())
        .isTrue();
  }

  @Test
  void batchTransformRunsOneJobADayForWhatCameBeforeItAndBillsTheJobWithItsStart() {
    HostingModels.Period twoDays = new HostingModels.Period(
        List.of(at("10:00:00"), at("11:00:00"), at("10:00:00").plus(Duration.ofHours(19))),
        DAY,
        DAY.plus(Duration.ofDays(2)),
        ZoneOffset.UTC,
        Duration.ofMinutes(60));

    HostingRow row = HostingModels.batch(twoDays, A, PRICES);

    // day 1 02:00: nothing to do, no job; day 2 02:00: 6 min start, then 1 s per image
    assertThat(row.bands()).hasSize(1);
    assertThat(row.bands().getFirst())
        .containsExactly(
            at("02:00:00").plus(Duration.ofDays(1)), at("02:06:02").plus(Duration.ofDays(1)));
    assertThat(row.units()).isCloseTo((6 * 60 + 2) / 3600.0, within(1e-9));
    assertThat(waits(row))
        .containsExactly(
            Duration.ofHours(16).plusMinutes(6).plusSeconds(1),
            Duration.ofHours(15).plusMinutes(6).plusSeconds(2));
    assertThat(row.waits().pending())
        .isEqualTo(1); // uploaded day 2 05:00, next job after the period
    assertThat(row.waits().misses()).isEqualTo(3);
  }

  @Test
  void waitStatsCountsLateResultsAndUploadsStillWaitingLongerThanTheBudget() {
    List<Instant> uploads = List.of(at("10:00:00"), at("10:00:00"), at("11:00:00"), at("23:30:00"));
    List<Instant[]> results = List.of(
        new Instant[] {at("10:00:00"), at("10:30:00")},
        new Instant[] {at("10:00:00"), at("11:30:00")});

    WaitStats w =
        WaitStats.of(uploads, results, DAY.plus(Duration.ofDays(1)), Duration.ofMinutes(60));

    assertThat(w.p50()).isEqualTo(Duration.ofMinutes(30));
    assertThat(w.p99()).isEqualTo(Duration.ofMinutes(90));
    assertThat(w.max()).isEqualTo(Duration.ofMinutes(90));
    assertThat(w.pending()).isEqualTo(2);
    assertThat(w.misses())
        .isEqualTo(2); // the 90 min result, and 11:00 still waiting at midnight; 23:30 is not late
  }
}
