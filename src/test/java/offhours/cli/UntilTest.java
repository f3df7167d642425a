package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** {@code --until TIME}: each form, read in the stack's zone where it has none of its own, and what it refuses. */
class UntilTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId LISBON = ZoneId.of("Europe/Lisbon");

  /** 2026-11-25 15:00 in Berlin. */
  private static final Instant NOW = Instant.parse("2026-11-25T14:00:00Z");

  private static Instant at(String text, Instant now, ZoneId zone) {
    return Until.read(text).at(now, zone);
  }

  @Test
  void acceptsInstantsLocalTimesAndDurations() {
    assertThat(at("2026-11-25T18:00:00Z", NOW, BERLIN)).isEqualTo("2026-11-25T18:00:00Z");
    assertThat(at("2026-11-25T18:00+01:00", NOW, BERLIN)).isEqualTo("2026-11-25T17:00:00Z");
    assertThat(at("2026-11-25T18:00Z", NOW, BERLIN)).isEqualTo("2026-11-25T18:00:00Z");
    assertThat(at("2026-11-25t18:00:30.5z", NOW, BERLIN)).isEqualTo("2026-11-25T18:00:30.500Z");
    assertThat(at("2026-11-25T18:00", NOW, BERLIN)).isEqualTo("2026-11-25T17:00:00Z");
    assertThat(at("18:00", NOW, BERLIN)).isEqualTo("2026-11-25T17:00:00Z");
    assertThat(at("9:30", Instant.parse("2026-11-25T06:00:00Z"), BERLIN))
        .isEqualTo("2026-11-25T08:30:00Z");
    assertThat(at(" 18:00 ", NOW, BERLIN)).isEqualTo("2026-11-25T17:00:00Z");
    assertThat(at("2h", NOW, BERLIN)).isEqualTo("2026-11-25T16:00:00Z");
    assertThat(at("90m", NOW, BERLIN)).isEqualTo("2026-11-25T15:30:00Z");
    assertThat(at("1h30m", NOW, BERLIN)).isEqualTo("2026-11-25T15:30:00Z");
    assertThat(at("1d", NOW, BERLIN)).isEqualTo("2026-11-26T14:00:00Z");
  }

  @Test
  void aTimeOfDayAndADateTimeMeanTheZoneTheyAreReadInAndAnInstantOrADurationDoesNot() {
    assertThat(at("18:00", NOW, LISBON)).isEqualTo("2026-11-25T18:00:00Z");
    assertThat(at("2026-11-26T08:00", NOW, LISBON)).isEqualTo("2026-11-26T08:00:00Z");
    for (ZoneId zone : new ZoneId[] {BERLIN, LISBON, ZoneOffset.UTC}) {
      assertThat(at("2026-11-25T18:00:00Z", NOW, zone)).isEqualTo("2026-11-25T18:00:00Z");
      assertThat(at("2026-11-25T18:00+01:00", NOW, zone)).isEqualTo("2026-11-25T17:00:00Z");
      assertThat(at("2h", NOW, zone)).isEqualTo("2026-11-25T16:00:00Z");
    }
  }

  @Test
  void todayIsTheDateInTheStacksZone() {
    // 23:30 on the 4th in Lisbon is 00:30 on the 5th in Berlin: 18:00 there is that evening, not a
    // time passed.
    Instant lateInLisbon = Instant.parse("2026-12-04T23:30:00Z");
    assertThat(at("18:00", lateInLisbon, BERLIN)).isEqualTo("2026-12-05T17:00:00Z");
  }

  @Test
  void aTimePassedInTheStacksZoneSaysWhatTimeItIsThere() {
    // 17:40 in Lisbon, 18:40 in Berlin: 18:00 is still to come in the one, passed in the other.
    Instant now = Instant.parse("2026-12-04T17:40:00Z");
    assertThat(at("18:00", now, LISBON)).isEqualTo("2026-12-04T18:00:00Z");
    assertThatThrownBy(() -> at("18:00", now, BERLIN))
        .hasMessage(
            "--until 18:00 today in Europe/Berlin has already passed (it is 18:40 there now); give a date-time"
                + " such as 2026-12-05T18:00 or a duration such as 2h");
    assertThatThrownBy(() -> at("2026-12-04T18:00", now, BERLIN))
        .hasMessage(
            "--until 2026-12-04T18:00 in Europe/Berlin is not in the future (it is 2026-12-04T18:40 there now)");
    assertThatThrownBy(() -> at("2026-12-04T17:00:00Z", now, ZoneOffset.UTC))
        .hasMessage(
            "--until 2026-12-04T17:00:00Z is not in the future (it is 2026-12-04T17:40:00Z in UTC now)");
    assertThatThrownBy(() -> at("9:30", now, BERLIN))
        .hasMessageStartingWith(
            "--until 9:30 today in Europe/Berlin has already passed (it is 18:40 there now); give a"
                + " date-time such as 2026-12-05T09:30 ");
    assertThatThrownBy(() -> at("0m", now, BERLIN))
        .hasMessage(
            "--until 0m is not in the future (it is 2026-12-04T18:40:00+01:00 in Europe/Berlin now)");
  }

  @Test
  void refusesWhatNoFormReadsBeforeAnyZoneIsKnown() {
    assertThatThrownBy(() -> Until.read("tonight"))
        .hasMessageStartingWith("cannot read --until 'tonight'; use an ISO-8601 instant")
        .hasMessageContaining("a time today (18:00)")
        .hasMessageContaining("a duration (2h, 90m, 1h30m, 1d)");
    assertThatThrownBy(() -> Until.read("25:00"))
        .hasMessageStartingWith("cannot read --until '25:00'");
    assertThatThrownBy(() -> Until.read("99999999999999999999d"))
        .hasMessageStartingWith(
            "cannot read --until '99999999999999999999d'; use an ISO-8601 instant");
    assertThatThrownBy(() -> Until.read("")).hasMessageStartingWith("cannot read --until ''");
  }

  @Test
  void aDurationNoInstantHoldsIsUnreadableOnceCountedFromNow() {
    Until far = Until.read("999999999999d");
    assertThatThrownBy(() -> far.at(NOW, BERLIN))
        .hasMessageStartingWith("cannot read --until '999999999999d'");
  }
}
