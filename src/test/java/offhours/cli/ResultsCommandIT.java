package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import offhours.local.StateFile;
import offhours.testing.AwsServicesExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code offhours results} over a results table on moto_server (started by {@link AwsServicesExtension}). */
class ResultsCommandIT extends OnMotoStack {

  @TempDir
  Path photos;

  @Test
  void resultsListNewestFirstAndFilterByLabelStatusAndKey() throws IOException {
    moto.putResult("cats/tom.jpg", "CLASSIFIED", "Neutral", 0.91, null, "2026-11-25T10:00:01Z");
    moto.putResult("art/sketch.png", "CLASSIFIED", "Drawing", 0.88, null, "2026-11-25T10:00:03Z");
    moto.putResult("dogs/rex.jpg", "CLASSIFIED", "Neutral", 0.77, null, "2026-11-25T10:00:05Z");
    moto.putResult(
        "notes, not a photo.png",
        "REJECTED",
        null,
        null,
        "not an image (neither JPEG nor PNG)",
        "2026-11-25T10:00:02Z");

    CliRun all = run("results", "--json");
    assertThat(all.exitCode()).as(all.err()).isZero();
    List<JsonNode> lines = CliRun.jsonLinesOf(all);
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

    assertThat(CliRun.jsonLinesOf(run("results", "--label", "Neutral", "--json")))
        .extracting(j -> j.get("key").asText())
        .containsExactly("dogs/rex.jpg", "cats/tom.jpg");
    assertThat(CliRun.jsonLinesOf(run("results", "--label", "Neutral", "--limit", "1", "--json")))
        .extracting(j -> j.get("key").asText())
        .containsExactly("dogs/rex.jpg");
    assertThat(CliRun.jsonLinesOf(run("results", "--status", "rejected", "--json")))
        .extracting(j -> j.get("key").asText())
        .containsExactly("notes, not a photo.png");
    assertThat(CliRun.jsonLinesOf(run("results", "--key", "art/sketch.png", "--json")))
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

    assertThat(CliRun.jsonLinesOf(run("results", "--prefix", "dogs/", "--json")))
        .extracting(j -> j.get("key").asText())
        .containsExactly("dogs/rex.jpg");
    assertThat(run("results", "--prefix", "a", "--status", "classified").outLines())
        .containsExactly(
            "KEY             LABEL    SCORE  STATUS      SETTINGS  REASON",
            "art/sketch.png  Drawing  0.880  CLASSIFIED  unknown");
    assertThat(run("results", "--prefix", "").exitCode()).isEqualTo(2);
    CliRun address = run("results", "--key", "s3://" + moto.bucket + "/art/sketch.png");
    assertThat(address.out()).isEqualTo("no results match\n");
    assertThat(address.err())
        .as("the address reprocess prints, and --json's id, given for the key")
        .contains(
            "--key takes a key in the bucket, not an s3:// address: give --key art/sketch.png");
    assertThat(run("results", "--prefix", "s3://" + moto.bucket + "/dogs/").err())
        .contains("give --prefix dogs/");
    assertThat(run("results", "--key", "s3://elsewhere/art/sketch.png").err())
        .contains("not an s3:// address (this stack's bucket is " + moto.bucket + ")");

    moto.putResult(
        "cut.jpg",
        "REJECTED",
        null,
        null,
        "the model could not read the image (status 400): could not decode image: JPEG data ends"
            + " early (Truncated File - Missing EOI marker); it read offhours' probe image meanwhile",
        "2026-11-25T10:00:06Z");
    CliRun hinted = run("results", "--status", "REJECTED");
    assertThat(hinted.err())
        .as("what to do, one line for the kind it knows; the test's own reason is of none")
        .startsWith(
            "what to do (1 result), cut short or damaged: upload the whole file again under the"
                + " same key\n")
        .doesNotContain("not JPEG or PNG");
    assertThat(hinted.outLines()).hasSize(3);
    assertThat(run("results", "--status", "REJECTED", "--json").err()).doesNotContain("what to do");
  }

  @Test
  void resultsForALabelOfAnotherCaseThanTheModelsNameTheLabelItProbablyMeant() throws IOException {
    moto.putResult("cats/tom.jpg", "CLASSIFIED", "Neutral", 0.91, null, "2026-11-25T10:00:01Z");
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
        .isEqualTo("no result matches --label neutral (of 0 results read)\n"
            + "labels are matched exactly, and the model's label is 'Neutral', not 'neutral':"
            + " try --label Neutral\n"
            + "would send 0 object versions to the queue (--dry-run: nothing was sent)\n");
    assertThat(run("reprocess", "--label", "Neutral", "--dry-run").err())
        .doesNotContain("matched exactly");
    moto.putResult(
        "cats/kit.jpg", "CLASSIFIED", "Neutral", 0.8, null, "2026-11-25T10:00:02Z", "resnet-50");
    assertThat(run("reprocess", "--model", "nope", "--dry-run").err())
        .as("a --model none of the results read is from: the models they are from")
        .isEqualTo("no result matches --model nope (of 2 results read)\n"
            + "--model nope is none of the models of the 2 results read, which are from resnet-50\n"
            + "would send 0 object versions to the queue (--dry-run: nothing was sent)\n");
  }

  @Test
  void resultsSayWhenMoreRowsMatchThanTheLimitShowsAndHowToSeeThem() throws IOException {
    moto.putResult("a.jpg", "CLASSIFIED", "Neutral", 0.9, null, "2026-11-25T10:00:01Z");
    moto.putResult("b.jpg", "CLASSIFIED", "Neutral", 0.8, null, "2026-11-25T10:00:02Z");
    moto.putResult("c.jpg", "CLASSIFIED", "Neutral", 0.7, null, "2026-11-25T10:00:03Z");

    CliRun limited = run("results", "--limit", "2");
    assertThat(limited.outLines()).hasSize(3).last().asString().startsWith("b.jpg");
    assertThat(limited.err().lines())
        .first()
        .isEqualTo("more results match: these are the newest 2; see more with --limit 4,"
            + " or narrow them with --label, --status, --key or --prefix");
    assertThat(limited.err().lines())
        .as("then what SETTINGS was compared with (this state file records no model settings)")
        .last()
        .asString()
        .startsWith("SETTINGS compared with the newest classification's settings");
    CliRun byLabel = run("results", "--label", "Neutral", "--limit", "1", "--json");
    assertThat(CliRun.jsonLinesOf(byLabel))
        .extracting(j -> j.get("key").asText())
        .containsExactly("c.jpg");
    assertThat(byLabel.err().lines())
        .first()
        .isEqualTo("more results match: these are the newest 1; see more with --limit 2");
    assertThat(byLabel.err().lines())
        .as("--json has no SETTINGS column: the note names its settings field")
        .last()
        .asString()
        .startsWith("settings compared with the newest classification's settings");
    assertThat(run("results", "--limit", "3").err())
        .as("exactly as many as the limit")
        .doesNotContain("more results match");
  }

  @Test
  void controlCharactersFromTheTableAndFromFileNamesAreEscapedInTextAndKeptInJson()
      throws IOException {
    String key = "evil\u001b]0;owned\u0007\u001b[2J.png";
    moto.putResult(
        key,
        "REJECTED",
        null,
        null,
        "the model said \u001b[31mred\u001b[0m\nsecond line",
        "2026-11-25T10:00:01Z");
    moto.putResult("label.png", "CLASSIFIED", "La\u001b[8mbel", 0.5, null, "2026-11-25T10:00:02Z");
    moto.putControllerState(Map.of(
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
    assertThat(CliRun.jsonLinesOf(run("endpoint", "status", "--json"))
            .getFirst()
            .get("outlookError")
            .asText())
        .as("a state item this version's controller did not write")
        .contains("STOP\u009b");
    assertThat(text.get(3).err()).contains("uploaded s3://" + moto.bucket + "/up\\x1b[2Jload.png");
    assertThat(text.get(4).err()).contains("no such file or folder: ", "gone\\x1b[2J.png");

    List<JsonNode> json = CliRun.jsonLinesOf(run("results", "--json"));
    assertThat(json).extracting(j -> j.get("key").asText()).contains(key);
    assertThat(json)
        .extracting(j -> j.get("reason").asText())
        .contains("the model said \u001b[31mred\u001b[0m\nsecond line");
  }
}
