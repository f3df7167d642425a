package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import offhours.endpoint.Decision.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The controller with a latency budget (MAX_WAIT_MINUTES), one row per situation. Unless a row says otherwise: working
 * hours Mon-Fri 08:00-19:00 Europe/Berlin, budget 60 min, the last wakes took 11 min (CreateEndpoint to a polling
 * trigger), a drain of 2 images/s and a stop of 2 min (none measured yet), and the controller last ran a minute before.
 */
class BudgetDecisionTableTest {

  /** The last wakes of the settings above: 11 minutes at their 90th percentile. */
  static final List<Long> ELEVEN_MINUTE_WAKES = List.of(660L, 650L, 660L);

  /** A situation: what the controller remembers and sees at {@code now}, and the step and wish it must come to. */
  record Row(
      String situation,
      String budget,
      String now,
      Endpoint.State endpoint,
      Mapping.TriggerState mapping,
      long waiting,
      long inFlight,
      String backlogSince,
      String idleSince,
      List<Long> wakes,
      Action action,
      boolean wantOn,
      String nextRunAt) {
    @Override
    public String toString() {
      return situation;
    }
  }

  static Stream<Row> table() {
    Endpoint.State absent = Endpoint.State.ABSENT;
    Endpoint.State up = Endpoint.State.IN_SERVICE;
    Mapping.TriggerState off = Mapping.TriggerState.DISABLED;
    Mapping.TriggerState on = Mapping.TriggerState.ENABLED;
    // 09:00Z is Wednesday 10:00 in Berlin.
    return Stream.of(
        new Row(
            "an upload 20 min old waits: due 09:40, starting takes 11 min, the first batch 10 s (a 5 s"
                + " batching window and 5 s) and its drain 1 s",
            "60",
            "2026-01-14T09:00:00Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:40:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            false,
            "2026-01-14T09:28:49Z"),
        new Row(
            "one second before the last moment it still waits",
            "60",
            "2026-01-14T09:28:48Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:40:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            false,
            "2026-01-14T09:28:49Z"),
        new Row(
            "at the last moment it starts",
            "60",
            "2026-01-14T09:28:49Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:40:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.CREATE_ENDPOINT,
            true,
            null),
        new Row(
            "1200 waiting drain in 10 min at 2/s: it starts 10 min earlier",
            "60",
            "2026-01-14T09:19:00Z",
            absent,
            off,
            1200,
            0,
            "2026-01-14T08:40:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.CREATE_ENDPOINT,
            true,
            null),
        new Row(
            "without wake history it expects 30 min: the same upload starts at 09:09:49",
            "60",
            "2026-01-14T09:09:49Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:40:00Z",
            null,
            List.of(),
            Action.CREATE_ENDPOINT,
            true,
            null),
        new Row(
            "outside hours an upload is due 60 min after the next opening (Thursday 09:00 Berlin)",
            "60",
            "2026-01-14T20:00:00Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T19:30:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            false,
            "2026-01-15T07:48:49Z"),
        new Row(
            "next-opening: an upload during working hours is due at the next day's opening",
            "next-opening",
            "2026-01-14T09:00:00Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:40:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            false,
            "2026-01-15T06:48:49Z"),
        new Row(
            "no budget (0): inside working hours an upload starts the endpoint at once",
            "0",
            "2026-01-14T09:00:00Z",
            absent,
            off,
            1,
            0,
            "2026-01-14T08:59:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.CREATE_ENDPOINT,
            true,
            null),
        new Row(
            "serving what waits: nothing to do, looked at again in 10 s",
            "60",
            "2026-01-14T09:00:00Z",
            up,
            on,
            40,
            10,
            "2026-01-14T08:20:00Z",
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            true,
            "2026-01-14T09:00:10Z"),
        new Row(
            "drained with a 60 min budget: it stops at once, trigger paused and endpoint deleted in one run (a wake"
                + " costs less than staying); looked at again after a tenth of the 2 min stop, to see it gone",
            "60",
            "2026-01-14T09:00:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-14T09:00:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.DELETE_ENDPOINT,
            false,
            "2026-01-14T09:00:12Z"),
        new Row(
            "drained with a 15 min budget and 11 min wakes: it stops at once (a stop and a wake, 13 min, cost"
                + " less than the 15 min an upload's budget adds to a stay)",
            "15",
            "2026-01-14T09:00:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-14T09:00:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.DELETE_ENDPOINT,
            false,
            "2026-01-14T09:00:12Z"),
        new Row(
            "drained 30 s ago with a 12 min budget and 11 min wakes: it stays 11 + 2 - 12 = 1 min",
            "12",
            "2026-01-14T09:00:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-14T08:59:30Z",
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            true,
            "2026-01-14T09:00:30Z"),
        new Row(
            "drained 1 min ago with a 12 min budget: it stops",
            "12",
            "2026-01-14T09:00:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-14T08:59:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.DELETE_ENDPOINT,
            false,
            "2026-01-14T09:00:12Z"),
        new Row(
            "the last batches are in flight with the trigger on: it serves on, looked at again in 10 s",
            "60",
            "2026-01-14T09:00:00Z",
            up,
            on,
            0,
            2,
            null,
            null,
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            true,
            "2026-01-14T09:00:10Z"),
        new Row(
            "stopping: the trigger is off and nothing is in flight, so the endpoint is deleted; looked at again in"
                + " 12 s",
            "60",
            "2026-01-14T09:00:00Z",
            up,
            off,
            0,
            0,
            null,
            "2026-01-14T08:59:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.DELETE_ENDPOINT,
            false,
            "2026-01-14T09:00:12Z"),
        new Row(
            "stopping: batches in flight are drained first, looked at again in 10 s",
            "60",
            "2026-01-14T09:00:00Z",
            up,
            off,
            0,
            3,
            null,
            null,
            ELEVEN_MINUTE_WAKES,
            Action.WAIT,
            false,
            "2026-01-14T09:00:10Z"),
        new Row(
            "next-opening: drained 10 min before the opening, it stays until the opening (an upload then is due"
                + " at it)",
            "next-opening",
            "2026-01-15T06:50:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-15T06:50:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.NONE,
            true,
            "2026-01-15T07:00:00Z"),
        new Row(
            "next-opening: drained 20 min before the opening, farther than a wake and a stop (13 min), it stops",
            "next-opening",
            "2026-01-15T06:40:00Z",
            up,
            on,
            0,
            0,
            null,
            "2026-01-15T06:40:00Z",
            ELEVEN_MINUTE_WAKES,
            Action.DELETE_ENDPOINT,
            false,
            "2026-01-15T06:40:12Z"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void theControllerDecidesByTheBudget(Row row) {
    Rig rig = new Rig(Map.of("MAX_WAIT_MINUTES", row.budget()));
    rig.now = Instant.parse(row.now());
    rig.endpoint = row.endpoint() == Endpoint.State.ABSENT
        ? Endpoint.Status.ABSENT
        : Endpoint.Status.of(
            row.endpoint(), null, rig.now.minusSeconds(3600), rig.now.minusSeconds(3000));
    rig.mapping = row.mapping();
    rig.queue = new Backlog.Snapshot(row.waiting(), row.inFlight(), 0, 0);
    Instant lastRun = rig.now.minusSeconds(60);
    // A trigger off under a serving endpoint: the rows' stops, which paused it the run before. (A
    // pause that is no stop of the controller's: TriggerPausedByAStackUpdateTest.)
    boolean stopping = row.endpoint() == Endpoint.State.IN_SERVICE
        && row.mapping() == Mapping.TriggerState.DISABLED;
    rig.seed(ControlStateBuilder.controlState()
        .stoppingSince(stopping ? lastRun : null)
        .idleSince(instant(row.idleSince()))
        .backlogSince(instant(row.backlogSince()))
        .scheduleOpen(rig.controller.config().schedule().isOpen(lastRun))
        .lastRun(lastRun, row.endpoint() != Endpoint.State.ABSENT)
        .lastAction("none")
        .wakeSeconds(row.wakes())
        .build());

    Decision d = rig.run();
    if (d.action() == Action.DELETE_ENDPOINT && row.mapping() == Mapping.TriggerState.ENABLED) {
      assertThat(rig.calls)
          .as("the trigger is paused before the endpoint goes")
          .containsExactly("disable", "delete");
    }

    assertThat(d.action()).as(d.toString()).isEqualTo(row.action());
    assertThat(d.wantOn()).as(d.wantReason()).isEqualTo(row.wantOn());
    assertThat(d.nextRunAt()).as(d.wantReason()).isEqualTo(instant(row.nextRunAt()));
  }

  @Test
  void theBudgetIsParsedWithClearErrors() {
    // The default is the caller's (the controller's is FunctionVariables'), never a blank's.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WaitBudget.parse("--max-wait", " "))
        .hasMessageStartingWith("--max-wait ' ' is not a number of minutes");
    assertThat(WaitBudget.parse("MAX_WAIT_MINUTES", "60")).isEqualTo(WaitBudget.minutes(60));
    assertThat(WaitBudget.parse("MAX_WAIT_MINUTES", "0").off()).isTrue();
    assertThat(WaitBudget.parse("MAX_WAIT_MINUTES", "next-opening").nextOpening())
        .isTrue();
    Map<String, String> env = new HashMap<>(Rig.ENV);
    env.put("MAX_WAIT_MINUTES", "an hour");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env))
        .hasMessage(
            "MAX_WAIT_MINUTES 'an hour' is not a number of minutes 0..20160 (0: no budget, serve at once"
                + " inside working hours) or next-opening");
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }
}
