// Needs moto_server on the PATH (or in ~/.pyenv/shims) and python3 (the slow model container).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import offhours.stack.StackSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The retry pause against the whole local stack (moto_server, the local SageMaker, the local Lambda polling the queue,
 * the real controller): an upload the endpoint keeps failing on after its last deferral is reported failed on each
 * receive, and Classify hides it for its retry pause (RETRY_SECONDS 1 here, half local mode's 2: 1, 2, 4, 8, 8 s)
 * with ChangeMessageVisibilityBatch, so it reaches the DLQ after MaxReceiveCount (5) receives within minutes, where the
 * queue's visibility timeout (1020 s, as on AWS) would hide it 17 minutes after each: the local Lambda leaves a message
 * whose visibility Classify changed as Lambda does, and moto_server honours the change.
 */
class RetryPaceIT {

  /** Well under one visibility timeout, where five of them would pass without the pause. */
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  @Test
  void anUploadPastMaxDeferralsReachesTheDlqAfterItsRetryPausesNotItsVisibilityTimeouts(
      @TempDir Path dir) throws Exception {
    LocalDeployment.Options options = StackFixture.slowModel(
            dir, 0.05, Duration.ofSeconds(1), StackFixture.OFF_UNLESS_STARTED)
        .withModelSettings(Map.of("RETRY_SECONDS", "1"));
    try (StackFixture f = StackFixture.start(options)) {
      String queueUrl = f.stack.resources().queueUrl();
      assertThat(f.stack
              .sqs()
              .getQueueAttributes(
                  r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
              .attributes()
              .get(QueueAttributeName.VISIBILITY_TIMEOUT))
          .as("the local queue's visibility timeout, the stack's")
          .isEqualTo(Integer.toString(StackSpec.QUEUE.visibilityTimeoutSeconds()));
      f.override("start");
      f.await("the trigger enabled", DEADLINE, () -> f.mappingState().equals("Enabled"));

      // From now on the endpoint answers 503 (ServiceUnavailable): unavailable, so the upload
      // would be deferred, but its copy was deferred as often as MAX_DEFERRALS allows.
      f.stack
          .services()
          .sageMaker()
          .failNextInvocations(1_000, 503, "ServiceUnavailable", "injected by RetryPaceIT");
      // No image suffix: the bucket's notification ignores it, the copy below is its only message.
      String key = "retry/spent.png.bin";
      f.upload(key, StackFixture.DEMO_IMAGES.resolve("chelsea.png"));
      var head =
          f.stack.s3().headObject(r -> r.bucket(f.stack.resources().bucket()).key(key));
      String body = "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\","
          + "\"eventTime\":\"2026-12-05T03:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\","
          + "\"s3\":{\"bucket\":{\"name\":\"" + f.stack.resources().bucket()
          + "\"},\"object\":{\"key\":\"" + key + "\",\"size\":" + head.contentLength()
          + ",\"eTag\":\"" + head.eTag().replace("\"", "") + "\",\"sequencer\":\"00AB\"}}}]}";
      f.stack
          .sqs()
          .sendMessage(r -> r.queueUrl(queueUrl)
              .messageBody(body)
              .messageAttributes(Map.of(
                  "offhours-deferrals",
                  MessageAttributeValue.builder()
                      .dataType("Number")
                      .stringValue("50")
                      .build())));

      f.await(
          "the upload in the DLQ after 5 receives and their retry pauses (1 + 2 + 4 + 8 + 8 s),"
              + " not 5 visibility timeouts (85 minutes)",
          DEADLINE,
          () -> f.queue().dlq() == 1);

      assertThat(f.consumer().failed())
          .as("batch item failures: one per receive, MaxReceiveCount of them")
          .isEqualTo(StackSpec.QUEUE.maxReceiveCount());
      assertThat(f.results())
          .as("no verdict for an upload the endpoint failed on")
          .isEmpty();
      Message dead = f.stack
          .sqs()
          .receiveMessage(r -> r.queueUrl(f.stack.resources().deadLetterQueueUrl())
              .waitTimeSeconds(5)
              .messageAttributeNames("All"))
          .messages()
          .getFirst();
      assertThat(dead.body()).isEqualTo(body);
      assertThat(dead.messageAttributes().get("offhours-deferrals").stringValue())
          .isEqualTo("50");
    }
  }
}
