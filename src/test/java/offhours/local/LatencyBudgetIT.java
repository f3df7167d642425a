// Needs moto_server on the PATH (or in ~/.pyenv/shims), and node/npm for the first conversion of
// the default model into the user's offhours cache, which the stacks' own cache links to (see
// StackFixture.cache).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import offhours.results.ResultItem;
import offhours.testing.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * The latency budget against the whole local stack (moto_server, the local SageMaker with a 1 s creation, the local
 * Lambda, the real controller on its 1 s timer and a controller clock the test sets): uploads wait in SQS, the endpoint
 * starts exactly when the oldest upload would otherwise miss MAX_WAIT_MINUTES (its due time minus the expected wake up
 * to a polling trigger and the drain), every upload is classified within the budget, and once the queue is drained the
 * endpoint stops at once.
 */
class LatencyBudgetIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Test
  void uploadsWaitUntilTheOldestWouldMissItsBudgetThenTheEndpointStartsDrainsAndStops()
      throws Exception {
    Instant t0 = Instant.parse("2026-06-10T08:00:00Z"); // a Wednesday
    MutableClock clock = new MutableClock(t0);
    // 90 min: longer than two expected wakes (30 min each until there is history) plus a stop, so
    // no stay after the drain; 24/7, so the budget counts from the upload.
    Map<String, String> budget = Map.of(
        "TIME_ZONE",
        "Europe/Berlin",
        "WORKING_HOURS",
        "24/7",
        "WAKE_BACKLOG_MESSAGES",
        "0",
        "MAX_WAIT_MINUTES",
        "90");
    try (StackFixture f =
        StackFixture.start(StackFixture.options(Duration.ofSeconds(1), budget), clock)) {
      JsonNode empty =
          f.reconcile(); // the last run that saw the queue empty: the oldest upload arrives
      // after it
      assertThat(empty.get("want").asText()).as("%s", empty).isEqualTo("OFF");

      List<String> keys = f.uploadCopies("budget", 3);
      f.await("3 uploads visible in the queue", DEADLINE, () -> f.queue().visible() == 3);
      clock.set(t0.plus(Duration.ofMinutes(1)));
      JsonNode waiting = f.reconcile();
      assertThat(waiting.get("action").asText()).as("%s", waiting).isEqualTo("NONE");
      // due t0 + 90 min; starting takes 30 min (no history, the trigger's start included); 3 images
      // drain in 2 s at 2/s after the first batch's 1 s window and 5 s
      Instant wakeAt = t0.plus(Duration.ofMinutes(90 - 30)).minusSeconds(2 + 1 + 5);
      assertThat(Instant.parse(waiting.get("nextRunAt").asText()))
          .as("%s", waiting)
          .isEqualTo(wakeAt);

      clock.set(wakeAt.minusSeconds(1));
      JsonNode early = f.reconcile();
      assertThat(early.get("want").asText())
          .as("a second before the wake: %s", early)
          .isEqualTo("OFF");
      assertThat(f.endpointStatus()).isEqualTo("absent");
      assertThat(f.results()).as("results before the wake").isEmpty();
      assertThat(f.consumer().delivered())
          .as("messages received before the wake")
          .isZero();

      clock.set(wakeAt);
      Instant wokenAt = Instant.now();
      JsonNode wake = f.reconcile();
      assertThat(wake.get("action").asText())
          .as("at the wake: %s", wake)
          .isEqualTo("CREATE_ENDPOINT");
      assertThat(wake.get("wantReason").asText()).contains("MAX_WAIT_MINUTES=90 min");

      f.await("a result for each of the 3 uploads", DEADLINE, () -> f.results().size() == 3);
      Duration serving = Duration.between(wokenAt, Instant.now());
      assertThat(wakeAt.plus(serving))
          .as("the last result, on the controller's clock")
          .isBefore(t0.plus(Duration.ofMinutes(90)));
      assertThat(f.results()).extracting(ResultItem::key).containsExactlyInAnyOrderElementsOf(keys);
      assertThat(f.results())
          .allSatisfy(
              r -> assertThat(r.attempts()).as("attempts of %s", r.key()).isEqualTo(1));

      f.await(
          "the endpoint deleted and the trigger paused once drained",
          DEADLINE,
          () -> f.endpointStatus().equals("absent") && f.mappingState().equals("Disabled"));
      f.awaitLedger("the ledger's starts and stops", 1, 1, DEADLINE);
      assertThat(f.queue().total()).isZero();
    }
  }
}
