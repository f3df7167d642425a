package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserZoneTest {

  private static final ZoneId GMT = ZoneId.of("GMT");
  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final String WHAT_TO_DO =
      "; set TZ to an IANA zone such as Europe/Paris or unset it to"
          + " use this machine's zone; local start and demo also take --time-zone Europe/Paris";
  private static final String PARISS = "TZ is 'Europe/Pariss', which is no time zone Java knows, so"
      + " Java would read it as GMT: the times of day this command reads or shows would be in GMT, as would"
      + " the working hours of a local stack started so" + WHAT_TO_DO;

  /** The POSIX spellings of a zero offset from UTC that UserZone takes as UTC. */
  static final List<String> ZERO_OFFSETS = List.of(
      "UTC0",
      "UTC00",
      "UTC+0",
      "UTC-0",
      "UTC+00",
      "UTC-00",
      "UTC0:00",
      "UTC+00:00",
      "UTC+00:00:00",
      "GMT00",
      "GMT+0",
      "GMT-0",
      "GMT+00",
      "GMT-00:00",
      "GMT+00:00:00",
      ":UTC0",
      ":GMT+0");

  @Test
  void aTzTheJdkFellBackToGmtForIsRefusedNamingIt() {
    // What the JDK does: TZ=Europe/Pariss java ... gives ZoneId.systemDefault() GMT.
    assertThatThrownBy(() -> UserZone.check("Europe/Pariss", GMT))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
        .hasMessage(PARISS);
    assertThatThrownBy(() -> UserZone.check(":Nowhere/Town", GMT))
        .hasMessageStartingWith("TZ is ':Nowhere/Town', which is no time zone Java knows");
    for (String tz : List.of("WET0", "Z", "+01:00", "UTC0UTC", "utc0", "UTC1")) {
      assertThatThrownBy(() -> UserZone.check(tz, GMT))
          .as(tz)
          .hasMessageStartingWith("TZ is '" + tz + "', which is no time zone Java knows");
    }
  }

  @Test
  void aPosixRuleOrOffsetTheJdkReadAsAFixedOffsetIsRefusedNamingIt() {
    // TZ=CET-1CEST gives GMT+01:00 all year (the C library's offset of the day the JVM started);
    // TZ=GMT+1 gives GMT+01:00, where POSIX and every other program read GMT-01:00.
    ZoneId plusOne = ZoneId.of("GMT+01:00");
    assertThatThrownBy(() -> UserZone.check("CET-1CEST", plusOne))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
        .hasMessage(
            "TZ is 'CET-1CEST', which Java reads as the fixed offset GMT+01:00 all year, not as"
                + " POSIX does (no summer time, and GMT+1 east of Greenwich where POSIX puts it west):"
                + " the times of day this command reads or shows would be at GMT+01:00, as would the working"
                + " hours of a local stack started so" + WHAT_TO_DO);
    assertThatThrownBy(() -> UserZone.check("GMT+1", plusOne))
        .hasMessageStartingWith("TZ is 'GMT+1', which Java reads as the fixed offset GMT+01:00");
    assertThatThrownBy(() -> UserZone.check("UTC+1", ZoneId.of("GMT-01:00")))
        .hasMessageStartingWith("TZ is 'UTC+1', which Java reads as the fixed offset GMT-01:00");
  }

  @Test
  void eachZeroOffsetPosixFormIsUtc() {
    for (String tz : ZERO_OFFSETS) {
      assertThat(UserZone.check(tz, GMT)).as(tz).isEqualTo(UTC);
    }
  }

  @Test
  void aTzThatIsAPathToAZoneFileIsTheZoneItNamesNotTheOffsetTheJdkReadFromIt() {
    ZoneId plusOne = ZoneId.of("GMT+01:00");
    assertThat(UserZone.check("/usr/share/zoneinfo/Europe/Paris", plusOne))
        .isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(UserZone.check(":/usr/share/zoneinfo/posix/Europe/Paris", plusOne))
        .isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(UserZone.check("/usr/share/zoneinfo/Asia/Tokyo", ZoneId.of("GMT+09:00")))
        .isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThatThrownBy(() -> UserZone.check("/usr/share/zoneinfo/Nowhere/Town", GMT))
        .hasMessageStartingWith(
            "TZ is '/usr/share/zoneinfo/Nowhere/Town', which is no time zone Java knows");
  }

  @Test
  void aTzThatNamesAZoneOrNoTzAtAllIsTheJdksZone() {
    assertThat(UserZone.check("GMT", GMT)).isEqualTo(GMT);
    assertThat(UserZone.check(":GMT", GMT)).isEqualTo(GMT);
    assertThat(UserZone.check(null, GMT)).isEqualTo(GMT);
    assertThat(UserZone.check("", GMT)).isEqualTo(GMT);
    for (String zone : List.of("UTC", "Etc/UTC", "GMT0", "Europe/Paris", "EST5EDT", "Etc/GMT+1")) {
      ZoneId jdk = ZoneId.of(zone);
      assertThat(UserZone.check(zone, jdk)).as(zone).isEqualTo(jdk);
    }
    assertThat(UserZone.check(":Europe/Paris", ZoneId.of("Europe/Paris")))
        .isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(UserZone.check("Europe/Pariss", ZoneId.of("Etc/UTC")))
        .as("a zone the JDK took from elsewhere (-Duser.timezone)")
        .isEqualTo(ZoneId.of("Etc/UTC"));
  }

  @Test
  void theFlagTakesAnIanaZoneAndRefusesAnyOtherNamingIt() {
    assertThat(UserZone.flag("Europe/Berlin")).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThatThrownBy(() -> UserZone.flag("Europe/Pariss\u001b[2J"))
        .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.isUsage()).isTrue())
        .hasMessage("--time-zone needs an IANA zone such as Europe/Berlin, got"
            + " 'Europe/Pariss\\x1b[2J'");
    assertThatThrownBy(() -> UserZone.flag("CET-1CEST"))
        .hasMessage("--time-zone needs an IANA zone such as Europe/Berlin, got 'CET-1CEST'");
  }

  @Test
  void theFlagRefusesAFixedOffsetAsTheTemplatesTimeZoneDoes() {
    // ZoneId.of reads each of these as an offset; GMT+1 as an hour east (IANA's Etc/GMT+1: west).
    for (String offset : List.of("GMT+1", "UTC+1", "-5", "+01:00", "Z", "UT-03:00")) {
      assertThatThrownBy(() -> UserZone.flag(offset))
          .as(offset)
          .isInstanceOfSatisfying(
              CliException.class, e -> assertThat(e.isUsage()).isTrue())
          .hasMessage("--time-zone needs an IANA zone such as Europe/Berlin, got '" + offset
              + "', a fixed offset: it has no summer time, and Java puts GMT+1 an hour east of"
              + " Greenwich where POSIX puts it west; give the zone whose clocks you mean");
    }
    for (String zone : List.of("UTC", "Etc/UTC", "Etc/GMT+1", "America/New_York")) {
      assertThat(UserZone.flag(zone)).as(zone).isEqualTo(ZoneId.of(zone));
    }
  }

  @Test
  void theClockTellsTheTimeAndRefusesOnlyWhenAskedForItsZone() {
    Clock clock = UserZone.clock(Map.of("TZ", "Europe/Pariss"), Clock.system(GMT));
    Instant before = Instant.now();

    assertThat(clock.instant()).isAfterOrEqualTo(before);
    assertThat(clock.withZone(ZoneOffset.UTC).getZone()).isEqualTo(ZoneOffset.UTC);
    assertThatThrownBy(clock::getZone).hasMessage(PARISS);
    assertThat(UserZone.clock(Map.of("TZ", "UTC0"), Clock.system(GMT)).getZone())
        .isEqualTo(UTC);
  }
}
