package offhours.endpoint;

import java.time.Instant;
import java.util.List;
import offhours.endpoint.ControlState.Override;
import offhours.stack.Hosting;

/** The fields of a {@link ControlState}, to change a few of them: each of its withers copies, sets and builds. */
final class StateCopy {
  long version;
  Override override;
  Instant idleSince;
  Instant backlogSince;
  Instant stoppingSince;
  boolean scheduleOpen;
  Instant lastRunAt;
  boolean billing;
  int createFailures;
  Instant createNotBefore;
  String createFailure;
  String lastAction;
  List<Long> wakeSeconds;
  DrainMeter drain;
  Instant timerAt;
  Instant enabledAt;
  List<Long> stopSeconds;
  Instant stopIssuedAt;
  Instant wakeIssuedAt;
  Arrivals arrivals;
  Hosting hosting;
  ControlState.Counted counted;

  StateCopy(ControlState s) {
    version = s.version();
    override = s.override();
    idleSince = s.idleSince();
    backlogSince = s.backlogSince();
    stoppingSince = s.stoppingSince();
    scheduleOpen = s.scheduleOpen();
    lastRunAt = s.lastRunAt();
    billing = s.billing();
    createFailures = s.createFailures();
    createNotBefore = s.createNotBefore();
    createFailure = s.createFailure();
    lastAction = s.lastAction();
    wakeSeconds = s.wakeSeconds();
    drain = s.drain();
    timerAt = s.timerAt();
    enabledAt = s.enabledAt();
    stopSeconds = s.stopSeconds();
    stopIssuedAt = s.stopIssuedAt();
    wakeIssuedAt = s.wakeIssuedAt();
    arrivals = s.arrivals();
    hosting = s.hosting();
    counted = s.counted();
  }

  ControlState build() {
    return new ControlState(
        version,
        override,
        idleSince,
        backlogSince,
        stoppingSince,
        scheduleOpen,
        lastRunAt,
        billing,
        createFailures,
        createNotBefore,
        createFailure,
        lastAction,
        wakeSeconds,
        drain,
        timerAt,
        enabledAt,
        stopSeconds,
        stopIssuedAt,
        wakeIssuedAt,
        arrivals,
        hosting,
        counted);
  }
}
