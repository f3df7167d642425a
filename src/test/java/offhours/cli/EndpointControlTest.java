package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.StateFile;
import offhours.stack.StackSpec;
import offhours.testing.MutableClock;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/**
 * {@code endpoint start|stop|auto} against a loopback server that answers the Lambda Invoke wire protocol
 * ({@code POST /2015-03-31/functions/NAME/invocations}) the way Lambda and the local Lambda shim do.
 */
class EndpointControlTest {

  static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T14:00:00Z"), ZoneId.of("Europe/Berlin"));

  /** 2026-12-04 16:40 in Lisbon, 17:40 in Berlin. */
  private static final Clock LISBON_AT_16_40 =
      Clock.fixed(Instant.parse("2026-12-04T16:40:00Z"), ZoneId.of("Europe/Lisbon"));

  @TempDir
  Path cache;

  private StubHttpServer lambda;
  private volatile String functionError;
  /** When set, Lambda's answer to every Invoke in place of the controller's. */
  private volatile Reply lambdaAnswers;
  /**
   * As the controller answers a manual start at 15:00 in Berlin: Decision#toMap in its own names of the states and
   * UTC instants with nanoseconds, and ControllerHandler's startedBy and timer.
   */
  private volatile String answer = "{\"at\":\"2026-11-25T14:00:00.123456789Z\",\"want\":\"ON\","
      + "\"wantReason\":\"manual start until 2026-11-25 18:00 Europe/Berlin\",\"endpoint\":\"ABSENT\","
      + "\"mapping\":\"DISABLED\",\"visible\":3,\"inFlight\":0,\"delayed\":1,\"dlq\":0,"
      + "\"action\":\"CREATE_ENDPOINT\",\"why\":\"endpoint absent\",\"outcome\":\"ok\","
      + "\"runningOutsideSchedule\":false,\"nextRunAt\":\"2026-11-25T14:10:00Z\","
      + "\"startedBy\":\"manual start\",\"timer\":\"timer armed for 2026-11-25T14:10:00Z"
      + " (DelaySeconds 600)\"}";

  @BeforeEach
  void startLambda() throws IOException {
    lambda = StubHttpServer.start(request -> {
      if (lambdaAnswers != null) {
        return lambdaAnswers;
      }
      Reply reply = new Reply(200, Map.of(), answer.getBytes(StandardCharsets.UTF_8));
      return functionError == null
          ? reply
          : reply.withHeader("X-Amz-Function-Error", functionError);
    });
    TestStateFiles.state(
            ProcessHandle.current().pid(),
            TestStateFiles.endpoints(lambda.uri()),
            Map.of("bucket", "offhours-images", "controllerFunction", "offhours-controller"))
        .write(StateFile.path(cache));
  }

  @AfterEach
  void stopLambda() {
    lambda.close();
  }

  /** The local stack's state file, as 'local start --time-zone ZONE' writes it. */
  private void localStackIn(String zone) throws IOException {
    TestStateFiles.state(
            ProcessHandle.current().pid(),
            TestStateFiles.endpoints(lambda.uri()),
            Map.of("bucket", "offhours-images", "controllerFunction", "offhours-controller"),
            Map.of("TIME_ZONE", zone))
        .write(StateFile.path(cache));
  }

  private List<String> paths() {
    return lambda.requests().stream().map(r -> r.method() + " " + r.path()).toList();
  }

  private List<String> payloads() {
    return lambda.requests().stream().map(Request::text).toList();
  }

  private CliRun run(String... args) {
    return runAt(CLOCK, args);
  }

  private CliRun runAt(Clock clock, String... args) {
    return CliRun.run(
        cache,
        clock,
        () -> {
          throw new AssertionError("no deployed stack here");
        },
        Commands.all(),
        args);
  }

  @Test
  void startSendsTheActionAndTheUntilInstantToTheController() throws IOException {
    CliRun run = run("endpoint", "start", "--until", "18:00");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(paths())
        .containsExactly("POST /2015-03-31/functions/offhours-controller/invocations");
    JsonNode payload = Json.MAPPER.readTree(payloads().getFirst());
    assertThat(payload.get("action").asText()).isEqualTo("start");
    assertThat(payload.get("until").asText()).isEqualTo("2026-11-25T17:00:00Z");
    assertThat(run.out())
        .as("what was asked, what the controller wants, saw and does, and when it runs next, in"
            + " the words and the zone of 'endpoint status', not its answer's keys")
        .isEqualTo("controller (start until 2026-11-25 18:00 Europe/Berlin): wants the endpoint ON"
            + " (manual start until 2026-11-25 18:00 Europe/Berlin)\n"
            + "  at 2026-11-25 15:00 Europe/Berlin it saw: endpoint absent, classify mapping Disabled,"
            + " queue 3 waiting, 0 in flight, 1 delayed, dead-letter queue 0\n"
            + "  step: starting the endpoint (CREATE_ENDPOINT: endpoint absent) [ok]\n"
            + "  next run: 2026-11-25 15:10 Europe/Berlin (timer armed)\n"
            + "on for 3 h: about $0.35 at the stack's price (1 ml.m5.large at $0.115 an hour)\n");
  }

  @Test
  void aStartOverAMonthIsRefusedWithItsLengthAndCostAndNeverReachesTheController() {
    CliRun run = run("endpoint", "start", "--until", "300d");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .as("on the local stack, which has no working hours: no WorkingHours to set")
        .isEqualTo(
            "offhours: --until 300d would keep the endpoint on for 300 days: about $828.00 at"
                + " the stack's price (1 ml.m5.large at $0.115 an hour); a manual start lasts at most 31"
                + " days. To keep it on longer: 'endpoint start' with no --until keeps it on until"
                + " 'endpoint auto' or 'endpoint stop' (the local stack has no working hours, so its"
                + " schedule never changes); see 'offhours endpoint start --help'\n");
    assertThat(paths()).isEmpty();
  }

  @Test
  void aStartOverAMonthOnADeployedStackSaysToMakeThoseHoursItsWorkingHours() {
    try (StubHttpServer aws = deployedStack(Map.of())) {
      CliRun run = runOn(aws, "--stack", "offhours", "endpoint", "start", "--until", "300d");

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err())
          .endsWith("; a manual start lasts at most 31 days. To keep it on longer: 'endpoint start'"
              + " with no --until keeps it on until the schedule next changes (until 'endpoint"
              + " auto' where it never does), or make those hours the schedule's (the stack's"
              + " WorkingHours parameter, e.g. 24/7); see 'offhours endpoint start --help'\n");
      assertThat(aws.requests()).noneMatch(r -> r.path().startsWith("/2015"));
    }
  }

  @Test
  void aStartOfAMonthIsAskedForAndSaysItsCostAndAStopIsBoundedByAYearOnly() {
    CliRun start = run("endpoint", "start", "--until", "31d", "--json");
    assertThat(start.exitCode()).as(start.err()).isZero();
    assertThat(start.err())
        .as("on stderr with --json, so stdout stays the controller's answer")
        .isEqualTo("on for 31 days: about $85.56 at the stack's price (1 ml.m5.large at $0.115 an"
            + " hour)\n");

    CliRun stop = run("endpoint", "stop", "--until", "366d");
    assertThat(stop.exitCode()).as(stop.err()).isZero();
    assertThat(stop.out()).doesNotContain("on for");
    assertThat(paths()).hasSize(2);
  }

  @Test
  void lengthsReadInTheUnitAPersonCountsThemIn() {
    assertThat(StartCost.length(Duration.ofSeconds(30))).isEqualTo("1 min");
    assertThat(StartCost.length(Duration.ofMinutes(45))).isEqualTo("45 min");
    assertThat(StartCost.length(Duration.ofMinutes(210))).isEqualTo("3 h 30 min");
    assertThat(StartCost.length(Duration.ofHours(47))).isEqualTo("47 h");
    assertThat(StartCost.length(Duration.ofHours(24 * 12 + 4))).isEqualTo("12 days 4 h");
    assertThat(StartCost.length(Duration.ofDays(1).plusHours(24))).isEqualTo("2 days");
  }

  /**
   * Someone in Lisbon keeping a Berlin stack on until 18:00 means 18:00 in Berlin, the time its status, schedule and
   * page show, not 18:00 in Lisbon (an hour later).
   */
  @Test
  void aTimeOfDayIsReadInTheLocalStacksZoneNotTheShells() throws IOException {
    localStackIn("Europe/Berlin");
    CliRun run = runAt(LISBON_AT_16_40, "endpoint", "start", "--until", "18:00");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Json.MAPPER.readTree(payloads().getFirst()).get("until").asText())
        .isEqualTo("2026-12-04T17:00:00Z");
    assertThat(run.out())
        .startsWith("controller (start until 2026-12-04 18:00 Europe/Berlin): wants the endpoint ");
  }

  @Test
  void aTimePassedInTheStacksZoneIsRefusedInItsWordsAndNeverReachesTheController()
      throws IOException {
    localStackIn("Europe/Berlin");
    Clock lisbonAt1740 =
        Clock.fixed(Instant.parse("2026-12-04T17:40:00Z"), ZoneId.of("Europe/Lisbon"));
    CliRun run = runAt(lisbonAt1740, "endpoint", "start", "--until", "18:00");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "offhours: --until 18:00 today in Europe/Berlin has already passed (it is 18:40 there now); give a"
                + " date-time such as 2026-12-05T18:00 or a duration such as 2h; see 'offhours endpoint start --help'\n");
    assertThat(paths()).isEmpty();
  }

  /** A clock that moves on between two reads, as the system clock does: "0m" is checked against the now it counts from. */
  @Test
  void aDurationOfNothingIsRefusedWhateverTheClockDoesBetweenReads() {
    Clock ticking = new MutableClock(Instant.parse("2026-11-25T14:00:00Z"), Duration.ofMillis(1));
    CliRun run = runAt(ticking, "endpoint", "start", "--until", "0m");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "offhours: --until 0m is not in the future (it is 2026-11-25T14:00:00Z in UTC now)");
    assertThat(paths()).isEmpty();
  }

  /**
   * CloudFormation and Lambda on one loopback server: DescribeStacks answers a stack with a controller function and
   * {@code parameters}, Invoke answers {@link #answer}.
   */
  private StubHttpServer deployedStack(Map<String, String> parameters) {
    return StubHttpServer.start(request -> request.path().startsWith("/2015")
        ? new Reply(200, Map.of(), answer.getBytes(StandardCharsets.UTF_8))
        : new Reply(
            200,
            Map.of("Content-Type", "text/xml"),
            DescribeStacksXml.of(
                    "offhours",
                    "CREATE_COMPLETE",
                    parameters,
                    Map.of("ControllerFunctionName", "offhours-ControllerFunction-AbC123"))
                .getBytes(StandardCharsets.UTF_8)));
  }

  private CliRun runOn(StubHttpServer aws, String... args) {
    return CliRun.run(
        cache,
        CLOCK,
        () -> AwsClients.local(
            Region.EU_CENTRAL_1,
            Map.of(Service.CLOUDFORMATION, aws.uri(), Service.LAMBDA, aws.uri())),
        Commands.all(),
        args);
  }

  @Test
  void aDeployedControllerIsInvokedThroughItsAliasAsItsScheduleInvokesIt() {
    try (StubHttpServer aws = deployedStack(Map.of())) {
      CliRun run = runOn(aws, "--stack", "offhours", "endpoint", "stop");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(aws.requests())
          .filteredOn(r -> r.path().startsWith("/2015"))
          .singleElement()
          .satisfies(r -> {
            assertThat(r.path())
                .isEqualTo("/2015-03-31/functions/offhours-ControllerFunction-AbC123/invocations");
            assertThat(r.query())
                .as("the SnapStart version its schedule runs, not a cold $LATEST")
                .isEqualTo("Qualifier=" + StackSpec.FUNCTION_ALIAS);
          });
    }
  }

  /** A deployed stack's zone is its TimeZone parameter, which DescribeStacks gave with its outputs: no other call. */
  @Test
  void aDateTimeIsReadInTheDeployedStacksTimeZoneParameter() throws IOException {
    try (StubHttpServer aws = deployedStack(Map.of("TimeZone", "America/New_York"))) {
      CliRun run =
          runOn(aws, "--stack", "offhours", "endpoint", "stop", "--until", "2026-11-30T08:00");

      assertThat(run.exitCode()).as(run.err()).isZero();
      List<Request> invokes =
          aws.requests().stream().filter(r -> r.path().startsWith("/2015")).toList();
      assertThat(Json.MAPPER.readTree(invokes.getFirst().text()).get("until").asText())
          .as("08:00 in New York, not in Berlin, where the command runs")
          .isEqualTo("2026-11-30T13:00:00Z");
      assertThat(run.out())
          .startsWith(
              "controller (stop until 2026-11-30 08:00 America/New_York): wants the endpoint ");
      assertThat(aws.requests()).hasSize(2);
    }
  }

  @Test
  void stopAndAutoSendOnlyTheAction() {
    answer = "{\"action\":\"stop\",\"endpoint\":\"Deleting\"}";
    assertThat(run("endpoint", "stop", "--json").out()).isEqualTo(answer + "\n");
    assertThat(run("endpoint", "auto").exitCode()).isZero();
    assertThat(payloads()).containsExactly("{\"action\":\"stop\"}", "{\"action\":\"auto\"}");
  }

  /** README's example of the answer is what the command prints for the controller's answer to that start. */
  @Test
  void readmesExampleAnswerIsWhatTheCommandPrints() throws IOException {
    localStackIn("Europe/Berlin");
    // ControllerHandler's answer to this start on an absent endpoint at 21:00 in Berlin.
    answer = "{\"at\":\"2026-01-14T20:00:00Z\",\"want\":\"ON\",\"wantReason\":\"manual start until"
        + " 2026-01-14 23:00 Europe/Berlin\",\"endpoint\":\"ABSENT\",\"mapping\":\"DISABLED\","
        + "\"visible\":0,\"inFlight\":0,\"delayed\":0,\"dlq\":0,\"action\":\"CREATE_ENDPOINT\","
        + "\"why\":\"endpoint absent\",\"outcome\":\"ok\",\"runningOutsideSchedule\":false,"
        + "\"startedBy\":\"manual start\",\"timer\":\"no timer queue\"}";
    CliRun run = runAt(
        Clock.fixed(Instant.parse("2026-01-14T20:00:00Z"), ZoneId.of("Europe/Berlin")),
        "endpoint",
        "start",
        "--until",
        "23:00");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("controller (start until 2026-01-14 23:00 Europe/Berlin): ");
    assertThat(ReadmeCommands.readme()).contains("```\n" + run.out() + "```\n");
  }

  /**
   * A stop of the local stack, whose schedule never changes: only 'endpoint auto' ends it, which the line names as
   * 'endpoint status' does; a run that asked for a next run its timer could not arm says why.
   */
  @Test
  void aStopOnlyAutoEndsNamesTheCommandAndATimerNotArmedSaysWhy() {
    answer = "{\"at\":\"2026-11-25T14:00:00Z\",\"want\":\"OFF\",\"wantReason\":\"manual stop"
        + " until auto\",\"endpoint\":\"IN_SERVICE\",\"foreignEndpoint\":true,\"mapping\":"
        + "\"ENABLED\",\"visible\":0,\"inFlight\":4,\"delayed\":0,\"dlq\":2,\"action\":"
        + "\"DISABLE_MAPPING\",\"why\":\"stop: pausing consumption\",\"outcome\":\"ok\","
        + "\"nextRunAt\":\"2026-11-25T14:01:00Z\",\"timer\":\"timer for 2026-11-25T14:01:00Z not"
        + " armed, the minute tick runs instead: SendMessage to the timer queue was throttled\"}";

    CliRun run = run("endpoint", "stop");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "controller (stop): wants the endpoint OFF (manual stop until 'offhours endpoint"
                + " auto' gives the endpoint back to the schedule)\n"
                + "  at 2026-11-25 15:00 Europe/Berlin it saw: endpoint InService (not this stack's),"
                + " classify mapping Enabled, queue 0 waiting, 4 in flight, 0 delayed, dead-letter queue 2\n"
                + "  step: pausing the Classify trigger (DISABLE_MAPPING: stop: pausing consumption) [ok]\n"
                + "  next run: 2026-11-25 15:01 Europe/Berlin (timer for 2026-11-25 15:01 Europe/Berlin not"
                + " armed, the minute tick runs instead: SendMessage to the timer queue was throttled)\n");
    assertThat(run("endpoint", "stop", "--json").out())
        .as("--json: the controller's answer as it gave it")
        .isEqualTo(answer + "\n");
  }

  @Test
  void stopCanLastUntilATime() throws IOException {
    assertThat(run("endpoint", "stop", "--until", "2026-11-30T08:00").exitCode())
        .isZero();
    JsonNode payload = Json.MAPPER.readTree(payloads().getFirst());
    assertThat(payload.get("action").asText()).isEqualTo("stop");
    assertThat(payload.get("until").asText()).isEqualTo("2026-11-30T07:00:00Z");
  }

  @Test
  void aFailingControllerIsAFailureWithItsMessage() {
    functionError = "Unhandled";
    answer = "{\"errorMessage\":\"endpoint config offhours-endpoint-config does not exist\","
        + "\"errorType\":\"java.lang.IllegalStateException\"}";
    CliRun run = run("endpoint", "stop");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("offhours: the controller failed (Unhandled): endpoint config"
            + " offhours-endpoint-config does not exist\n");
  }

  /**
   * A controller function that does not exist (deleted, or a state file of another stack) is said as every command
   * says a resource of the stack that does not exist, naming it, where it came from and what to do; it said
   * "controller function offhours-controller of the local stack does not exist", naming neither of the others.
   */
  @Test
  void aControllerFunctionThatDoesNotExistIsNamedAsEveryCommandNamesAResource() {
    lambdaAnswers = Reply.json(
            404,
            "{\"Type\":\"User\",\"message\":\"Function not found:"
                + " arn:aws:lambda:us-east-1:000000000000:function:offhours-controller\"}")
        .withHeader("x-amzn-ErrorType", "ResourceNotFoundException");

    for (String action : List.of("start", "stop", "auto")) {
      CliRun run = run("endpoint", action);
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err())
          .isEqualTo(
              "offhours: function offhours-controller (ControllerFunctionName of the local stack) does"
                  + " not exist; restart the local stack ('scripts/offhours local stop', then 'scripts/offhours"
                  + " local start'), which creates its functions again\n");
    }
  }

  @Test
  void aBadUntilNeverReachesTheController() {
    CliRun run = run("endpoint", "start", "--until", "soon");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(paths()).isEmpty();
    assertThat(run("endpoint", "auto", "--until", "2h").err())
        .contains("unknown option --until for 'offhours endpoint auto'");
  }

  @Test
  void eachActionsHelpSaysWhatItWaitsFor() {
    // stop and auto said 'Creating an endpoint takes minutes', which only start does.
    assertThat(EndpointControlCommand.all())
        .extracting(command -> command.description().lines().findFirst().orElseThrow())
        .containsExactly(
            "Asks the controller function; it reports what it did. Creating an endpoint takes minutes:",
            "Asks the controller function; it reports what it did. It pauses the Classify trigger, lets in-flight"
                + " work finish, then stops:",
            "Asks the controller function; it reports what it did. The endpoint then starts or stops as the"
                + " schedule and the queue want:");
  }
}
