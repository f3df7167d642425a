package offhours.cli;

// Needs: moto_server, Maven (scripts/offhours builds the project if needed), node and npm the first
// time the default model is converted into the user's cache, which this test's own cache links to
// (TestCaches).

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.StateFile;
import offhours.local.StateFile.NameKey;
import offhours.local.StateFile.ServiceKey;
import offhours.results.ResultsTable;
import offhours.testing.TestCaches;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The README's commands, read from README.md and run as written through scripts/offhours against a local stack that
 * the README's own 'local start' starts and 'local stop' stops. Placeholders become real values (PATH... a folder with
 * a photo); a command with '--stack offhours' runs as the same command against the local stack. Afterwards nothing of
 * the stack is left in TMPDIR or the cache's local/ folder.
 */
class ReadmeCommandsIT {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Duration DEADLINE = Duration.ofSeconds(180);

  @TempDir
  Path cache;

  @TempDir
  Path work;

  /** The stack's TMPDIR, and a folder with one photo, for the README's PATH... */
  private Path tmp;

  private Path photos;

  /** The model conversion is shared with the other tests; state, logs and temporary files are this test's own. */
  @BeforeEach
  void ownCacheSharingTheModels() throws Exception {
    TestCaches.sharingTheDefaultModel(cache);
    tmp = Files.createDirectory(work.resolve("tmp"));
    photos = Files.createDirectory(work.resolve("photos"));
    Files.copy(ROOT.resolve("src/demo/images/chelsea.png"), photos.resolve("chelsea.png"));
  }

  @Test
  void theReadmeCommandsRunAgainstTheLocalStack() throws Exception {
    List<String> commands = ReadmeCommands.coveredBy(ReadmeCommands.LOCAL_STACK);
    String start = "scripts/offhours local start";
    String stop = "scripts/offhours local stop";
    assertThat(commands).contains(start, stop);
    List<String> ordered = new ArrayList<>(List.of(start));
    commands.stream()
        .filter(c -> !c.equals(start) && !c.equals(stop) && !c.contains("cost --compare"))
        .forEach(ordered::add);
    // The README shows them before the upload; they compare what the stack did, so they run after
    // it.
    commands.stream().filter(c -> c.contains("cost --compare")).forEach(ordered::add);
    ordered.add(stop);

    Map<String, Run> ran = new LinkedHashMap<>();
    boolean stopped = false;
    try {
      for (String command : ordered) {
        if ((command.contains(" results") || command.contains("cost --compare"))
            && !ran.containsKey("result")) {
          awaitResult("chelsea.png");
          ran.put("result", null);
        }
        Run run = offhours(tmp, args(command, photos));
        assertThat(run.code).as("%s:%n%s%s", command, run.out, run.err).isZero();
        ran.put(command, run);
        stopped = command.equals(stop);
      }
    } finally {
      if (!stopped) {
        offhours(tmp, List.of("local", "stop"));
      }
      Files.deleteIfExists(cache.resolve("models")); // the link only: the shared models stay
    }

    assertThat(ran.get("scripts/offhours upload PATH...").out).startsWith("uploaded 1 file (");
    assertThat(ran.get("scripts/offhours queue").out).startsWith("queue offhours-queue: ");
    assertThat(ran.get("scripts/offhours endpoint status").out)
        .startsWith("endpoint offhours-endpoint: ");
    // The local stack's state file records the controller's settings: its working hours (none) and
    // a forecast for an upload made now, as GET /status gives them; the controller has run, so its
    // stored state says the oldest wait as of its last run.
    assertThat(ran.get("scripts/offhours endpoint status").out.lines())
        .anyMatch(l -> l.startsWith("schedule: never ")
            && l.endsWith(": outside working hours, no change ahead"))
        .anyMatch(l -> l.startsWith("oldest waiting upload: "))
        .anyMatch(l -> l.matches(
            "an upload made now: (the endpoint starts by |its result is expected" + " by ).*"));
    assertThat(ran.get("scripts/offhours endpoint start --until 18:00").out)
        .as("18:00 in the zone 'local start' ran in, which the stack keeps its hours in")
        .startsWith("controller (start until ")
        .contains(" 18:00 Etc/GMT");
    String neutral = ran.get("scripts/offhours results --label Neutral --json").out;
    assertThat(neutral).contains("\"key\":\"chelsea.png\"", "\"status\":\"CLASSIFIED\"");
    // The upload's time is the instant it was uploaded, whatever the user's zone (this test's TZ is
    // hours off UTC): moto dates its notifications with its own wall clock and no zone.
    java.util.regex.Matcher times = java.util.regex.Pattern.compile(
            "\"classifiedAt\":\"([^\"]+)\",\"uploadedAt\":\"([^\"]+)\"")
        .matcher(neutral);
    assertThat(times.find()).as(neutral).isTrue();
    java.time.Instant classified = java.time.Instant.parse(times.group(1));
    java.time.Instant uploaded = java.time.Instant.parse(times.group(2));
    assertThat(uploaded)
        .as("uploadedAt, in TZ %s (hours off UTC)", noonZone())
        .isBefore(classified)
        .isAfter(classified.minus(Duration.ofMinutes(30)));
    assertThat(ran.get("scripts/offhours --stack offhours results").out)
        .contains("chelsea.png", "CLASSIFIED");
    assertThat(ran.get("scripts/offhours --stack offhours endpoint start").out)
        .startsWith("controller (start):");
    assertThat(ran.get("scripts/offhours endpoint stop").out).startsWith("controller (stop):");
    assertThat(ran.get("scripts/offhours endpoint auto").out).startsWith("controller (auto):");
    assertThat(ran.get("scripts/offhours cost").out).contains("total");
    assertThat(ran.get("scripts/offhours simulate --days 7 --trace office-hours").out)
        .contains("saved vs 24/7");
    assertThat(ran.get("scripts/offhours simulate --compare").out)
        .contains(
            "always on",
            "seed's UTC cron",
            "offhours working hours",
            "MAX_WAIT_MINUTES=60",
            "offhours scale-to-zero, budget 60 min",
            "HOSTING=scale-to-zero",
            "scale-to-zero",
            "serverless",
            "asynchronous",
            "batch transform");
    // The README prints that table as the command prints it, line for line.
    List<String> printed = Files.readString(ROOT.resolve("README.md"))
        .lines()
        .dropWhile(l -> !l.contains(" uploads of 'office-hours' over 7 days from"))
        .takeWhile(l -> !l.startsWith("```"))
        .filter(l -> !l.isBlank())
        .toList();
    assertThat(printed).as("the README's simulate --compare table, found").hasSizeGreaterThan(3);
    assertThat(ran.get("scripts/offhours simulate --compare")
            .out
            .lines()
            .takeWhile(l -> !l.startsWith("misses:"))
            .filter(l -> !l.isBlank()))
        .as("the README's simulate --compare table, as the command prints it")
        .containsExactlyElementsOf(printed);
    // Over the wire: the local stack's ledger and its results (chelsea.png, classified above) in
    // the offhours row.
    for (String compare : List.of(
        "scripts/offhours cost --compare", "scripts/offhours --stack offhours cost --compare")) {
      String out = ran.get(compare).out;
      assertThat(out)
          .as(compare)
          // The header in its counts' grammar: "1 classified upload", "2 classified uploads", "1
          // day".
          .containsPattern(
              "^(1 classified upload|([02-9]|\\d\\d+) classified uploads) to the local stack over"
                  + " (1 day|([02-9]|\\d\\d+) days) from")
          .containsPattern("(?m)^offhours \\(this stack\\) +\\d+\\.\\d\\d endpoint-h")
          .contains("always on", "scale-to-zero", "serverless", "asynchronous", "batch transform");
      assertThat(Integer.parseInt(out.substring(0, out.indexOf(' '))))
          .as(compare)
          .isPositive();
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.toList())
          .as("what the commands and the stack left in TMPDIR")
          .isEmpty();
    }
    try (Stream<Path> local = Files.list(cache.resolve("local"))) {
      assertThat(local.map(p -> p.getFileName().toString()))
          .as("the stack's own temporary directory")
          .noneMatch(name -> name.startsWith(OwnTmpdir.PREFIX));
    }
  }

  @Test
  void localStartWithScaleToZeroClassifiesThroughTheInferenceComponent() throws Exception {
    String start = "scripts/offhours local start --hosting scale-to-zero";
    assertThat(
            ReadmeCommands.coveredBy(
                "offhours.cli.ReadmeCommandsIT#localStartWithScaleToZeroClassifiesThroughTheInferenceComponent"))
        .containsExactly(start);
    try {
      Run started = offhours(tmp, args(start, photos));
      assertThat(started.code).as("%s:%n%s%s", start, started.out, started.err).isZero();
      assertThat(offhours(tmp, List.of("upload", photos.toString())).code).isZero();
      Run wake = offhours(tmp, List.of("endpoint", "start"));
      assertThat(wake.code).as(wake.err).isZero();
      awaitResult("chelsea.png");
      Run results = offhours(tmp, List.of("results", "--json"));
      assertThat(results.out).contains("\"key\":\"chelsea.png\"", "\"status\":\"CLASSIFIED\"");
    } finally {
      offhours(tmp, List.of("local", "stop"));
      Files.deleteIfExists(cache.resolve("models"));
    }
  }

  /**
   * The README's 'local update' against a stack of the default model, serve.py being the tests' stand-in container
   * (src/test/resources/sagemaker/format_container.py) and labels.txt its two labels: the update is said, 'local
   * status' shows the new command, the next upload is classified by the new model (with its labels), and the
   * same update again is refused as changing nothing.
   */
  @Test
  void localUpdateGivesTheRunningStackANewModelWhichClassifiesTheNextUploads() throws Exception {
    String update =
        "scripts/offhours local update --container-command \"python3 serve.py\" --labels labels.txt";
    assertThat(
            ReadmeCommands.coveredBy(
                "offhours.cli.ReadmeCommandsIT#localUpdateGivesTheRunningStackANewModelWhichClassifiesTheNextUploads"))
        .containsExactly(update);
    Path labels = Files.writeString(work.resolve("labels.txt"), "jpeg\npng\n");
    String serve = "python3 " + ROOT.resolve("src/test/resources/sagemaker/format_container.py");
    List<String> updateArgs =
        List.of("local", "update", "--container-command", serve, "--labels", labels.toString());
    try {
      Run started = offhours(tmp, List.of("local", "start"));
      assertThat(started.code)
          .as("local start:%n%s%s", started.out, started.err)
          .isZero();
      assertThat(offhours(tmp, List.of("upload", photos.toString())).code).isZero();
      awaitResult("chelsea.png");

      Run updated = offhours(tmp, updateArgs);
      assertThat(updated.code).as("%s:%n%s%s", update, updated.out, updated.err).isZero();
      assertThat(updated.err)
          .contains(
              "serves model offhours-model-2 now (endpoint config offhours-endpoint-config-2)");
      Run status = offhours(tmp, List.of("local", "status", "--json"));
      assertThat(status.out).contains("\"containerCommand\":\"" + serve + "\"");

      Path next = Files.createDirectory(work.resolve("next"));
      Files.copy(photos.resolve("chelsea.png"), next.resolve("after-update.png"));
      assertThat(offhours(tmp, List.of("upload", next.toString())).code).isZero();
      awaitResult("after-update.png");
      Run results = offhours(tmp, List.of("results", "--json"));
      assertThat(results.out.lines().filter(l -> l.contains("\"key\":\"after-update.png\"")))
          .singleElement()
          .asString()
          .as("the upload after the update, read with the new model's labels")
          .contains("\"topLabel\":\"png\"", "{\"label\":\"jpeg\",\"score\":0.1}");

      // The same labels again change nothing (a command given again would be a new model: its code
      // may have changed).
      Run again = offhours(tmp, List.of("local", "update", "--labels", labels.toString()));
      assertThat(again.code).isEqualTo(1);
      assertThat(again.err)
          .isEqualTo(
              "offhours: nothing changed: the local stack serves this model with these labels"
                  + " and settings already\n");
    } finally {
      offhours(tmp, List.of("local", "stop"));
      Files.deleteIfExists(cache.resolve("models"));
    }
  }

  /** The words after scripts/offhours; PATH... is the photo folder, "--stack offhours" the local stack. */
  private static List<String> args(String command, Path photos) {
    List<String> words = new ArrayList<>(
        List.of(command.substring("scripts/offhours".length()).strip().split(" ")));
    int stack = words.indexOf("--stack");
    if (stack >= 0) {
      words.subList(stack, stack + 2).clear();
    }
    words.replaceAll(w -> w.equals("PATH...") ? photos.toString() : w);
    return words;
  }

  /** Reads the results table of the stack 'local start' recorded until the upload has its result. */
  private void awaitResult(String key) throws Exception {
    StateFile state = StateFile.read(StateFile.path(cache));
    Map<Service, URI> endpoints = new EnumMap<>(Service.class);
    endpoints.put(Service.DYNAMODB, state.endpoint(ServiceKey.DYNAMODB).orElseThrow());
    try (AwsClients clients = AwsClients.local(
            Region.of(state.region()), state.credentials().orElseThrow(), endpoints);
        DynamoDbClient dynamoDb = clients.build(Service.DYNAMODB, DynamoDbClient.builder())) {
      ResultsTable results =
          new ResultsTable(dynamoDb, state.name(NameKey.RESULTS_TABLE).orElseThrow());
      Awaitility.await(
              "a result for " + key + " (stack log: " + cache.resolve("local/logs/stack.log") + ")")
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(500))
          .until(() ->
              !results.byKey(state.name(NameKey.BUCKET).orElseThrow(), key).isEmpty());
    }
  }

  private record Run(int code, String out, String err) {}

  /**
   * scripts/offhours with this test's cache and TMPDIR, in a zone where it is about noon, so that the README's
   * "--until 18:00" is later today whenever the test runs.
   */
  private Run offhours(Path tmp, List<String> args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of(ROOT.resolve("scripts/offhours").toString()));
    command.addAll(args);
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(ROOT.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().put("OFFHOURS_CACHE", cache.toString());
    pb.environment().put("TMPDIR", tmp.toString());
    pb.environment().put("TZ", noonZone());
    pb.environment().remove("COLUMNS");
    Process process = pb.start();
    if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + DEADLINE);
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** Etc/GMT-N is UTC+N (POSIX signs): the whole-hour zone where it is now 12:00 to 12:59. */
  static String noonZone() {
    int offset = 12 - ZonedDateTime.now(ZoneOffset.UTC).getHour(); // -11 .. 12
    return offset == 0 ? "Etc/GMT" : "Etc/GMT" + (offset > 0 ? "-" : "+") + Math.abs(offset);
  }
}
