package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import offhours.cli.Target.Name;
import offhours.local.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;

class MainTest {

  /** 2026-11-25 15:00 in Berlin (14:00 UTC). */
  static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T14:00:00Z"), ZoneId.of("Europe/Berlin"));

  @TempDir
  Path cache;

  CliRun run(String... args) {
    return CliRun.run(
        cache,
        CLOCK,
        () -> {
          throw new AssertionError("no AWS clients in an offline test");
        },
        Commands.all(),
        args);
  }

  @Test
  void topLevelHelpListsEveryCommandAndExitsZero() {
    CliRun run = run("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("usage: offhours COMMAND [OPTIONS]")
        .contains("  upload ", "  results ", "  queue ", "  endpoint ");
    assertThat(run.err()).isEmpty();
  }

  static Stream<List<String>> leafCommands() {
    List<List<String>> paths = new ArrayList<>();
    for (Command command : Commands.all()) {
      if (command.subcommands().isEmpty()) {
        paths.add(List.of(command.name()));
      }
      command.subcommands().forEach(sub -> paths.add(List.of(command.name(), sub.name())));
    }
    return paths.stream();
  }

  @ParameterizedTest
  @MethodSource("leafCommands")
  void everyCommandHasHelpThatNamesJsonAndStack(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    CliRun run = run(args.toArray(String[]::new));
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("usage: offhours " + String.join(" ", path))
        .contains("--help, -h");
    // Commands that run things on this machine (the local stack, the demo, the simulation) have no
    // --stack;
    // every command that prints data has --json.
    if (!LOCAL_ONLY.contains(path.getFirst())) {
      assertThat(run.out()).contains("--stack NAME");
    }
    if (!List.of("local stop", "local run").contains(String.join(" ", path))) {
      assertThat(run.out()).contains("--json");
    }
  }

  private static final List<String> LOCAL_ONLY = List.of("demo", "local", "simulate");

  @Test
  void helpWordAndDashHWorkLikeDashDashHelp() {
    assertThat(run("help", "endpoint", "start").out())
        .isEqualTo(run("endpoint", "start", "--help").out());
    assertThat(run("queue", "-h").out())
        .startsWith("usage: offhours queue [--json] [--stack NAME]");
    assertThat(run("endpoint", "--help").out())
        .contains("commands:", "  status ", "  start ", "  stop ", "  auto ");
  }

  @Test
  void unknownOptionExitsTwoAndPointsToHelp() {
    CliRun run = run("results", "--x");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "offhours: unknown option --x for 'offhours results'; see 'offhours results --help'\n");
    assertThat(run("results", "--x=1").err()).contains("unknown option --x for 'offhours results'");
    assertThat(run("--verbose").err())
        .contains("unknown option --verbose for 'offhours'; see 'offhours --help'");
  }

  /** Runs with clients for a deployed stack that fail with a message naming the stack the command asked for. */
  CliRun runDeployed(String... args) {
    return CliRun.run(
        cache,
        CLOCK,
        () -> {
          throw CliException.failure("asked AWS for a deployed stack");
        },
        Commands.all(),
        args);
  }

  @Test
  void globalOptionsWorkBeforeTheCommandAsAfterIt() {
    for (List<String> args : List.of(
        List.of("--stack", "offhours", "endpoint", "start"),
        List.of("--stack=offhours", "endpoint", "start"),
        List.of("endpoint", "--stack", "offhours", "start"),
        List.of("endpoint", "start", "--stack", "offhours"),
        List.of("--json", "--stack", "offhours", "queue"))) {
      CliRun run = runDeployed(args.toArray(String[]::new));
      assertThat(run.err()).as("%s", args).isEqualTo("offhours: asked AWS for a deployed stack\n");
      assertThat(run.exitCode()).isEqualTo(1);
    }
    assertThat(run("--json", "simulate", "--days", "1").out()).startsWith("{");
  }

  @Test
  void aGlobalOptionIsRefusedWhereItDoesNotApplyOrIsIncomplete() {
    CliRun local = runDeployed("--stack", "prod", "local", "status");
    assertThat(local.exitCode()).isEqualTo(2);
    assertThat(local.err())
        .isEqualTo("offhours: --stack does not apply to 'offhours local status';"
            + " see 'offhours local status --help'\n");
    assertThat(runDeployed("--stack").err()).contains("option --stack needs a value: --stack NAME");
    assertThat(runDeployed("--stack", "--json", "queue").err())
        .contains("option --stack needs a value");
    assertThat(runDeployed("--stack", "a", "queue", "--stack", "b").err())
        .contains("option --stack was given twice");
    assertThat(runDeployed("--stack", "a", "--help").out())
        .contains("options, before or after the command", "--stack NAME", "--json");
  }

  @Test
  void unknownCommandSuggestsTheNearestOne() {
    CliRun run = run("reslts");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "offhours: unknown command 'reslts' for 'offhours' (did you mean 'results'?); see 'offhours --help'\n");
    assertThat(run("endpoint", "reboot").err())
        .isEqualTo(
            "offhours: unknown command 'reboot' for 'offhours endpoint'; see 'offhours endpoint --help'\n");
  }

  @Test
  void groupWithoutSubcommandNamesTheChoices() {
    CliRun run = run("endpoint");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("'offhours endpoint' needs a command: status, start, stop, auto");
    assertThat(run().exitCode()).isEqualTo(2);
  }

  @Test
  void optionValueProblemsAreUsageErrors() {
    assertThat(run("results", "--label").err())
        .startsWith(
            "offhours: option --label needs a value: --label L; see 'offhours results --help'");
    assertThat(run("results", "--label", "--json").err()).contains("option --label needs a value");
    assertThat(run("results", "--json=yes").err()).contains("option --json takes no value");
    assertThat(run("results", "--label", "a", "--label=b").err())
        .contains("option --label was given twice");
    CliRun operand = run("queue", "extra");
    assertThat(operand.exitCode()).isEqualTo(2);
    assertThat(operand.err()).contains("unexpected argument 'extra' for 'offhours queue'");
  }

  @Test
  void parserReadsBothValueFormsAndOperandsAfterDoubleDash() {
    List<Option> options = List.of(Option.value("label", "L", "l"), Option.JSON);
    Arguments args = ArgumentParser.parse(
        "offhours x", options, List.of("a", "--label=Neutral", "--json", "--", "--not-an-option"));
    assertThat(args.operands()).containsExactly("a", "--not-an-option");
    assertThat(args.value("label")).contains("Neutral");
    assertThat(args.has("json")).isTrue();
    assertThat(ArgumentParser.parse("offhours x", options, List.of("--label", "a=b"))
            .value("label"))
        .contains("a=b");
  }

  @Test
  void badStatusAndLimitAreUsageErrors() {
    CliRun status = run("results", "--status", "done");
    assertThat(status.exitCode()).isEqualTo(2);
    assertThat(status.err()).contains("unknown status 'done'; use CLASSIFIED or REJECTED");
    assertThat(run("results", "--limit", "0").err())
        .contains("--limit needs a positive whole number, got '0'");
  }

  @Test
  void withoutALocalStackCommandsSayHowToStartOne() {
    CliRun run = run("queue");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("offhours: no local stack is running; start one with 'scripts/offhours local"
            + " start' or name a deployed stack with --stack NAME\n");
  }

  @Test
  void aStateFileOfAnExitedProcessIsNotARunningStack() throws IOException {
    Process exited = new ProcessBuilder("true").start();
    exited.onExit().join();
    state(exited.pid(), endpoints()).write(StateFile.path(cache));
    CliRun run = run("results");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("the local stack recorded in " + StateFile.path(cache)
            + " is not running (process " + exited.pid() + " has exited)");
  }

  @Test
  void aStateFileWithoutAnEndpointNamesIt() throws IOException {
    Map<String, URI> endpoints = new java.util.HashMap<>(endpoints());
    endpoints.remove("sagemaker");
    state(ProcessHandle.current().pid(), endpoints).write(StateFile.path(cache));
    assertThat(run("endpoint", "status").err()).contains("has no endpoints.sagemaker");
  }

  @Test
  void aMissingNameIsReportedWithItsSource() throws IOException {
    Target local = TestTargets.local(Map.of());
    assertThatThrownBy(() -> local.name(Name.QUEUE_URL))
        .hasMessageStartingWith("the local stack's state file f has no names.queueUrl");
    Target deployed = TestTargets.deployed(
        Targets.namesFromOutputs(Map.of("BucketName", "b", "Unrelated", "x")), Map.of());
    assertThat(deployed.name(Name.BUCKET)).isEqualTo("b");
    assertThatThrownBy(() -> deployed.name(Name.DLQ_URL))
        .hasMessageStartingWith("stack prod has no output DeadLetterQueueUrl");
  }

  @Test
  void localTargetTakesItsNamesAndRegionFromTheStateFile() throws IOException {
    state(ProcessHandle.current().pid(), endpoints()).write(StateFile.path(cache));
    try (Target target = Targets.local(cache)) {
      assertThat(target.name(Name.CONTROLLER_FUNCTION)).isEqualTo("offhours-controller");
      assertThat(target.name(Name.BUCKET)).isEqualTo("offhours-images");
      assertThat(target.clients().region()).isEqualTo(Region.US_EAST_1);
    }
  }

  @Test
  void localStartChecksItsOptionsBeforeStartingAndNamesTheFlagsAsTyped(@TempDir Path dir)
      throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    CliRun missingModel = run(
        "local",
        "start",
        "--model",
        dir.resolve("modle.onnx").toString(),
        "--labels",
        labels.toString());
    assertThat(missingModel.exitCode()).isEqualTo(2);
    assertThat(missingModel.err())
        .isEqualTo(
            "offhours: model file " + dir.resolve("modle.onnx")
                + " does not exist; give the path of an ONNX model; see 'offhours local start --help'\n");
    assertThat(run("local", "start", "--content-type", "image/").err())
        .startsWith("offhours: --content-type must be application/x-image, auto")
        .endsWith("got 'image/'; see 'offhours local start --help'\n");
    assertThat(run("local", "run", "--hosting", "always").err())
        .isEqualTo("offhours: --hosting must be one of scheduled, scale-to-zero or serverless, got"
            + " 'always'; see 'offhours local run --help'\n");
    assertThat(StateFile.path(cache)).as("nothing started").doesNotExist();
  }

  @Test
  void uploadOfAMissingPathNamesIt() {
    CliRun run = run("upload", "no/such/photo.jpg");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no such file or folder: no/such/photo.jpg");
    assertThat(run("upload").err()).contains("name at least one file or folder to upload");
  }

  @Test
  void uploadPlanKeepsRelativeKeysOfEveryCaseOfImageAndCountsWhatItSkipsInFolders(@TempDir Path dir)
      throws IOException {
    Path photos = Files.createDirectories(dir.resolve("photos"));
    Files.createDirectories(photos.resolve("sub dir"));
    Files.writeString(photos.resolve("sub dir/café + 100%.PNG"), "x");
    Files.writeString(photos.resolve("a.jpeg"), "xy");
    Files.writeString(photos.resolve("IMG_1.Jpg"), "x");
    Files.writeString(photos.resolve("b.JPeg"), "x");
    Files.writeString(photos.resolve("notes.txt"), "n");
    Files.writeString(photos.resolve(".DS_Store"), "n");
    Path outside = Files.writeString(dir.resolve("secret.jpg"), "not in the folder");
    Files.createSymbolicLink(photos.resolve("link.jpg"), outside);
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.writeString(elsewhere.resolve("far.png"), "x");
    Files.createSymbolicLink(photos.resolve("linked folder"), elsewhere);

    UploadPlan plan = UploadPlan.of(List.of(photos.toString()), "batch");

    assertThat(plan.items())
        .extracting(UploadPlan.Item::key)
        .containsExactly(
            "batch/IMG_1.Jpg", "batch/a.jpeg", "batch/b.JPeg", "batch/sub dir/café + 100%.PNG");
    assertThat(plan.skipped())
        .extracting(s -> s.file().getFileName() + " " + s.reason())
        .containsExactlyInAnyOrder(
            "notes.txt NO_RESULT", ".DS_Store HIDDEN", "link.jpg LINK", "linked folder LINK");
    assertThat(plan.totalBytes()).isEqualTo(5);
    assertThat(UploadCommand.skipped(plan))
        .hasValueSatisfying(text -> assertThat(text)
            .startsWith(
                "skipped 4 files in folders: 1 not .jpg, .jpeg or .png (would never get a result), 1 hidden,"
                    + " 2 symbolic links (not followed): "));
    assertThat(
            UploadCommand.skipped(UploadPlan.of(List.of(photos.resolve("a.jpeg").toString()), "")))
        .isEmpty();
  }

  @Test
  void aNamedFileThatWouldNeverGetAResultOrALinkIsRefusedBeforeAnyUpload(@TempDir Path dir)
      throws IOException {
    Path image = Files.writeString(dir.resolve("a.Png"), "x");
    Path notes = Files.writeString(dir.resolve("notes.txt"), "n");
    Path link = Files.createSymbolicLink(dir.resolve("link.png"), image);

    CliRun run = run("upload", image.toString(), notes.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "offhours: " + notes + " would never get a result: the bucket tells the pipeline"
                + " only of keys ending in .jpg, .jpeg or .png (in any case); leave it out");
    assertThatThrownBy(() -> UploadPlan.of(List.of(link.toString()), ""))
        .hasMessage(link
            + " is a symbolic link, and upload does not follow links; name what it points to instead: "
            + image);
    assertThat(UploadPlan.of(List.of(image.toString()), "in").items())
        .extracting(UploadPlan.Item::key)
        .containsExactly("in/a.Png");
  }

  @Test
  void twoFilesForOneKeyAreRefused(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    Files.writeString(dir.resolve("a/x.jpg"), "1");
    Files.writeString(dir.resolve("b/x.jpg"), "2");
    assertThatThrownBy(() -> UploadPlan.of(
            List.of(dir.resolve("a/x.jpg").toString(), dir.resolve("b/x.jpg").toString()), ""))
        .hasMessageContaining("would both be uploaded as 'x.jpg'");
  }

  @Test
  void aKeyOverS3sLimitIsRefusedBeforeAnythingIsUploaded(@TempDir Path dir) throws IOException {
    // moto stored a 1,108-byte key; S3 answers KeyTooLongError, after the files before it went up.
    Path image = Files.writeString(dir.resolve("a.png"), "1");
    Path other = Files.writeString(dir.resolve("b.png"), "2");
    String prefix = "é".repeat(510); // 1,020 bytes, the '/' and "a.png": 1,026

    assertThatThrownBy(() -> UploadPlan.of(List.of(image.toString(), other.toString()), prefix))
        .isInstanceOf(CliException.class)
        .hasMessage("the key of " + image
            + " would be 1026 bytes (UTF-8), over S3's 1024 (so would 1 more); the"
            + " --prefix and the path under the folder count too: shorten them");
    assertThat(UploadPlan.of(List.of(image.toString()), "é".repeat(509)).items())
        .as("exactly 1,024 bytes")
        .extracting(item -> item.key().getBytes(StandardCharsets.UTF_8).length)
        .containsExactly(1024);
  }

  @Test
  void prefixesBecomeFolders() {
    assertThat(UploadPlan.normalizePrefix("")).isEmpty();
    assertThat(UploadPlan.normalizePrefix("in")).isEqualTo("in/");
    assertThat(UploadPlan.normalizePrefix("/in/")).isEqualTo("in/");
  }

  @Test
  void resultsTableAlignsColumnsAndTruncatesLongReasons() {
    String reason =
        "not an image: the object starts with bytes 6e 6f 74 65 73 that are neither JPEG nor PNG,"
            + " so the endpoint was not asked";
    List<ResultRow> rows = List.of(
        row("cats/tom.jpg", "CLASSIFIED", "Neutral", 0.97312, null),
        row("notes, not a photo.png", "REJECTED", null, null, reason));
    assertThat(ResultsCommand.render(rows, 80).lines().toList())
        .containsExactly(
            "KEY                     LABEL    SCORE  STATUS      SETTINGS  REASON",
            "cats/tom.jpg            Neutral  0.973  CLASSIFIED  changed",
            "notes, not a photo.png  -        -      REJECTED    -         "
                + reason.substring(0, 19) + "…");
    assertThat(ResultsCommand.render(rows, 200).lines().toList())
        .as("a wide terminal shows the whole reason")
        .last()
        .asString()
        .endsWith(reason);
    assertThat(ResultsCommand.render(rows, 30).lines().toList())
        .as("a narrow one keeps 20 characters of it")
        .last()
        .asString()
        .endsWith(reason.substring(0, 19) + "…");
  }

  @Test
  void theTerminalWidthComesFromColumnsWithADefaultWhenItIsNotSet() {
    assertThat(Terminal.columns(Map.of("COLUMNS", "87"))).isEqualTo(87);
    assertThat(Terminal.columns(Map.of())).isEqualTo(Terminal.DEFAULT_COLUMNS);
    assertThat(Terminal.columns(Map.of("COLUMNS", "wide"))).isEqualTo(Terminal.DEFAULT_COLUMNS);
    assertThat(Terminal.columns(Map.of("COLUMNS", "0"))).isEqualTo(Terminal.DEFAULT_COLUMNS);
  }

  @Test
  void controlCharactersAreShownAsEscapesInEveryTableCell() {
    assertThat(Terminal.printable("a\u001b[2Jb\u0007\r\n\u009b\u007f\u202eexe.png"))
        .isEqualTo("a\\x1b[2Jb\\x07\\x0d\\x0a\\x9b\\x7f\\u202eexe.png");
    assertThat(Terminal.printable("café 写真 🚀.png")).isEqualTo("café 写真 🚀.png");
    assertThat(Terminal.printableLines("one\ntwo\u001b")).isEqualTo("one\ntwo\\x1b");
    String table = ResultsCommand.render(
        List.of(row(
            "evil\u001b]0;owned\u0007.png", "REJECTED", "La\u001bbel", 0.5, "bad\u001b[31m red")),
        200);
    assertThat(table)
        .doesNotContain("\u001b", "\u0007")
        .contains("evil\\x1b]0;owned\\x07.png", "La\\x1bbel", "bad\\x1b[31m red");
  }

  @Test
  void aMessageThatWasNoNotificationIsNamedByItsIdNotADash() throws IOException {
    ResultRow message = ResultRow.from(
        offhours.results.ResultItem.rejectedMessage(
            "offhours-queue",
            "88e395b8-f723-453b-b6b8-45a1b8930023",
            "body",
            "message body is not JSON",
            "offhours-model",
            "offhours-endpoint",
            java.time.Instant.parse("2026-11-25T10:00:05Z"),
            1),
        null);
    assertThat(ResultsCommand.render(List.of(message), 200).lines().toList())
        .last()
        .asString()
        .startsWith(
            "sqs://offhours-queue/88e395b8-f723-453b-b6b8-45a1b8930023  -      -      REJECTED");
    JsonNode json = Json.MAPPER.readTree(Json.line(message.toJson()));
    assertThat(json.get("key").isNull()).isTrue();
    assertThat(json.get("id").asText())
        .isEqualTo("sqs://offhours-queue/88e395b8-f723-453b-b6b8-45a1b8930023");
  }

  @Test
  void aRejectedResultHasNoSettingsInTheTableNorInItsJson() throws IOException {
    java.time.Instant at = java.time.Instant.parse("2026-11-25T10:00:05Z");
    offhours.results.ResultItem.ObjectVersion object =
        new offhours.results.ResultItem.ObjectVersion(
            "offhours-images", "notes.png", null, "\"e\"", "01", 5L, at);
    // Classify records the settings it ran under on a verdict too: the live ones here.
    ResultRow rejected = ResultRow.from(
        offhours.results.ResultItem.rejected(object, "not an image", "m", "e", at, 1)
            .withSettings("live"),
        "live");
    ResultRow classified = ResultRow.from(
        offhours.results.ResultItem.classified(
                object,
                List.of(new offhours.results.ResultItem.Label("Neutral", 0.9)),
                "probabilities",
                "m",
                "e",
                at,
                1)
            .withSettings("live"),
        "live");

    assertThat(ResultsCommand.render(List.of(rejected, classified), 200).lines().toList())
        .extracting(line -> line.split(" +")[4])
        .containsExactly("SETTINGS", "-", "current");
    assertThat(rejected.toJson().get("settings").isNull())
        .as("--json's settings")
        .isTrue();
    assertThat(classified.toJson().get("settings").asText()).isEqualTo("current");
    // README's Scores row: each result's scores says whether the answer was taken as probabilities
    // or
    // a softmax was applied to logits; Scores=auto decides per answer, so --json shows it.
    assertThat(classified.toJson().get("scores").asText()).isEqualTo("probabilities");
    assertThat(rejected.toJson().get("scores").isNull())
        .as("a verdict has no scores")
        .isTrue();
  }

  @Test
  void resultJsonLineHasTheContractKeysWithNullsWhereAbsent() throws IOException {
    JsonNode json = Json.MAPPER.readTree(
        Json.line(row("x.png", "REJECTED", null, null, "empty object").toJson()));
    assertThat(json.fieldNames())
        .toIterable()
        .startsWith("key", "topLabel", "score", "status", "reason")
        .contains("bucket", "labels", "classifiedAt", "attempts");
    assertThat(json.get("topLabel").isNull()).isTrue();
    assertThat(json.get("score").isNull()).isTrue();
    assertThat(json.get("reason").asText()).isEqualTo("empty object");
    assertThat(json.get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void anInterruptedUploadSaysHowManyFilesS3ConfirmedAndThatThoseInFlightMayHaveLanded() {
    List<UploadPlan.Item> items = List.of(
        new UploadPlan.Item(Path.of("a.png"), "a.png", 10),
        new UploadPlan.Item(Path.of("b.png"), "b.png", 10),
        new UploadPlan.Item(Path.of("c.png"), "c.png", 10),
        new UploadPlan.Item(Path.of("d.png"), "d.png", 10));
    UploadPlan plan = new UploadPlan(items, List.of());
    java.util.concurrent.CompletableFuture<Object> failed =
        new java.util.concurrent.CompletableFuture<>();
    failed.completeExceptionally(new IllegalStateException("refused"));
    List<java.util.concurrent.CompletableFuture<Object>> puts = List.of(
        java.util.concurrent.CompletableFuture.completedFuture(null),
        java.util.concurrent.CompletableFuture.completedFuture(null),
        failed,
        new java.util.concurrent.CompletableFuture<>());
    assertThat(UploadCommand.interrupted(puts, plan))
        .isEqualTo(
            "offhours: upload interrupted: 2 of 4 files uploaded, 1 more in flight may have been; run the"
                + " same command again to upload the rest (it uploads every file again)");
    List<java.util.concurrent.CompletableFuture<Object>> queued = java.util.stream.Stream.generate(
            java.util.concurrent.CompletableFuture<Object>::new)
        .limit(12)
        .toList();
    assertThat(UploadCommand.interrupted(queued, plan))
        .as("puts still queued for the pool were never sent")
        .startsWith(
            "offhours: upload interrupted: 0 of 4 files uploaded, 8 more in flight may have been;");
  }

  @Test
  void aFunctionsLogLineIsOneLineNamingTheFunctionNotTheJavaMethodThatLoggedIt() {
    String before = System.getProperty(Main.LOG_FORMAT_PROPERTY);
    System.clearProperty(Main.LOG_FORMAT_PROPERTY);
    try {
      Main.oneLineLogs();
      java.util.logging.LogRecord record =
          new java.util.logging.LogRecord(java.util.logging.Level.INFO, "{0} {1}");
      record.setParameters(new Object[] {"a3387ed7", "schedule tick: want OFF"});
      record.setLoggerName("offhours.lambda.offhours-controller");
      record.setSourceClassName("offhours.local.lambda.LambdaContext$1");
      record.setSourceMethodName("log");
      record.setInstant(java.time.Instant.parse("2026-12-04T17:13:50Z"));
      String line = new java.util.logging.SimpleFormatter().format(record);
      java.time.ZonedDateTime at =
          java.time.Instant.parse("2026-12-04T17:13:50Z").atZone(java.time.ZoneId.systemDefault());
      assertThat(line)
          .isEqualTo(String.format(
              java.util.Locale.ROOT,
              "%1$tF %1$tT %1$tZ INFO offhours.lambda.offhours-controller a3387ed7 schedule tick: want OFF%n",
              at));
      System.setProperty(Main.LOG_FORMAT_PROPERTY, "%5$s%n");
      Main.oneLineLogs();
      assertThat(System.getProperty(Main.LOG_FORMAT_PROPERTY))
          .as("a format the user set")
          .isEqualTo("%5$s%n");
    } finally {
      if (before == null) {
        System.clearProperty(Main.LOG_FORMAT_PROPERTY);
      } else {
        System.setProperty(Main.LOG_FORMAT_PROPERTY, before);
      }
    }
  }

  @Test
  void formatsSizesAndProgress() {
    assertThat(
            UploadCommand.tooLarge(new UploadPlan.Item(Path.of("big.jpg"), "big.jpg", 6_800_000)))
        .as("the verdict's words and units (ClassifyHandlerTest)")
        .isEqualTo(
            "note: big.jpg is 6.8 MB; the endpoint accepts at most 6.3 MB, so it will be REJECTED");
    assertThat(Progress.Bar.render(3, 7, 500, 1000, "cats/tom.jpg"))
        .isEqualTo("[############------------] 3/7 files  500 B/1.0 kB  cats/tom.jpg");
  }

  @Test
  void queueAndControllerAnswersReadAsText() {
    assertThat(QueueCommand.render(
            new QueueCommand.Counts(3, 1, 2, 0),
            "http://h/1/offhours-queue",
            "http://h/1/offhours-dlq",
            new MoveTasks.Latest(null, null)))
        .isEqualTo("queue offhours-queue: 3 visible, 1 in flight, 2 delayed\ndead-letter queue"
            + " offhours-dlq: 0\nlast move task of the dead-letter queue: none\n");
    assertThat(EndpointControlCommand.render(
            "start", "{\"action\":\"NONE\",\"endpoint\":\"IN_SERVICE\",\"mapping\":\"ENABLED\"}"))
        .as("the states as 'endpoint status' names them, not as the controller records them")
        .isEqualTo(
            "controller (start):\n  action: NONE\n  endpoint: InService\n  mapping: Enabled\n");
    assertThat(EndpointControlCommand.render(
            "stop", "{\"endpoint\":\"SLEEPING\",\"mapping\":\"Disabled\",\"why\":\"IN_SERVICE\"}"))
        .as("a state this version does not know, and other keys, as the controller gave them")
        .isEqualTo(
            "controller (stop):\n  endpoint: SLEEPING\n  mapping: Disabled\n  why: IN_SERVICE\n");
  }

  @Test
  void everyEndpointAndMappingStateHasTheWordAwsUsesForIt() {
    assertThat(java.util.Arrays.stream(offhours.endpoint.Endpoint.State.values())
            .map(offhours.endpoint.Endpoint.State::shown))
        .containsExactly("absent", "Creating", "InService", "Updating", "Deleting", "Failed");
    assertThat(java.util.Arrays.stream(offhours.endpoint.Mapping.TriggerState.values())
            .map(offhours.endpoint.Mapping.TriggerState::shown))
        .containsExactly(
            "absent",
            "Creating",
            "Enabling",
            "Enabled",
            "Disabling",
            "Disabled",
            "Updating",
            "Deleting");
  }

  @Test
  void commandsPlugInThroughTheRegistryList() {
    Command hello = new Command() {
      public String name() {
        return "hello";
      }

      public String summary() {
        return "say hello";
      }

      public List<Option> options() {
        return List.of(Option.value("to", "WHO", "whom to greet"));
      }

      public int run(Invocation call) {
        call.out().println("hello " + call.args().value("to").orElse("world"));
        return 0;
      }
    };
    List<Command> commands = new ArrayList<>(Commands.all());
    commands.add(Command.group("greet", "greetings", List.of(hello)));
    CliRun run = CliRun.run(cache, CLOCK, () -> null, commands, "greet", "hello", "--to=you");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("hello you\n");
    assertThat(CliRun.run(cache, CLOCK, () -> null, commands, "--help").out()).contains("  greet ");
  }

  @Test
  void aDeployedStacksRegionIsFoundAsTheAwsCliFindsIt() {
    software.amazon.awssdk.regions.providers.AwsRegionProvider profile = () -> Region.AP_SOUTH_1;
    assertThat(Targets.userRegion(
            Map.of("AWS_REGION", "eu-central-1", "AWS_DEFAULT_REGION", "eu-west-1"), profile))
        .isEqualTo(Region.EU_CENTRAL_1);
    assertThat(Targets.userRegion(Map.of("AWS_DEFAULT_REGION", "eu-west-1"), profile))
        .isEqualTo(Region.EU_WEST_1);
    assertThat(Targets.userRegion(Map.of("AWS_REGION", " "), profile)).isEqualTo(Region.AP_SOUTH_1);
    assertThatThrownBy(() -> Targets.userRegion(Map.of(), () -> {
          throw software.amazon.awssdk.core.exception.SdkClientException.create(
              "Unable to load region");
        }))
        .hasMessage(Targets.NO_REGION);
  }

  @Test
  void localStartAndTheDemoTakeTheModelsRequestHeadersAndCheckThemBeforeStartingAnything() {
    for (String[] help : List.of(
        new String[] {"local", "start", "--help"},
        new String[] {"local", "run", "--help"},
        new String[] {"demo", "--help"})) {
      assertThat(run(help).out()).contains("--content-type TYPE", "--accept TYPE", "--labels FILE");
    }
    CliRun bad = run("local", "start", "--container-command", "true", "--accept", "json");

    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err())
        .contains("--accept must be a media type like application/json or application/json;verbose,"
            + " got 'json'");
    // A folder that does not exist: without the check the demo stops there, starting nothing.
    String folder = cache.resolve("no-such-folder").toString();
    CliRun empty = run("demo", "--accept", "", folder);
    assertThat(empty.exitCode())
        .as("an empty --accept is refused, not replaced by the default")
        .isEqualTo(2);
    assertThat(empty.err())
        .isEqualTo(
            "offhours: --accept is empty; give a media type, or leave --accept out for the default"
                + " (application/json); see 'offhours demo --help'\n");
    assertThat(run("demo", "--content-type", " ", folder).err())
        .startsWith(
            "offhours: --content-type is empty; give a media type, or leave --content-type out for the"
                + " default (application/x-image)");
  }

  @Test
  void theCacheDirectoryComesFromTheEnvironment() {
    assertThat(
            Context.cacheDir(Map.of("OFFHOURS_CACHE", "/c", "XDG_CACHE_HOME", "/x", "HOME", "/h")))
        .isEqualTo(Path.of("/c"));
    assertThat(Context.cacheDir(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/h")))
        .isEqualTo(Path.of("/x/offhours"));
    assertThat(Context.cacheDir(Map.of("HOME", "/h"))).isEqualTo(Path.of("/h/.cache/offhours"));
  }

  @Test
  void theStreamsAndEnvironmentConstructorReadsTheStateFileFromOffhoursCache() throws IOException {
    state(ProcessHandle.current().pid(), endpoints()).write(StateFile.path(cache));
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    int code = new Main(
            new java.io.PrintStream(out, true),
            new java.io.PrintStream(err, true),
            Map.of("OFFHOURS_CACHE", cache.toString()))
        .run("results");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("has no names.resultsTable"); // found the file, read its names
  }

  @Test
  void aBugInACommandIsReportedAsAnInternalErrorWithoutAStackTrace() {
    Command boom = new Command() {
      public String name() {
        return "boom";
      }

      public String summary() {
        return "fails";
      }

      public int run(Invocation call) {
        throw new IllegalStateException("broken invariant");
      }
    };
    CliRun run = CliRun.run(cache, CLOCK, () -> null, List.of(boom), "boom");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "offhours: internal error in 'offhours boom': java.lang.IllegalStateException:"
                + " broken invariant (set OFFHOURS_DEBUG=1 for the stack trace, and please report it)\n");
  }

  private static ResultRow row(
      String key, String status, String label, Double score, String reason) {
    return new ResultRow(
        key,
        "offhours-images",
        null,
        10L,
        status,
        reason,
        label,
        score,
        label == null ? List.of() : List.of(new ResultRow.LabelScore(label, score)),
        label == null ? null : "probabilities",
        "2026-11-25T10:00:00Z",
        "2026-11-25T10:00:05Z",
        1,
        "CLASSIFIED".equals(status) ? "changed" : null,
        "s3://b/" + key);
  }

  static StateFile state(long pid, Map<String, URI> endpoints) {
    return state(
        pid,
        endpoints,
        Map.of(
            "bucket",
            "offhours-images",
            "queueUrl",
            "http://127.0.0.1:1/123/offhours-queue",
            "dlqUrl",
            "http://127.0.0.1:1/123/offhours-dlq",
            "controllerFunction",
            "offhours-controller"));
  }

  /** The state file of a stack in process {@code pid} (its start time recorded) with moto's dummy credentials. */
  static StateFile state(long pid, Map<String, URI> endpoints, Map<String, String> names) {
    return state(pid, endpoints, names, Map.of());
  }

  /** The same with the functions' {@code settings}, as 'local start' records them (TIME_ZONE, HOSTING ...). */
  static StateFile state(
      long pid,
      Map<String, URI> endpoints,
      Map<String, String> names,
      Map<String, String> settings) {
    String started = ProcessHandle.of(pid)
        .flatMap(p -> p.info().startInstant())
        .map(Object::toString)
        .orElse(null);
    return new StateFile(
        pid,
        started,
        "us-east-1",
        "offhours",
        "offhours",
        endpoints,
        names,
        Map.of(),
        settings,
        List.of(),
        null,
        null);
  }

  static Map<String, URI> endpoints() {
    return endpoints(URI.create("http://127.0.0.1:1"));
  }

  /** Every service of the state file at {@code uri}. */
  static Map<String, URI> endpoints(URI uri) {
    return Map.of(
        "s3",
        uri,
        "sqs",
        uri,
        "dynamodb",
        uri,
        "sagemaker",
        uri,
        "sagemakerRuntime",
        uri,
        "lambda",
        uri);
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
        .contains("rush-hour")
        .contains("office-hours");
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
        "0");
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
  }
}
