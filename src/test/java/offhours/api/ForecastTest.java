package offhours.api;

import static offhours.endpoint.ControlStateBuilder.controlState;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControlState;
import offhours.endpoint.Decision;
import offhours.endpoint.Endpoint;
import offhours.endpoint.EndpointController;
import offhours.endpoint.Mapping;
import offhours.endpoint.sim.MemoryControlTable;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;

/**
 * Mon-Fri 08:00-19:00 Europe/Berlin; the controller's tick is 5 minutes; before it has measured one, it expects a wake
 * of 30 minutes and drains at 2 images/s (one upload: 1 s).
 */
class ForecastTest {

  private static final Instant SATURDAY_10 = Instant.parse("2026-11-28T09:00:00Z");
  private static final Instant MONDAY_08 = Instant.parse("2026-11-30T07:00:00Z");
  private static final Instant WEDNESDAY_10 = Instant.parse("2026-11-25T09:00:00Z");
  private static final Duration TICK = Duration.ofMinutes(5);
  /** The first batch's own time: the trigger's 5 s batching window (the stack's default) and 5 s. */
  private static final Duration FIRST_BATCH = Duration.ofSeconds(10);

  private static final Duration DEFAULT_WAKE_AND_ONE =
      Duration.ofMinutes(30).plus(FIRST_BATCH).plusSeconds(1);
  private static final Backlog.Snapshot ONE_WAITING = new Backlog.Snapshot(1, 0, 0, 0);

  @Test
  void onTheWeekendAnUploadWaitsForMondaysOpening() {
    Forecast f = Forecast.of(ApiFixtures.config(), ApiFixtures.seen(SATURDAY_10));

    assertThat(f.startsAt()).isEqualTo(MONDAY_08);
    assertThat(f.expectedAt()).isEqualTo(MONDAY_08.plus(DEFAULT_WAKE_AND_ONE));
    assertThat(f.reason())
        .isEqualTo("the endpoint is off outside working hours (Mon-Fri 08:00-19:00 Europe/Berlin);"
            + " they open at 2026-11-30 08:00 Europe/Berlin; a wake counted as 30 min, the default"
            + " until one is measured");
  }

  @Test
  void theReasonSaysTheWakeIsTheDefaultOnlyUntilOneIsMeasured() {
    // A local stack's wake takes seconds: before its first, the result 30 min away is the
    // default's, and the reason says so rather than pass it off as a measure.
    Forecast fresh = Forecast.of(ApiFixtures.config(), ApiFixtures.seen(WEDNESDAY_10));
    assertThat(fresh.expectedAt()).isEqualTo(WEDNESDAY_10.plus(TICK).plus(DEFAULT_WAKE_AND_ONE));
    assertThat(fresh.reason())
        .endsWith("; a wake counted as 30 min, the default until one is measured");

    Forecast measured = Forecast.of(
        ApiFixtures.config(),
        ApiFixtures.seen(WEDNESDAY_10, null, learned(List.of(6L)), Backlog.Snapshot.EMPTY));
    assertThat(measured.expectedAt())
        .as("the measured 6 s wake, the first batch and one upload at 2 images/s")
        .isEqualTo(WEDNESDAY_10.plus(TICK).plusSeconds(6).plus(FIRST_BATCH).plusSeconds(1));
    assertThat(measured.reason()).doesNotContain("wake counted as", "default");
  }

  @Test
  void inWorkingHoursAnUploadStartsTheEndpointAtTheControllersNextRun() {
    Forecast f = Forecast.of(ApiFixtures.config(), ApiFixtures.seen(WEDNESDAY_10));

    assertThat(f.startsAt()).isEqualTo(WEDNESDAY_10.plus(TICK));
    assertThat(f.expectedAt()).isEqualTo(WEDNESDAY_10.plus(TICK).plus(DEFAULT_WAKE_AND_ONE));
  }

  @Test
  void aServingEndpointWithNothingAheadAnswersAfterOneBatchAtTheFloor() {
    Backlog.Snapshot onlyInFlight = new Backlog.Snapshot(0, 7, 0, 0);
    Forecast noWindow = Forecast.of(
        ApiFixtures.config(Map.of("BATCHING_WINDOW_SECONDS", "0")),
        ApiFixtures.seen(WEDNESDAY_10, serving(), ControlState.INITIAL, onlyInFlight));

    assertThat(noWindow.expectedAt())
        .as("no batching window: the batch's own 5 s; the 7 in flight are being classified")
        .isEqualTo(WEDNESDAY_10.plusSeconds(5));
    assertThat(noWindow.retryAfterSeconds(WEDNESDAY_10))
        .isEqualTo(Forecast.MIN_RETRY_AFTER_SECONDS);
    assertThat(noWindow.reason())
        .isEqualTo("the endpoint is serving; nothing ahead in the queue, then this upload's batch:"
            + " expected in about 5 s");

    Forecast stackDefault = Forecast.of(
        ApiFixtures.config(),
        ApiFixtures.seen(WEDNESDAY_10, serving(), ControlState.INITIAL, onlyInFlight));
    assertThat(stackDefault.retryAfterSeconds(WEDNESDAY_10))
        .as("the stack's 5 s batching window and the batch's 5 s")
        .isEqualTo(10);
  }

  @Test
  void aServingEndpointExpectsTheResultOnceTheQueueAheadHasDrainedAtTheMeasuredRate() {
    ControlState measured = controlState()
        .drainRates(List.of(3.0, 4.0, 6.0))
        .hosting(Hosting.SCHEDULED)
        .build();
    Backlog.Snapshot thousandAhead = new Backlog.Snapshot(900, 40, 100, 0);

    Forecast f = Forecast.of(
        ApiFixtures.config(), ApiFixtures.seen(WEDNESDAY_10, serving(), measured, thousandAhead));

    assertThat(f.expectedAt())
        .as("1,000 ahead at the median 4 images/s: 250 s, then the batch's 10 s")
        .isEqualTo(WEDNESDAY_10.plusSeconds(260));
    assertThat(f.retryAfterSeconds(WEDNESDAY_10)).isEqualTo(260);
    assertThat(f.reason())
        .isEqualTo("the endpoint is serving; 1000 ahead in the queue, which drain in about 4 min at"
            + " 4 images/s (the median of the measured drains), then this upload's batch:"
            + " expected in about 4 min");
  }

  @Test
  void drainsMeasuredOnAnotherInstanceCountAreScaledToTheStacksCount() {
    Backlog.Snapshot thousandAhead = new Backlog.Snapshot(1000, 0, 0, 0);
    ControlState onFour =
        controlState().drainRatesOn(4, List.of(20.0)).hosting(Hosting.SCHEDULED).build();

    Forecast one = Forecast.of(
        ApiFixtures.config(), ApiFixtures.seen(WEDNESDAY_10, serving(), onFour, thousandAhead));
    assertThat(one.retryAfterSeconds(WEDNESDAY_10))
        .as(
            "20/s on 4 instances is 5/s on the stack's 1: 1,000 in 200 s, not 50 s; the batch's 10 s")
        .isEqualTo(210);
    assertThat(one.reason())
        .isEqualTo("the endpoint is serving; 1000 ahead in the queue, which drain in about 3 min"
            + " at 5 images/s (the median of the drains measured on another instance count, for 1"
            + " instance), then this upload's batch: expected in about 4 min");

    ControlState onOne =
        controlState().drainRatesOn(1, List.of(5.0)).hosting(Hosting.SCHEDULED).build();
    Forecast four = Forecast.of(
        ApiFixtures.config(Map.of("INSTANCE_COUNT", "4")),
        ApiFixtures.seen(WEDNESDAY_10, serving(), onOne, thousandAhead));
    assertThat(four.retryAfterSeconds(WEDNESDAY_10))
        .as(
            "5/s on 1 instance is planned as 5/s on 4 (no faster than measured): 200 s and the batch")
        .isEqualTo(210);
  }

  @Test
  void anObjectWaitingInTheQueueIsNotAheadOfItself() {
    Backlog.Snapshot itAndTenMore = new Backlog.Snapshot(11, 3, 0, 0);
    StackObserver.Observed seen =
        ApiFixtures.seen(WEDNESDAY_10, serving(), ControlState.INITIAL, itAndTenMore);

    Forecast queued = Forecast.ofQueued(ApiFixtures.config(), seen);
    assertThat(queued.reason())
        .isEqualTo("the endpoint is serving; 10 ahead in the queue, which drain in about 5 s at 2"
            + " images/s (2 per instance until a drain is measured), then this upload's batch:"
            + " expected in about 15 s");
    assertThat(queued.retryAfterSeconds(WEDNESDAY_10)).isEqualTo(15);
    assertThat(Forecast.of(ApiFixtures.config(), seen).retryAfterSeconds(WEDNESDAY_10))
        .as("a new upload has all 11 ahead: 5.5 s, rounded up, and the batch")
        .isEqualTo(16);

    Forecast alone = Forecast.ofQueued(
        ApiFixtures.config(),
        ApiFixtures.seen(WEDNESDAY_10, serving(), ControlState.INITIAL, ONE_WAITING));
    assertThat(alone.reason()).contains("nothing ahead in the queue");
    assertThat(alone.retryAfterSeconds(WEDNESDAY_10)).isEqualTo(10);
  }

  @Test
  void anObjectWaitingForAStartingEndpointIsCountedOnceInTheDrain() {
    Decision creating = decision(
        WEDNESDAY_10.minusSeconds(60),
        true,
        Endpoint.State.CREATING,
        WEDNESDAY_10.minusSeconds(600),
        Mapping.TriggerState.DISABLED);
    ControlState waking = controlState()
        .wakeIssuedAt(WEDNESDAY_10.minusSeconds(600))
        .hosting(Hosting.SCHEDULED)
        .build();
    StackObserver.Observed seen =
        ApiFixtures.seen(WEDNESDAY_10, creating, waking, new Backlog.Snapshot(600, 0, 0, 0));

    Forecast queued = Forecast.ofQueued(ApiFixtures.config(), seen);
    assertThat(queued.reason())
        .endsWith("then the first batch, and 600 in the queue (this upload included) drain in"
            + " about 5 min at 2 images/s (2 per instance until a drain is measured)");
    assertThat(queued.retryAfterSeconds(WEDNESDAY_10))
        .as("the default 30 min wake issued 10 min ago: 1200 s; the first batch 10 s; 600 at 2/s")
        .isEqualTo(1200 + 10 + 300);
    assertThat(Forecast.of(ApiFixtures.config(), seen).reason())
        .as("a new upload joins the 600")
        .contains("601 in the queue (this upload included)");
  }

  @Test
  void beforeADrainIsMeasuredEachInstanceDrainsAtTheDefaultRate() {
    Backlog.Snapshot fiveThousandAhead = new Backlog.Snapshot(5000, 0, 0, 0);

    Forecast one = Forecast.of(
        ApiFixtures.config(),
        ApiFixtures.seen(WEDNESDAY_10, serving(), ControlState.INITIAL, fiveThousandAhead));
    assertThat(one.retryAfterSeconds(WEDNESDAY_10))
        .as("5,000 at 2 images/s: 2,500 s, and the batch's 10 s")
        .isEqualTo(2510);

    Forecast two = Forecast.of(
        ApiFixtures.config(Map.of("INSTANCE_COUNT", "2")),
        ApiFixtures.seen(WEDNESDAY_10, serving(), ControlState.INITIAL, fiveThousandAhead));
    assertThat(two.retryAfterSeconds(WEDNESDAY_10))
        .as("5,000 at 2 x 2 images/s: 1,250 s, and the batch's 10 s")
        .isEqualTo(1260);
    assertThat(two.reason())
        .isEqualTo("the endpoint is serving; 5000 ahead in the queue, which drain in about 21 min"
            + " at 4 images/s (2 per instance until a drain is measured), then this upload's"
            + " batch: expected in about 21 min");

    Forecast serverless = Forecast.of(
        ApiFixtures.config(Map.of("HOSTING", "serverless", "INSTANCE_COUNT", "3")),
        ApiFixtures.seen(WEDNESDAY_10, serving(), ControlState.INITIAL, fiveThousandAhead));
    assertThat(serverless.retryAfterSeconds(WEDNESDAY_10))
        .as("a serverless endpoint has no instances: one default rate")
        .isEqualTo(2510);
  }

  private static Decision serving() {
    return decision(
        WEDNESDAY_10.minusSeconds(60),
        true,
        Endpoint.State.IN_SERVICE,
        null,
        Mapping.TriggerState.ENABLED);
  }

  @Test
  void aCreatingEndpointTakesTheRestOfItsLearnedWakeFromItsIssueThenTheDrain() {
    Instant issued = WEDNESDAY_10.minus(Duration.ofMinutes(10));
    Decision creating = decision(
        WEDNESDAY_10.minusSeconds(60),
        true,
        Endpoint.State.CREATING,
        issued.plusSeconds(120),
        Mapping.TriggerState.DISABLED);
    ControlState waking = controlState()
        .wakeSeconds(List.of(900L, 1200L))
        .wakeIssuedAt(issued)
        .hosting(Hosting.SCHEDULED)
        .build();

    Forecast f = Forecast.of(
        ApiFixtures.config(),
        ApiFixtures.seen(WEDNESDAY_10, creating, waking, new Backlog.Snapshot(599, 0, 0, 0)));

    assertThat(f.startsAt()).isEqualTo(issued);
    assertThat(f.expectedAt())
        .as("polling 20 min (the wakes' 90th percentile) after the CreateEndpoint, 10 min from now;"
            + " then the first batch's 10 s and 600 at 2 images/s, 300 s")
        .isEqualTo(WEDNESDAY_10.plusSeconds(600 + 10 + 300));
    assertThat(f.retryAfterSeconds(WEDNESDAY_10)).isEqualTo(910);
    assertThat(f.reason())
        .isEqualTo("the endpoint is starting (Creating since 2026-11-25 09:50 Europe/Berlin);"
            + " working hours; 1 waiting; the trigger is expected to poll by 2026-11-25 10:10"
            + " Europe/Berlin (the 90th percentile of the measured wakes, 20 min from 2026-11-25"
            + " 09:50 Europe/Berlin); then the first batch, and 600 in the queue (this upload"
            + " included) drain in about 5 min at 2 images/s (2 per instance until a drain is"
            + " measured)");
  }

  @Test
  void anEndpointUpButNotYetPollingTakesTheRestOfItsWakeThenTheDrain() {
    Decision upNotPolling = decision(
        WEDNESDAY_10.minusSeconds(60),
        true,
        Endpoint.State.IN_SERVICE,
        WEDNESDAY_10.minus(Duration.ofMinutes(19)),
        Mapping.TriggerState.DISABLED);
    Backlog.Snapshot twoHundred = new Backlog.Snapshot(199, 0, 0, 0);
    ControlState waking = controlState()
        .wakeIssuedAt(WEDNESDAY_10.minus(Duration.ofMinutes(20)))
        .hosting(Hosting.SCHEDULED)
        .build();

    Forecast f = Forecast.of(
        ApiFixtures.config(), ApiFixtures.seen(WEDNESDAY_10, upNotPolling, waking, twoHundred));

    assertThat(f.retryAfterSeconds(WEDNESDAY_10))
        .as("the default 30-min wake issued 20 min ago: 600 s; the first batch 10 s; 200 at 2"
            + " images/s: 100 s")
        .isEqualTo(710);
    assertThat(f.reason())
        .startsWith(
            "the endpoint is up; the controller resumes consumption after a test invocation;"
                + " the trigger is expected to poll by 2026-11-25 10:10 Europe/Berlin (the default"
                + " wake before one is measured, 30 min from 2026-11-25 09:40 Europe/Berlin)");

    Forecast resume = Forecast.of(
        ApiFixtures.config(),
        ApiFixtures.seen(WEDNESDAY_10, upNotPolling, ControlState.INITIAL, twoHundred));
    assertThat(resume.retryAfterSeconds(WEDNESDAY_10))
        .as("no wake in progress: the controller's next run in 300 s, the first batch, the drain")
        .isEqualTo(410);
    assertThat(resume.reason())
        .startsWith("the endpoint is up; the controller resumes consumption after a test invocation"
            + " at its next run; then the first batch, and 200 in the queue");
  }

  @Test
  void anEndpointWhoseTriggerTheLastRunEnabledIsServingBeforeARunSeesItPoll() {
    // The run that enables the trigger saw it Disabled; until the next run sees it polling (a
    // minute later, and only then is the wake measured), uploads are classified at once, while
    // the decision still reads as a wake in progress.
    ControlState waking = controlState()
        .wakeIssuedAt(WEDNESDAY_10.minusSeconds(20))
        .hosting(Hosting.SCHEDULED)
        .build();
    Decision enabled = new Decision(
        WEDNESDAY_10.minusSeconds(5),
        true,
        "working hours; 1 waiting",
        Endpoint.Status.of(Endpoint.State.IN_SERVICE, null, WEDNESDAY_10.minusSeconds(15), null),
        Mapping.TriggerState.DISABLED,
        ONE_WAITING,
        Decision.Action.ENABLE_MAPPING,
        "endpoint InService; test invocation, then enable",
        Decision.OK,
        false,
        null);

    Forecast f = Forecast.of(
        ApiFixtures.config(),
        ApiFixtures.seen(WEDNESDAY_10, enabled, waking, Backlog.Snapshot.EMPTY));

    assertThat(f.expectedAt())
        .as(
            "nothing ahead: the stack's 5 s batching window and the batch's 5 s, not the 30-min wake")
        .isEqualTo(WEDNESDAY_10.plus(FIRST_BATCH));
    assertThat(f.reason())
        .isEqualTo("the endpoint is serving; nothing ahead in the queue, then this upload's batch:"
            + " expected in about 10 s");

    Decision probeFailed = new Decision(
        enabled.at(),
        true,
        enabled.wantReason(),
        enabled.endpoint(),
        Mapping.TriggerState.DISABLED,
        ONE_WAITING,
        Decision.Action.ENABLE_MAPPING,
        enabled.why(),
        "test invocation failed, mapping stays disabled, retry next run: HTTP 500",
        false,
        null);
    assertThat(Forecast.of(
                ApiFixtures.config(),
                ApiFixtures.seen(WEDNESDAY_10, probeFailed, waking, Backlog.Snapshot.EMPTY))
            .reason())
        .as("a test invocation that failed left the trigger off: still a wake in progress")
        .startsWith(
            "the endpoint is up; the controller resumes consumption after a test invocation;");
  }

  @Test
  void withABudgetTheDefaultDrainCountsEveryInstance() {
    Instant oldest = WEDNESDAY_10.minus(Duration.ofMinutes(20));
    Backlog.Snapshot thousand = new Backlog.Snapshot(999, 0, 0, 0);
    Instant due = oldest.plus(Duration.ofMinutes(60));

    Forecast one = Forecast.of(
        ApiFixtures.config(Map.of("MAX_WAIT_MINUTES", "60")),
        ApiFixtures.seen(WEDNESDAY_10, null, waitingSince(oldest, Hosting.SCHEDULED), thousand));
    assertThat(one.startsAt())
        .as("a 10-minute wake, the first batch and 1,000 uploads at 2 images/s before the due time")
        .isEqualTo(due.minusSeconds(600 + 10 + 500));

    Forecast two = Forecast.of(
        ApiFixtures.config(Map.of("MAX_WAIT_MINUTES", "60", "INSTANCE_COUNT", "2")),
        ApiFixtures.seen(WEDNESDAY_10, null, waitingSince(oldest, Hosting.SCHEDULED), thousand));
    assertThat(two.startsAt())
        .as("the same at 2 x 2 images/s: 250 s")
        .isEqualTo(due.minusSeconds(600 + 10 + 250));
    assertThat(two.expectedAt()).isEqualTo(due);
  }

  @Test
  void retryAfterIsTheWholeSecondsUntilTheExpectedResultRoundedUpWithinFiveSecondsAndAnHour() {
    Instant at = WEDNESDAY_10;
    assertThat(expected(at, at.plusSeconds(2111)).retryAfterSeconds(at)).isEqualTo(2111);
    assertThat(expected(at, at.plusMillis(2_110_001)).retryAfterSeconds(at))
        .as("never before the expected time")
        .isEqualTo(2111);
    assertThat(expected(at, at.plusSeconds(2)).retryAfterSeconds(at)).isEqualTo(5);
    assertThat(expected(at, at.minusSeconds(90)).retryAfterSeconds(at))
        .as("overdue")
        .isEqualTo(5);
    assertThat(expected(at, at.plusSeconds(3601)).retryAfterSeconds(at)).isEqualTo(3600);
    assertThat(expected(at, null).retryAfterSeconds(at))
        .as("nothing will start the endpoint")
        .isEqualTo(3600);
  }

  private static Forecast expected(Instant now, Instant expectedAt) {
    return new Forecast(now, expectedAt, "a forecast");
  }

  @Test
  void aServerlessEndpointIsNeverForecastByTheSchedule() {
    ApiConfig serverless = ApiFixtures.config(Map.of("HOSTING", "serverless"));
    Decision serving = decision(
        SATURDAY_10.minusSeconds(60),
        true,
        Endpoint.State.IN_SERVICE,
        null,
        Mapping.TriggerState.ENABLED);
    assertThat(Forecast.of(
                serverless,
                ApiFixtures.seen(SATURDAY_10, serving, ControlState.INITIAL, ONE_WAITING))
            .expectedAt())
        .as("serving on a Saturday: one ahead at 2 images/s, then the batch's 10 s")
        .isEqualTo(SATURDAY_10.plusSeconds(1).plus(FIRST_BATCH));

    Forecast creating = Forecast.of(
        serverless,
        ApiFixtures.seen(
            SATURDAY_10,
            decision(
                SATURDAY_10,
                true,
                Endpoint.State.CREATING,
                SATURDAY_10,
                Mapping.TriggerState.DISABLED),
            ControlState.INITIAL,
            ONE_WAITING));
    assertThat(creating.startsAt()).isNull();
    assertThat(creating.reason())
        .isEqualTo(
            "the serverless endpoint is not taking uploads now (-); they wait in the" + " queue");
  }

  @Test
  void aStartingEndpointIsExpectedTheLearnedWakeAfterItsCreation() {
    Instant created = WEDNESDAY_10.minus(Duration.ofMinutes(10));
    Decision creating = decision(
        WEDNESDAY_10.minusSeconds(60),
        true,
        Endpoint.State.CREATING,
        created,
        Mapping.TriggerState.DISABLED);

    Forecast f = Forecast.of(
        ApiFixtures.config(),
        ApiFixtures.seen(WEDNESDAY_10, creating, learned(List.of(900L, 1200L)), ONE_WAITING));

    assertThat(f.startsAt()).isEqualTo(created);
    assertThat(f.expectedAt())
        .as("the 90th percentile of the wakes, the first batch and two uploads at 2 images/s")
        .isEqualTo(created.plus(Duration.ofMinutes(20)).plus(FIRST_BATCH).plusSeconds(1));
    assertThat(f.reason())
        .startsWith("the endpoint is starting (Creating since 2026-11-25 09:50 Europe/Berlin)");
  }

  @Test
  void aManualStopDelaysToItsEndAndAStopUntilAutoNeverEnds() {
    Instant tuesday09 = Instant.parse("2026-12-01T08:00:00Z");
    ControlState stopped = stopped(tuesday09);

    Forecast until = Forecast.of(
        ApiFixtures.config(), ApiFixtures.seen(SATURDAY_10, null, stopped, Backlog.Snapshot.EMPTY));

    assertThat(until.startsAt()).isEqualTo(tuesday09);
    assertThat(until.reason())
        .startsWith("stopped by hand until 2026-12-01 09:00 Europe/Berlin, then: working hours");

    ControlState forever = stopped(null);
    Forecast never = Forecast.of(
        ApiFixtures.config(),
        ApiFixtures.seen(WEDNESDAY_10, null, forever, Backlog.Snapshot.EMPTY));
    assertThat(never.startsAt()).isNull();
    assertThat(never.expectedAt()).isNull();
    assertThat(never.reason())
        .as("not 'no working hours ahead and no wake-up threshold': there are both")
        .isEqualTo("the endpoint was stopped by hand until 'offhours endpoint auto', which gives it"
            + " back to the schedule and the wake-up thresholds; start it with 'offhours endpoint"
            + " start'");
  }

  @Test
  void wakeThresholdsBringTheStartForward() {
    ApiConfig byCount = ApiFixtures.config(Map.of("WAKE_BACKLOG_MESSAGES", "5"));
    assertThat(Forecast.of(
                byCount,
                ApiFixtures.seen(
                    SATURDAY_10, null, ControlState.INITIAL, new Backlog.Snapshot(4, 0, 0, 0)))
            .startsAt())
        .as("the fifth upload, seen at the controller's next tick")
        .isEqualTo(SATURDAY_10.plus(TICK));
    assertThat(Forecast.of(
                byCount,
                ApiFixtures.seen(
                    SATURDAY_10, null, ControlState.INITIAL, new Backlog.Snapshot(2, 0, 0, 0)))
            .startsAt())
        .as("the third upload")
        .isEqualTo(MONDAY_08);

    ApiConfig byAge = ApiFixtures.config(Map.of("WAKE_BACKLOG_AGE_MINUTES", "60"));
    ControlState waiting = controlState()
        .backlogSince(SATURDAY_10.minus(Duration.ofMinutes(30)))
        .lastAction("NONE: off")
        .build();
    Forecast f = Forecast.of(byAge, ApiFixtures.seen(SATURDAY_10, null, waiting, ONE_WAITING));
    assertThat(f.startsAt()).isEqualTo(SATURDAY_10.plus(Duration.ofMinutes(30)));
    assertThat(f.reason())
        .isEqualTo("the oldest upload will be 60 min old (WAKE_BACKLOG_AGE_MINUTES) at 2026-11-28"
            + " 10:30 Europe/Berlin; a wake counted as 30 min, the default until one is measured");
  }

  @Test
  void withoutWorkingHoursOrThresholdsNothingStartsTheEndpoint() {
    Forecast f =
        Forecast.of(ApiFixtures.config(Map.of("WORKING_HOURS", "")), ApiFixtures.seen(SATURDAY_10));

    assertThat(f.startsAt()).isNull();
    assertThat(f.reason())
        .isEqualTo("the endpoint is off and nothing will start it: no working hours ahead and no"
            + " wake-up threshold; start it with 'offhours endpoint start'");
  }

  @Test
  void theForecastStartIsWhenTheRealControllerFirstWantsTheEndpointOn() {
    ApiConfig config = ApiFixtures.config();
    Instant start = Forecast.of(config, ApiFixtures.seen(SATURDAY_10)).startsAt();

    assertThat(controllerWantsOn(config, start.minus(Duration.ofMinutes(5))))
        .as("5 minutes before")
        .isFalse();
    assertThat(controllerWantsOn(config, start)).as("at the forecast start").isTrue();
  }

  /** One run of the real controller with one upload waiting and the endpoint absent. */
  private static boolean controllerWantsOn(ApiConfig config, Instant at) {
    List<String> metrics = new ArrayList<>();
    EndpointController controller = new EndpointController(
        config.controller(),
        new Endpoint() {
          @Override
          public Status describe() {
            return Status.ABSENT;
          }

          @Override
          public boolean create() {
            return true;
          }

          @Override
          public void delete() {}

          @Override
          public Probe probe() {
            return new Probe(false, "absent");
          }
        },
        new Mapping() {
          @Override
          public TriggerState state() {
            return Mapping.TriggerState.DISABLED;
          }

          @Override
          public void enable() {}

          @Override
          public void disable() {}
        },
        () -> ONE_WAITING,
        new MemoryControlTable(),
        new MemoryControlTable(),
        metrics::add);
    return controller.reconcile(at).wantOn();
  }

  @Test
  void withABudgetTheForecastIsTheOldestUploadsDueTimeAsTheControllerPlansIt() {
    ApiConfig budget = ApiFixtures.config(Map.of("MAX_WAIT_MINUTES", "60"));
    Instant oldest = WEDNESDAY_10.minus(Duration.ofMinutes(20));
    ControlState waiting = waitingSince(oldest, Hosting.SCHEDULED);

    Forecast f = Forecast.of(budget, ApiFixtures.seen(WEDNESDAY_10, null, waiting, ONE_WAITING));

    Instant due = oldest.plus(Duration.ofMinutes(60));
    assertThat(f.expectedAt()).isEqualTo(due);
    assertThat(f.startsAt())
        .as("a 10-minute wake, the first batch and two uploads at 2 images/s before the due time")
        .isEqualTo(due.minusSeconds(600 + 1).minus(FIRST_BATCH));
    assertThat(f.reason()).contains("MAX_WAIT_MINUTES=60");
  }

  @Test
  void afterASwitchOfHostingTheForecastPlansWithTheDefaultWakeAsTheControllerWill() {
    ApiConfig budget = ApiFixtures.config(Map.of("MAX_WAIT_MINUTES", "60"));
    Instant oldest = WEDNESDAY_10.minus(Duration.ofMinutes(20));
    ControlState learnedWithComponents = waitingSince(oldest, Hosting.SCALE_TO_ZERO);

    Forecast f = Forecast.of(
        budget, ApiFixtures.seen(WEDNESDAY_10, null, learnedWithComponents, ONE_WAITING));

    assertThat(f.startsAt())
        .as("the stack is scheduled now: a 30-minute wake, not the component's 10 minutes")
        .isEqualTo(oldest.plus(Duration.ofMinutes(60)).minusSeconds(1800 + 1).minus(FIRST_BATCH));
  }

  @Test
  void aStopInProgressEndsBeforeTheNextStart() {
    Instant issued = WEDNESDAY_10.minus(Duration.ofMinutes(1));
    ControlState stopping = controlState()
        .scheduleOpen(true)
        .billing(true)
        .lastAction("DELETE_ENDPOINT")
        .stopSeconds(List.of(600L))
        .stopIssuedAt(issued)
        .hosting(Hosting.SCHEDULED)
        .build();

    Forecast f = Forecast.of(
        ApiFixtures.config(), ApiFixtures.seen(WEDNESDAY_10, null, stopping, ONE_WAITING));

    assertThat(f.startsAt())
        .as("the learned 10-minute stop, issued a minute ago, ends after the next tick")
        .isEqualTo(issued.plus(Duration.ofMinutes(10)));
  }

  /** Uploads waiting since {@code oldest}, with one 10-minute wake learned under {@code hosting}. */
  private static ControlState waitingSince(Instant oldest, Hosting hosting) {
    return controlState()
        .backlogSince(oldest)
        .scheduleOpen(true)
        .wakeSeconds(List.of(600L))
        .hosting(hosting)
        .build();
  }

  private static ControlState learned(List<Long> wakes) {
    return controlState().wakeSeconds(wakes).hosting(Hosting.SCHEDULED).build();
  }

  private static ControlState stopped(Instant until) {
    return controlState()
        .override(new ControlState.Override(ControlState.Override.Mode.STOP, until))
        .lastAction("NONE: off")
        .build();
  }

  private static Decision decision(
      Instant at, boolean on, Endpoint.State state, Instant created, Mapping.TriggerState mapping) {
    return new Decision(
        at,
        on,
        on ? "working hours; 1 waiting" : "outside working hours",
        Endpoint.Status.of(state, null, created, null),
        mapping,
        ONE_WAITING,
        Decision.Action.WAIT,
        "-",
        "ok",
        false,
        null);
  }
}
