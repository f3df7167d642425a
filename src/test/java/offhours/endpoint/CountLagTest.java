package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import offhours.endpoint.Decision.Action;
import org.junit.jupiter.api.Test;

/**
 * SQS's approximate counts may leave out an upload for about a minute
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html): a run right
 * after an upload can read a false zero. With a latency budget a drained endpoint stops in the run that reads zero, so
 * the false zero stops it while the upload waits. Nothing is lost (the trigger is paused, the message stays in SQS), and
 * the wake that follows must still answer the upload within its budget. Working hours Mon-Fri 08:00-19:00
 * Europe/Berlin, a learned wake of 10 minutes.
 */
class CountLagTest {

  @Test
  void aStopOnAFalseZeroWakesAgainInTimeForTheUploadItMissed() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    rig.table.save(ControlState.INITIAL.withWake(600).withVersion(1), 0);
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    assertThat(rig.runAt("2026-01-14T09:00:00Z").wantOn())
        .as("serving what waits")
        .isTrue();

    Instant upload = Instant.parse("2026-01-14T09:00:25Z");
    // The five are done; three new uploads came at 09:00:25, and SQS does not count them yet.
    rig.queue = Backlog.Snapshot.EMPTY;
    Decision stop = rig.runAt("2026-01-14T09:00:30Z");
    assertThat(stop.action()).as(stop.toString()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(rig.calls).containsSubsequence("disable", "delete");

    // The next run sees them: they waited in SQS with the trigger paused.
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.mapping = Mapping.TriggerState.DISABLED;
    rig.queue = new Backlog.Snapshot(3, 0, 0, 0);
    Decision seen = rig.runAt("2026-01-14T09:01:30Z");
    assertThat(seen.action()).as(seen.toString()).isEqualTo(Action.NONE);
    assertThat(rig.state().backlogSince())
        .as("the oldest upload's arrival is never taken as later than it was")
        .isBeforeOrEqualTo(upload);
    Instant wake = seen.nextRunAt();
    assertThat(wake.plus(Duration.ofMinutes(10)))
        .as("a wake started then answers within the upload's 60 minutes")
        .isBeforeOrEqualTo(upload.plus(Duration.ofMinutes(60)));

    assertThat(rig.runAt(wake.toString()).action()).isEqualTo(Action.CREATE_ENDPOINT);
  }
}
