// Needs moto_server on the PATH (or in ~/.pyenv/shims), and node/npm for the first conversion of
// the default model into the user's offhours cache, which the stacks' own cache links to (see
// StackFixture.cache).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import offhours.endpoint.DynamoControlTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The controller's run timer against the whole local stack (moto_server's SQS with a real DelaySeconds, the local
 * Lambda polling the timer queue for the controller, the real controller and control table): a manual stop pauses the
 * trigger and asks for a run 10 s later; nothing else runs the controller meanwhile (its scheduler ticks hourly here),
 * yet a run comes, started by the timer message for exactly that instant, and deletes the drained endpoint.
 */
class ControllerTimerIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Test
  void aStopsRecheckRunsAtTheInstantTheDecisionNamedStartedByTheTimerQueue() throws Exception {
    LocalDeployment.Options hourlyTick = new LocalDeployment.Options(
        StackFixture.cache(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(1),
        Duration.ofHours(1),
        Map.of());
    try (StackFixture f = StackFixture.start(hourlyTick)) {
      assertThat(f.override("start").get("action").asText()).isEqualTo("CREATE_ENDPOINT");
      f.await("the endpoint InService", DEADLINE, () -> f.endpointStatus().equals("InService"));
      JsonNode enabled = f.reconcile();
      assertThat(enabled.get("action").asText()).as("%s", enabled).isEqualTo("ENABLE_MAPPING");
      f.await("the trigger Enabled", DEADLINE, () -> f.mappingState().equals("Enabled"));

      JsonNode stop = f.override("stop");
      assertThat(stop.get("action").asText()).as("%s", stop).isEqualTo("DISABLE_MAPPING");
      assertThat(stop.get("startedBy").asText()).isEqualTo("manual stop");
      Instant wanted = Instant.parse(stop.get("nextRunAt").asText());
      assertThat(stop.get("timer").asText())
          .as("%s", stop)
          .startsWith("timer armed for " + wanted + " (DelaySeconds ");

      DynamoControlTable control =
          new DynamoControlTable(f.stack.dynamoDb(), f.stack.resources().controlTable());
      assertThat(control.load().orElseThrow().timerAt()).isEqualTo(wanted);
      Map<String, AttributeValue> timed =
          f.awaitValue("a run started by the timer queue", Duration.ofSeconds(120), () -> {
            Map<String, AttributeValue> item = decisionItem(f);
            AttributeValue by = item.get("startedBy");
            return by != null && by.s().startsWith("timer for") ? item : null;
          });

      assertThat(timed.get("startedBy").s()).isEqualTo("timer for " + wanted);
      assertThat(Instant.parse(timed.get("at").s()))
          .as("the run's own clock")
          .isAfterOrEqualTo(wanted);
      assertThat(timed.get("action").s()).as("%s", timed).isEqualTo("DELETE_ENDPOINT");
      f.await("the endpoint deleted", DEADLINE, () -> f.endpointStatus().equals("absent"));
    }
  }

  /** The decision the controller recorded last (pk controller, sk decision), read as the status pages read it. */
  private static Map<String, AttributeValue> decisionItem(StackFixture f) {
    return f.stack
        .dynamoDb()
        .getItem(r -> r.tableName(f.stack.resources().controlTable())
            .consistentRead(true)
            .key(Map.of(
                "pk", AttributeValue.fromS("controller"), "sk", AttributeValue.fromS("decision"))))
        .item();
  }
}
