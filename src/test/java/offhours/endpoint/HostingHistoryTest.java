package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import offhours.endpoint.Decision.Action;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;

/**
 * A stack that switched its Hosting parameter: what the control state learned of the previous hosting's endpoint (its
 * wake and stop times, its drain rates) and what it had in progress never plans or measures the new one's. The rig's
 * controller is scheduled; the state it finds was written by a scale-to-zero controller.
 */
class HostingHistoryTest {

  /**
   * What a scale-to-zero controller learned: ten 90-second wakes (copies set back), a 24-minute stop (the scale-in)
   * and a drain of 50 images a second, written by its run a minute before {@code now}.
   */
  private static ControlState learnedWith(Hosting hosting, Instant now) {
    ControlState s = ControlState.INITIAL;
    for (int i = 0; i < LearnedTimes.HISTORY; i++) {
      s = s.withWake(90);
    }
    StateCopy c = new StateCopy(s.withStop(1440)
        .withRun(now.minusSeconds(60), false, "NONE: nothing waiting")
        .withVersion(1));
    c.drain = new DrainMeter(null, 0, List.of(new DrainMeter.Rate(50.0, 1)));
    c.hosting = hosting;
    return c.build();
  }

  private static void save(Rig rig, ControlState s) {
    assertThat(rig.table.save(s, 0)).isTrue();
  }

  @Test
  void afterAScaleToZeroStackTurnsScheduledTheBudgetPlansWithTheDefaultWakeNotTheCopiesShortOnes() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    save(rig, learnedWith(Hosting.SCALE_TO_ZERO, rig.now));
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);

    Decision d = rig.run();

    assertThat(d.wantOn()).isFalse();
    assertThat(d.wantReason())
        .as("a CreateEndpoint is planned as the slow default, not as 90 s")
        .contains("starting takes about 30 min");
    ControlState after = rig.state();
    assertThat(after.hosting()).isEqualTo(Hosting.SCHEDULED);
    assertThat(after.wakeSeconds()).isEmpty();
    assertThat(after.stopSeconds()).isEmpty();
    assertThat(after.drain().rates()).isEmpty();
  }

  @Test
  void theSameHostingKeepsWhatItLearned() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    save(rig, learnedWith(Hosting.SCHEDULED, rig.now));
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);

    assertThat(rig.run().wantReason()).contains("starting takes about 90 s");
    assertThat(rig.state().wakeSeconds()).hasSize(LearnedTimes.HISTORY);
    assertThat(rig.state().stopSeconds()).containsExactly(1440L);
    assertThat(rig.state().drain().rates()).containsExactly(new DrainMeter.Rate(50.0, 1));
    ControlState s = learnedWith(Hosting.SCHEDULED, rig.now);
    assertThat(s.forHosting(Hosting.SCHEDULED)).isSameAs(s);
  }

  @Test
  void aWakeAndAStopTheOtherHostingHadInProgressEndUnmeasured() {
    Rig waking = new Rig();
    StateCopy wake = new StateCopy(ControlState.INITIAL.withVersion(1));
    wake.hosting = Hosting.SCALE_TO_ZERO;
    wake.wakeIssuedAt = waking.now.minusSeconds(600);
    wake.enabledAt = waking.now.minusSeconds(60);
    save(waking, wake.build());
    waking.inService();
    waking.mapping = Mapping.TriggerState.ENABLED;

    waking.run();

    assertThat(waking.state().wakeSeconds())
        .as("copies set back then, a CreateEndpoint's history now: not one of its wakes")
        .isEmpty();
    assertThat(waking.state().enabledAt()).isNull();
    assertThat(waking.state().wakeIssuedAt()).isNull();

    Rig stopped = new Rig();
    StateCopy stop = new StateCopy(ControlState.INITIAL.withVersion(1));
    stop.hosting = Hosting.SCALE_TO_ZERO;
    stop.stopIssuedAt = stopped.now.minusSeconds(300);
    save(stopped, stop.build());
    stopped.runAt("2026-01-14T20:00:00Z");

    assertThat(stopped.state().stopSeconds()).isEmpty();
    assertThat(stopped.state().stopIssuedAt()).isNull();
  }

  @Test
  void theOtherHostingsCreateBackoffDoesNotHoldBackThisOnesFirstCreate() {
    Rig rig = new Rig();
    StateCopy failed = new StateCopy(ControlState.INITIAL.withVersion(1));
    failed.hosting = Hosting.SCALE_TO_ZERO;
    failed.createFailures = 3;
    failed.createNotBefore = rig.now.plusSeconds(1800);
    save(rig, failed.build());
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);

    Decision d = rig.run();

    assertThat(d.action()).as(d.toString()).isEqualTo(Action.CREATE_ENDPOINT);
    assertThat(rig.state().createFailures()).isZero();
  }

  @Test
  void aStateWrittenBeforeTheHostingWasRecordedDropsItsHistory() {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", "60"));
    save(rig, learnedWith(null, rig.now));
    rig.queue = new Backlog.Snapshot(1, 0, 0, 0);

    assertThat(rig.run().wantReason())
        .as("it may be the history of the hosting the upgrade switched from")
        .contains("starting takes about 30 min");
    assertThat(rig.state().hosting()).isEqualTo(Hosting.SCHEDULED);
  }
}
