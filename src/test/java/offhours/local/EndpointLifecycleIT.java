// Needs moto_server on the PATH (or in ~/.pyenv/shims), python3 (the slow model container), and
// node/npm for the first conversion of the default model into the user's offhours cache, which
// the stacks' own cache links to (see StackFixture.cache).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import offhours.aws.AwsClients.Service;
import offhours.endpoint.Schedule;
import offhours.results.ResultItem;
import offhours.testing.FunctionLog;
import offhours.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * The endpoint's life cycle against the whole local stack (moto_server, the local SageMaker, the local Lambda and the
 * real controller on a 1 s timer): while the endpoint is off uploads wait in SQS without spending their receive count,
 * a stop drains in-flight work before deleting, a failed creation is retried, a mapping enabled by hand while the
 * endpoint is off is disabled again, a stack started with nothing uploaded stays off (its start swept S3's test event), and working hours open and close at local times on DST days. Every assertion reads the results table, the queues or the APIs over the wire.
 */
class EndpointLifecycleIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path cliCache;

  /**
   * moto_server, as S3, sends an s3:TestEvent to the queue when the start puts the bucket's notification; local mode's
   * controller wakes the endpoint for one waiting message. The start sweeps it off (offhours.endpoint.TestEventSweep,
   * as the stack's custom resource on AWS), so a stack started with nothing uploaded has an empty queue and stays off.
   */
  @Test
  void aStackStartedWithNothingUploadedHasAnEmptyQueueAndItsControllerKeepsTheEndpointOff()
      throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    try (StackFixture f = StackFixture.start(
        StackFixture.options(Duration.ofSeconds(2), Map.of()),
        Clock.systemUTC(),
        new PrintStream(progress, true, StandardCharsets.UTF_8))) {
      assertThat(f.queue())
          .as(
              "the images queue (ApproximateNumberOfMessages, NotVisible, Delayed; DLQ) once started")
          .isEqualTo(new StackFixture.Queue(0, 0, 0, 0));
      for (int run = 0; run < 3; run++) {
        JsonNode decision = f.reconcile();
        assertThat(decision.get("want").asText())
            .as("controller run %d with nothing uploaded: %s", run, decision)
            .isEqualTo("OFF");
        assertThat(decision.get("action").asText())
            .as("controller run %d with nothing uploaded: %s", run, decision)
            .isEqualTo("NONE");
      }
      assertThat(f.endpointStatus()).as("endpoint with nothing uploaded").isEqualTo("absent");
      assertThat(f.mappingState()).as("mapping with nothing uploaded").isEqualTo("Disabled");
      assertThat(progress.toString(StandardCharsets.UTF_8))
          .as("the local start's progress: the test event was there, and the sweep took it")
          .contains("test-event sweep: deleted 1 s3:TestEvent message");
    }
  }

  @Test
  void uploadsWaitInTheQueueWhileTheEndpointIsOffAndAreClassifiedOnceItStarts() throws Exception {
    try (StackFixture f = StackFixture.start(
        StackFixture.options(Duration.ofSeconds(2), StackFixture.OFF_UNLESS_STARTED))) {
      LocalCli cli = new LocalCli(f.stack, cliCache);
      List<Path> images = StackFixture.demoImages();
      int n = images.size();

      cli.out("upload", StackFixture.DEMO_IMAGES.toString());
      f.assertUploadsWaitWhileOff(n, DEADLINE);
      assertThat(f.endpointStatus()).as("endpoint while off").isEqualTo("absent");
      assertThat(f.mappingState()).as("mapping while off").isEqualTo("Disabled");
      JsonNode queue = cli.json("queue", "--json");
      assertThat(queue.get("visible").asLong())
          .as("offhours queue --json: %s", queue)
          .isEqualTo(n);
      assertThat(queue.get("dlq").asLong())
          .as("offhours queue --json: %s", queue)
          .isZero();

      // The local SageMaker writes its containers' output to files; the group stands for the one
      // SageMaker creates on AWS, so the wake's retention call is seen to reach moto_server.
      String logGroup = "/aws/sagemaker/Endpoints/" + f.stack.names().endpoint();
      try (CloudWatchLogsClient logs =
          f.stack.clients().build(Service.LOGS, CloudWatchLogsClient.builder())) {
        logs.createLogGroup(r -> r.logGroupName(logGroup));
        cli.out("endpoint", "start");
        StackFixture.assertEachDemoImageClassifiedOnce(f.awaitEachResult(n, DEADLINE), images);
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix(logGroup))
                .logGroups()
                .getFirst()
                .retentionInDays())
            .as("retention of %s after the wake (LOG_RETENTION_DAYS)", logGroup)
            .isEqualTo(30);
      }
      f.assertNoDeadLetterNorFailure("after the drain");
      assertThat(cli.out("results", "--json")
              .lines()
              .map(StackFixture::json)
              .map(j -> j.get("key").asText())
              .toList())
          .as("offhours results --json")
          .hasSize(n);
    }
  }

  @Test
  void aStopDuringABacklogDrainsInFlightBatchesBeforeDeletingAndTheRestartClassifiesEachUploadOnce(
      @TempDir Path dir) throws Exception {
    // The model answers 10 requests (the controller's test invocation among them), then holds the
    // rest until the test creates the file: the stop, sent once 6 are classified, lands mid-drain
    // by construction, not by racing the other 34 uploads (it had ~17 s at 0.5 s per image). The
    // test releases the drain once it has seen the stop pause consumption with messages in flight.
    Path hold = dir.resolve("release-the-drain");
    try (StackFixture f = StackFixture.start(StackFixture.heldModel(
        dir, 0.2, 10, hold, Duration.ofSeconds(1), StackFixture.OFF_UNLESS_STARTED))) {
      int n = 40;
      List<String> keys = f.uploadCopies("backlog", n);
      f.await(n + " notifications visible", DEADLINE, () -> f.queue().visible() == n);

      f.override("start");
      f.await("the first results of the drain", DEADLINE, () -> f.results().size() >= 6);
      f.override("stop");

      // Sample the stop until the endpoint is gone: consumption must be paused before the endpoint
      // leaves InService, and nothing may be in flight once it does.
      long drained = 0;
      List<String> violations = new ArrayList<>();
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      String endpoint;
      do {
        assertThat(System.nanoTime())
            .as("endpoint deleted within %s of the stop; %s", DEADLINE, f.snapshot())
            .isLessThan(deadline);
        // The endpoint first: the readings after it are as late as it or later, so one that shows
        // consumption on once it has left InService is a violation, not a reading from before.
        endpoint = f.endpointStatus();
        String mapping = f.mappingState();
        StackFixture.Queue q = f.queue();
        int invoking = f.consumer().invoking();
        if (endpoint.equals("InService") && !mapping.startsWith("Enabl")) {
          drained = Math.max(drained, q.inFlight());
          if (drained > 0 && !Files.exists(hold)) {
            Files.createFile(hold);
          }
        } else if (!endpoint.equals("InService")
            && (mapping.startsWith("Enabl") || q.inFlight() > 0 || invoking > 0)) {
          violations.add("endpoint " + endpoint + " while mapping " + mapping + ", " + q.inFlight()
              + " in flight, " + invoking + " batches invoking");
        }
        Thread.sleep(50);
      } while (!endpoint.equals("absent"));

      assertThat(violations)
          .as("the endpoint left InService with consumption on or work in flight")
          .isEmpty();
      assertThat(drained)
          .as("messages in flight while the stop waited (the stop must land mid-drain to test it)")
          .isPositive();
      int classifiedBeforeRestart = f.results().size();
      StackFixture.Queue stopped = f.queue();
      assertThat(classifiedBeforeRestart)
          .as("results when the endpoint was gone: a backlog must be left")
          .isLessThan(n);
      assertThat(stopped)
          .as("the queue after the stop: the rest waits visible, nothing deferred, nothing dead")
          .isEqualTo(new StackFixture.Queue(n - classifiedBeforeRestart, 0, 0, 0));

      f.override("start");
      f.await(
          "a result for each of the " + n + " uploads after the restart",
          DEADLINE,
          () -> f.results().size() >= n);
      f.await("an empty queue", DEADLINE, () -> f.queue().total() == 0);

      List<ResultItem> results = f.results();
      Map<String, Long> perUpload =
          results.stream().collect(Collectors.groupingBy(ResultItem::pk, Collectors.counting()));
      assertThat(perUpload)
          .as("results per upload (pk)")
          .hasSize(n)
          .allSatisfy((pk, count) -> assertThat(count).as("results of %s", pk).isEqualTo(1L));
      assertThat(results).extracting(ResultItem::key).containsExactlyInAnyOrderElementsOf(keys);
      assertThat(results).allSatisfy(r -> {
        assertThat(r.status()).as("status of %s", r.key()).isEqualTo(ResultItem.Verdict.CLASSIFIED);
        // attempts = SQS receives + deferrals: 1 means neither the stop nor the restart cost this
        // upload anything
        assertThat(r.attempts()).as("attempts of %s", r.key()).isEqualTo(1);
      });
      f.assertNoDeadLetterNorFailure("at the end");
    }
  }

  /**
   * The controller reads a clock that stands still until the test moves it, so the backoff ends when the test says,
   * not 5 s after the failure: a loaded machine that takes longer than the backoff to read the endpoint's deletion
   * still finds the run after it waiting. The failure is awaited in the controller's log (the run that deletes the
   * failed endpoint), not by catching the endpoint in Failed, which lasts until the next tick.
   */
  @Test
  void aFailedCreationIsDeletedAndRetriedAfterTheBackoffWhileUploadsWait() throws Exception {
    // Local mode's own policy (wake on one waiting upload), with a 5 s first backoff instead of 5
    // minutes.
    MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    try (FunctionLog log = new FunctionLog(LocalDeployment.CONTROLLER_FUNCTION);
        StackFixture f = StackFixture.start(
            StackFixture.options(Duration.ofSeconds(1), Map.of("CREATE_BACKOFF_SECONDS", "5")),
            clock)) {
      f.stack
          .services()
          .sageMaker()
          .failNextCreates(1, "CapacityError: Unable to provision requested ML compute capacity.");
      List<String> keys = f.uploadCopies("retry", 4);
      int n = keys.size();

      // Until the retried endpoint serves, nothing may be consumed: the mapping stays off on a
      // Failed endpoint.
      List<String> violations = new ArrayList<>();
      f.awaitValue("the controller's run that deletes the failed endpoint", DEADLINE, () -> {
        if (f.consumer().delivered() > 0) {
          violations.add(n + " uploads, endpoint " + f.endpointStatus()
              + ", yet the consumer received messages");
        }
        return log.lines().stream()
            .filter(run -> run.contains("-> DELETE_ENDPOINT: endpoint failed: CapacityError"))
            .findFirst()
            .orElse(null);
      });
      f.await("the failed endpoint deleted", DEADLINE, () -> f.endpointStatus().equals("absent"));
      JsonNode backoff = f.reconcile();
      assertThat(backoff.get("action").asText())
          .as("the run after deleting the failed endpoint: %s", backoff)
          .isEqualTo("WAIT");
      Instant backoffEnds = clock.now().plus(Duration.ofSeconds(5));
      assertThat(backoff.get("why").asText())
          .as("the run after deleting the failed endpoint")
          .isEqualTo("create backoff after 1 failure until " + backoffEnds + "; the last: endpoint"
              + " failed: CapacityError: Unable to provision requested ML compute capacity.");
      assertThat(f.consumer().delivered())
          .as("messages received before any endpoint served")
          .isZero();
      assertThat(f.queue())
          .as("uploads while the creation failed")
          .isEqualTo(new StackFixture.Queue(n, 0, 0, 0));
      assertThat(violations).isEmpty();

      clock.set(backoffEnds); // the backoff is over: the next run creates the endpoint again
      List<ResultItem> results = f.awaitEachResult(n, DEADLINE);
      assertThat(f.endpointStatus()).as("the retried endpoint").isEqualTo("InService");
      assertThat(results).allSatisfy(r -> {
        assertThat(r.status()).as("status of %s", r.key()).isEqualTo(ResultItem.Verdict.CLASSIFIED);
        assertThat(r.attempts())
            .as("attempts of %s (receives + deferrals)", r.key())
            .isEqualTo(1);
      });
      assertThat(f.ledgerStartsAndStops())
          .as("ledger starts and stops: the failed create, its delete, the retry")
          .containsExactly(2, 1);
      f.assertNoDeadLetterNorFailure("at the end");
    }
  }

  @Test
  void aMappingEnabledByHandWhileTheEndpointIsOffIsDisabledAgainAndLosesNoUpload()
      throws Exception {
    try (StackFixture f = StackFixture.start(
        StackFixture.options(Duration.ofSeconds(1), StackFixture.OFF_UNLESS_STARTED))) {
      List<String> keys = f.uploadCopies("drift", 6);
      int n = keys.size();
      f.await(n + " notifications visible", DEADLINE, () -> f.queue().visible() == n);

      // Drift, as a deploy that re-enables the trigger would cause.
      f.lambda.updateEventSourceMapping(r -> r.uuid(f.stack.mappingUuid()).enabled(true));
      assertThat(f.mappingState())
          .as("the mapping right after enabling it by hand")
          .startsWith("Enabl");
      f.await(
          "the controller to disable the mapping again",
          DEADLINE,
          () -> f.mappingState().equals("Disabled"));
      long deliveredWhileDrifting = f.consumer().delivered();

      // Whatever the consumer received meanwhile went back as delayed copies: every upload is still
      // queued.
      f.await(
          "every upload back in the queue (visible or delayed)",
          DEADLINE,
          () -> f.queue().inFlight() == 0 && f.queue().visible() + f.queue().delayed() == n);
      assertThat(f.results()).as("results while the endpoint is off").isEmpty();
      assertThat(f.endpointStatus())
          .as("endpoint after the drift was corrected")
          .isEqualTo("absent");
      f.assertNoDeadLetterNorFailure("after the drift");

      f.override("start");
      List<ResultItem> results = f.awaitEachResult(n, DEADLINE);
      assertThat(results).extracting(ResultItem::key).containsExactlyInAnyOrderElementsOf(keys);
      // attempts = receives + deferrals; each delivery during the drift is one deferral and nothing
      // else
      assertThat(results.stream().mapToLong(r -> r.attempts() - 1).sum())
          .as(
              "attempts beyond the first, summed, against the %d deliveries during the drift",
              deliveredWhileDrifting)
          .isEqualTo(deliveredWhileDrifting);
      f.assertNoDeadLetterNorFailure("at the end");
    }
  }

  /**
   * Sunday working hours in Berlin on the two DST days of 2026, against the real controller, SageMaker and mapping:
   * on 29 March (CEST from 01:00Z) 08:00-19:00 local is 06:00Z-17:00Z, on 25 October (CET from 01:00Z) it is
   * 07:00Z-18:00Z. The controller's clock is set to each side of each boundary; the endpoint and the mapping follow.
   * (Schedule's own DST arithmetic, including the skipped and repeated hour, is covered by ScheduleTest.)
   */
  @Test
  void theScheduleOpensAndClosesAtBerlinLocalTimesOnTheSpringAndAutumnDstDays() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-29T05:59:30Z"));
    Map<String, String> sundays = Map.of(
        "TIME_ZONE",
        "Europe/Berlin",
        "WORKING_HOURS",
        "Sun 08:00-19:00",
        "WAKE_BACKLOG_MESSAGES",
        "0",
        "IDLE_STOP_MINUTES",
        "0");
    Schedule schedule = Schedule.parse("Sun 08:00-19:00", ZoneId.of("Europe/Berlin"), Set.of());
    try (StackFixture f =
        StackFixture.start(StackFixture.options(Duration.ofSeconds(1), sundays), clock)) {
      for (String[] day : new String[][] {
        {
          "2026-03-29T05:59:30Z",
          "2026-03-29T06:00:00Z",
          "2026-03-29T16:59:30Z",
          "2026-03-29T17:00:00Z"
        },
        {
          "2026-10-25T06:59:30Z",
          "2026-10-25T07:00:00Z",
          "2026-10-25T17:59:30Z",
          "2026-10-25T18:00:00Z"
        }
      }) {
        Instant beforeOpening = Instant.parse(day[0]);
        Instant opening = Instant.parse(day[1]);
        Instant beforeClosing = Instant.parse(day[2]);
        Instant closing = Instant.parse(day[3]);
        assertThat(List.of(
                schedule.isOpen(beforeOpening),
                schedule.isOpen(opening),
                schedule.isOpen(beforeClosing),
                schedule.isOpen(closing)))
            .as("Schedule itself on %s", opening)
            .containsExactly(false, true, true, false);

        clock.set(beforeOpening);
        JsonNode closed = f.reconcile();
        assertThat(closed.get("want").asText())
            .as("30 s before 08:00 Berlin (%s): %s", beforeOpening, closed)
            .isEqualTo("OFF");
        assertThat(f.endpointStatus()).as("endpoint 30 s before the opening").isEqualTo("absent");

        clock.set(opening);
        JsonNode open = f.reconcile();
        assertThat(open.get("want").asText())
            .as("08:00 Berlin (%s): %s", opening, open)
            .isEqualTo("ON");
        assertThat(open.get("wantReason").asText()).startsWith("working hours");
        f.await(
            "the endpoint serving after the opening at " + opening,
            DEADLINE,
            () -> f.endpointStatus().equals("InService") && f.mappingState().equals("Enabled"));

        clock.set(beforeClosing);
        JsonNode stillOpen = f.reconcile();
        assertThat(stillOpen.get("want").asText())
            .as("18:59:30 Berlin (%s): %s", beforeClosing, stillOpen)
            .isEqualTo("ON");
        assertThat(stillOpen.get("action").asText())
            .as("18:59:30 Berlin: %s", stillOpen)
            .isEqualTo("NONE");

        clock.set(closing);
        JsonNode closedAgain = f.reconcile();
        assertThat(closedAgain.get("want").asText())
            .as("19:00 Berlin (%s): %s", closing, closedAgain)
            .isEqualTo("OFF");
        f.await(
            "the endpoint deleted after the closing at " + closing,
            DEADLINE,
            () -> f.endpointStatus().equals("absent") && f.mappingState().equals("Disabled"));
      }
      f.awaitLedger("the ledger's starts and stops over both days", 2, 2, DEADLINE);
    }
  }
}
