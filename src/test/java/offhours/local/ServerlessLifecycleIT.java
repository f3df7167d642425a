// Needs moto_server on the PATH (or in ~/.pyenv/shims) and python3 (the slow model container).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import offhours.results.ResultItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Hosting serverless against the whole local stack (moto_server, the local SageMaker hosting a serverless endpoint
 * with a cold start and a concurrency of 2, the local Lambda, the real controller on a 1 s timer): uploads made while
 * the stack creates the endpoint wait in the queue; once it serves, the controller enables the trigger behind a test
 * invocation and never creates nor deletes anything; the consumer sends more requests at once than the endpoint takes,
 * so throttled images are deferred (never a verdict, never the DLQ) and every upload is classified exactly once; the
 * ledger holds the invocation time x memory, which {@code offhours cost} prices; {@code offhours endpoint status}
 * shows the endpoint's memory and concurrency and that the stack owns it.
 */
class ServerlessLifecycleIT {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @Test
  void uploadsWaitWhileTheEndpointIsCreatedThenThrottlingDefersAndEachIsClassifiedOnce(
      @TempDir Path dir) throws Exception {
    LocalDeployment.Options options = StackFixture.slowModel(
            dir, 0.05, Duration.ofSeconds(15), Map.of())
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
      // invocations.
      String lastLine = cli.out("cost", "--days", "1", "--json")
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
    }
  }
}
