package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients.Service;
import offhours.classify.ObjectNotification;
import offhours.local.LocalDirectory;
import offhours.local.StateFile;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Label;
import offhours.results.ResultItem.Verdict;
import offhours.results.ResultsTable;
import offhours.testing.AwsServicesExtension;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Needs moto_server (started by {@link AwsServicesExtension}) for S3, SQS and DynamoDB: the operating commands
 * ({@code dlq}, {@code reprocess}, {@code backfill}) over the wire against a stack's queues, bucket and results
 * table, found through the local stack's state file as a user's run finds them.
 */
class OperationsIT extends OnMotoStack {
  /** Every message of {@code url}, received and deleted. */
  List<Message> drain(String url) {
    List<Message> all = new ArrayList<>();
    while (true) {
      List<Message> page = moto.sqs
          .receiveMessage(r -> r.queueUrl(url)
              .maxNumberOfMessages(10)
              .waitTimeSeconds(1)
              .messageAttributeNames("All")
              .messageSystemAttributeNames(MessageSystemAttributeName.ALL))
          .messages();
      if (page.isEmpty()) {
        return all;
      }
      for (Message m : page) {
        moto.sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
        all.add(m);
      }
    }
  }

  long visible(String url) {
    return Long.parseLong(moto.sqs
        .getQueueAttributes(
            r -> r.queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributes()
        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  private String toDlq(String key, String reason) {
    String body = new ObjectNotification(
            moto.bucket, key, 10L, "etag-" + key.hashCode(), null, "00A1", Instant.now(), "test")
        .body();
    return moto.sqs
        .sendMessage(r -> {
          r.queueUrl(moto.dlqUrl).messageBody(body);
          if (reason != null) {
            r.messageAttributes(Map.of(
                "offhours-deferral-reason",
                MessageAttributeValue.builder()
                    .dataType("String")
                    .stringValue(reason)
                    .build(),
                "offhours-deferrals",
                MessageAttributeValue.builder()
                    .dataType("Number")
                    .stringValue("50")
                    .build()));
          }
        })
        .messageId();
  }

  // ---- dlq ----

  @Test
  void dlqListPagesThroughEveryMessageWithItsKeysReasonAndAgeAndLeavesThemAllVisible()
      throws IOException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      ids.add(toDlq(
          "in/img %02d.png".formatted(i),
          i % 2 == 0 ? "endpoint unavailable: ValidationError" : null));
    }
    String poison = moto.sqs
        .sendMessage(r -> r.queueUrl(moto.dlqUrl).messageBody("not json \u001b[31m"))
        .messageId();
    // S3's shape without the eTag, moto's only identity of an unversioned object.
    String withoutETag = moto.sqs
        .sendMessage(r -> r.queueUrl(moto.dlqUrl)
            .messageBody("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":"
                + "{\"name\":\"" + moto.bucket + "\"},\"object\":{\"key\":\"in/a.png\"}}}]}"))
        .messageId();
    // The Classify function's JSON line for a message it handed back
    // (offhours.classify.OutcomeLog), in the local stack's log.
    Files.writeString(
        LocalDirectory.logs(cache).resolve("stack.log"),
        "starting\n{\"level\":\"WARN\",\"messageId\":\""
            + ids.get(1)
            + "\",\"outcome\":\"RETRY\",\"attempts\":5,\"records\":[{\"subject\":\"s3://"
            + moto.bucket
            + "/in/img 01.png\",\"outcome\":\"RETRY\",\"detail\":\"ThrottlingException: slow down\"}]}\n");

    CliRun json = run("dlq", "list", "--json");

    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.err()).as("a complete pass that saw SQS's count").doesNotContain("warning");
    List<JsonNode> lines = json.jsonLines();
    assertThat(lines)
        .extracting(j -> j.get("messageId").asText())
        .containsExactlyInAnyOrderElementsOf(concat(concat(ids, poison), withoutETag));
    JsonNode first = lines.stream()
        .filter(j -> j.get("messageId").asText().equals(ids.getFirst()))
        .findFirst()
        .orElseThrow();
    assertThat(first.get("keys").get(0).asText()).isEqualTo("in/img 00.png");
    assertThat(first.get("reason").asText()).isEqualTo("endpoint unavailable: ValidationError");
    assertThat(first.get("reasonSource").asText()).isEqualTo("attribute");
    assertThat(first.get("ageSeconds").asLong()).isBetween(0L, 600L);
    JsonNode logged = lines.stream()
        .filter(j -> j.get("messageId").asText().equals(ids.get(1)))
        .findFirst()
        .orElseThrow();
    assertThat(logged.get("reason").asText())
        .isEqualTo("s3://" + moto.bucket + "/in/img 01.png: ThrottlingException:" + " slow down");
    assertThat(logged.get("reasonSource").asText()).isEqualTo("log");
    assertThat(visible(moto.dlqUrl))
        .as("every message visible again after the listing")
        .isEqualTo(25);

    CliRun text = run("dlq", "list");
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out())
        .startsWith("MESSAGE ID")
        .contains(
            "in/img 22.png",
            "(not an S3 notification)",
            "(S3 notification without versionId, eTag or sequencer)")
        .contains("no reason recorded");
    assertThat(text.err()).contains("""
            25 messages listed.
            Reading the DLQ receives its messages: a pass hides them while it runs (for 60 s plus half a
            second per message SQS counts, extended if the pass runs longer) and adds one to their receive
            count, which sends them nowhere (the DLQ has no redrive of its own). They are visible again
            when the command ends.
            """);
  }

  @Test
  void dlqShowPrintsTheBodyWithControlCharactersEscaped() {
    String poison = moto.sqs
        .sendMessage(r -> r.queueUrl(moto.dlqUrl).messageBody("not json \u001b[31mred"))
        .messageId();

    CliRun show = run("dlq", "show", poison);

    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("message " + poison, "body\nnot json \\x1b[31mred")
        .doesNotContain("\u001b");
    CliRun json = run("dlq", "show", poison, "--json");
    assertThat(json.jsonLines().getFirst().get("body").asText())
        .isEqualTo("not json \u001b[31mred");
    CliRun missing = run("dlq", "show", "no-such-id");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err())
        .contains("no message no-such-id in the dead-letter queue of the local stack");
  }

  @Test
  void dlqRedriveByKeyPrefixMovesOnlyThoseSendingBeforeDeletingAndKeepsTheirAttributes() {
    List<String> cats = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      cats.add("cats/%02d.jpg".formatted(i));
      toDlq(cats.getLast(), "endpoint unavailable");
    }
    String dog = toDlq("dogs/rex.jpg", null);
    CliRun address = run("dlq", "redrive", "--key-prefix", "s3://" + moto.bucket + "/cats/");
    assertThat(address.out()).startsWith("moved 0 messages back to the queue");
    assertThat(address.err())
        .as("the address of the objects, given for their keys' prefix")
        .contains(
            "no message matches --key-prefix s3://" + moto.bucket + "/cats/ (of 13 messages in the"
                + " dead-letter queue; 'offhours dlq list' shows the keys)",
            "--key-prefix takes a key in the bucket, not an s3:// address: give --key-prefix cats/");
    CliRun other = run("dlq", "redrive", "--id", dog, "--key-prefix", "cats/");
    assertThat(other.exitCode()).as("the id given was not moved").isEqualTo(1);
    assertThat(other.err())
        .contains("in the dead-letter queue but not matching --key-prefix cats/: " + dog)
        .doesNotContain("not in the dead-letter queue");

    CliRun redrive = run("dlq", "redrive", "--key-prefix", "cats/", "--json");

    assertThat(redrive.exitCode()).as(redrive.err()).isZero();
    JsonNode answer = redrive.jsonLines().getFirst();
    assertThat(answer.get("method").asText()).isEqualTo("send-then-delete");
    assertThat(answer.get("moved").asInt()).isEqualTo(12);
    assertThat(answer.get("kept").asInt()).isEqualTo(1);
    assertThat(answer.get("complete").asBoolean()).isTrue();
    assertThat(answer.get("failed")).isEmpty();
    List<Message> moved = drain(moto.queueUrl);
    assertThat(moved)
        .extracting(m -> ObjectNotification.read(m.body()).getFirst().key())
        .containsExactlyInAnyOrderElementsOf(cats);
    assertThat(
            moved.getFirst().messageAttributes().get("offhours-deferral-reason").stringValue())
        .isEqualTo("endpoint unavailable");
    assertThat(drain(moto.dlqUrl)).extracting(Message::messageId).containsExactly(dog);
  }

  @Test
  void dlqRedriveOfEverythingFallsBackToItsOwnMoveWhereTheLocalSqsLacksStartMessageMoveTask() {
    for (int i = 0; i < 3; i++) {
      toDlq("x/%d.png".formatted(i), null);
    }
    String id = toDlq("y/one.png", null);

    CliRun one = run("dlq", "redrive", "--id", id + ",missing-id");
    assertThat(one.exitCode()).as("one id was not there").isEqualTo(1);
    assertThat(one.out())
        .startsWith("moved 1 message back to the queue, sent before it was deleted from the DLQ;"
            + " 3 not selected stay in the DLQ");
    assertThat(one.err()).contains("not in the dead-letter queue: missing-id");

    CliRun all = run("dlq", "redrive");
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out())
        .startsWith(
            "moved 3 messages back to the queue, each sent before it was deleted from the DLQ"
                + " (this SQS does not offer StartMessageMoveTask: it answered HTTP 500)");
    assertThat(visible(moto.dlqUrl)).isZero();
    assertThat(drain(moto.queueUrl)).hasSize(4);
    CliRun again = run("dlq", "redrive");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out())
        .as("SQS counts no message in the DLQ: no move task was asked for")
        .isEqualTo("moved 0 messages back to the queue\n");
    assertThat(again.err()).contains("the dead-letter queue is empty: nothing to redrive");
  }

  // ---- reprocess ----

  private void result(
      String key,
      String versionId,
      String status,
      String label,
      String model,
      String classifiedAt) {
    result(key, versionId, status, label, model, classifiedAt, "etag-" + key.length());
  }

  private void result(
      String key,
      String versionId,
      String status,
      String label,
      String model,
      String classifiedAt,
      String eTag) {
    result(key, versionId, status, label, model, classifiedAt, eTag, null);
  }

  /** {@code settings}: the fingerprint of the settings the result was made under, null: unknown. */
  private void result(
      String key,
      String versionId,
      String status,
      String label,
      String model,
      String classifiedAt,
      String eTag,
      String settings) {
    boolean classified = status.equals("CLASSIFIED");
    new ResultsTable(moto.dynamoDb, moto.resultsTable)
        .put(new ResultItem(
            ResultItem.pkFor(moto.bucket, key),
            ResultItem.skFor(versionId, eTag),
            moto.bucket,
            key,
            versionId,
            eTag,
            "0A1B",
            123L,
            Verdict.valueOf(status),
            classified ? null : "the model failed on this image 3 times",
            classified ? List.of(new Label(label, 0.9)) : List.of(),
            classified ? label : null,
            classified ? 0.9 : null,
            model,
            "e",
            Instant.parse("2026-11-25T09:00:00Z"),
            Instant.parse(classifiedAt),
            1,
            null,
            settings));
  }

  @Test
  void reprocessSendsTheSelectedVersionsAsTheNotificationsS3SentAndDryRunSendsNothing() {
    result("a/rejected one.png", "v1", "REJECTED", null, "m1", "2026-11-25T10:00:00Z");
    // Classified before the labels were corrected; the newest classification names the live
    // settings.
    result(
        "a/rejected one.png",
        "v2",
        "CLASSIFIED",
        "Neutral",
        "m1",
        "2026-11-25T11:00:00Z",
        "etag-18",
        "0123456789ab");
    result(
        "b/drawing.jpg",
        null,
        "CLASSIFIED",
        "Drawing",
        "m1",
        "2026-11-26T10:00:00Z",
        "etag-13",
        "f74d3ec496f3");
    result("b/old.jpg", null, "CLASSIFIED", "Neutral", "m0", "2026-11-20T10:00:00Z");
    // A message that was no S3 notification: REJECTED, it names no object to send again.
    new ResultsTable(moto.dynamoDb, moto.resultsTable)
        .put(ResultItem.rejectedMessage(
            "offhours-queue",
            "id-1",
            "body",
            "message body is not JSON",
            "m1",
            "e",
            Instant.parse("2026-11-25T10:30:00Z"),
            1));

    CliRun none = run("reprocess");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("say what to reprocess");

    CliRun dry = run("reprocess", "--status", "rejected", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out())
        .isEqualTo("would send s3://" + moto.bucket
            + "/a/rejected one.png (version v1, REJECTED by m1)\n");
    assertThat(dry.err())
        .contains("would send 1 object version to the queue (--dry-run: nothing was sent)")
        .as("the REJECTED result it cannot send is said, not passed over")
        .contains("1 matching result not sent: its message was no S3 notification, so it names no"
            + " object to send again")
        .as("what README says of reprocessing a verdict, where the operator who runs it reads")
        .contains(
            "1 REJECTED result would go to the model with the same image: unless the model or its"
                + " limits changed, the verdict comes again; a new upload under the same key replaces it");
    assertThat(visible(moto.queueUrl)).isZero();

    CliRun all = run("reprocess", "--all", "--dry-run");
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.outLines())
        .containsExactly(
            "would send s3://" + moto.bucket + "/a/rejected one.png (version v1, REJECTED by m1)",
            "would send s3://" + moto.bucket
                + "/a/rejected one.png (version v2, CLASSIFIED by m1, settings changed)",
            "would send s3://" + moto.bucket + "/b/drawing.jpg (eTag etag-13, CLASSIFIED by m1)",
            "would send s3://" + moto.bucket
                + "/b/old.jpg (eTag etag-9, CLASSIFIED by m0, settings unknown)");
    assertThat(run("reprocess", "--all", "--dry-run", "--json").jsonLines())
        .as("a verdict's settings are null, as in results --json and GET /results")
        .extracting(j -> j.get("settings").isNull() ? null : j.get("settings").asText())
        .containsExactly(null, "changed", "current", "unknown");
    assertThat(visible(moto.queueUrl)).isZero();

    CliRun rejected = run("reprocess", "--status", "REJECTED", "--json");
    assertThat(rejected.exitCode()).as(rejected.err()).isZero();
    assertThat(rejected.jsonLines()).singleElement().satisfies(j -> {
      assertThat(j.get("key").asText()).isEqualTo("a/rejected one.png");
      assertThat(j.get("sent").asBoolean()).isTrue();
    });
    List<Message> sent = drain(moto.queueUrl);
    assertThat(sent).singleElement().satisfies(m -> {
      assertThat(m.body())
          .contains("\"key\":\"a/rejected+one.png\"", "\"configurationId\":\"offhours-reprocess\"");
      ObjectNotification n = ObjectNotification.read(m.body()).getFirst();
      assertThat(List.of(n.bucket(), n.key(), n.versionId(), n.eTag(), n.sequencer()))
          .containsExactly(moto.bucket, "a/rejected one.png", "v1", "etag-18", "0A1B");
      assertThat(n.size()).isEqualTo(123L);
      assertThat(n.eventTime()).isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
    });

    CliRun byModel = run("reprocess", "--model", "m0", "--json");
    assertThat(byModel.jsonLines())
        .extracting(j -> j.get("key").asText())
        .containsExactly("b/old.jpg");
    CliRun since =
        run("reprocess", "--prefix", "b/", "--since", "2026-11-26T00:00:00Z", "--label", "Drawing");
    assertThat(since.out())
        .startsWith("sent s3://" + moto.bucket + "/b/drawing.jpg (eTag etag-13, CLASSIFIED by m1)");
    assertThat(drain(moto.queueUrl)).hasSize(2);
    CliRun key = run("reprocess", "--key", "a/rejected one.png", "--json");
    assertThat(key.jsonLines())
        .extracting(j -> j.get("versionId").asText())
        .containsExactly("v1", "v2");
    CliRun address = run("reprocess", "--key", "s3://" + moto.bucket + "/a/rejected one.png");
    assertThat(address.exitCode()).isZero();
    assertThat(address.err())
        .as("the address its own lines print, given for the key")
        .contains("give --key 'a/rejected one.png'");
  }

  @Test
  void reprocessSettingsStaleSendsOnlyTheClassificationsASettingsChangeLeftBehind() {
    result("a/rejected.png", "v1", "REJECTED", null, "m1", "2026-11-25T10:00:00Z");
    result(
        "a/changed.png",
        null,
        "CLASSIFIED",
        "Neutral",
        "m1",
        "2026-11-25T11:00:00Z",
        "e1",
        "0123456789ab");
    result("a/unknown.png", null, "CLASSIFIED", "Neutral", "m0", "2026-11-20T10:00:00Z");
    // The newest classification: the state file does not record the model's settings, so its are
    // the live ones.
    result(
        "b/current.jpg",
        null,
        "CLASSIFIED",
        "Drawing",
        "m1",
        "2026-11-26T10:00:00Z",
        "e2",
        "f74d3ec496f3");

    CliRun dry = run("reprocess", "--settings", "stale", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.outLines())
        .containsExactly(
            "would send s3://" + moto.bucket
                + "/a/changed.png (eTag e1, CLASSIFIED by m1, settings changed)",
            "would send s3://" + moto.bucket
                + "/a/unknown.png (eTag etag-13, CLASSIFIED by m0, settings unknown)");
    assertThat(dry.err())
        .as("the fallback basis is said, and --settings compared with it")
        .contains(
            "SETTINGS compared with the newest classification's settings, as the local stack's state file"
                + " does not record the model's settings")
        .contains("would send 2 object versions to the queue (--dry-run: nothing was sent)");
    assertThat(run("reprocess", "--settings", "changed", "--dry-run", "--json").jsonLines())
        .extracting(j -> j.get("key").asText() + " " + j.get("settings").asText())
        .containsExactly("a/changed.png changed");
    assertThat(visible(moto.queueUrl)).as("--dry-run").isZero();

    CliRun rejected = run("reprocess", "--settings", "stale", "--status", "REJECTED");
    assertThat(rejected.exitCode()).isEqualTo(2);
    assertThat(rejected.err()).contains("--settings selects CLASSIFIED results");
    CliRun bad = run("reprocess", "--settings", "older");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("unknown --settings 'older'; use changed");

    // The README's line.
    CliRun stale = run("reprocess", "--settings", "stale");
    assertThat(stale.exitCode()).as(stale.err()).isZero();
    assertThat(drain(moto.queueUrl))
        .extracting(m -> ObjectNotification.read(m.body()).getFirst().key())
        .containsExactlyInAnyOrder("a/changed.png", "a/unknown.png");
  }

  @Test
  void reprocessReadsAPeriodAStatusOrALabelThroughTheIndexesOverTheWire() {
    result("a/rejected one.png", "v1", "REJECTED", null, "m1", "2026-11-25T10:00:00Z");
    result("a/rejected one.png", "v2", "CLASSIFIED", "Neutral", "m1", "2026-11-25T11:00:00Z");
    result("b/drawing.jpg", null, "CLASSIFIED", "Drawing", "m1", "2026-11-26T10:00:00Z");
    result("b/old.jpg", null, "CLASSIFIED", "Neutral", "m0", "2026-11-20T10:00:00Z");

    CliRun day = run(
        "reprocess",
        "--since",
        "2026-11-25T00:00:00Z",
        "--before",
        "2026-11-26T00:00:00Z",
        "--dry-run",
        "--json");
    assertThat(day.exitCode()).as(day.err()).isZero();
    assertThat(day.jsonLines())
        .extracting(j -> j.get("versionId").asText() + " " + j.get("status").asText())
        .as("both statuses of the day, nothing of the days around it")
        .containsExactly("v1 REJECTED", "v2 CLASSIFIED");
    assertThat(run(
                "reprocess",
                "--status",
                "CLASSIFIED",
                "--before",
                "2026-11-25T10:30:00Z",
                "--dry-run",
                "--json")
            .jsonLines())
        .extracting(j -> j.get("key").asText())
        .containsExactly("b/old.jpg");
    assertThat(run(
                "reprocess",
                "--label",
                "Neutral",
                "--since",
                "2026-11-21T00:00:00Z",
                "--dry-run",
                "--json")
            .jsonLines())
        .extracting(j -> j.get("key").asText() + " " + j.get("versionId").asText())
        .containsExactly("a/rejected one.png v2");
    assertThat(visible(moto.queueUrl)).as("--dry-run").isZero();

    CliRun reversed =
        run("reprocess", "--since", "2026-11-26T00:00:00Z", "--before", "2026-11-25T00:00:00Z");
    assertThat(reversed.exitCode()).isEqualTo(2);
    assertThat(reversed.err())
        .contains("--since 2026-11-26T00:00:00Z is not before --before 2026-11-25T00:00:00Z");
  }

  // ---- backfill ----

  @Test
  void backfillSendsEachImageWithoutAResultOnceGoesOnAfterAnInterruptionAndSkipsWhatHasAResult()
      throws IOException {
    List<String> images = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      images.add("old/photo %02d.%s".formatted(i, i % 3 == 0 ? "JPG" : "png"));
      moto.s3.putObject(
          r -> r.bucket(moto.bucket).key(images.getLast()),
          RequestBody.fromBytes(new byte[] {(byte) 1, 2}));
    }
    moto.s3.putObject(
        r -> r.bucket(moto.bucket).key("old/notes.txt"), RequestBody.fromString("not an image"));
    moto.s3.putObject(
        r -> r.bucket(moto.bucket).key("other/outside.png"),
        RequestBody.fromString("not under the prefix"));
    // One image already classified, as if its upload had been notified.
    String eTag =
        moto.s3.headObject(r -> r.bucket(moto.bucket).key(images.get(4))).eTag().replace("\"", "");
    result(images.get(4), null, "CLASSIFIED", "Neutral", "m1", "2026-11-25T10:00:00Z", eTag);

    CliRun first = run(
        "backfill",
        "s3://" + moto.bucket + "/old/",
        "--rate",
        "500",
        "--max",
        "10",
        "--page-size",
        "7",
        "--json");

    assertThat(first.exitCode()).as(first.err()).isZero();
    JsonNode one = first.jsonLines().getFirst();
    assertThat(one.get("sent").asInt()).isEqualTo(10);
    assertThat(one.get("skipped").asInt()).as("the classified one").isEqualTo(1);
    assertThat(one.get("ignored").asInt()).as("old/notes.txt, listed first").isEqualTo(1);
    assertThat(one.get("complete").asBoolean()).isFalse();
    List<Message> sent = new ArrayList<>(drain(moto.queueUrl));
    assertThat(sent).hasSize(10);

    CliRun second =
        run("backfill", "s3://" + moto.bucket + "/old/", "--rate", "500", "--page-size", "7");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.err()).contains("resuming after old/photo ");
    assertThat(second.out())
        .startsWith("backfill s3://" + moto.bucket + "/old/: 14 listed, 14 sent, 0 skipped (already"
            + " have a result), 0 ignored (the notification does not send these keys) in ");
    sent.addAll(drain(moto.queueUrl));
    assertThat(sent)
        .extracting(m -> ObjectNotification.read(m.body()).getFirst().key())
        .as("every image once, the classified one and the text file not at all")
        .containsExactlyInAnyOrderElementsOf(
            images.stream().filter(k -> !k.equals(images.get(4))).toList());
    assertThat(sent.getFirst().body())
        .contains("\"configurationId\":\"offhours-backfill\"", "\"eTag\":\"");

    // The Classify function writes a result for each (here: the test, as no function consumes the
    // queue).
    for (Message m : sent) {
      ObjectNotification n = ObjectNotification.read(m.body()).getFirst();
      result(
          n.key(), n.versionId(), "CLASSIFIED", "Neutral", "m1", "2026-11-25T11:00:00Z", n.eTag());
    }
    CliRun again = run("backfill", "s3://" + moto.bucket + "/old", "--rate", "500", "--json");
    JsonNode summary = again.jsonLines().getFirst();
    assertThat(summary.get("sent").asInt()).isZero();
    assertThat(summary.get("skipped").asInt()).isEqualTo(25);
    assertThat(summary.get("listed").asInt()).isEqualTo(26);
    assertThat(summary.get("complete").asBoolean()).isTrue();
    assertThat(summary.get("resumedAfter").isNull()).isTrue();
    assertThat(visible(moto.queueUrl)).isZero();

    CliRun elsewhere = run("backfill", "s3://another-bucket/x");
    assertThat(elsewhere.exitCode()).isEqualTo(1);
    assertThat(elsewhere.err())
        .contains("classifies objects in " + moto.bucket + " only, not in another-bucket");
  }

  @Test
  void backfillEndedBySignalGoesOnAfterTheLastObjectItSent() throws Exception {
    // 60 objects at one a second: the signal, sent once three are in the queue, has most of a
    // minute to land before the run would end on its own (with 12 it had about 8 s).
    List<String> images = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      images.add("slow/photo %02d.png".formatted(i));
      moto.s3.putObject(
          r -> r.bucket(moto.bucket).key(images.getLast()), RequestBody.fromBytes(new byte[] {1}));
    }
    // A user's run in its own JVM, one send a second, ended as Ctrl-C ends it once it has sent
    // three.
    ProcessBuilder backfill = new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"),
            "-XX:-UsePerfData",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "backfill",
            "s3://" + moto.bucket + "/slow/",
            "--rate",
            "1")
        .redirectErrorStream(true)
        .redirectOutput(cache.resolve("backfill.log").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    backfill.environment().put("OFFHOURS_CACHE", cache.toString());
    Process first = backfill.start();
    try {
      while (visible(moto.queueUrl) < 3 && first.isAlive()) {
        Thread.sleep(50);
      }
      first.destroy(); // SIGTERM: the JVM ends as on Ctrl-C
      assertThat(first.waitFor(1, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    } finally {
      first.destroyForcibly();
    }
    assertThat(first.exitValue()).as("128 + SIGTERM, as the signal ends a JVM").isEqualTo(143);
    List<Message> sent = new ArrayList<>(drain(moto.queueUrl));
    String log = Files.readString(cache.resolve("backfill.log"));
    assertThat(sent.size()).as("sent before the signal: " + log).isBetween(3, images.size() - 1);
    java.util.regex.Matcher notice = java.util.regex.Pattern.compile(
            "offhours: backfill interrupted after (\\d+) sends in this run; run the same command"
                + " again to resume after the checkpoint \\("
                + java.util.regex.Pattern.quote(cache.resolve("backfill").toString())
                + "/[^)]+\\), or add --restart to start over\n$")
        .matcher(log);
    assertThat(notice.find()).as("the last line says how to go on: " + log).isTrue();
    assertThat(Integer.parseInt(notice.group(1)))
        .as(
            "this run's sends (one more in the queue if the signal came between a send and its count)")
        .isBetween(sent.size() - 1, sent.size());

    CliRun second = run("backfill", "s3://" + moto.bucket + "/slow/", "--rate", "500");

    assertThat(second.err()).contains("resuming after slow/photo ");
    sent.addAll(drain(moto.queueUrl));
    List<String> keys = sent.stream()
        .map(m -> ObjectNotification.read(m.body()).getFirst().key())
        .toList();
    assertThat(keys).containsAll(images);
    assertThat(keys.size() - images.size())
        .as("sent twice: at most the one the signal caught between its send and the checkpoint")
        .isLessThanOrEqualTo(1);
  }

  @Test
  void backfillOfAVersionedBucketSendsTheCurrentVersionByItsIdAndNotADeletedObject() {
    moto.s3.putBucketVersioning(
        r -> r.bucket(moto.bucket).versioningConfiguration(v -> v.status("Enabled")));
    moto.s3.putObject(
        r -> r.bucket(moto.bucket).key("v/a.png"), RequestBody.fromBytes(new byte[] {1}));
    String current = moto.s3
        .putObject(
            r -> r.bucket(moto.bucket).key("v/a.png"), RequestBody.fromBytes(new byte[] {2, 2}))
        .versionId();
    moto.s3.putObject(
        r -> r.bucket(moto.bucket).key("v/gone.png"), RequestBody.fromBytes(new byte[] {3}));
    moto.s3.deleteObject(r -> r.bucket(moto.bucket).key("v/gone.png"));

    CliRun run = run("backfill", "s3://" + moto.bucket + "/v/", "--rate", "100", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.jsonLines().getFirst().get("sent").asInt()).isEqualTo(1);
    assertThat(drain(moto.queueUrl)).singleElement().satisfies(m -> {
      ObjectNotification n = ObjectNotification.read(m.body()).getFirst();
      assertThat(n.key()).isEqualTo("v/a.png");
      assertThat(n.versionId()).isEqualTo(current);
      assertThat(n.size()).isEqualTo(2L);
    });
    result("v/a.png", current, "CLASSIFIED", "Neutral", "m1", "2026-11-25T10:00:00Z");
    assertThat(run("backfill", "s3://" + moto.bucket + "/v/", "--json")
            .jsonLines()
            .getFirst()
            .get("skipped")
            .asInt())
        .as("the version has a result")
        .isEqualTo(1);
  }

  @Test
  void
      backfillSendsAVersionTheListingDatesWithItsLastModifiedAndNamesOneItDoesNotDateInsteadOfGuessing()
          throws IOException {
    // S3 answers every listed version with its LastModified; this listing, from a stand-in for the
    // bucket's S3 (moto serves the queue and the results table), leaves one out, and gives another
    // neither an ETag nor a version id, and a third no Key.
    byte[] listing = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
          <Name>%s</Name><Prefix>old/</Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>
          <MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>
          <Version><Key>old/dated.png</Key><VersionId>null</VersionId><IsLatest>true</IsLatest>
            <LastModified>2026-01-02T03:04:05.000Z</LastModified><ETag>"aaa"</ETag><Size>3</Size>
            <StorageClass>STANDARD</StorageClass></Version>
          <Version><Key>old/undated.png</Key><VersionId>null</VersionId><IsLatest>true</IsLatest>
            <ETag>"bbb"</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Version>
          <Version><VersionId>null</VersionId><IsLatest>true</IsLatest>
            <LastModified>2026-01-02T03:04:06.000Z</LastModified><ETag>"ccc"</ETag><Size>3</Size>
            <StorageClass>STANDARD</StorageClass></Version>
          <Version><Key>old/untagged.png</Key><VersionId>null</VersionId><IsLatest>true</IsLatest>
            <LastModified>2026-01-02T03:04:06.000Z</LastModified><Size>3</Size>
            <StorageClass>STANDARD</StorageClass></Version>
        </ListVersionsResult>
        """.formatted(moto.bucket).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    com.sun.net.httpserver.HttpServer s3 = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    s3.createContext("/", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/xml");
      exchange.sendResponseHeaders(200, listing.length);
      try (var body = exchange.getResponseBody()) {
        body.write(listing);
      }
    });
    s3.start();
    try {
      StateFile state = StateFile.read(StateFile.path(cache));
      Map<String, java.net.URI> endpoints = new java.util.HashMap<>(state.endpoints());
      endpoints.put(
          "s3", java.net.URI.create("http://127.0.0.1:" + s3.getAddress().getPort()));
      TestStateFiles.state(state.pid(), endpoints, state.names()).write(StateFile.path(cache));

      CliRun run = run("backfill", "s3://" + moto.bucket + "/old/", "--rate", "500", "--json");

      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode summary = run.jsonLines().getFirst();
      assertThat(summary.get("listed").asInt()).isEqualTo(4);
      assertThat(summary.get("sent").asInt()).isEqualTo(1);
      assertThat(summary.get("malformed").asInt()).isEqualTo(3);
      assertThat(summary.get("complete").asBoolean()).isTrue();
      assertThat(run.err())
          .contains("s3://" + moto.bucket + "/old/undated.png was not sent: the listing gave its"
              + " current version no LastModified, which S3 gives every object version and its"
              + " notification carries as the upload time; once the listing gives it, send it with"
              + " 'backfill s3://" + moto.bucket + "/old/undated.png'")
          .contains("s3://" + moto.bucket + "/old/untagged.png was not sent: the listing gave its"
              + " current version neither an ETag nor a version id")
          .contains(
              "s3://" + moto.bucket + "/old/...: the listing gave a version no Key; it was not"
                  + " sent and cannot be named here");
      assertThat(drain(moto.queueUrl)).singleElement().satisfies(m -> {
        ObjectNotification n = ObjectNotification.read(m.body()).getFirst();
        assertThat(n.key()).isEqualTo("old/dated.png");
        assertThat(n.eventTime())
            .as("the upload time S3 listed, not the backfill's")
            .isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
      });
      CliRun text = run("backfill", "s3://" + moto.bucket + "/old/", "--rate", "500");
      assertThat(text.out())
          .contains("3 objects not sent: the listing left out what the notification is made of"
              + " (named above)");
    } finally {
      s3.stop(0);
    }
  }

  // ---- a deployed stack ----

  @Test
  void onADeployedStackTheCommandsFindTheirNamesInTheOutputsAndRedriveNeverFallsBackSilently()
      throws IOException {
    String stack = "ops-it-stack-" + moto.suffix;
    String template =
        """
        {"Resources": {"Placeholder": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "ops-it-cfn-%s"}}},
         "Outputs": {"BucketName": {"Value": "%s"}, "QueueUrl": {"Value": "%s"},
                     "DeadLetterQueueUrl": {"Value": "%s"}, "ResultsTableName": {"Value": "%s"}}}
        """.formatted(moto.suffix, moto.bucket, moto.queueUrl, moto.dlqUrl, moto.resultsTable);
    try (CloudFormationClient cloudFormation =
        moto.clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      cloudFormation.createStack(r -> r.stackName(stack).templateBody(template));
    }
    Files.delete(StateFile.path(cache)); // the names come from the stack, not from the local stack
    String id = toDlq("cats/a.png", "endpoint unavailable");
    moto.s3.putObject(
        r -> r.bucket(moto.bucket).key("cats/b.png"), RequestBody.fromBytes(new byte[] {1}));
    result("cats/c.png", null, "REJECTED", null, "m1", "2026-11-25T10:00:00Z");

    CliRun list = run("dlq", "list", "--stack", stack, "--json");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.jsonLines()).extracting(j -> j.get("messageId").asText()).containsExactly(id);

    CliRun all = run("dlq", "redrive", "--stack", stack);
    assertThat(all.exitCode())
        .as("SQS on AWS has StartMessageMoveTask: its failure is reported, not worked around")
        .isEqualTo(1);
    assertThat(all.err())
        .startsWith("offhours: SQS did not start the move task (StartMessageMoveTask, HTTP 500, ")
        .contains("nothing was moved");
    assertThat(visible(moto.dlqUrl)).isEqualTo(1);
    CliRun one = run("--stack", stack, "dlq", "redrive", "--id", id, "--json");
    assertThat(one.jsonLines().getFirst().get("method").asText()).isEqualTo("send-then-delete");
    CliRun empty = run("dlq", "redrive", "--stack", stack);
    assertThat(empty.exitCode())
        .as(
            "of a DLQ where SQS counts no message, no move task is started to fail: %s",
            empty.err())
        .isZero();
    assertThat(empty.err()).contains("the dead-letter queue is empty: nothing to redrive");

    CliRun queue = run("queue", "--stack", stack);
    assertThat(queue.exitCode()).as(queue.err()).isZero();
    assertThat(queue.outLines().getLast())
        .as("a deployed stack's SQS should answer ListMessageMoveTasks: its failure is shown")
        .startsWith("last move task of the dead-letter queue: unknown (ListMessageMoveTasks: ");

    CliRun reprocess = run("reprocess", "--status", "REJECTED", "--dry-run", "--stack", stack);
    assertThat(reprocess.out())
        .isEqualTo(
            "would send s3://" + moto.bucket + "/cats/c.png (eTag etag-10, REJECTED by m1)\n");
    CliRun backfill = run("backfill", "s3://" + moto.bucket + "/cats/", "--stack", stack, "--json");
    assertThat(backfill.exitCode()).as(backfill.err()).isZero();
    assertThat(backfill.jsonLines().getFirst().get("sent").asInt()).isEqualTo(1);
    assertThat(drain(moto.queueUrl))
        .extracting(m -> ObjectNotification.read(m.body()).getFirst().key())
        .containsExactlyInAnyOrder("cats/a.png", "cats/b.png");
  }

  private static List<String> concat(List<String> list, String one) {
    List<String> all = new ArrayList<>(list);
    all.add(one);
    return all;
  }
}
