package offhours.endpoint.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import offhours.endpoint.ControlState;
import offhours.endpoint.WaitBudget;
import org.junit.jupiter.api.Test;

class SimulationTest {
  private static final SimulationReport WEEK =
      Simulation.run(SimulationConfig.defaults(), Trace.OFFICE_HOURS, 7);

  @Test
  void aWeekOfOfficeHoursSavesAtLeast85PercentOfEndpointHoursVersusAlwaysOn() {
    assertThat(WEEK.savedPercent()).isGreaterThanOrEqualTo(85.0);
    assertThat(WEEK.alwaysOnHours()).isEqualTo(167.0); // the week holds the spring DST change
  }

  @Test
  void theReadmesWordsAboutTheWeekAreThisWeeksNumbers() throws Exception {
    // The opening paragraph and "What it costs" quote the week in one decimal; the tables quote
    // two.
    String readme = Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");
    String hours = String.format(Locale.ROOT, "%.1f", WEEK.billedHours());
    assertThat(readme)
        .contains("a simulated office week spends " + hours + " endpoint-hours instead of "
            + Math.round(WEEK.alwaysOnHours()))
        .contains("the simulated week above billed " + hours + " of 55 working hours");
  }

  @Test
  void theReadmesTableOfTheWeekAndItsWeekWithoutABudgetAreThisWeeksNumbers() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    SimulationConfig d = WEEK.config();
    // Left waiting: what came after Friday's closing, the evening's uploads and the weekend's.
    ZonedDateTime fridayClose = d.start().plusDays(4).atTime(19, 0).atZone(d.zone());
    long afterFriday = Trace.OFFICE_HOURS.uploads(d.start(), 7, d.zone(), d.seed()).stream()
        .filter(u -> u.isAfter(fridayClose.toInstant()))
        .count();
    assertThat(WEEK.pendingAtEnd()).isEqualTo(afterFriday);
    assertThat(readme)
        .contains(String.format(
            Locale.ROOT,
            "| endpoint-hours | %.2f h of %d h always-on: **%.1f%% saved**; the lower bound is %.2f h (%.2f x) |",
            WEEK.billedHours(),
            Math.round(WEEK.alwaysOnHours()),
            WEEK.savedPercent(),
            WEEK.lowerBoundHours(),
            WEEK.boundRatio()))
        .contains(String.format(
            Locale.ROOT,
            "| uploads | %,d; %,d classified, %d of Friday evening and the weekend waiting for Monday |",
            WEEK.uploads(),
            WEEK.classified(),
            WEEK.pendingAtEnd()))
        .contains(String.format(
            Locale.ROOT,
            "| wait from upload to result | p50 %.1f min, p99 %.1f min; %d over the budget",
            WEEK.waitP50().toSeconds() / 60.0,
            WEEK.waitP99().toSeconds() / 60.0,
            WEEK.budgetMisses()))
        .contains("| dead-letter queue | " + WEEK.dead() + " |");

    SimulationReport noBudget =
        Simulation.run(d.withMaxWait(WaitBudget.OFF), Trace.OFFICE_HOURS, 7);
    assertThat(readme.replaceAll("\\s+", " "))
        .contains(String.format(
            Locale.ROOT,
            "the same week spends %.1f h (%.1f%% saved) for a p99 wait of %d minutes.",
            noBudget.billedHours(),
            noBudget.savedPercent(),
            noBudget.waitP99().toMinutes()));
  }

  @Test
  void theTimerRunsTheControllerWhenItsDecisionsAskAndShortensTheWakes() {
    SimulationReport ticksOnly =
        Simulation.run(SimulationConfig.defaults().withRunTimer(false), Trace.OFFICE_HOURS, 7);

    assertThat(WEEK.config().runTimer()).as("on by default, as deployed").isTrue();
    assertThat(WEEK.controllerRuns()).isGreaterThan(ticksOnly.controllerRuns());
    // The same wakes, each ended sooner by a run at the instant a decision named.
    assertThat(WEEK.endpointHours()).isLessThan(ticksOnly.endpointHours());
    assertThat(WEEK.budgetMisses()).isZero();
    assertThat(WEEK.starts()).isEqualTo(ticksOnly.starts());
  }

  @Test
  void aWeekOfOfficeHoursClassifiesEveryUploadWithinAnHourOfTheNextOpeningAndNothingGoesToTheDlq() {
    assertThat(WEEK.late()).isZero();
    assertThat(WEEK.worstWaitAfterOpening()).isLessThanOrEqualTo(Duration.ofHours(1));
    assertThat(WEEK.dead()).isZero();
    assertThat(WEEK.classified() + WEEK.pendingAtEnd()).isEqualTo(WEEK.uploads());
  }

  /** Budget next-opening on Mon-Fri 08:00-19:00 in Berlin, from Tuesday 2026-03-24. */
  private static SimulationConfig nextOpeningFromTuesday() {
    return SimulationConfig.defaults()
        .withMaxWait(WaitBudget.parse("--max-wait", "next-opening"))
        .withCalendar(
            ZoneId.of("Europe/Berlin"), LocalDate.parse("2026-03-24"), "Mon-Fri 08:00-19:00");
  }

  /** {@code n} uploads, one a second from {@code first}. */
  private static List<Instant> oneASecond(Instant first, int n) {
    List<Instant> uploads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      uploads.add(first.plusSeconds(i));
    }
    return uploads;
  }

  @Test
  void anUploadMadeSecondsBeforeItsDueTimeIsLateOnlyAfterThePipelinesShortestWait() {
    // next-opening: 50 uploads at 03:00 are due at the 08:00 opening, and so is one at 07:59:58,
    // two seconds before it: less than a poll and a batch, so no schedule classifies it by 08:00.
    ZoneId zone = ZoneId.of("Europe/Berlin");
    Instant three = LocalDate.parse("2026-03-24").atTime(3, 0).atZone(zone).toInstant();
    Instant opening = three.plus(Duration.ofHours(5));
    Instant last = opening.minusSeconds(2);
    List<Instant> uploads = oneASecond(three, 50);
    uploads.add(last);
    SimulatedRun r = Simulation.record(
        nextOpeningFromTuesday(), "seconds before the opening", uploads, 1, Map.of());
    assertThat(r.results())
        .filteredOn(x -> x[0].equals(last))
        .singleElement()
        .satisfies(x -> assertThat(x[1])
            .as("after its due time, within the shortest wait")
            .isAfter(opening)
            .isBeforeOrEqualTo(last.plus(World.SHORTEST_WAIT)));
    assertThat(r.report().budgetMisses()).isZero();
  }

  @Test
  void missesOfUploadsThatFoundTheEndpointOffLessThanAWakeBeforeTheirDueTimeAreOutOfReach() {
    // next-opening and 25 minute wakes: 50 uploads at 03:00 are due at the 08:00 opening and in
    // reach; 100 more at 07:45, due at the same opening, find the endpoint off (it started for the
    // others at about 07:30 and drained them) 15 minutes before it, less than a wake.
    ZoneId zone = ZoneId.of("Europe/Berlin");
    Instant three = LocalDate.parse("2026-03-24").atTime(3, 0).atZone(zone).toInstant();
    Instant quarterToEight = three.plus(Duration.ofMinutes(4 * 60 + 45));
    List<Instant> uploads = oneASecond(three, 50);
    uploads.addAll(oneASecond(quarterToEight, 100));
    SimulationReport r = Simulation.record(
            nextOpeningFromTuesday().withEndpoint(5, Duration.ofMinutes(25), Duration.ofMinutes(2)),
            "a late burst",
            uploads,
            1,
            Map.of())
        .report();
    assertThat(r.budgetMisses()).isPositive();
    assertThat(r.missesOutOfReach()).isEqualTo(r.budgetMisses());
    assertThat(r.renderTable()).contains("out of any controller's reach");
    assertThat(r.toJson()).contains("\"missesOutOfReach\":" + r.budgetMisses());
  }

  @Test
  void theMeasuredPeriodPlansWithTheWakeAndDrainItsWarmUpLearned() {
    // 2,000 uploads at 03:00 on two nights, due at the 08:00 opening. A fresh stack plans its first
    // wake with 30 min and 2 images/s and starts at 07:13; after the warm-up (the first night) it
    // knows 10 min and 5 images/s and starts at the last moment: 08:00 - 10 min - 1 min trigger -
    // a 400 s drain = 07:42:20, give or take its one-minute runs.
    ZoneId zone = ZoneId.of("Europe/Berlin");
    List<Instant> uploads = new ArrayList<>();
    for (String day : List.of("2026-03-24", "2026-03-26")) {
      Instant three = LocalDate.parse(day).atTime(3, 0).atZone(zone).toInstant();
      for (int i = 0; i < 2000; i++) {
        uploads.add(three.plusMillis(i * 100L));
      }
    }
    SimulatedRun r =
        Simulation.record(nextOpeningFromTuesday(), "two nights", uploads, 3, Map.of());
    assertThat(r.report().budgetMisses()).isZero();
    assertThat(r.billed()).hasSize(2);
    assertThat(LocalTime.ofInstant(r.billed().getFirst()[0], zone))
        .isAfterOrEqualTo(LocalTime.parse("07:41"));
  }

  @Test
  void theWarmUpHandsOnTheStopsItMeasuredFromEachDeleteToTheEndpointGone() {
    SimulationConfig fiveMinuteStops =
        SimulationConfig.defaults().withEndpoint(5, Duration.ofMinutes(10), Duration.ofMinutes(5));
    List<Instant> uploads =
        Trace.OFFICE_HOURS.uploads(fiveMinuteStops.start(), 7, fiveMinuteStops.zone(), 42);

    ControlState learned = Simulation.learned(fiveMinuteStops, uploads, Map.of());

    // Every simulated delete takes 5 min and its state-change event runs the controller at once.
    assertThat(learned.stopSeconds()).isNotEmpty().allSatisfy(s -> assertThat(s).isEqualTo(300L));
    assertThat(learned.wakeSeconds()).isNotEmpty();
    assertThat(learned.stopIssuedAt()).as("nothing in progress is handed on").isNull();
  }

  @Test
  void theControllersLedgerAgreesWithTheSimulatedBill() {
    // The ledger accumulates between runs from what each run saw; the bill counts every simulated
    // second.
    assertThat(WEEK.endpointHours()).isCloseTo(WEEK.billedHours(), within(0.25));
  }

  @Test
  void createFailuresAreRetriedWhileUploadsWaitInTheQueueAndNoneIsLost() {
    SimulationReport r = Simulation.run(
        SimulationConfig.defaults().withMaxWait(WaitBudget.OFF).withCreateFailures(2),
        Trace.OFFICE_HOURS,
        7);
    assertThat(r.createFailures()).isEqualTo(2);
    assertThat(r.dead()).isZero();
    assertThat(r.late()).isZero();
    assertThat(r.classified()).isEqualTo(WEEK.classified());
  }

  @Test
  void aManualStopDuringABacklogDisablesConsumptionBeforeDeletingSoNothingIsLostOrDeferred() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Instant burst = ZonedDateTime.of(2026, 3, 25, 10, 0, 0, 0, berlin).toInstant(); // Wednesday
    List<Instant> uploads = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      uploads.add(burst.plusSeconds(i % 60));
    }
    // 3000 images at 5/s take 10 min once the endpoint answers (10:10): stop at 10:13, resume at
    // 10:30.
    NavigableMap<Instant, ControlState.Override> manual = new TreeMap<>(Map.of(
        burst.plusSeconds(13 * 60),
        new ControlState.Override(ControlState.Override.Mode.STOP, burst.plusSeconds(30 * 60))));
    SimulationReport r = Simulation.run(
        SimulationConfig.defaults().withMaxWait(WaitBudget.OFF), "manual-stop", uploads, 7, manual);
    assertThat(r.classified()).isEqualTo(3000);
    assertThat(r.deferrals())
        .as("no message was handed to an endpoint that was going away")
        .isZero();
    assertThat(r.dead()).isZero();
    assertThat(r.ledger().days().get(2).stops())
        .isGreaterThanOrEqualTo(2); // the idle stop after opening, the manual one
    assertThat(r.worstWait()).isLessThan(Duration.ofHours(1));
  }

  @Test
  void theSameSeedGivesTheSameReport() {
    assertThat(
            Simulation.run(SimulationConfig.defaults(), Trace.OFFICE_HOURS, 7).toJson())
        .isEqualTo(WEEK.toJson());
  }

  @Test
  void anAlwaysOnScheduleWithoutIdleStopSavesNothing() {
    SimulationConfig base = SimulationConfig.defaults();
    SimulationConfig always = base.withCalendar(base.zone(), base.start(), "24/7")
        .withIdleStopMinutes(0)
        .withMaxWait(WaitBudget.OFF)
        .withRunTimer(false);
    SimulationReport r = Simulation.run(always, Trace.ALWAYS, 2);
    assertThat(r.savedPercent()).isLessThan(1.0);
    assertThat(r.starts()).isEqualTo(1);
    assertThat(r.late()).isZero();
  }

  @Test
  void burstyUploadsOutsideHoursWaitForTheOpeningWithoutReachingTheDlq() {
    SimulationReport r = Simulation.run(SimulationConfig.defaults(), Trace.BURSTY, 7);
    assertThat(r.dead()).isZero();
    assertThat(r.late()).isZero();
    assertThat(r.savedPercent()).isGreaterThan(85.0);
  }

  @Test
  void theOfficeTraceUploadsMostlyDuringWeekdayWorkingHours() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    List<Instant> uploads =
        Trace.OFFICE_HOURS.uploads(LocalDate.parse("2026-03-23"), 7, berlin, 42);
    long inHours = uploads.stream()
        .map(u -> ZonedDateTime.ofInstant(u, berlin))
        .filter(z -> z.getDayOfWeek().getValue() <= DayOfWeek.FRIDAY.getValue()
            && !z.toLocalTime().isBefore(LocalTime.of(8, 0))
            && z.toLocalTime().isBefore(LocalTime.of(19, 0)))
        .count();
    assertThat((double) inHours / uploads.size()).isGreaterThan(0.9);
    assertThat(uploads).isSorted();
  }

  @Test
  void theReportRendersAsATableAndJson() {
    assertThat(WEEK.renderTable())
        .contains("saved vs 24/7")
        .contains("worst wait after opening")
        .contains("DLQ                                  0")
        .contains("total ");
    assertThat(WEEK.toJson()).contains("\"trace\":\"office-hours\"").contains("\"dlq\":0");
  }

  @Test
  void unknownTracesAndPeriodsAreRejectedWithTheChoices() {
    assertThatThrownBy(() -> Trace.named("weekends"))
        .hasMessage("trace 'weekends' is not one of office-hours, bursty, always");
    assertThatThrownBy(() -> Simulation.run(SimulationConfig.defaults(), Trace.ALWAYS, 0))
        .hasMessage("days is 0; simulate 1..366 days");
  }
}
