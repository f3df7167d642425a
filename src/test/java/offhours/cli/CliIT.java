package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import offhours.aws.AwsClients.Service;
import offhours.endpoint.Backlog;
import offhours.endpoint.Decision;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Ledger;
import offhours.endpoint.Mapping;
import offhours.local.StateFile;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Needs moto_server (started by {@link AwsServicesExtension}) for S3, SQS, DynamoDB, SageMaker, Lambda and
 * CloudFormation; the wrapper test also needs Maven (scripts/offhours builds the project if needed).
 */
@ExtendWith(AwsServicesExtension.class)
class CliIT {

  @TempDir
  Path cache;

  @TempDir
  Path photos;

  private MotoStack moto;

  @BeforeEach
  void provisionAndWriteTheStateFile(AwsServices services) throws IOException {
    moto = new MotoStack(services, "cli-it", cache);
  }

  @AfterEach
  void close() {
    moto.close();
  }

  private CliRun run(String... args) {
    return moto.run(args);
  }

  @Test
  void uploadKeepsOddKeysExactlyAndSkipsNonImagesInFolders() throws IOException {
    Files.createDirectories(photos.resolve("sub folder"));
    byte[] png = Files.readAllBytes(Path.of("src/test/resources/images/chelsea.png"));
    Files.write(photos.resolve("café au lait + 100%.png"), png);
    Files.write(photos.resolve("sub folder/ünïcødé photo.JPG"), new byte[] {1, 2, 3});
    Files.write(photos.resolve("a%20b.jpeg"), new byte[] {4});
    Files.writeString(photos.resolve("notes.txt"), "not an image");

    CliRun run = run("upload", photos.toString(), "--prefix", "in");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(moto.s3.listObjectsV2(r -> r.bucket(moto.bucket)).contents())
        .extracting(S3Object::key)
        .containsExactlyInAnyOrder(
            "in/café au lait + 100%.png", "in/sub folder/ünïcødé photo.JPG", "in/a%20b.jpeg");
    assertThat(moto.s3
            .headObject(r -> r.bucket(moto.bucket).key("in/café au lait + 100%.png"))
            .contentLength())
        .isEqualTo(png.length);
    assertThat(run.out())
        .isEqualTo("uploaded 3 files (" + offhours.units.Sizes.format(png.length + 4) + ") to s3://"
            + moto.bucket + "/in/\n");
    assertThat(run.err())
        .contains(
            "skipped 1 file in folders: 1 not .jpg, .jpeg or .png (would never get a result): ",
            "notes.txt")
        .contains("uploaded s3://" + moto.bucket + "/in/a%20b.jpeg (1 B)");
  }

  @Test
  void manyFilesUploadInParallelAndReportInKeyOrder() throws IOException {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3 * UploadCommand.PARALLEL_PUTS; i++) {
      String name = "img-%02d.png".formatted(i);
      Files.write(photos.resolve(name), new byte[i + 1]);
      keys.add(name);
    }
    CliRun run = run("upload", "--json", photos.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(jsonLines(run))
        .extracting(j -> j.get("key").asText())
        .containsExactlyElementsOf(keys);
    assertThat(moto.s3.listObjectsV2(r -> r.bucket(moto.bucket)).contents())
        .extracting(S3Object::key)
        .containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  void uploadJsonPrintsKeyBytesAndTheObjectsETag() throws IOException {
    Path file = Files.write(photos.resolve("one + one.png"), new byte[] {9, 9});
    CliRun run = run("upload", "--json", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode line = Json.MAPPER.readTree(run.out());
    assertThat(line.get("key").asText()).isEqualTo("one + one.png");
    assertThat(line.get("bytes").asLong()).isEqualTo(2);
    assertThat(line.get("eTag").asText())
        .isEqualTo(moto.s3
            .headObject(r -> r.bucket(moto.bucket).key("one + one.png"))
            .eTag()
            .replace("\"", ""));
    assertThat(run.err()).contains("uploaded 1 file (2 B) to s3://" + moto.bucket + "/");
  }

  @Test
  void resultsListNewestFirstAndFilterByLabelStatusAndKey() throws IOException {
    putResult("cats/tom.jpg", "CLASSIFIED", "Neutral", 0.91, null, "2026-11-25T10:00:01Z");
    putResult("art/sketch.png", "CLASSIFIED", "Drawing", 0.88, null, "2026-11-25T10:00:03Z");
    putResult("dogs/rex.jpg", "CLASSIFIED", "Neutral", 0.77, null, "2026-11-25T10:00:05Z");
    putResult(
        "notes, not a photo.png",
        "REJECTED",
        null,
        null,
        "not an image (neither JPEG nor PNG)",
        "2026-11-25T10:00:02Z");

    CliRun all = run("results", "--json");
    assertThat(all.exitCode()).as(all.err()).isZero();
    List<JsonNode> lines = jsonLines(all);
    assertThat(lines)
        .extracting(j -> j.get("key").asText())
        .containsExactly(
            "dogs/rex.jpg", "art/sketch.png", "notes, not a photo.png", "cats/tom.jpg");
    JsonNode rejected = lines.get(2);
    assertThat(rejected.get("status").asText()).isEqualTo("REJECTED");
    assertThat(rejected.get("reason").asText()).isEqualTo("not an image (neither JPEG nor PNG)");
    assertThat(rejected.get("topLabel").isNull()).isTrue();
    assertThat(rejected.get("score").isNull()).isTrue();
    assertThat(lines.getFirst().get("score").asDouble()).isEqualTo(0.77);
    assertThat(lines.getFirst().get("labels").get(0).get("label").asText()).isEqualTo("Neutral");
    assertThat(lines.getFirst().get("bucket").asText()).isEqualTo(moto.bucket);
    assertThat(lines.getFirst().get("attempts").asInt()).isEqualTo(1);

    assertThat(jsonLines(run("results", "--label", "Neutral", "--json")))
        .extracting(j -> j.get("key").asText())
        .containsExactly("dogs/rex.jpg", "cats/tom.jpg");
    assertThat(jsonLines(run("results", "--label", "Neutral", "--limit", "1", "--json")))
        .extracting(j -> j.get("key").asText())
        .containsExactly("dogs/rex.jpg");
    assertThat(jsonLines(run("results", "--status", "rejected", "--json")))
        .extracting(j -> j.get("key").asText())
        .containsExactly("notes, not a photo.png");
    assertThat(jsonLines(run("results", "--key", "art/sketch.png", "--json")))
        .extracting(j -> j.get("topLabel").asText())
        .containsExactly("Drawing");

    CliRun table = run("results", "--status", "CLASSIFIED");
    assertThat(table.outLines())
        .containsExactly(
            "KEY             LABEL    SCORE  STATUS      SETTINGS  REASON",
            "dogs/rex.jpg    Neutral  0.770  CLASSIFIED  unknown",
            "art/sketch.png  Drawing  0.880  CLASSIFIED  unknown",
            "cats/tom.jpg    Neutral  0.910  CLASSIFIED  unknown");
    assertThat(run("results", "--label", "Porn").out()).isEqualTo("no results match\n");
  }

  @Test
  void resultsForALabelOfAnotherCaseThanTheModelsNameTheLabelItProbablyMeant() throws IOException {
    putResult("cats/tom.jpg", "CLASSIFIED", "Neutral", 0.91, null, "2026-11-25T10:00:01Z");
    // The model's settings as 'local start' records them: its labels among them.
    StateFile recorded = StateFile.read(StateFile.path(cache));
    new StateFile(
            recorded.pid(),
            recorded.started(),
            recorded.region(),
            recorded.accessKeyId(),
            recorded.secretAccessKey(),
            recorded.endpoints(),
            recorded.names(),
            Map.of(
                "LABELS", "Drawing, Hentai, Neutral, Porn, Sexy",
                "LABELS_S3_URI", "",
                "CONTENT_TYPE", "application/x-image",
                "ACCEPT", "application/json",
                "SCORES", "auto"),
            recorded.settings(),
            recorded.children(),
            null,
            null)
        .write(StateFile.path(cache));

    CliRun lower = run("results", "--label", "neutral");

    assertThat(lower.exitCode()).isZero();
    assertThat(lower.out()).isEqualTo("no results match\n");
    assertThat(lower.err())
        .isEqualTo("labels are matched exactly, and the model's label is 'Neutral', not 'neutral':"
            + " try --label Neutral\n");
    assertThat(run("results", "--label", "neutral", "--json").err())
        .as("--json keeps stdout to results")
        .contains("try --label Neutral");
    assertThat(run("results", "--label", "Sexy").err())
        .as("a label of the model with no results yet")
        .doesNotContain("matched exactly");
    assertThat(run("results", "--label", "Neutral").outLines()).hasSize(2);

    CliRun reprocess = run("reprocess", "--label", "neutral", "--dry-run");
    assertThat(reprocess.exitCode()).isZero();
    assertThat(reprocess.out()).isEmpty();
    assertThat(reprocess.err())
        .as("reprocess --label says it as results --label does")
        .isEqualTo("labels are matched exactly, and the model's label is 'Neutral', not 'neutral':"
            + " try --label Neutral\n"
            + "would send 0 object versions to the queue (--dry-run: nothing was sent)\n");
    assertThat(run("reprocess", "--label", "Neutral", "--dry-run").err())
        .doesNotContain("matched exactly");
  }

  @Test
  void resultsSayWhenMoreRowsMatchThanTheLimitShowsAndHowToSeeThem() throws IOException {
    putResult("a.jpg", "CLASSIFIED", "Neutral", 0.9, null, "2026-11-25T10:00:01Z");
    putResult("b.jpg", "CLASSIFIED", "Neutral", 0.8, null, "2026-11-25T10:00:02Z");
    putResult("c.jpg", "CLASSIFIED", "Neutral", 0.7, null, "2026-11-25T10:00:03Z");

    CliRun limited = run("results", "--limit", "2");
    assertThat(limited.outLines()).hasSize(3).last().asString().startsWith("b.jpg");
    assertThat(limited.err().lines())
        .first()
        .isEqualTo("more results match: these are the newest 2; see more with --limit 4,"
            + " or narrow them with --label, --status or --key");
    assertThat(limited.err().lines())
        .as("then what SETTINGS was compared with (this state file records no model settings)")
        .last()
        .asString()
        .startsWith("SETTINGS compared with the newest classification's settings");
    CliRun byLabel = run("results", "--label", "Neutral", "--limit", "1", "--json");
    assertThat(jsonLines(byLabel)).extracting(j -> j.get("key").asText()).containsExactly("c.jpg");
    assertThat(byLabel.err().lines())
        .first()
        .isEqualTo("more results match: these are the newest 1; see more with --limit 2");
    assertThat(run("results", "--limit", "3").err())
        .as("exactly as many as the limit")
        .doesNotContain("more results match");
  }

  @Test
  void controlCharactersFromTheTableAndFromFileNamesAreEscapedInTextAndKeptInJson()
      throws IOException {
    String key = "evil\u001b]0;owned\u0007\u001b[2J.png";
    putResult(
        key,
        "REJECTED",
        null,
        null,
        "the model said \u001b[31mred\u001b[0m\nsecond line",
        "2026-11-25T10:00:01Z");
    putResult("label.png", "CLASSIFIED", "La\u001b[8mbel", 0.5, null, "2026-11-25T10:00:02Z");
    putControllerState(Map.of(
        "lastAction",
        AttributeValue.fromS("stop\u001b[2J"),
        "overrideMode",
        AttributeValue.fromS("STOP\u009b")));
    Path file = Files.write(photos.resolve("up\u001b[2Jload.png"), new byte[] {1});

    List<CliRun> text = List.of(
        run("results"),
        run("results", "--key", key),
        run("endpoint", "status"),
        run("upload", file.toString()),
        run("upload", photos.resolve("gone\u001b[2J.png").toString()));
    for (CliRun run : text) {
      assertThat(run.out() + run.err())
          .as("%s%s", run.out(), run.err())
          .doesNotContain("\u001b", "\u0007", "\u009b");
    }
    assertThat(text.get(0).out())
        .contains(
            "evil\\x1b]0;owned\\x07\\x1b[2J.png",
            "La\\x1b[8mbel",
            // cut to the terminal's width after its escapes
            "the model said \\x1b[31mred\\x1b[0m\\x0asecond");
    assertThat(text.get(2).out())
        .contains(
            "lastAction=stop\\x1b[2J",
            "manual override: STOP\\x9b",
            "next run: unknown: the control table's controller/state item does not read as this"
                + " version writes it: ");
    assertThat(jsonLines(run("endpoint", "status", "--json"))
            .getFirst()
            .get("outlookError")
            .asText())
        .as("a state item this version's controller did not write")
        .contains("STOP\u009b");
    assertThat(text.get(3).err()).contains("uploaded s3://" + moto.bucket + "/up\\x1b[2Jload.png");
    assertThat(text.get(4).err()).contains("no such file or folder: ", "gone\\x1b[2J.png");

    List<JsonNode> json = jsonLines(run("results", "--json"));
    assertThat(json).extracting(j -> j.get("key").asText()).contains(key);
    assertThat(json)
        .extracting(j -> j.get("reason").asText())
        .contains("the model said \u001b[31mred\u001b[0m\nsecond line");
  }

  @Test
  void costReadsTheLedgerAndCountsEachDaysClassifiedImages() {
    // The day after the local stack (this JVM) started: a whole day it existed.
    String date = afterStart(1).toString();
    new DynamoControlTable(moto.dynamoDb, moto.controlTable)
        .add(new Ledger.Day(java.time.LocalDate.parse(date), 7200, 0, 1, 1));
    putResult("cats/tom.jpg", "CLASSIFIED", "Neutral", 0.91, null, date + "T10:00:01Z");
    putResult("dogs/rex.jpg", "CLASSIFIED", "Neutral", 0.77, null, date + "T10:00:05Z");
    putResult("notes.png", "REJECTED", null, null, "not an image", date + "T10:00:06Z");
    Clock evening =
        Clock.fixed(java.time.Instant.parse(date + "T20:00:00Z"), java.time.ZoneOffset.UTC);

    CliRun run =
        moto.run(evening, "cost", "--days", "1", "--time-zone", "UTC", "--price", "0.5", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<JsonNode> lines = jsonLines(run);
    assertThat(lines).extracting(j -> j.get("date").asText()).containsExactly(date, "total");
    JsonNode day = lines.getFirst();
    assertThat(day.get("endpointHours").asDouble()).isEqualTo(2.0);
    assertThat(day.get("images").asInt()).as("CLASSIFIED results only").isEqualTo(2);
    assertThat(day.get("costUsd").asDouble()).isEqualTo(1.0);
    assertThat(day.get("costPerImageUsd").asDouble()).isEqualTo(0.5);
    // The command's clock says 20:00 of that day in UTC: always-on has been on for 20 h so far (not
    // the
    // day's 24, hours the ledger cannot hold yet): 20 h x $0.5.
    assertThat(day.get("alwaysOnHours").asDouble()).isEqualTo(20.0);
    assertThat(day.get("alwaysOnCostUsd").asDouble()).isEqualTo(10.0);
    assertThat(day.get("savedPercent").asDouble()).as("1 - 2 h / 20 h").isEqualTo(90.0);
    assertThat(day.get("until").asText()).isEqualTo(date + "T20:00:00Z");
    assertThat(moto.run(evening, "cost", "--days", "1", "--time-zone", "UTC", "--price", "0.5")
            .out())
        .contains("Period: " + date + " to today until 20:00 (UTC)");
  }

  @Test
  void costDatesTheLocalStacksLedgerInTheZoneLocalStartRanInWhateverZoneTheCommandRunsIn()
      throws IOException {
    // The state file as 'local start' writes it in Europe/Berlin: its controller keeps the ledger's
    // days in Berlin.
    StateFile state = StateFile.read(StateFile.path(cache));
    new StateFile(
            state.pid(),
            state.started(),
            state.region(),
            state.accessKeyId(),
            state.secretAccessKey(),
            state.endpoints(),
            state.names(),
            state.model(),
            Map.of(
                "TIME_ZONE", "Europe/Berlin",
                "HOSTING", "scheduled",
                "WORKING_HOURS", "",
                "HOLIDAYS", "",
                "MAX_WAIT_MINUTES", "0",
                "INSTANCE_TYPE", "ml.m5.large",
                "INSTANCE_COUNT", "1",
                "INSTANCE_HOURLY_PRICE_USD", "0.115",
                "SERVERLESS_MEMORY_MB", "2048"),
            List.of(),
            null,
            null)
        .write(StateFile.path(cache));
    // 15 min of endpoint time just after midnight in Berlin, on a day that is still the day before
    // in UTC; days after the local stack (this JVM) started.
    java.time.LocalDate utcDay = afterStart(2);
    java.time.LocalDate berlinDay = utcDay.plusDays(1);
    new DynamoControlTable(moto.dynamoDb, moto.controlTable)
        .add(new Ledger.Day(berlinDay, 900, 0, 1, 1));
    // The command runs in UTC, at 00:45 in Berlin.
    Clock inUtc =
        Clock.fixed(java.time.Instant.parse(utcDay + "T23:45:00Z"), java.time.ZoneOffset.UTC);

    CliRun run = moto.run(inUtc, "cost", "--days", "1", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode day = jsonLines(run).getFirst();
    assertThat(day.get("date").asText())
        .as("Berlin's day, not UTC's")
        .isEqualTo(berlinDay.toString());
    assertThat(day.get("endpointHours").asDouble()).isEqualTo(0.25);
    assertThat(day.get("alwaysOnHours").asDouble())
        .as("Berlin's midnight to 00:45")
        .isEqualTo(0.75);
    assertThat(day.get("until").asText()).isEqualTo(berlinDay + "T00:45:00+01:00");
    assertThat(moto.run(inUtc, "cost", "--days", "1").out())
        .contains("Period: " + berlinDay + " to today until 00:45 (Europe/Berlin)");
    // --time-zone still wins: UTC's day before, which has no endpoint time.
    JsonNode utc = jsonLines(moto.run(inUtc, "cost", "--days", "1", "--time-zone", "UTC", "--json"))
        .getFirst();
    assertThat(utc.get("date").asText()).isEqualTo(utcDay.toString());
    assertThat(utc.get("endpointHours").asDouble()).isZero();
  }

  @Test
  void costOnANewStackCountsOnlyTheDaysSinceTheStackStarted() {
    // The state file's process is this JVM: the "local stack" started when it did.
    Instant startedAt = ProcessHandle.current().info().startInstant().orElseThrow();
    java.time.LocalDate started =
        java.time.LocalDate.ofInstant(startedAt, java.time.ZoneOffset.UTC);
    // The command's "today" is this instant's, not its own reading of the wall clock: a run across
    // midnight would count one day more than expected here.
    Instant now = Instant.now();
    java.time.LocalDate today = java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);

    CliRun run = weekOfCostInUtc(now);

    List<JsonNode> lines = jsonLines(run);
    assertThat(lines.getFirst().get("date").asText()).isEqualTo(started.toString());
    assertThat(lines)
        .hasSize(
            (int) java.time.temporal.ChronoUnit.DAYS.between(started, today) + 2); // days + total
    assertThat(run.err())
        .isEqualTo("counting from " + started + " "
            + HH_MM.format(startedAt.atZone(java.time.ZoneOffset.UTC))
            + ", when the local stack started\n");
    // Always-on from that instant, not from midnight of its day.
    assertThat(lines.getFirst().get("alwaysOnHours").asDouble())
        .isEqualTo(alwaysOnHoursOfTheFirstDay(startedAt, now));
  }

  /** {@code cost} of the last 7 days in UTC, as JSON, run at {@code now}. */
  private CliRun weekOfCostInUtc(Instant now) {
    return moto.run(
        Clock.fixed(now, java.time.ZoneOffset.UTC),
        "cost",
        "--days",
        "7",
        "--time-zone",
        "UTC",
        "--json");
  }

  /** The hours of its first UTC day an always-on endpoint started at {@code start} had by {@code now}, as cost rounds. */
  private static double alwaysOnHoursOfTheFirstDay(Instant start, Instant now) {
    java.time.LocalDate day = java.time.LocalDate.ofInstant(start, java.time.ZoneOffset.UTC);
    Instant end = day.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    long seconds =
        java.time.Duration.between(start, now.isBefore(end) ? now : end).toSeconds();
    return Math.round(seconds / 3600.0 * 10_000) / 10_000.0;
  }

  @Test
  void costCountsFromTheLedgersRecordedStartWhenThatIsEarlierThanTheStacksAsStatusAndThePageDo() {
    // The local stack's state file says it started when this JVM did; its ledger says it counted
    // an hour before (as a stack an older version's controller ran is given midnight of its
    // ledger's first day). The earlier wins; a later recorded start loses to the stack's own
    // (Ledger.stackStart: an upload made before the controller's first run is the stack's).
    Instant startedAt = ProcessHandle.current().info().startInstant().orElseThrow();
    Instant now = Instant.now();
    Instant firstRun = startedAt.minus(java.time.Duration.ofHours(1));
    new DynamoControlTable(moto.dynamoDb, moto.controlTable).start(firstRun);
    java.time.LocalDate firstDay =
        java.time.LocalDate.ofInstant(firstRun, java.time.ZoneOffset.UTC);

    CliRun run = weekOfCostInUtc(now);

    assertThat(run.err())
        .isEqualTo("counting from " + firstDay + " "
            + HH_MM.format(firstRun.atZone(java.time.ZoneOffset.UTC))
            + ", when the local stack's ledger starts\n");
    assertThat(jsonLines(run).getFirst().get("alwaysOnHours").asDouble())
        .as("from the ledger's recorded start, the earlier")
        .isEqualTo(alwaysOnHoursOfTheFirstDay(firstRun, now));
  }

  @Test
  void aMissingTableOrBucketIsNamed() throws IOException {
    StateFile state = StateFile.read(StateFile.path(cache));
    Map<String, String> names = new java.util.HashMap<>(state.names());
    names.put("resultsTable", "no-such-table-" + moto.suffix);
    names.put("bucket", "no-such-bucket-" + moto.suffix);
    new StateFile(
            state.pid(),
            state.started(),
            state.region(),
            state.accessKeyId(),
            state.secretAccessKey(),
            state.endpoints(),
            names,
            Map.of(),
            state.settings(),
            List.of(),
            null,
            null)
        .write(StateFile.path(cache));
    Files.write(photos.resolve("a.png"), new byte[] {1});

    assertThat(run("results").err())
        .isEqualTo("offhours: results table no-such-table-" + moto.suffix
            + " of the local stack does not exist\n");
    assertThat(run("upload", photos.toString()).err())
        .endsWith("offhours: bucket no-such-bucket-" + moto.suffix
            + " of the local stack does not exist\n");
  }

  @Test
  void queueCountsVisibleInFlightDelayedAndDeadLetters() throws IOException {
    for (int i = 0; i < 3; i++) {
      int n = i;
      moto.sqs.sendMessage(r -> r.queueUrl(moto.queueUrl).messageBody("m" + n));
    }
    moto.sqs.sendMessage(r -> r.queueUrl(moto.queueUrl).messageBody("later").delaySeconds(600));
    moto.sqs.sendMessage(r -> r.queueUrl(moto.dlqUrl).messageBody("poison"));
    assertThat(moto.sqs
            .receiveMessage(
                r -> r.queueUrl(moto.queueUrl).maxNumberOfMessages(1).visibilityTimeout(600))
            .messages())
        .hasSize(1);

    CliRun run = run("queue", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode counts = Json.MAPPER.readTree(run.out());
    assertThat(counts.get("visible").asLong()).isEqualTo(2);
    assertThat(counts.get("inFlight").asLong()).isEqualTo(1);
    assertThat(counts.get("delayed").asLong()).isEqualTo(1);
    assertThat(counts.get("dlq").asLong()).isEqualTo(1);
    assertThat(counts.get("moveTask").isNull()).isTrue();
    assertThat(counts.get("moveTaskNote").asText()).startsWith("none in local mode");
    assertThat(run("queue").out())
        .startsWith("queue cli-it-queue-" + moto.suffix + ": 2 visible, 1 in flight, 1 delayed\n")
        .endsWith("\nlast move task of the dead-letter queue: none in local mode (this SQS has no"
            + " ListMessageMoveTasks; 'offhours dlq redrive' moves the messages itself and is done"
            + " when it returns)\n");
  }

  @Test
  void endpointStatusShowsAnAbsentEndpointAsANormalState() throws IOException {
    CliRun run = run("endpoint", "status");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines().getFirst())
        .isEqualTo("endpoint cli-it-endpoint-" + moto.suffix
            + ": absent (uploads wait in the queue until it is started)");
    assertThat(run.out())
        .contains(
            "next run: the first schedule tick (the controller has not run yet)\n",
            "controller: no state yet (it has not run)");
    assertThat(run.outLines().get(1))
        .as("a state file without the hosting (an older version's): one line, then as before")
        .isEqualTo("hosting: unknown (the local stack's state file " + StateFile.path(cache)
            + " has no names.hosting; restart the local stack with this version ('scripts/offhours"
            + " local stop', then 'local start')); showing the endpoint alone");

    putControllerState(Map.of(
        "lastAction",
        AttributeValue.fromS("stop"),
        "version",
        AttributeValue.fromN("3"),
        "scheduleOpen",
        AttributeValue.fromBool(false),
        "overrideMode",
        AttributeValue.fromS("STOP")));
    Instant at = Instant.parse("2026-11-25T18:00:00Z");
    new DynamoControlTable(moto.dynamoDb, moto.controlTable)
        .recordDecision(
            new Decision(
                at,
                false,
                "manual stop until 2026-11-26 08:00 Europe/Berlin",
                Endpoint.Status.ABSENT,
                Mapping.TriggerState.DISABLED,
                Backlog.Snapshot.EMPTY,
                Decision.Action.NONE,
                "off",
                "ok",
                false,
                at.plusSeconds(600)),
            "manual stop");
    // A stack without a TIME_ZONE setting: times in the zone the command runs in, the controller's.
    assertThat(moto.run(Clock.system(ZoneId.of("Europe/Berlin")), "endpoint", "status")
            .outLines())
        .containsSubsequence(
            "last decision: want OFF (manual stop until 2026-11-26 08:00 Europe/Berlin) ->"
                + " NONE: off [ok]",
            "next run: 2026-11-25 19:10 Europe/Berlin (asked by the last run: manual stop until"
                + " 2026-11-26 08:00 Europe/Berlin)",
            "last run: 2026-11-25 19:00 Europe/Berlin, started by manual stop",
            "run timer: not armed",
            "expected wake: 30 min, the default until a wake is measured")
        .endsWith(
            "schedule: outside working hours",
            "manual override: STOP",
            "controller: lastAction=stop");
    JsonNode json = Json.MAPPER.readTree(run("endpoint", "status", "--json").out());
    assertThat(json.get("status").asText()).isEqualTo("absent");
    assertThat(json.get("controller").get("lastAction").asText()).isEqualTo("stop");
    assertThat(json.get("lastDecision").get("startedBy").asText()).isEqualTo("manual stop");
    assertThat(json.get("outlook").get("nextRunAt").asText()).isEqualTo("2026-11-25T18:10:00Z");
    assertThat(json.get("outlook").get("expectedWake").get("default").asBoolean())
        .isTrue();
  }

  @Test
  void endpointStatusShowsALiveEndpoint() throws IOException {
    String endpoint = "cli-it-endpoint-" + moto.suffix;
    try (SageMakerClient sageMaker =
        moto.clients.build(Service.SAGEMAKER, SageMakerClient.builder())) {
      sageMaker.createModel(r -> r.modelName("cli-it-model-" + moto.suffix)
          .executionRoleArn("arn:aws:iam::123456789012:role/offhours")
          .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/ic:1")));
      sageMaker.createEndpointConfig(r -> r.endpointConfigName("cli-it-config-" + moto.suffix)
          .productionVariants(v -> v.variantName("all")
              .modelName("cli-it-model-" + moto.suffix)
              .initialInstanceCount(1)
              .instanceType("ml.m5.large")));
      sageMaker.createEndpoint(
          r -> r.endpointName(endpoint).endpointConfigName("cli-it-config-" + moto.suffix));
      String status =
          sageMaker.describeEndpoint(r -> r.endpointName(endpoint)).endpointStatusAsString();

      CliRun run = run("endpoint", "status", "--json");

      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode json = Json.MAPPER.readTree(run.out());
      assertThat(json.get("endpoint").asText()).isEqualTo(endpoint);
      assertThat(json.get("status").asText()).isEqualTo(status).isNotEqualTo("absent");
      assertThat(json.get("mapping").get("state").asText()).isEqualTo("absent");
      assertThat(run("endpoint", "status").outLines().getFirst())
          .startsWith("endpoint " + endpoint + ": " + status);
    }
  }

  @Test
  void aDeployedStacksOutputsTellItsHostingAndAnOlderStackFallsBackToTheEndpointAlone()
      throws IOException {
    String endpoint = "cli-it-serverless-" + moto.suffix;
    String config = "cli-it-serverless-config-" + moto.suffix;
    try (SageMakerClient sageMaker =
            moto.clients.build(Service.SAGEMAKER, SageMakerClient.builder());
        CloudFormationClient cloudFormation =
            moto.clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      sageMaker.createModel(r -> r.modelName("cli-it-serverless-model-" + moto.suffix)
          .executionRoleArn("arn:aws:iam::123456789012:role/offhours")
          .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/ic:1")));
      sageMaker.createEndpointConfig(r -> r.endpointConfigName(config)
          .productionVariants(v -> v.variantName("all")
              .modelName("cli-it-serverless-model-" + moto.suffix)
              .serverlessConfig(c -> c.memorySizeInMB(3072).maxConcurrency(5))));
      sageMaker.createEndpoint(r -> r.endpointName(endpoint).endpointConfigName(config));
      String outputs = """
          "EndpointName": {"Value": "%s"}, "EndpointConfigName": {"Value": "%s"},
          "ClassifyMappingId": {"Value": "%s"}, "ControlTableName": {"Value": "%s"}""".formatted(endpoint, config, UUID.randomUUID(), moto.controlTable);
      for (String[] stack : List.of(new String[] {"cli-it-older-" + moto.suffix, ""}, new String[] {
        "cli-it-hosting-" + moto.suffix, ", \"HostingOption\": {\"Value\": \"serverless\"}"
      })) {
        String template = """
            {"Resources": {"Placeholder": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "%s"}}},
             "Outputs": {%s%s}}
            """.formatted(stack[0], outputs, stack[1]);
        cloudFormation.createStack(r -> r.stackName(stack[0]).templateBody(template));
      }
    }

    CliRun older = run("endpoint", "status", "--stack", "cli-it-older-" + moto.suffix);
    assertThat(older.exitCode()).as(older.err()).isZero();
    assertThat(older.outLines().get(1))
        .isEqualTo(
            "hosting: unknown (stack cli-it-older-" + moto.suffix + " has no output HostingOption;"
                + " update the stack with this version's template.yaml); showing the endpoint alone");

    CliRun text = run("endpoint", "status", "--stack", "cli-it-hosting-" + moto.suffix);
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.outLines().get(1))
        .isEqualTo("hosting: serverless (the stack owns the endpoint; the controller never creates"
            + " nor deletes it)");
    assertThat(text.outLines().get(2))
        .startsWith("serverless config " + config + ": 3072 MB memory, max concurrency 5 (");
    JsonNode json = Json.MAPPER.readTree(
        run("endpoint", "status", "--json", "--stack", "cli-it-hosting-" + moto.suffix)
            .out());
    assertThat(json.get("hosting").asText()).isEqualTo("serverless");
    assertThat(json.get("serverless").get("endpointConfig").asText()).isEqualTo(config);
    assertThat(json.get("serverless").get("memorySizeInMB").asInt()).isEqualTo(3072);
    assertThat(json.get("serverless").get("maxConcurrency").asInt()).isEqualTo(5);
  }

  @Test
  void endpointStartNamesAMissingControllerFunction() {
    CliRun run = run("endpoint", "start", "--until", "2h");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "offhours: controller function offhours-controller of the local stack does not exist\n");
  }

  @Test
  void stackNamesComeFromCloudFormationOutputs() throws IOException {
    String stack = "cli-it-stack-" + moto.suffix;
    String template =
        """
        {"Resources": {"Placeholder": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "cli-it-cfn-%s"}}},
         "Outputs": {"BucketName": {"Value": "%s"}, "QueueUrl": {"Value": "%s"},
                     "DeadLetterQueueUrl": {"Value": "%s"}, "ControlTableName": {"Value": "%s"}}}
        """.formatted(moto.suffix, moto.bucket, moto.queueUrl, moto.dlqUrl, moto.controlTable);
    try (CloudFormationClient cloudFormation =
        moto.clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      cloudFormation.createStack(r -> r.stackName(stack).templateBody(template));
    }
    moto.sqs.sendMessage(r -> r.queueUrl(moto.queueUrl).messageBody("m"));
    Files.delete(StateFile.path(cache)); // proves the names do not come from the local stack

    CliRun queue = run("queue", "--json", "--stack", stack);
    assertThat(queue.exitCode()).as(queue.err()).isZero();
    assertThat(Json.MAPPER.readTree(queue.out()).get("visible").asLong()).isEqualTo(1);

    CliRun results = run("results", "--stack", stack);
    assertThat(results.exitCode()).isEqualTo(1);
    assertThat(results.err())
        .startsWith("offhours: stack " + stack + " has no output ResultsTableName;");

    // On the day the stack was created, whatever the wall clock says by now.
    Instant created = createdAt(stack);
    CliRun cost = moto.run(
        Clock.fixed(created, java.time.ZoneOffset.UTC),
        "--stack",
        stack,
        "cost",
        "--days",
        "7",
        "--time-zone",
        "UTC");
    assertThat(cost.err())
        .as("a stack created today counts today only")
        .startsWith("counting from "
            + java.time.LocalDate.ofInstant(created, java.time.ZoneOffset.UTC) + " "
            + HH_MM.format(created.atZone(java.time.ZoneOffset.UTC)) + ", when stack " + stack
            + " was created\n");

    CliRun missing = run("queue", "--stack", "no-such-stack-" + moto.suffix);
    assertThat(missing.err())
        .startsWith("offhours: stack no-such-stack-" + moto.suffix
            + " does not exist in region us-east-1;");
  }

  @Test
  void costPricesADeployedStackWithItsOwnParametersAndFlagsStillWin() throws IOException {
    String stack = "cli-it-priced-" + moto.suffix;
    java.time.ZoneId zone =
        java.time.ZoneId.of("Pacific/Kiritimati"); // UTC+14: its date is rarely UTC's
    String template = """
        {"Parameters": {"InstanceType": {"Type": "String"}, "InstanceCount": {"Type": "String"},
                        "InstanceHourlyPriceUsd": {"Type": "String"}, "TimeZone": {"Type": "String"}},
         "Resources": {"Placeholder": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "cli-it-priced-%s"}}},
         "Outputs": {"ControlTableName": {"Value": "%s"}, "ResultsTableName": {"Value": "%s"}}}
        """.formatted(moto.suffix, moto.controlTable, moto.resultsTable);
    try (CloudFormationClient cloudFormation =
        moto.clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      cloudFormation.createStack(r -> r.stackName(stack)
          .templateBody(template)
          .parameters(
              parameter("InstanceType", "ml.g4dn.xlarge"),
              parameter("InstanceCount", "3"),
              parameter("InstanceHourlyPriceUsd", "0.7364"),
              parameter("TimeZone", zone.getId())));
    }
    // The command runs on the day the stack was created (in its zone), whatever the wall clock
    // says by now: the ledger item below is that day's.
    Clock onCreationDay = Clock.fixed(createdAt(stack), java.time.ZoneOffset.UTC);
    java.time.LocalDate today = java.time.LocalDate.ofInstant(onCreationDay.instant(), zone);
    new DynamoControlTable(moto.dynamoDb, moto.controlTable)
        .add(new Ledger.Day(today, 3600, 0, 1, 1));

    CliRun priced = moto.run(onCreationDay, "--stack", stack, "cost", "--days", "2", "--json");

    assertThat(priced.exitCode()).as(priced.err()).isZero();
    assertThat(priced.err())
        .as("the stack's days are its TimeZone's")
        .isEqualTo("counting from " + today + " "
            + HH_MM.format(onCreationDay.instant().atZone(zone)) + ", when stack " + stack
            + " was created\n");
    JsonNode total = jsonLines(priced).getLast();
    assertThat(total.get("instanceType").asText()).isEqualTo("ml.g4dn.xlarge");
    assertThat(total.get("instanceCount").asInt()).isEqualTo(3);
    assertThat(total.get("hourlyPriceUsd").asDouble()).isEqualTo(0.7364);
    assertThat(total.get("costUsd").asDouble()).isEqualTo(2.2092);

    CliRun flags = moto.run(
        onCreationDay,
        "--stack",
        stack,
        "cost",
        "--days",
        "2",
        "--json",
        "--price",
        "1",
        "--instances",
        "1");
    assertThat(jsonLines(flags).getLast().get("costUsd").asDouble()).isEqualTo(1.0);
  }

  @Test
  void costPricesAServerlessStackByTheInvocationsClassifyRecordedAndCompareBillsThemInGbSeconds()
      throws IOException {
    String stack = "cli-it-serverless-cost-" + moto.suffix;
    String template = """
        {"Parameters": {"Hosting": {"Type": "String"}, "ServerlessMemorySizeInMB": {"Type": "String"},
                        "InstanceType": {"Type": "String"}, "TimeZone": {"Type": "String"}},
         "Resources": {"Placeholder": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "cli-it-sl-%s"}}},
         "Outputs": {"ControlTableName": {"Value": "%s"}, "ResultsTableName": {"Value": "%s"}}}
        """.formatted(moto.suffix, moto.controlTable, moto.resultsTable);
    try (CloudFormationClient cloudFormation =
        moto.clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      cloudFormation.createStack(r -> r.stackName(stack)
          .templateBody(template)
          .parameters(
              parameter("Hosting", "serverless"),
              parameter("ServerlessMemorySizeInMB", "4096"),
              parameter("InstanceType", "ml.c5.large"),
              parameter("TimeZone", "UTC")));
    }
    // Noon: the day's ledger item and the result (2 s before) are that day's, and so is the
    // commands' today, whenever the test runs.
    // The day after the stack was created: always-on has been on since its midnight.
    java.time.LocalDate today = java.time.LocalDate.ofInstant(
            createdAt(stack), java.time.ZoneOffset.UTC)
        .plusDays(1);
    java.time.Instant now = today.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
    Clock noon = Clock.fixed(now, java.time.ZoneOffset.UTC);
    // What Classify adds to the day's ledger item after its batches
    // (offhours.aws.UsageLedger):
    // 100 invocations of 1.5 s on 4 GB (600 GB-s) and 0.5 GB of data; no endpoint time.
    moto.dynamoDb.updateItem(r -> r.tableName(moto.controlTable)
        .key(Map.of(
            "pk", AttributeValue.fromS("ledger"), "sk", AttributeValue.fromS(today.toString())))
        .updateExpression(
            "ADD invocations :n, invocationMillis :ms, invocationMbMillis :mbms, invocationBytes :b")
        .expressionAttributeValues(Map.of(
            ":n", AttributeValue.fromN("100"),
            ":ms", AttributeValue.fromN("150000"),
            ":mbms", AttributeValue.fromN(Long.toString(150_000L * 4096)),
            ":b", AttributeValue.fromN("500000000"))));
    new offhours.results.ResultsTable(moto.dynamoDb, moto.resultsTable)
        .put(new offhours.results.ResultItem(
            "s3://" + moto.bucket + "/cats/tom.jpg",
            "e#1",
            moto.bucket,
            "cats/tom.jpg",
            null,
            "1",
            null,
            1234L,
            offhours.results.ResultItem.Verdict.CLASSIFIED,
            null,
            List.of(new offhours.results.ResultItem.Label("Neutral", 0.9)),
            "Neutral",
            0.9,
            "m1",
            "e",
            now.minusSeconds(2),
            now.minusMillis(500),
            1,
            null,
            null));

    CliRun json = moto.run(noon, "--stack", stack, "cost", "--days", "1", "--json");

    JsonNode total = jsonLines(json).getLast();
    assertThat(total.get("hosting").asText()).isEqualTo("serverless");
    assertThat(total.get("endpointHours").asDouble()).isZero();
    assertThat(total.get("images").asInt()).isEqualTo(1);
    assertThat(total.get("serverlessInvocations").asLong()).isEqualTo(100);
    assertThat(total.get("serverlessGbSeconds").asDouble()).isEqualTo(600.0);
    assertThat(total.get("costUsd").asDouble())
        .as("600 GB-s x $0.00002 + 0.5 GB x $0.016")
        .isEqualTo(0.02);
    // The commands' clock says noon: always-on counts today's 12 h so far, not 24.
    assertThat(total.get("alwaysOnCostUsd").asDouble())
        .as("an always-on ml.c5.large at the template's default price, 12 h x $0.115")
        .isEqualTo(1.38);
    assertThat(total.get("savedPercent").asDouble()).as("1 - 0.02 / 1.38").isEqualTo(98.55);
    assertThat(moto.run(noon, "--stack", stack, "cost", "--days", "1").out())
        .contains(
            "Hosting: serverless, billed per invocation",
            "Serverless: 100 invocations, 600.0 GB-s at $0.00002/GB-s, 0.500 GB at $0.016/GB:"
                + " $0.0200 (in cost $)");
    assertThat(jsonLines(moto.run(
                noon,
                "--stack",
                stack,
                "cost",
                "--days",
                "1",
                "--json",
                "--serverless-gb-second",
                "0.0001"))
            .getLast()
            .get("costUsd")
            .asDouble())
        .as("the flag's price")
        .isEqualTo(0.068);

    List<JsonNode> compare =
        jsonLines(moto.run(noon, "--stack", stack, "cost", "--days", "1", "--compare", "--json"));
    assertThat(compare)
        .filteredOn(j -> j.get("option").asText().startsWith("offhours (this stack"))
        .singleElement()
        .satisfies(own -> {
          assertThat(own.get("option").asText()).isEqualTo("offhours (this stack, serverless)");
          assertThat(own.get("unit").asText()).isEqualTo("GB-s");
          assertThat(own.get("billedUnits").asDouble()).isEqualTo(600.0);
          assertThat(own.get("costUsd").asDouble()).as("the report's cost").isEqualTo(0.02);
        });
    assertThat(compare)
        .filteredOn(j -> j.get("option").asText().equals("always on"))
        .singleElement()
        .satisfies(always -> {
          assertThat(always.get("billedUnits").asDouble()).as("until noon").isEqualTo(12.0);
          assertThat(always.get("until").asText()).isEqualTo(now.toString());
        });
    assertThat(compare)
        .filteredOn(j -> j.get("option").asText().equals("serverless"))
        .singleElement()
        .satisfies(model -> assertThat(model.get("note").asText())
            .as("modelled at the stack's memory")
            .startsWith("4 GB,"));
  }

  private static final java.time.format.DateTimeFormatter HH_MM =
      java.time.format.DateTimeFormatter.ofPattern("HH:mm", java.util.Locale.ROOT);

  /** A day {@code days} after the local stack (this JVM, its state file's process) started, in UTC. */
  private static java.time.LocalDate afterStart(int days) {
    return java.time.LocalDate.ofInstant(
            ProcessHandle.current().info().startInstant().orElseThrow(), java.time.ZoneOffset.UTC)
        .plusDays(days);
  }

  /** The stack's CreationTime, as the command line reads it: the first day it counts. */
  private Instant createdAt(String stack) {
    try (CloudFormationClient cloudFormation =
        moto.clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      return cloudFormation
          .describeStacks(r -> r.stackName(stack))
          .stacks()
          .getFirst()
          .creationTime();
    }
  }

  private static software.amazon.awssdk.services.cloudformation.model.Parameter parameter(
      String key, String value) {
    return software.amazon.awssdk.services.cloudformation.model.Parameter.builder()
        .parameterKey(key)
        .parameterValue(value)
        .build();
  }

  @Test
  void theWrapperScriptRunsTheCli() throws Exception {
    Process process = new ProcessBuilder("scripts/offhours", "--help")
        .redirectErrorStream(true)
        .start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(finished).as("scripts/offhours --help finished").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("usage: offhours COMMAND [OPTIONS]", "  upload ", "  results ");
  }

  @Test
  void aTzThatNamesNoZoneIsRefusedBeforeTheLocalStackStartsInGmt() throws Exception {
    // The JDK reads TZ=Europe/Pariss as GMT without a word; local start would record GMT as its
    // controller's TIME_ZONE and keep the working hours there.
    // A model that does not exist as well: where TZ were not checked first, nothing would start.
    Started pariss = localStart("Europe/Pariss");

    assertThat(pariss.exitCode()).isEqualTo(1);
    assertThat(pariss.err())
        .isEqualTo("offhours: TZ is 'Europe/Pariss', which is no time zone Java knows, so times"
            + " would be read and the local stack's hours kept in GMT; set TZ to an IANA zone such"
            + " as Europe/Paris or unset it to use this machine's zone; local start and demo also"
            + " take --time-zone Europe/Paris\n");
    assertThat(StateFile.path(cache.resolve("fresh"))).as("no stack started").doesNotExist();
    // The JDK reads TZ=GMT+1 as GMT+01:00, where POSIX (and the shell's date) reads GMT-01:00.
    Started posixOffset = localStart("GMT+1");
    assertThat(posixOffset.exitCode()).isEqualTo(1);
    assertThat(posixOffset.err())
        .startsWith(
            "offhours: TZ is 'GMT+1', which Java reads as the fixed offset GMT+01:00 all year");
  }

  @Test
  void posixsUtc0IsUtcAndTheFlagWinsOverAnyTzButMustNameAZone() throws Exception {
    String noModel = "offhours: model file " + cache.resolve("none.onnx")
        + " does not exist; give the path of an ONNX model; see 'offhours local start --help'\n";
    // Past the zone, each stops at the model that does not exist: no stack starts.
    Started utc0 = localStart("UTC0");
    assertThat(utc0.err()).as("TZ=UTC0 is UTC").isEqualTo(noModel);
    Started flag = localStart("Europe/Pariss", "--time-zone", "Europe/Berlin");
    assertThat(flag.err()).as("--time-zone over a TZ Java misreads").isEqualTo(noModel);

    Started badFlag = localStart("Europe/Berlin", "--time-zone", "CET-1CEST");

    assertThat(badFlag.exitCode()).isEqualTo(2);
    assertThat(badFlag.err())
        .isEqualTo("offhours: --time-zone needs an IANA zone such as Europe/Berlin, got"
            + " 'CET-1CEST'; see 'offhours local start --help'\n");
    assertThat(StateFile.path(cache.resolve("fresh"))).as("no stack started").doesNotExist();
  }

  private record Started(int exitCode, String err) {}

  /** {@code scripts/offhours local start} with TZ and a model that does not exist, as a user's shell runs it. */
  private Started localStart(String tz, String... flags) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        "scripts/offhours",
        "local",
        "start",
        "--model",
        cache.resolve("none.onnx").toString()));
    command.addAll(List.of(flags));
    ProcessBuilder start = new ProcessBuilder(command)
        .redirectOutput(cache.resolve("out").toFile())
        .redirectError(cache.resolve("err").toFile());
    start.environment().put("TZ", tz);
    start.environment().put("OFFHOURS_CACHE", cache.resolve("fresh").toString());
    Process process = start.start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("local start finished").isTrue();
    // The first run of the script after a change to the sources builds them and says so.
    String err = Files.readString(cache.resolve("err"))
        .replaceFirst(
            "^offhours: building \\(first run, or the sources changed\\) \\.\\.\\.\n", "");
    return new Started(process.exitValue(), err);
  }

  @Test
  void anUnreachableServiceSaysWhatFailedAndWhereToLook() throws IOException {
    refusedStateFile();
    CliRun run = run("queue");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("offhours: queue failed: ")
        .contains("Connection refused", "check it with 'scripts/offhours local status'");
  }

  @Test
  void aFailedUploadSaysHowManyFilesMadeIt() throws IOException {
    refusedStateFile();
    Path file = Files.writeString(photos.resolve("a.jpg"), "x");
    CliRun run = run("upload", file.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("offhours: uploaded 0 of 1 files; " + file + " failed: ");
  }

  /** A running stack whose services do not answer (port 1 refuses); the SDK's retries make this take seconds. */
  private void refusedStateFile() throws IOException {
    TestStateFiles.state(
            ProcessHandle.current().pid(),
            TestStateFiles.endpoints(),
            Map.of(
                "bucket",
                moto.bucket,
                "queueUrl",
                "http://127.0.0.1:1/1/q",
                "dlqUrl",
                "http://127.0.0.1:1/1/d"))
        .write(StateFile.path(cache));
  }

  /** The controller's state item (pk controller, sk state) with {@code fields}. */
  private void putControllerState(Map<String, AttributeValue> fields) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(fields);
    item.put("pk", AttributeValue.fromS("controller"));
    item.put("sk", AttributeValue.fromS("state"));
    moto.dynamoDb.putItem(r -> r.tableName(moto.controlTable).item(item));
  }

  private void putResult(
      String key, String status, String label, Double score, String reason, String classifiedAt) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of(
        "pk", AttributeValue.fromS("s3://" + moto.bucket + "/" + key),
        "sk", AttributeValue.fromS("e#" + UUID.randomUUID()),
        "bucket", AttributeValue.fromS(moto.bucket),
        "key", AttributeValue.fromS(key),
        "status", AttributeValue.fromS(status),
        "classifiedAt", AttributeValue.fromS(classifiedAt),
        "attempts", AttributeValue.fromN("1"),
        "sizeBytes", AttributeValue.fromN("1234")));
    if (label != null) {
      item.put("topLabel", AttributeValue.fromS(label));
      item.put("topScore", AttributeValue.fromN(score.toString()));
      item.put(
          "labels",
          AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
              "label",
              AttributeValue.fromS(label),
              "score",
              AttributeValue.fromN(score.toString()))))));
    }
    if (reason != null) {
      item.put("reason", AttributeValue.fromS(reason));
    }
    moto.dynamoDb.putItem(r -> r.tableName(moto.resultsTable).item(item));
  }

  private static List<JsonNode> jsonLines(CliRun run) {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.jsonLines();
  }
}
