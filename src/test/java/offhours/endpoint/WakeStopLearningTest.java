package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import offhours.endpoint.Decision.Action;
import org.junit.jupiter.api.Test;

/**
 * What the controller learns of its own wakes and stops, and how it plans with them: a wake from the CreateEndpoint
 * (or copy-count change) to the first run that sees the trigger polling, a stop from the delete that succeeded to the
 * first run that sees the endpoint gone; the expected wake is the 90th percentile of the last ten, the expected stop
 * their mean. The settings of {@link BudgetDecisionTableTest} unless a test says otherwise.
 */
class WakeStopLearningTest {

  /**
   * A rig whose controller issued CreateEndpoint 12 minutes ago for 5 uploads waiting since 50 minutes ago (60 minute
   * budget, the 30 minute default wake), now in service. Its CreationTime is an hour old, as a scale-to-zero
   * component's is (created once, woken many times): the wake is measured from the run that issued it, not from that.
   */
  private static Rig wokenTwelveMinutesAgo() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    Instant now = rig.now;
    rig.queue = new Backlog.Snapshot(5, 0, 0, 0);
    rig.now = now.minus(Duration.ofMinutes(50));
    assertThat(rig.run().wantOn()).isFalse();
    rig.now = now.minus(Duration.ofMinutes(12));
    assertThat(rig.run().action()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.state().wakeIssuedAt()).isEqualTo(rig.now);
    rig.now = now;
    rig.endpoint =
        Endpoint.Status.of(Endpoint.State.IN_SERVICE, null, now.minus(Duration.ofHours(1)), now);
    return rig;
  }

  @Test
  void aWakeIsRememberedFromCreateEndpointToTheFirstRunThatSeesTheTriggerPolling() {
    Rig rig = wokenTwelveMinutesAgo();

    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.state().wakeSeconds()).as("the trigger is not polling yet").isEmpty();
    assertThat(rig.state().enabledAt()).isEqualTo(rig.now);

    rig.now = rig.now.plusSeconds(30); // still Enabling
    rig.run();
    assertThat(rig.state().wakeSeconds()).isEmpty();

    rig.now = rig.now.plusSeconds(30);
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.run();
    assertThat(rig.state().wakeSeconds()).containsExactly(780L); // 12 min + 1 min to polling
    assertThat(rig.state().enabledAt()).isNull();
    assertThat(rig.state().wakeIssuedAt()).isNull();
    assertThat(LearnedTimes.expectedWake(rig.state().wakeSeconds()))
        .isEqualTo(Duration.ofMinutes(13));

    rig.now = rig.now.plusSeconds(30);
    rig.run();
    assertThat(rig.state().wakeSeconds()).as("measured once").containsExactly(780L);
  }

  @Test
  void aWakeIsMeasuredEvenWhenAnOverlappingRunWinsTheWriteOfTheEnablingRunsResult() {
    Rig rig = wokenTwelveMinutesAgo();
    Instant enabled = rig.now;
    rig.onEnable = () -> { // a tick while the enabling run is still finishing
      Decision overlapping = rig.controller.reconcile(enabled.plusSeconds(2));
      assertThat(overlapping.action()).isEqualTo(Action.WAIT);
    };

    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);
    assertThat(rig.state().enabledAt())
        .as("handed on to the state the overlapping run wrote")
        .isEqualTo(enabled);

    rig.now = rig.now.plusSeconds(60);
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.run();
    assertThat(rig.state().wakeSeconds()).containsExactly(780L);
  }

  @Test
  void aTriggerPausedBeforeItWasSeenPollingEndsTheWakeUnmeasured() {
    Rig rig = wokenTwelveMinutesAgo();
    assertThat(rig.run().action()).isEqualTo(Action.ENABLE_MAPPING);

    rig.now = rig.now.plusSeconds(30);
    rig.mapping = Mapping.TriggerState.DISABLED; // paused by hand, say, and nothing waits any more
    rig.queue = Backlog.Snapshot.EMPTY;
    assertThat(rig.run().action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(rig.state().enabledAt()).isNull();
    assertThat(rig.state().wakeIssuedAt()).isNull();
    assertThat(rig.state().wakeSeconds()).isEmpty();
  }

  @Test
  void aStopIsRememberedFromTheDeleteToTheFirstRunThatSeesTheEndpointGone() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    Instant deleted = rig.now;

    Decision stop = rig.run();
    assertThat(stop.action()).as(stop.toString()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(rig.state().stopIssuedAt()).isEqualTo(deleted);
    assertThat(stop.nextRunAt())
        .as("a tenth of the 2 min default stop")
        .isEqualTo(deleted.plusSeconds(12));

    rig.now = deleted.plusSeconds(12); // still Deleting: looked at again as soon
    rig.mapping = Mapping.TriggerState.DISABLED;
    Decision deleting = rig.run();
    assertThat(deleting.action()).isEqualTo(Action.WAIT);
    assertThat(deleting.nextRunAt()).isEqualTo(rig.now.plusSeconds(12));
    assertThat(rig.state().stopSeconds()).isEmpty();

    rig.now = deleted.plusSeconds(156);
    rig.endpoint = Endpoint.Status.ABSENT;
    Decision gone = rig.run();
    assertThat(rig.state().stopSeconds()).containsExactly(156L);
    assertThat(rig.state().stopIssuedAt()).isNull();
    assertThat(gone.nextRunAt()).as("nothing in progress").isNull();
    assertThat(LearnedTimes.expectedStop(rig.state().stopSeconds()))
        .isEqualTo(Duration.ofSeconds(156));

    rig.now = rig.now.plusSeconds(60);
    rig.run();
    assertThat(rig.state().stopSeconds()).as("measured once").containsExactly(156L);
  }

  @Test
  void aStopThatEndsInAnythingButGoneIsUnmeasuredAndAFailedEndpointsDeletionIsNoStop() {
    for (Endpoint.State after : List.of(Endpoint.State.FAILED, Endpoint.State.CREATING)) {
      Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
      rig.inService();
      rig.mapping = Mapping.TriggerState.ENABLED;
      assertThat(rig.run().action()).isEqualTo(Action.DELETE_ENDPOINT);

      // The deletion failed, or the endpoint was created again by hand before a run saw it gone.
      rig.now = rig.now.plusSeconds(60);
      rig.mapping = Mapping.TriggerState.DISABLED;
      rig.endpoint = Endpoint.Status.of(after, "by hand", rig.now, rig.now);
      rig.run();
      assertThat(rig.state().stopIssuedAt()).as("%s", after).isNull();
      assertThat(rig.state().stopSeconds()).as("%s", after).isEmpty();
    }

    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    rig.endpoint = Endpoint.Status.of(Endpoint.State.FAILED, "capacity", rig.now, rig.now);
    assertThat(rig.run().action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(rig.state().stopIssuedAt()).isNull();
  }

  @Test
  void aStopIsMeasuredFromTheDeleteCallThatSucceeded() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    rig.inService();
    rig.mapping = Mapping.TriggerState.DISABLED;
    rig.deleteError = new IllegalStateException("ThrottlingException: Rate exceeded");
    Decision refused = rig.run();
    assertThat(refused.action()).isEqualTo(Action.DELETE_ENDPOINT);
    assertThat(refused.outcome()).startsWith("DELETE_ENDPOINT failed, retry next run");

    rig.deleteError = null;
    rig.now =
        rig.now.plusSeconds(60); // still serving: the claimed stop is dropped, this run's counts
    Instant deleted = rig.now;
    assertThat(rig.run().outcome()).isEqualTo("ok");
    assertThat(rig.state().stopIssuedAt()).isEqualTo(deleted);

    rig.now = deleted.plusSeconds(100);
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.run();
    assertThat(rig.state().stopSeconds()).containsExactly(100L);
  }

  @Test
  void aLearnedFiveMinuteStopKeepsTheEndpointOnWhereTheTwoMinuteDefaultStopsIt() {
    // A 12 min budget and 11 min wakes, drained 3 min ago: the default stays 11 + 2 - 12 = 1 min
    // (over now), five-minute stops stay 11 + 5 - 12 = 4 min.
    Decision byDefault = drainedThreeMinutesAgo(List.of());
    assertThat(byDefault.action()).isEqualTo(Action.DELETE_ENDPOINT);

    Decision learned = drainedThreeMinutesAgo(List.of(290L, 300L, 310L));
    assertThat(learned.action()).as(learned.toString()).isEqualTo(Action.NONE);
    assertThat(learned.wantOn()).isTrue();
    assertThat(learned.nextRunAt()).isEqualTo(Instant.parse("2026-01-14T09:01:00Z"));
    assertThat(learned.wantReason())
        .contains("costs less than a stop (about 5 min) and a wake (about 11 min;");
  }

  private static Decision drainedThreeMinutesAgo(List<Long> stops) {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "12"));
    rig.inService();
    rig.mapping = Mapping.TriggerState.ENABLED;
    ControlState s = ControlStateBuilder.controlState()
        .idleSince(Instant.parse("2026-01-14T08:57:00Z"))
        .scheduleOpen(true)
        .lastRun(rig.now.minusSeconds(60), true)
        .lastAction("none")
        .wakeSeconds(BudgetDecisionTableTest.ELEVEN_MINUTE_WAKES)
        .build();
    for (long stop : stops) {
      s = s.withStop(stop);
    }
    rig.seed(s);
    return rig.run();
  }

  @Test
  void theExpectedStopIsTheMeanOfTheLastTenStopsAndADeletingEndpointIsLookedAtAfterATenthOfIt() {
    ControlState s = ControlState.INITIAL;
    for (long stop = 100; stop <= 1500; stop += 100) {
      s = s.withStop(stop); // 15 stops: the first five are forgotten
    }
    assertThat(s.stopSeconds()).hasSize(LearnedTimes.HISTORY).startsWith(600L).endsWith(1500L);
    assertThat(LearnedTimes.expectedStop(s.stopSeconds())).isEqualTo(Duration.ofSeconds(1050));
    assertThat(LearnedTimes.expectedStop(List.of(100L, 101L))).isEqualTo(Duration.ofSeconds(101));
    assertThat(LearnedTimes.expectedStop(List.of())).isEqualTo(LearnedTimes.DEFAULT_STOP);

    assertThat(NextRun.deleteRecheck(s.stopSeconds())).isEqualTo(Duration.ofSeconds(105));
    assertThat(NextRun.deleteRecheck(List.of(60L))).isEqualTo(NextRun.STOP_RECHECK);
  }

  @Test
  void theExpectedWakeIsTheNinetiethPercentileOfTheLastTenWakes() {
    ControlState s = ControlState.INITIAL;
    for (long w = 100; w <= 1500; w += 100) {
      s = s.withWake(w); // 15 wakes: the first five are forgotten
    }
    assertThat(s.wakeSeconds()).hasSize(LearnedTimes.HISTORY).startsWith(600L).endsWith(1500L);
    assertThat(LearnedTimes.expectedWake(s.wakeSeconds())).isEqualTo(Duration.ofSeconds(1400));
    assertThat(LearnedTimes.expectedWake(List.of())).isEqualTo(LearnedTimes.DEFAULT_WAKE);
  }
}
