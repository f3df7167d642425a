package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import offhours.endpoint.sim.SimulationConfig;
import offhours.units.Decimals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code offhours simulate} with a recorded trace and a latency budget, in-process. */
class SimulateCommandTest {

  /**
   * The help's prose names the defaults a simulation runs with; they are written once (the controller's in
   * FunctionVariables, the simulated AWS times in SimulationConfig), so a changed default fails here until the words
   * follow it.
   */
  @Test
  void theHelpNamesTheDefaultsTheSimulationRunsWith() {
    SimulationConfig d = SimulationConfig.defaults();
    String help = new SimulateCommand().description().replace("\n", " ");
    assertThat(help)
        .contains(
            "The schedule is " + d.workingHours() + " " + d.zone() + " from Monday " + d.start())
        .contains("Endpoint creation takes " + d.createDelay().toMinutes()
            + " simulated minutes, deletion " + d.deleteDelay().toMinutes() + ";")
        .contains("classifies " + Decimals.plain(d.imagesPerSecond()) + " images/s")
        .contains("(--max-wait, default " + d.maxWait().max().toMinutes() + ")")
        .contains("The wake (" + d.createDelay().toMinutes() + " min)")
        .contains("The stop (" + d.deleteDelay().toMinutes() + " min)");
    assertThat(d.start().getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
  }

  @TempDir
  Path cache;

  private CliRun run(String... args) {
    return CliRun.offline(cache, args);
  }

  @Test
  void helpSaysWhereTheDefaultWakeComesFromAndThatItIsNotMeasured() {
    String help = run("simulate", "--help").out();

    assertThat(help)
        .contains(
            "The wake (10 min) is an assumption near the fast end of what CreateEndpoint takes on AWS"
                + " (8-30 min,")
        .contains("it is not measured (the controller itself expects the\nslow end, 30,")
        .doesNotContain("middle");
  }

  @Test
  void aTraceFileIsSimulatedOverItsDaysAndTheJsonHasTheBudgetsNumbers() throws Exception {
    CliRun run = run(
        "simulate",
        "--trace-file",
        "src/test/resources/traces/uploads.txt",
        "--max-wait",
        "30",
        "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(run.out());
    assertThat(o.get("days").asInt()).isEqualTo(3);
    assertThat(o.get("uploads").asInt()).isEqualTo(6);
    assertThat(o.get("classified").asInt()).isEqualTo(6);
    assertThat(o.get("maxWaitMinutes").asInt()).isEqualTo(30);
    assertThat(o.get("budgetMisses").asInt()).isZero();
    assertThat(o.get("waitP50Minutes").asDouble()).isLessThanOrEqualTo(30.0);
    assertThat(o.get("endpointHours").asDouble())
        .isGreaterThanOrEqualTo(o.get("oracleEndpointHours").asDouble())
        .isPositive();
    assertThat(o.get("alwaysOnHours").asDouble()).isEqualTo(72.0);
    assertThat(o.get("savedPercent").asDouble()).isGreaterThan(50.0);
    for (String key : new String[] {
      "waitP50Minutes", "waitP99Minutes", "wakeMinutes", "stopMinutes", "drainImagesPerSecond"
    }) {
      assertThat(o.has(key)).as(key).isTrue();
    }
  }

  @Test
  void nextOpeningIsItsOwnBudgetAndTheEndpointFlagsChangeTheSimulatedEndpoint() throws Exception {
    CliRun run = run(
        "simulate",
        "--trace-file",
        "src/test/resources/traces/uploads.txt",
        "--max-wait",
        "next-opening",
        "--wake-minutes",
        "20",
        "--stop-minutes",
        "3",
        "--drain-per-second",
        "1.5",
        "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(run.out());
    assertThat(o.get("maxWaitMinutes").asText()).isEqualTo("next-opening");
    assertThat(o.get("wakeMinutes").asDouble()).isEqualTo(20.0);
    assertThat(o.get("stopMinutes").asDouble()).isEqualTo(3.0);
    assertThat(o.get("drainImagesPerSecond").asDouble()).isEqualTo(1.5);
    assertThat(o.get("budgetMisses").asInt()).isZero();
  }

  @Test
  void theScaleToZeroHostingRunsTheComponentWithoutALowerBound() throws Exception {
    CliRun run = run(
        "simulate",
        "--trace-file",
        "src/test/resources/traces/uploads.txt",
        "--hosting",
        "scale-to-zero",
        "--max-wait",
        "30",
        "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(run.out());
    assertThat(o.get("hosting").asText()).isEqualTo("scale-to-zero");
    assertThat(o.get("classified").asInt()).isEqualTo(6);
    assertThat(o.get("oracleEndpointHours").isNull()).isTrue();
    assertThat(o.get("wakeMinutes").asDouble()).isEqualTo(7.0);
    assertThat(o.get("stopMinutes").asDouble()).isEqualTo(12.0);
    assertThat(o.get("endpointHours").asDouble()).isPositive();

    CliRun week = run("simulate", "--hosting", "scale-to-zero"); // the README's command
    assertThat(week.exitCode()).as(week.err()).isZero();
    assertThat(week.out())
        .contains(
            "scale-to-zero: instance 5 + copy 2 min, copies to 0 2 min + instance idle 10 min")
        .contains("lower bound (knowing every upload)   n/a with scale-to-zero")
        .contains("expected wake / stop (learned)")
        .contains("DLQ                                  0");
    assertThat(run("simulate", "--trace-file", "src/test/resources/traces/uploads.txt", "--json")
            .out())
        .contains("\"hosting\":\"scheduled\"");
  }

  /** simulate over the six uploads of the test trace, with {@code more} arguments. */
  private CliRun simulateTheTestTrace(String... more) {
    List<String> args = new ArrayList<>(
        List.of("simulate", "--trace-file", "src/test/resources/traces/uploads.txt"));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void theComponentsTimesAreSetByFlagForTheHostingAndItsComparisonRows() throws Exception {
    CliRun run = simulateTheTestTrace(
        "--hosting", "scale-to-zero", "--component-minutes", "4,1.5,1,5", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(run.out());
    assertThat(o.get("wakeMinutes").asDouble()).isEqualTo(5.5);
    assertThat(o.get("stopMinutes").asDouble()).isEqualTo(6.0);

    CliRun text =
        simulateTheTestTrace("--hosting", "scale-to-zero", "--component-minutes", "4,1.5,1,5");
    assertThat(text.out())
        .contains(
            "scale-to-zero: instance 4 + copy 1.5 min, copies to 0 1 min + instance idle 5 min");

    CliRun compared = simulateTheTestTrace("--compare", "--component-minutes", "4,1.5,1,5");
    assertThat(compared.exitCode()).as(compared.err()).isZero();
    CliRun byDefault = simulateTheTestTrace("--compare");
    assertThat(compared.out())
        .as("the scale-to-zero rows bill the flag's times")
        .isNotEqualTo(byDefault.out());
  }

  @Test
  void theInstanceTypeAndPriceFlagsPriceTheLedgerOfARunWithoutCompare() {
    assertThat(simulateTheTestTrace("--instance-type", "ml.g4dn.xlarge").out())
        .contains("Instance: ml.g4dn.xlarge x 1 at $0.7360/h");
    assertThat(simulateTheTestTrace("--price", "2").out())
        .contains("Instance: ml.m5.large x 1 at $2.0000/h");
    CliRun unpriced = simulateTheTestTrace("--instance-type", "ml.p3.2xlarge");
    assertThat(unpriced.exitCode()).isEqualTo(2);
    assertThat(unpriced.err()).startsWith("offhours: no price for ml.p3.2xlarge in the table (");
    CliRun serverless = simulateTheTestTrace("--serverless-gb-second", "0.1");
    assertThat(serverless.exitCode()).isEqualTo(2);
    assertThat(serverless.err())
        .isEqualTo(
            "offhours: --serverless-gb-second prices the serverless row of --compare and --html;"
                + " add one of them; see 'offhours simulate --help'\n");
  }

  @Test
  void componentTimesWithoutTheScaleToZeroHostingOrNotFourMinutesAreUsageErrors() {
    CliRun scheduled = run("simulate", "--component-minutes", "4,1.5,1,5");
    assertThat(scheduled.exitCode()).isEqualTo(2);
    assertThat(scheduled.err())
        .contains("--component-minutes sets the scale-to-zero hosting's times: pass --hosting"
            + " scale-to-zero, or --compare or --html for its rows");
    assertThat(run("simulate", "--goals", "--component-minutes", "4,1.5,1,5").exitCode())
        .isEqualTo(2);
    CliRun three = run("simulate", "--hosting", "scale-to-zero", "--component-minutes", "4,1.5,1");
    assertThat(three.exitCode()).isEqualTo(2);
    assertThat(three.err())
        .contains("--component-minutes '4,1.5,1' is not four minutes LAUNCH,LOAD,UNLOAD,IDLE");
  }

  @Test
  void aTimeZoneThatDoesNotExistIsAUsageErrorInTheWordsOfCost() {
    CliRun run = run("simulate", "--time-zone", "Europe/Pariss");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("offhours: --time-zone needs an IANA zone such as Europe/Berlin, got"
            + " 'Europe/Pariss'; see 'offhours simulate --help'\n");
  }

  @Test
  void aHostingTheSimulationCannotRunOrFlagsThatDoNotApplyToItAreUsageErrors() {
    assertThat(run("simulate", "--hosting", "serverless").err())
        .contains(
            "--hosting is scheduled or scale-to-zero: a serverless endpoint is never switched");
    // The two it runs: serverless, refused above, is not offered.
    assertThat(run("simulate", "--hosting", "sleepy").err())
        .isEqualTo(
            "offhours: --hosting must be scheduled or scale-to-zero, got 'sleepy'; see 'offhours"
                + " simulate --help'\n");
    assertThat(run("simulate", "--hosting", "scale-to-zer").err())
        .contains("--hosting must be scheduled or scale-to-zero, got 'scale-to-zer' (did you mean"
            + " 'scale-to-zero'?);");
    // Case does not count for the hint: the name as written is offered.
    assertThat(run("simulate", "--hosting", "SCALE-TO-ZERO").err())
        .contains("got 'SCALE-TO-ZERO' (did you mean 'scale-to-zero'?);");
    CliRun wake = run("simulate", "--hosting", "scale-to-zero", "--wake-minutes", "3");
    assertThat(wake.exitCode()).isEqualTo(2);
    assertThat(wake.err())
        .contains("--hosting scale-to-zero and --wake-minutes do not go together: a component's"
            + " wake and stop are its instance's and copy's times (--component-minutes)");
    assertThat(run("simulate", "--hosting", "scale-to-zero", "--compare").err())
        .contains("--compare runs the hostings it compares itself");
  }

  @Test
  void aBadTraceLineIsAUsageErrorNamingTheLine() throws Exception {
    Path trace = cache.resolve("bad.txt");
    Files.writeString(trace, "2026-10-19T07:14:15Z\n19.10.2026 09:00\n");
    CliRun run = run("simulate", "--trace-file", trace.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains(trace + " line 2: '19.10.2026 09:00' is not an ISO-8601 instant with an offset");
    Path none = cache.resolve("none.txt");
    assertThat(run("simulate", "--trace-file", none.toString()).err())
        .isEqualTo("offhours: cannot read --trace-file " + none + ": no such file or folder; see"
            + " 'offhours simulate --help'\n");
    Path image =
        Files.write(cache.resolve("photo.jpg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
    assertThat(run("simulate", "--trace-file", image.toString()).err())
        .contains("cannot read --trace-file " + image + ": it is not UTF-8 text;");
    Path page = cache.resolve("no-such-folder").resolve("week.html");
    CliRun html = run("simulate", "--days", "1", "--html", page.toString());
    assertThat(html.exitCode()).isEqualTo(2);
    assertThat(html.err())
        .startsWith("offhours: --html " + page + ": the folder " + page.getParent()
            + " does not exist;" + " create it or give a file in an existing folder");
    CliRun folder = run("simulate", "--days", "1", "--html", cache.toString());
    assertThat(folder.exitCode())
        .as("refused before the runs, as a usage error")
        .isEqualTo(2);
    assertThat(folder.err())
        .isEqualTo(
            "offhours: --html " + cache + " is a folder; give the page's file name in it, such as "
                + cache.resolve("week.html") + "; see 'offhours simulate --help'\n");
    CliRun goals = run("simulate", "--goals", "--json");
    assertThat(goals.exitCode()).isEqualTo(2);
    assertThat(goals.err())
        .isEqualTo(
            "offhours: --goals prints a table only; for one week's numbers as JSON run simulate"
                + " --json with that week's --trace, --seed, --time-zone and --max-wait; see 'offhours"
                + " simulate --help'\n");
    assertThat(run("simulate", "--days", "99999999999").err())
        .startsWith("offhours: --days must be at most 366, got 99999999999;");
    assertThat(run("simulate", "--idle-stop-minutes", "20000").err())
        .startsWith("offhours: --idle-stop-minutes must be at most 10080, got 20000;");
    assertThat(run("simulate", "--idle-stop-minutes", "4294967311").err())
        .as("a number that an int would cut to 15")
        .startsWith("offhours: --idle-stop-minutes must be at most 10080, got 4294967311;");
    assertThat(run("simulate", "--start", "2026-02-30").err())
        .startsWith(
            "offhours: --start needs a date such as 2026-03-23, got '2026-02-30' (Invalid date"
                + " 'FEBRUARY 30');");
    assertThat(run("simulate", "--max-wait", "soon").err())
        .contains("--max-wait 'soon' is not a number of minutes 0..20160");
    assertThat(run("simulate", "--drain-per-second", "0").err())
        .contains("--drain-per-second needs images per second from 0.1 to 100000, got '0'");
  }

  @Test
  void simulateRunsAnOfficeWeekThroughTheControllerAndReportsTheSaving() throws Exception {
    CliRun run = run("simulate", "--days", "7", "--trace", "office-hours", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
    assertThat(report.get("savedPercent").asDouble())
        .as("saved vs 24/7")
        .isGreaterThanOrEqualTo(85.0);
    assertThat(report.get("late").asInt())
        .as("uploads classified more than 1 h after the next opening")
        .isZero();
    assertThat(report.get("dlq").asInt()).isZero();

    assertThat(run("simulate", "--trace", "rush-hour").err())
        .isEqualTo("offhours: trace 'rush-hour' is not one of office-hours, bursty, always; see"
            + " 'offhours simulate --help'\n");
    // A typo is answered with the nearest choice, as a mistyped option is.
    assertThat(run("simulate", "--trace", "offce-hours").err())
        .isEqualTo(
            "offhours: trace 'offce-hours' is not one of office-hours, bursty, always (did you"
                + " mean 'office-hours'?); see 'offhours simulate --help'\n");
  }

  @Test
  void simulateComparePrintsOneJsonObjectPerHostingOptionAndTheFlagsOverrideThePrices(
      @TempDir Path dir) throws Exception {
    CliRun run = run(
        "simulate",
        "--compare",
        "--days",
        "2",
        "--json",
        "--instance-type",
        "ml.g4dn.xlarge",
        "--max-wait",
        "30");
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : run.out().strip().split("\n")) {
      rows.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
    }
    assertThat(rows)
        .extracting(r -> r.get("option").asText())
        .containsExactly(
            "always on",
            "seed's UTC cron",
            "offhours working hours",
            "offhours, budget 30 min",
            "offhours scale-to-zero, budget 30 min",
            "scale-to-zero",
            "serverless",
            "asynchronous",
            "batch transform");
    assertThat(rows.getFirst().get("costUsd").asDouble())
        .isEqualTo(Math.round(48 * 0.736 * 10_000) / 10_000.0);
    assertThat(rows.get(6).get("available").asBoolean())
        .as("serverless for a GPU type")
        .isFalse();

    CliRun priced = run(
        "simulate",
        "--compare",
        "--days",
        "1",
        "--json",
        "--price",
        "1",
        "--serverless-gb-second",
        "0.000000000001"); // a price of 0 is refused; this one rounds to $0.00 as 0 did
    assertThat(priced.out().lines().findFirst().orElseThrow()).contains("\"costUsd\":24.0");
    assertThat(priced.out()).contains("\"option\":\"serverless\",", "\"costUsd\":0.0");

    assertThat(run("simulate", "--compare", "--instance-type", "ml.x9.huge").err())
        .contains("no price for ml.x9.huge", "--price USD");
    assertThat(run("simulate", "--compare", "--price", "-1").err())
        .contains("--price needs a number");

    Path page = dir.resolve("week.html");
    CliRun html = run("simulate", "--days", "1", "--html", page.toString());
    assertThat(html.exitCode()).as(html.err()).isZero();
    assertThat(html.out()).isEmpty();
    assertThat(Files.readString(page))
        .startsWith("<!DOCTYPE html>")
        .contains("<svg id=\"timeline\"");

    // --html alone prints no rows: --json is refused there, and goes with --compare.
    Path other = dir.resolve("other.html");
    CliRun json = run("simulate", "--days", "1", "--json", "--html", other.toString());
    assertThat(json.exitCode()).isEqualTo(2);
    assertThat(json.err())
        .isEqualTo(
            "offhours: with --html, --json prints --compare's rows, and --html alone prints none: add"
                + " --compare for the rows as JSON beside the page; see 'offhours simulate --help'\n");
    assertThat(other).doesNotExist();
    CliRun both = run("simulate", "--days", "1", "--json", "--compare", "--html", other.toString());
    assertThat(both.exitCode()).as(both.err()).isZero();
    assertThat(both.out().lines().toList()).hasSize(9).allMatch(l -> l.startsWith("{\"option\":"));
    assertThat(other).exists();
  }
}
