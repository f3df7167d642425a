// Needs moto_server on the PATH (or in ~/.pyenv/shims), and node/npm for the first conversion of
// the default model into the user's offhours cache, which the stacks' own cache links to (see
// StackFixture.cache).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import offhours.classify.ObjectNotification;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The operating commands against the whole local stack (moto_server, the local SageMaker with the default model, the
 * local Lambda running the Classify function, the controller): objects that were in the bucket before the stack,
 * a result the endpoint wrongly rejected, and an upload that walked into the DLQ all end with one CLASSIFIED result
 * each through {@code offhours backfill}, {@code reprocess} and {@code dlq redrive}.
 */
class OperatingIT {

  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir
  Path cliCache;

  @Test
  void backfillReprocessAndRedriveEachEndWithOneClassificationPerObject() throws Exception {
    try (StackFixture f = StackFixture.start(
        StackFixture.options(Duration.ofSeconds(1), StackFixture.OFF_UNLESS_STARTED))) {
      LocalCli cli = new LocalCli(f.stack, cliCache);
      String bucket = f.stack.resources().bucket();
      String queueUrl = f.stack.resources().queueUrl();

      // Objects from before the stack: uploaded, their notifications removed, as if S3 had never
      // sent them.
      List<String> old = f.uploadCopies("before", 4);
      f.await("4 notifications", DEADLINE, () -> f.queue().visible() == 4);
      List<Message> notifications = drain(f, queueUrl);
      assertThat(notifications).hasSize(4);

      // One of them has a REJECTED result the endpoint caused; it must be classified by reprocess,
      // not by backfill.
      ObjectNotification wronged = notifications.stream()
          .map(m -> ObjectNotification.read(m.body()).getFirst())
          .filter(n -> n.key().equals(old.getFirst()))
          .findFirst()
          .orElseThrow();
      assertThat(f.results.put(new ResultItem(
              ResultItem.pkFor(bucket, wronged.key()),
              ResultItem.skFor(wronged.versionId(), wronged.eTag()),
              bucket,
              wronged.key(),
              wronged.versionId(),
              wronged.eTag(),
              wronged.sequencer(),
              wronged.size(),
              Verdict.REJECTED,
              "the model failed on this image 3 times (status 500)",
              List.of(),
              null,
              null,
              "offhours-model",
              "offhours-endpoint",
              wronged.eventTime(),
              Instant.now(),
              3,
              null,
              null)))
          .isTrue();

      // An upload that walked into the DLQ.
      f.upload("dlq/rocket.jpg", StackFixture.PHOTOS.get(3));
      f.await("its notification", DEADLINE, () -> f.queue().visible() == 1);
      Message walked = drain(f, queueUrl).getFirst();
      f.stack
          .sqs()
          .sendMessage(
              r -> r.queueUrl(f.stack.resources().deadLetterQueueUrl()).messageBody(walked.body()));

      assertThat(cli.out("backfill", "s3://" + bucket + "/before/", "--rate", "20"))
          .contains("4 listed, 3 sent, 1 skipped");
      assertThat(cli.out("reprocess", "--status", "REJECTED"))
          .startsWith("sent s3://" + bucket + "/" + old.getFirst());
      assertThat(cli.out("dlq", "list")).contains("dlq/rocket.jpg");
      assertThat(cli.out("dlq", "redrive"))
          .startsWith("moved 1 message back to the queue, sent before it was deleted from the DLQ"
              + " (this SQS does not offer StartMessageMoveTask");
      f.await("5 messages in the queue", DEADLINE, () -> f.queue().visible() == 5);

      f.override("start");
      f.await(
          "a classification for each of the 5 objects",
          DEADLINE,
          () ->
              f.results().stream().filter(r -> r.status() == Verdict.CLASSIFIED).count() == 5);
      f.await("an empty queue", DEADLINE, () -> f.queue().total() == 0);
      List<ResultItem> results = f.results();
      assertThat(results)
          .as("one result per object, all CLASSIFIED")
          .hasSize(5)
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(Verdict.CLASSIFIED));
      assertThat(results)
          .extracting(ResultItem::key)
          .containsExactlyInAnyOrder(
              old.get(0), old.get(1), old.get(2), old.get(3), "dlq/rocket.jpg");
      assertThat(f.queue().dlq()).isZero();

      assertThat(bucket).isEqualTo("offhours-images");
      assertThat(cli.out("backfill", "s3://offhours-images/", "--rate", "20"))
          .as("a second backfill finds everything classified")
          .contains("5 listed, 0 sent, 5 skipped");
    }
  }

  private static List<Message> drain(StackFixture f, String url) {
    List<Message> messages = f.stack
        .sqs()
        .receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
        .messages();
    messages.forEach(
        m -> f.stack.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle())));
    return messages;
  }
}
