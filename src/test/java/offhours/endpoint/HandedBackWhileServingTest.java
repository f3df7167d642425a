package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one rule and the words that say uploads are handed back while the endpoint serves, wherever they are shown. */
class HandedBackWhileServingTest {

  private static final Instant RUN = Instant.parse("2026-11-25T09:39:40Z");

  @Test
  void delayedUploadsBesideAServingEndpointAndAnEnabledTriggerAreTheSign() {
    assertThat(HandedBackWhileServing.of("InService", "Enabled", 3))
        .contains(new HandedBackWhileServing(3));
    assertThat(
            HandedBackWhileServing.of(Endpoint.State.IN_SERVICE, Mapping.TriggerState.ENABLED, 1))
        .as("the controller's states, as it records them")
        .contains(new HandedBackWhileServing(1));
  }

  @Test
  void noOtherStateNorCountIsTheSign() {
    assertThat(HandedBackWhileServing.of("Creating", "Enabled", 3)).isEmpty();
    assertThat(HandedBackWhileServing.of("Updating", "Enabled", 3)).isEmpty();
    assertThat(HandedBackWhileServing.of(null, "Disabled", 3))
        .as("absent: off hours")
        .isEmpty();
    assertThat(HandedBackWhileServing.of("InService", "Disabled", 3)).isEmpty();
    assertThat(HandedBackWhileServing.of("InService", "Enabling", 3)).isEmpty();
    assertThat(HandedBackWhileServing.of("InService", null, 3)).isEmpty();
    assertThat(HandedBackWhileServing.of("InService", "Enabled", 0)).isEmpty();
    assertThat(HandedBackWhileServing.of("InService", "Enabled", -1))
        .as("no queue")
        .isEmpty();
    assertThat(HandedBackWhileServing.of("IN_SERVICE", "ENABLED", 3))
        .as("the enum's names are not AWS's words")
        .isEmpty();
    assertThat(HandedBackWhileServing.of((Endpoint.State) null, null, 3)).isEmpty();
    assertThatThrownBy(() -> new HandedBackWhileServing(0))
        .hasMessage("uploads are handed back only when some are delayed, got 0");
  }

  @Test
  void theLineSaysTheCountsThatItIsAnInferenceAndWhereToReadWhy() {
    HandedBackWhileServing sign = new HandedBackWhileServing(3);

    assertThat(sign.line("", false))
        .isEqualTo("handed back while the endpoint serves: 3 uploads delayed with the endpoint"
            + " InService and the Classify trigger Enabled: invocations are probably failing, and"
            + " each upload goes round until MaxDeferrals, then toward the DLQ (inferred from the"
            + " counts: a busy endpoint's throttles are handed back too, and a copy waits"
            + " DeferSeconds, so one may date from a moment of outage). Why: the Classify"
            + " function's log group (Logs Insights: filter outcome = 'DEFERRED'), each DEFERRED"
            + " line's records[].detail; 'offhours dlq show ID' for one that reached the DLQ"
            + " (offhours-deferral-reason)");
    assertThat(new HandedBackWhileServing(1).line("", true))
        .startsWith(HandedBackWhileServing.TOLD + "1 upload delayed")
        .contains("(" + HandedBackWhileServing.CAVEAT + "). Why: the Classify function's log,"
            + " local/logs/stack.log under the cache directory")
        .doesNotContain("Logs Insights");
    assertThat(sign.line("", false)).startsWith(sign.told("") + " (inferred from the counts:");
  }

  @Test
  void statesSeenAtTheControllersRunSayHowOldTheyAre() {
    HandedBackWhileServing sign = new HandedBackWhileServing(2);
    ZoneId berlin = ZoneId.of("Europe/Berlin");

    assertThat(
            sign.says(HandedBackWhileServing.atTheControllersRun(RUN, RUN.plusSeconds(20), berlin)))
        .isEqualTo("2 uploads delayed with the endpoint InService and the Classify trigger"
            + " Enabled when the controller last looked (its run at 2026-11-25 10:39"
            + " Europe/Berlin, 20 s before the queue was read; they may have changed since):"
            + " invocations are probably failing, and each upload goes round until MaxDeferrals,"
            + " then toward the DLQ");
    assertThat(HandedBackWhileServing.atTheControllersRun(RUN, RUN.plusSeconds(600), berlin))
        .contains(", 10 min before the queue was read;");
    assertThat(HandedBackWhileServing.atTheControllersRun(RUN, RUN.plusSeconds(3 * 3600), berlin))
        .as("a controller that stopped running: the age says so")
        .contains(", 3 h before the queue was read;");
    assertThat(HandedBackWhileServing.atTheControllersRun(RUN, RUN.minusSeconds(1), berlin))
        .as("a run recorded after the queue was read")
        .contains(", 0 s before the queue was read;");
  }

  @Test
  void aRunWhoseStepPausedTheTriggerOrDeletedTheEndpointLeftThemNoLongerServing() {
    assertThat(HandedBackWhileServing.of(decision(Decision.Action.NONE), 4))
        .contains(new HandedBackWhileServing(4));
    assertThat(HandedBackWhileServing.of(decision(Decision.Action.WAIT), 4)).isPresent();
    assertThat(HandedBackWhileServing.of(decision(Decision.Action.DISABLE_MAPPING), 4))
        .isEmpty();
    assertThat(HandedBackWhileServing.of(decision(Decision.Action.DELETE_ENDPOINT), 4))
        .isEmpty();
    assertThat(
            HandedBackWhileServing.of(Decision.outOfTime(RUN, new IllegalStateException("cut")), 4))
        .as("a run that read nothing knows no state")
        .isEqualTo(Optional.empty());
  }

  private static Decision decision(Decision.Action action) {
    return new Decision(
        RUN,
        true,
        "inside working hours",
        Endpoint.Status.of(Endpoint.State.IN_SERVICE, null, RUN.minusSeconds(900), null),
        Mapping.TriggerState.ENABLED,
        new Backlog.Snapshot(0, 0, 4, 0),
        action,
        "serving",
        "ok",
        false,
        null);
  }
}
