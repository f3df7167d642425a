package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.endpoint.Decision.Action;
import org.junit.jupiter.api.Test;

/**
 * README's "in either case a wake threshold, off by default, starts it earlier": with the latency budget on (the
 * default), WAKE_BACKLOG_MESSAGES and WAKE_BACKLOG_AGE_MINUTES start the endpoint before the budget would, and never
 * later. Without a budget the thresholds are EndpointControllerTest's. Working hours Mon-Fri 08:00-19:00 Europe/Berlin,
 * a 60 min budget and 11 min wakes learned.
 */
class WakeThresholdsWithABudgetTest {

  /** Wednesday 21:00 in Berlin, closed: an upload now is due at Thursday's opening plus the budget, 09:00 Berlin. */
  private static final Instant WEDNESDAY_EVENING = Instant.parse("2026-01-14T20:00:00Z");

  /** A controller with a 60 min budget and {@code thresholds}, uploads waiting since 20:30 Berlin. */
  private static Rig waitingSinceHalfPastEight(Map<String, String> thresholds, long waiting) {
    var env = new HashMap<>(thresholds);
    env.put("MAX_WAIT_MINUTES", "60");
    Rig rig = new Rig(env);
    rig.now = WEDNESDAY_EVENING;
    rig.queue = new Backlog.Snapshot(waiting, 0, 0, 0);
    rig.seed(ControlStateBuilder.controlState()
        .backlogSince(WEDNESDAY_EVENING.minusSeconds(30 * 60))
        .scheduleOpen(false)
        .lastRun(WEDNESDAY_EVENING.minusSeconds(60), false)
        .lastAction("none")
        .wakeSeconds(List.of(660L, 650L, 660L))
        .build());
    return rig;
  }

  @Test
  void aBacklogThatReachesWakeBacklogMessagesStartsTheEndpointTheBudgetWouldStartTomorrow() {
    Map<String, String> hundred = Map.of("WAKE_BACKLOG_MESSAGES", "100");
    Decision below = waitingSinceHalfPastEight(hundred, 99).run();
    assertThat(below.action()).as(below.toString()).isEqualTo(Action.NONE);
    assertThat(below.wantReason())
        .as("below the threshold the budget plans the start")
        .contains(
            "the oldest of 99 waiting is due by 2026-01-15 09:00 Europe/Berlin (MAX_WAIT_MINUTES=60 min)");
    assertThat(below.nextRunAt()).isAfter(Instant.parse("2026-01-15T07:30:00Z"));

    Decision reached = waitingSinceHalfPastEight(hundred, 100).run();
    assertThat(reached.action()).as(reached.toString()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(reached.wantOn()).isTrue();
    assertThat(reached.wantReason()).isEqualTo("the backlog reaches WAKE_BACKLOG_MESSAGES=100");
  }

  @Test
  void anUploadThatReachesWakeBacklogAgeMinutesStartsTheEndpointThenNotAtTheBudgetsStart() {
    Rig rig = waitingSinceHalfPastEight(Map.of("WAKE_BACKLOG_AGE_MINUTES", "60"), 1);
    Decision before = rig.run();
    assertThat(before.action()).as(before.toString()).isEqualTo(Action.NONE);
    assertThat(before.nextRunAt())
        .as("the instant the oldest upload is 60 min old, asked of the timer")
        .isEqualTo(Instant.parse("2026-01-14T20:30:00Z"));
    assertThat(before.wantReason())
        .contains(
            "the oldest upload will be 60 min old (WAKE_BACKLOG_AGE_MINUTES) at 2026-01-14 21:30"
                + " Europe/Berlin");

    rig.now = Instant.parse("2026-01-14T20:30:00Z");
    Decision then = rig.run();
    assertThat(then.action()).as(then.toString()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(then.wantReason())
        .isEqualTo(
            "the oldest upload will be 60 min old (WAKE_BACKLOG_AGE_MINUTES) at 2026-01-14 21:30"
                + " Europe/Berlin");
  }

  @Test
  void aThresholdLaterThanTheBudgetsStartLeavesTheStartToTheBudget() {
    // Wednesday 10:00 in Berlin, inside working hours: an upload waiting since 09:40 is
    // due at 10:40, and the budget starts the endpoint at 10:28:49 (as in the first row of
    // BudgetDecisionTableTest); an age threshold of 120 min would wait until 11:40.
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60", "WAKE_BACKLOG_AGE_MINUTES", "120"));
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);
    rig.seed(ControlStateBuilder.controlState()
        .backlogSince(Instant.parse("2026-01-14T08:40:00Z"))
        .scheduleOpen(true)
        .lastRun(rig.now.minusSeconds(60), false)
        .lastAction("none")
        .wakeSeconds(List.of(660L, 650L, 660L))
        .build());
    Decision d = rig.run();
    assertThat(d.action()).as(d.toString()).isEqualTo(Action.NONE);
    assertThat(d.nextRunAt()).isEqualTo(Instant.parse("2026-01-14T09:28:49Z"));
    assertThat(d.wantReason()).doesNotContain("WAKE_BACKLOG_AGE_MINUTES");
  }
}
