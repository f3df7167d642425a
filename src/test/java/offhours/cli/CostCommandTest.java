package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import offhours.endpoint.CostReport;
import offhours.endpoint.Ledger;
import offhours.local.StateFile;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostCommandTest {

  @TempDir
  Path cache;

  /**
   * {@code cost} and {@code cost --compare} read the results table once, one Query of its status index that the report
   * counts and the comparison prices the other hostings on, and the control table's ledger once: --compare read the
   * results table a second time, outside the reads that name a table that does not exist.
   */
  @Test
  void theResultsTableIsReadOnceWithOrWithoutCompare() throws IOException {
    try (StubHttpServer dynamo = StubHttpServer.start(request -> answer(request, "none"))) {
      for (List<String> args : List.of(List.of("cost"), List.of("cost", "--compare"))) {
        int before = dynamo.requests().size();

        CliRun run = cost(dynamo, args);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(dynamo.requests().subList(before, dynamo.requests().size()))
            .as(String.join(" ", args))
            .filteredOn(r -> r.header("X-Amz-Target").endsWith(".Query"))
            .extracting(r -> r.text().contains(RESULTS) ? "results" : "control")
            .containsExactlyInAnyOrder("results", "control");
      }
    }
  }

  /** --compare counts misses against --max-wait where it is given, read once where cost reads its flags. */
  @Test
  void compareHoldsEveryOptionToMaxWaitWhereItIsGiven() throws IOException {
    try (StubHttpServer dynamo = StubHttpServer.start(request -> answer(request, "none"))) {
      CliRun given = cost(dynamo, List.of("cost", "--compare", "--max-wait", "25"));
      CliRun stacks = cost(dynamo, List.of("cost", "--compare"));

      assertThat(given.exitCode()).as(given.err()).isZero();
      assertThat(given.out())
          .contains(", budget 25 min, ")
          .contains("misses: results later than 25 min after the upload");
      assertThat(stacks.exitCode()).as(stacks.err()).isZero();
      assertThat(stacks.out()).doesNotContain("25 min").contains(", budget 60 min, ");
    }
  }

  /** Each of the report's reads names its own table when that one does not exist, with --compare too. */
  @Test
  void aTableThatDoesNotExistIsNamedByItsOutput() throws IOException {
    for (String table : List.of("offhours-results", "offhours-control")) {
      try (StubHttpServer dynamo = StubHttpServer.start(request -> answer(request, table))) {
        CliRun run = cost(dynamo, List.of("cost", "--compare"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
            .contains("offhours: table " + table + " ("
                + (table.equals("offhours-results") ? "ResultsTableName" : "ControlTableName")
                + " of the local stack) does not exist; restart the local stack");
      }
    }
  }

  /**
   * A stack that started after now by this machine's clock (a clock behind, just after a deploy) has no hours to
   * compare yet: cost --compare says so, naming both instants, where it stopped with an internal error (its period
   * started after it ended); cost prints its report of no hours, as before.
   */
  @Test
  void aStackThatStartedAfterThisMachinesClockHasNothingToCompareYet() throws IOException {
    java.time.Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
    Clock behind = Clock.fixed(started.minusSeconds(90), ZoneId.of("UTC"));
    java.time.format.DateTimeFormatter seconds =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    try (StubHttpServer dynamo = StubHttpServer.start(request -> answer(request, "none"))) {
      for (List<String> args :
          List.of(List.of("cost", "--compare"), List.of("cost", "--compare", "--json"))) {
        CliRun run = cost(dynamo, args, behind);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).as(String.join(" ", args)).isEmpty();
        assertThat(run.err())
            .as(String.join(" ", args))
            .contains("nothing to compare yet: the local stack started at "
                + seconds.format(started.atZone(ZoneId.of("UTC")))
                + " UTC, not before now by this machine's clock ("
                + seconds.format(started.minusSeconds(90).atZone(ZoneId.of("UTC"))) + ")");
      }
      CliRun cost = cost(dynamo, List.of("cost"), behind);
      assertThat(cost.exitCode()).as(cost.err()).isZero();
      assertThat(cost.out()).contains("total");
    }
  }

  private static final String RESULTS = "\"TableName\":\"offhours-results\"";

  /** DynamoDB with empty tables, but for {@code missing}, which does not exist. */
  private static Reply answer(StubHttpServer.Request request, String missing) {
    if (request.text().contains("\"TableName\":\"" + missing + "\"")) {
      return Reply.json(
          400,
          "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
              + "\"message\":\"Requested resource not found\"}");
    }
    return switch (request.header("X-Amz-Target")) {
      case "DynamoDB_20120810.GetItem" -> Reply.json(200, "{}");
      case "DynamoDB_20120810.Query" -> Reply.json(200, "{\"Items\":[],\"Count\":0}");
      default -> Reply.json(400, "{\"__type\":\"NotStubbed\"}");
    };
  }

  /** {@code args} run on the local stack whose DynamoDB is {@code dynamo}. */
  private CliRun cost(StubHttpServer dynamo, List<String> args) throws IOException {
    // The wall clock: the local stack started with this JVM, after CliRun.CLOCK's day.
    return cost(dynamo, args, Clock.systemUTC());
  }

  /** {@code args} run on the local stack whose DynamoDB is {@code dynamo}, at {@code clock}'s now. */
  private CliRun cost(StubHttpServer dynamo, List<String> args, Clock clock) throws IOException {
    TestStateFiles.state(
            ProcessHandle.current().pid(),
            TestStateFiles.endpoints(dynamo.uri()),
            Map.of("resultsTable", "offhours-results", "controlTable", "offhours-control"))
        .write(StateFile.path(cache));
    return CliRun.run(
        cache,
        clock,
        () -> {
          throw new AssertionError("the local stack's clients, not the user's");
        },
        Commands.all(),
        args.toArray(String[]::new));
  }

  @Test
  void itsHelpSaysWhatEveryColumnOfTheTableHolds() {
    LocalDate monday = LocalDate.parse("2026-01-12");
    String table = CostReport.compute(
            List.of(new Ledger.Day(monday, 3 * 3600, 1800, 2, 2)),
            Map.of(monday, 600L),
            monday,
            monday,
            ZoneId.of("Europe/Berlin"),
            "ml.m5.large",
            1,
            0.115)
        .renderTable();
    String header = table.lines().filter(l -> l.startsWith("date ")).findFirst().orElseThrow();
    List<String> columns = Arrays.stream(header
            .replace("cost $", "cost_$")
            .replace("24/7 $", "24/7_$")
            .replace("saved $", "saved_$")
            .split(" +"))
        .skip(1) // the date
        .map(c -> c.replace('_', ' '))
        .toList();
    assertThat(columns).contains("outside-h", "starts");
    String help = new CostCommand().description().replaceAll("\\s+", " ");
    for (String column : columns) {
      assertThat(help)
          .as(column)
          .containsPattern("[ (]" + java.util.regex.Pattern.quote(column) + "[,; ]");
    }
  }
}
