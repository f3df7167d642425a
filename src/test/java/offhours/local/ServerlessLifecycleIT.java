// Needs moto_server on the PATH (or in ~/.pyenv/shims) and python3 (the slow model container).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients.Service;
import offhours.classify.ClassifyConfig;
import offhours.classify.ClassifyHandler;
import offhours.results.ResultItem;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * Hosting serverless against the whole local stack (moto_server, the local SageMaker hosting a serverless endpoint
 * with a cold start and a concurrency of 2, the local Lambda, the real controller on a 1 s timer): uploads made while
 * the stack creates the endpoint wait in the queue; once it serves, the controller enables the trigger behind a test
 * invocation and never creates nor deletes anything; the consumer sends more requests at once than the endpoint takes,
 * so throttled images are deferred (never a verdict, never the DLQ) and every upload is classified exactly once; the
 * ledger holds the invocation time x memory, which {@code offhours cost} prices; {@code offhours endpoint status}
 * shows the endpoint's memory and concurrency and that the stack owns it; and a Classify of another hosting (6 MB) that
 * meets this endpoint, as after a switch, defers a 5 MB image it refuses as oversize, without a verdict.
 */
class ServerlessLifecycleIT {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @Test
  void uploadsWaitWhileTheEndpointIsCreatedThenThrottlingDefersAndEachIsClassifiedOnce(
      @TempDir Path dir) throws Exception {
    // The stack's endpoint is still creating when the 30 uploads are in the queue, however long
    // they take: its creating delay is far longer than the test, which ends it once it has seen
    // the uploads wait (a delay of 40 s was waited out whole; a shorter one was a race).
    LocalDeployment.Options options = StackFixture.slowModel(
            dir, 0.05, Duration.ofMinutes(30), Map.of())
        .withModelSettings(Map.of("HOSTING", "serverless", "SERVERLESS_MAX_CONCURRENCY", "2"));
    try (StackFixture f = StackFixture.start(options)) {
      int n = 30;
      List<String> keys = f.uploadCopies("serverless", n);
      f.await(n + " notifications visible", DEADLINE, () -> f.queue().visible() == n);

      JsonNode creating = f.reconcile();
      assertThat(creating.get("endpoint").asText())
          .as("the stack's endpoint right after start: %s", creating)
          .isEqualTo("CREATING");
      assertThat(creating.get("want").asText()).isEqualTo("ON");
      assertThat(creating.get("action").asText()).as("%s", creating).isEqualTo("NONE");
      assertThat(f.mappingState()).isEqualTo("Disabled");
      assertThat(f.results()).as("results while the stack creates the endpoint").isEmpty();
      assertThat(
              f.stack.services().sageMaker().finishCreatingNow(f.stack.names().endpoint()))
          .as("the stack's endpoint, held Creating until now")
          .isTrue();

      f.await(
          "a result for each of the " + n + " uploads",
          DEADLINE,
          () -> f.results().size() >= n);
      f.await("an empty queue", DEADLINE, () -> f.queue().total() == 0);

      List<ResultItem> results = f.results();
      assertThat(results).extracting(ResultItem::key).containsExactlyInAnyOrderElementsOf(keys);
      assertThat(results)
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(ResultItem.Verdict.CLASSIFIED));
      assertThat(results)
          .as("uploads deferred because the endpoint throttled (attempts = receives + deferrals)")
          .anySatisfy(r -> assertThat(r.attempts()).isGreaterThan(1));
      f.assertNoDeadLetterNorFailure("after the drain");

      JsonNode serving = f.reconcile();
      assertThat(serving.get("endpoint").asText()).isEqualTo("IN_SERVICE");
      assertThat(serving.get("mapping").asText()).isEqualTo("ENABLED");
      assertThat(serving.get("action").asText()).as("%s", serving).isEqualTo("NONE");
      assertThat(serving.get("why").asText()).isEqualTo("serving (serverless)");
      assertThat(serving.get("runningOutsideSchedule").asBoolean()).isFalse();

      LocalCli cli = new LocalCli(f.stack, dir.resolve("cli"));
      assertThat(cli.out("endpoint", "status"))
          .contains(
              "hosting: serverless (the stack owns the endpoint; the controller never creates nor"
                  + " deletes it)\n",
              ": 2048 MB memory, max concurrency 2 (answers on demand");
      JsonNode status = cli.json("endpoint", "status", "--json");
      assertThat(status.get("hosting").asText()).isEqualTo("serverless");
      assertThat(status.get("serverless").get("memorySizeInMB").asInt()).isEqualTo(2048);
      assertThat(status.get("serverless").get("maxConcurrency").asInt()).isEqualTo(2);
      assertThat(status.get("serverless").get("ownedByStack").asBoolean()).isTrue();
      assertThat(status.get("inferenceComponent").isNull()).isTrue();

      long invocations = 0;
      long mbMillis = 0;
      for (var item : f.stack
          .dynamoDb()
          .query(q -> q.tableName(f.stack.resources().controlTable())
              .keyConditionExpression("pk = :pk")
              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("ledger"))))
          .items()) {
        invocations += item.containsKey("invocations")
            ? Long.parseLong(item.get("invocations").n())
            : 0;
        mbMillis += item.containsKey("invocationMbMillis")
            ? Long.parseLong(item.get("invocationMbMillis").n())
            : 0;
        assertThat(item.get("endpointSeconds"))
            .as("endpoint time in the ledger of a serverless endpoint")
            .isNull();
      }
      assertThat(invocations).as("invocations in the ledger").isGreaterThanOrEqualTo(n);
      assertThat(mbMillis).as("MB x ms in the ledger").isGreaterThanOrEqualTo(2048L * n);

      // cost prices the local serverless stack (its hosting from the state file) by those
      // invocations. They were all recorded during this test, today or, when it ran across
      // midnight, yesterday: two days hold every one of the items summed above.
      String lastLine = cli.out("cost", "--days", "2", "--json")
          .strip()
          .lines()
          .reduce((x, y) -> y)
          .orElseThrow();
      JsonNode total = StackFixture.json(lastLine);
      assertThat(total.get("hosting").asText()).isEqualTo("serverless");
      assertThat(total.get("endpointHours").asDouble()).isZero();
      assertThat(total.get("serverlessInvocations").asLong()).isEqualTo(invocations);
      assertThat(total.get("serverlessGbSeconds").asDouble())
          .isEqualTo(Math.round(mbMillis / 1024.0 / 1000.0 * 1000) / 1000.0);
      assertThat(total.get("costUsd").asDouble()).isPositive();

      aClassifyOfAnotherHostingDefersAnImageTheServerlessEndpointRefusesAsOversize(f);
    }
  }

  /**
   * The minutes after a switch to another hosting: that hosting's Classify takes 6 MB (MAX_IMAGE_BYTES), while the
   * endpoint under the stack's name is still this serverless one, which refuses more than 4 MB over the wire as
   * SageMaker does (ValidationError 400 "Request ... has oversize body."). The image gets no verdict and waits, and the
   * deferral is counted apart from MAX_DEFERRALS. The object's key has no image suffix, so the stack's own trigger
   * never sees it; the deferred copy goes to a queue of this test's.
   */
  private static void aClassifyOfAnotherHostingDefersAnImageTheServerlessEndpointRefusesAsOversize(
      StackFixture f) throws Exception {
    LocalDeployment stack = f.stack;
    String bucket = stack.resources().bucket();
    String key = "switch/large.jpg.bin";
    byte[] large = Arrays.copyOf(
        Files.readAllBytes(StackFixture.DEMO_IMAGES.resolve("rocket.jpg")), 5 * 1024 * 1024);
    String eTag = stack
        .s3()
        .putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(large))
        .eTag()
        .replace("\"", "");
    String copies = stack.sqs().createQueue(r -> r.queueName("switch-copies")).queueUrl();
    Map<String, String> env = new HashMap<>(FunctionEnvironments.classify(
        stack.names(), stack.resources(), "", LocalDeployment.Options.defaults(Path.of("unused"))));
    env.put("LABELS", String.join(",", stack.labels()));
    env.put("QUEUE_URL", copies);
    ClassifyConfig config = ClassifyConfig.fromEnv(env);
    assertThat(config.maxImageBytes()).as("another hosting's limit").isEqualTo(6_291_456L);
    String notification = "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\","
        + "\"eventTime\":\"2026-12-03T10:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\","
        + "\"s3\":{\"bucket\":{\"name\":\"" + bucket + "\"},\"object\":{\"key\":\"" + key
        + "\",\"size\":" + large.length + ",\"eTag\":\"" + eTag + "\",\"sequencer\":\"00AB\"}}}]}";
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId("switch-1");
    message.setBody(notification);
    message.setAttributes(new HashMap<>(Map.of("ApproximateReceiveCount", "1")));
    message.setMessageAttributes(Map.of());
    message.setEventSourceArn("arn:aws:sqs:us-east-1:123456789012:offhours-queue");
    SQSEvent event = new SQSEvent();
    event.setRecords(List.of(message));

    try (SageMakerRuntimeClient runtime =
        stack.clients().build(Service.SAGEMAKER_RUNTIME, ClassifyHandler.runtimeClient(config))) {
      SQSBatchResponse response = LambdaSqsJson.invoke(
          new ClassifyHandler(
              stack.s3(), stack.sqs(), stack.dynamoDb(), runtime, config, Clock.systemUTC()),
          event);
      assertThat(response.getBatchItemFailures()).as("no receive spent").isEmpty();
    }
    assertThat(f.results())
        .as("no verdict for the image the serverless endpoint refused")
        .noneSatisfy(r -> assertThat(r.key()).isEqualTo(key));
    var copy = stack
        .sqs()
        .receiveMessage(r -> r.queueUrl(copies).waitTimeSeconds(20).messageAttributeNames("All"))
        .messages();
    assertThat(copy).as("the deferred copy").singleElement().satisfies(m -> {
      assertThat(m.body()).isEqualTo(notification);
      assertThat(m.messageAttributes().get("offhours-oversize").stringValue()).isEqualTo("1");
      assertThat(m.messageAttributes()).doesNotContainKey("offhours-deferrals");
      assertThat(m.messageAttributes().get("offhours-deferral-reason").stringValue())
          .as("in offhours' words, not SageMaker's \"Request ... has oversize body.\"")
          .startsWith("the endpoint refused the image as over its payload limit, though it is"
              + " within the stack's (MAX_IMAGE_BYTES)")
          .doesNotContain("has oversize body");
    });
  }
}
