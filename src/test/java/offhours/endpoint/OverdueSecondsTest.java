package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import offhours.stack.StackSpec;
import org.junit.jupiter.api.Test;

/**
 * The controller's OverdueSeconds metric, which UploadsOverdueAlarm watches: how long the oldest waiting upload is past
 * the time MAX_WAIT_MINUTES makes it due, counted from the last run that saw the queue empty. Working hours Mon-Fri
 * 08:00-19:00 Europe/Berlin (UTC+1 in January).
 */
class OverdueSecondsTest {

  private static final Backlog.Snapshot WAITING = new Backlog.Snapshot(3, 0, 0, 0);

  private static double overdue(Rig rig) {
    return EndpointControllerTest.metric(rig.metrics.getLast(), StackSpec.METRICS.overdueSeconds());
  }

  /** Runs at {@code instant} with {@code queue} and returns the run's OverdueSeconds. */
  private static double at(Rig rig, String instant, Backlog.Snapshot queue) {
    rig.queue = queue;
    rig.runAt(instant);
    return overdue(rig);
  }

  @Test
  void anEmptyQueueIsNeverOverdue() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    assertThat(at(rig, "2026-01-14T09:00:00Z", Backlog.Snapshot.EMPTY)).isZero();
    assertThat(at(rig, "2026-01-20T09:00:00Z", new Backlog.Snapshot(0, 4, 0, 0)))
        .as("in flight only: nothing waits")
        .isZero();
  }

  @Test
  void insideWorkingHoursTheOldestIsDueTheBudgetAfterTheLastRunThatSawTheQueueEmpty() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    at(rig, "2026-01-14T09:00:00Z", Backlog.Snapshot.EMPTY); // Wednesday 10:00
    // No run in between: the upload may have come right after 10:00, so it is due by 11:00.
    assertThat(at(rig, "2026-01-14T09:30:00Z", WAITING)).isZero();
    assertThat(at(rig, "2026-01-14T10:00:00Z", WAITING)).as("at its due time").isZero();
    assertThat(at(rig, "2026-01-14T10:05:00Z", WAITING)).isEqualTo(300.0);
    assertThat(rig.state().backlogSince()).hasToString("2026-01-14T09:00:00Z");
    assertThat(at(rig, "2026-01-14T10:06:00Z", Backlog.Snapshot.EMPTY))
        .as("drained")
        .isZero();
  }

  @Test
  void aHandedBackUploadKeepsItsPlaceThoughSqsCountsItsAgeFromTheCopy() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    at(rig, "2026-01-14T09:00:00Z", Backlog.Snapshot.EMPTY);
    at(rig, "2026-01-14T09:01:00Z", WAITING);
    // Classify defers each one again and again (throttling): only delayed copies, never empty.
    for (int minute = 2; minute < 60; minute++) {
      at(rig, String.format("2026-01-14T09:%02d:00Z", minute), new Backlog.Snapshot(0, 0, 3, 0));
    }
    assertThat(at(rig, "2026-01-14T10:30:00Z", new Backlog.Snapshot(0, 1, 2, 0)))
        .isEqualTo(1800.0);
  }

  @Test
  void aWeekendUploadIsDueTheBudgetAfterMondaysOpeningNotTwoDaysAfterItCame() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    at(rig, "2026-01-16T18:30:00Z", Backlog.Snapshot.EMPTY); // Friday 19:30
    at(rig, "2026-01-16T18:31:00Z", WAITING);
    assertThat(at(rig, "2026-01-19T07:59:00Z", WAITING))
        .as("Monday 08:59, 61 hours after the upload: inside its budget")
        .isZero();
    assertThat(at(rig, "2026-01-19T08:10:00Z", WAITING)).isEqualTo(600.0);
  }

  @Test
  void withNextOpeningTheOldestIsDueAtTheNextOpening() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "next-opening"));
    at(rig, "2026-01-16T18:30:00Z", Backlog.Snapshot.EMPTY); // Friday 19:30
    at(rig, "2026-01-16T18:31:00Z", WAITING);
    assertThat(at(rig, "2026-01-19T07:00:00Z", WAITING)).as("Monday 08:00").isZero();
    assertThat(at(rig, "2026-01-19T07:20:00Z", WAITING)).isEqualTo(1200.0);
  }

  @Test
  void withoutABudgetNothingIsDue() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "0"));
    at(rig, "2026-01-14T09:00:00Z", Backlog.Snapshot.EMPTY);
    at(rig, "2026-01-14T09:01:00Z", WAITING);
    assertThat(at(rig, "2026-01-20T09:00:00Z", WAITING)).isZero();
  }

  @Test
  void aServerlessUploadIsDueTheBudgetAfterItCameWhateverTheWorkingHours() {
    Rig rig = new Rig(Map.of("HOSTING", "serverless", "MAX_WAIT_MINUTES", "60"));
    at(rig, "2026-01-17T01:00:00Z", Backlog.Snapshot.EMPTY); // Saturday 02:00
    at(rig, "2026-01-17T01:01:00Z", WAITING);
    assertThat(at(rig, "2026-01-17T02:00:00Z", WAITING)).isZero();
    assertThat(at(rig, "2026-01-17T02:01:00Z", WAITING)).isEqualTo(60.0);
  }

  @Test
  void aServerlessStackWithNextOpeningHasNoDueTime() {
    Rig rig = new Rig(Map.of("HOSTING", "serverless", "MAX_WAIT_MINUTES", "next-opening"));
    at(rig, "2026-01-17T01:00:00Z", Backlog.Snapshot.EMPTY);
    at(rig, "2026-01-17T01:01:00Z", WAITING);
    assertThat(at(rig, "2026-01-20T09:00:00Z", WAITING)).isZero();
  }

  @Test
  void theMetricIsDeclaredInSeconds() throws Exception {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    at(rig, "2026-01-14T09:00:00Z", Backlog.Snapshot.EMPTY);
    assertThat(at(rig, "2026-01-14T10:05:00Z", WAITING))
        .as("late: a metric only in runs where it is not 0")
        .isEqualTo(300.0);
    JsonNode declared =
        new ObjectMapper().readTree(rig.metrics.getLast()).get("_aws").get("CloudWatchMetrics");
    assertThat(declared.get(0).get("Metrics").findValues("Name").stream()
            .filter(n -> n.asText().equals(StackSpec.METRICS.overdueSeconds()))
            .count())
        .isEqualTo(1);
    for (JsonNode metric : declared.get(0).get("Metrics")) {
      assertThat(metric.get("Unit").asText())
          .as(metric.get("Name").asText())
          .isEqualTo(
              metric.get("Name").asText().equals(StackSpec.METRICS.overdueSeconds())
                  ? "Seconds"
                  : "Count");
    }
  }
}
