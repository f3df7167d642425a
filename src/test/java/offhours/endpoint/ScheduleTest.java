package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Schedule office() {
    return Schedule.parse("Mon-Fri 08:00-19:00", BERLIN, Set.of());
  }

  @Test
  void opensAtEightLocalWhichIsSevenUtcInWinterAndSixUtcInSummer() {
    // Wednesday 2026-01-14 (CET, +01:00) and Wednesday 2026-07-15 (CEST, +02:00)
    assertThat(office().isOpen(Instant.parse("2026-01-14T06:59:59Z"))).isFalse();
    assertThat(office().isOpen(Instant.parse("2026-01-14T07:00:00Z"))).isTrue();
    assertThat(office().isOpen(Instant.parse("2026-01-14T17:59:59Z"))).isTrue();
    assertThat(office().isOpen(Instant.parse("2026-01-14T18:00:00Z"))).isFalse();
    assertThat(office().isOpen(Instant.parse("2026-07-15T05:59:59Z"))).isFalse();
    assertThat(office().isOpen(Instant.parse("2026-07-15T06:00:00Z"))).isTrue();
    assertThat(office().nextChange(Instant.parse("2026-07-15T03:00:00Z")))
        .contains(Instant.parse("2026-07-15T06:00:00Z"));
    assertThat(office().nextChange(Instant.parse("2026-07-15T06:00:00Z")))
        .contains(Instant.parse("2026-07-15T17:00:00Z"));
  }

  @Test
  void acrossTheSpringChangeFridayClosesAtEighteenUtcAndMondayOpensAtSixUtc() {
    // DST starts Sunday 2026-03-29 02:00 CET -> 03:00 CEST.
    assertThat(office().nextChange(Instant.parse("2026-03-27T12:00:00Z")))
        .contains(Instant.parse("2026-03-27T18:00:00Z"));
    assertThat(office().nextChange(Instant.parse("2026-03-27T18:00:00Z")))
        .contains(Instant.parse("2026-03-30T06:00:00Z"));
  }

  @Test
  void acrossTheAutumnChangeFridayClosesAtSeventeenUtcAndMondayOpensAtSevenUtc() {
    // DST ends Sunday 2026-10-25 03:00 CEST -> 02:00 CET.
    assertThat(office().nextChange(Instant.parse("2026-10-23T12:00:00Z")))
        .contains(Instant.parse("2026-10-23T17:00:00Z"));
    assertThat(office().nextChange(Instant.parse("2026-10-23T17:00:00Z")))
        .contains(Instant.parse("2026-10-26T07:00:00Z"));
  }

  @Test
  void aWindowStartingInTheSkippedSpringHourOpensWhenTheClocksJump() {
    Schedule s = Schedule.parse("Sun 02:30-05:00", BERLIN, Set.of());
    // 03:00 CEST = 01:00Z; 05:00 CEST = 03:00Z
    assertThat(s.nextChange(Instant.parse("2026-03-28T12:00:00Z")))
        .contains(Instant.parse("2026-03-29T01:00:00Z"));
    assertThat(s.isOpen(Instant.parse("2026-03-29T00:59:59Z"))).isFalse();
    assertThat(s.isOpen(Instant.parse("2026-03-29T01:00:00Z"))).isTrue();
    assertThat(s.nextChange(Instant.parse("2026-03-29T01:00:00Z")))
        .contains(Instant.parse("2026-03-29T03:00:00Z"));
  }

  @Test
  void theRepeatedAutumnHourIsNotCountedTwice() {
    Schedule s = Schedule.parse("Sun 02:00-02:30", BERLIN, Set.of());
    // First 02:00 is CEST (00:00Z), first 02:30 is 00:30Z; the second 02:00-02:30 (CET,
    // 01:00Z-01:30Z) is not open.
    assertThat(s.isOpen(Instant.parse("2026-10-25T00:15:00Z"))).isTrue();
    assertThat(s.isOpen(Instant.parse("2026-10-25T01:15:00Z"))).isFalse();
    assertThat(s.nextChange(Instant.parse("2026-10-25T00:15:00Z")))
        .contains(Instant.parse("2026-10-25T00:30:00Z"));
    assertThat(s.nextChange(Instant.parse("2026-10-25T00:30:00Z")))
        .contains(Instant.parse("2026-11-01T01:00:00Z"));
  }

  @Test
  void aNightWindowRunsPastMidnightAndTwentyFourClosesAtMidnight() {
    Schedule night = Schedule.parse("Fri 22:00-02:00", ZoneId.of("UTC"), Set.of());
    assertThat(night.isOpen(Instant.parse("2026-01-17T01:00:00Z"))).isTrue(); // Saturday 01:00
    assertThat(night.isOpen(Instant.parse("2026-01-17T02:00:00Z"))).isFalse();
    Schedule late = Schedule.parse("Mon 18:00-24:00", ZoneId.of("UTC"), Set.of());
    assertThat(late.nextChange(Instant.parse("2026-01-12T19:00:00Z")))
        .contains(Instant.parse("2026-01-13T00:00:00Z"));
  }

  @Test
  void listsOfDaysAndSeveralWindows() {
    Schedule s = Schedule.parse("Mon,Wed 09:00-12:00; Sat 10:00-14:00", ZoneId.of("UTC"), Set.of());
    assertThat(s.isOpen(Instant.parse("2026-01-12T10:00:00Z"))).isTrue(); // Mon
    assertThat(s.isOpen(Instant.parse("2026-01-13T10:00:00Z"))).isFalse(); // Tue
    assertThat(s.isOpen(Instant.parse("2026-01-14T11:59:00Z"))).isTrue(); // Wed
    assertThat(s.isOpen(Instant.parse("2026-01-17T13:00:00Z"))).isTrue(); // Sat
    assertThat(s.nextChange(Instant.parse("2026-01-14T12:00:00Z")))
        .contains(Instant.parse("2026-01-17T10:00:00Z"));
  }

  @Test
  void adjacentWindowsDoNotMakeAChange() {
    Schedule s = Schedule.parse("Mon 08:00-12:00; Mon 12:00-19:00", ZoneId.of("UTC"), Set.of());
    assertThat(s.nextChange(Instant.parse("2026-01-12T09:00:00Z")))
        .contains(Instant.parse("2026-01-12T19:00:00Z"));
  }

  @Test
  void alwaysAndNever() {
    Schedule always = Schedule.parse("24/7", BERLIN, Set.of());
    Schedule never = Schedule.parse("", BERLIN, Set.of());
    Instant t = Instant.parse("2026-03-29T01:30:00Z");
    assertThat(always.isOpen(t)).isTrue();
    assertThat(always.nextChange(t)).isEmpty();
    assertThat(never.isOpen(t)).isFalse();
    assertThat(never.nextChange(t)).isEmpty();
    assertThat(never.nextOpening(t)).isEmpty();
  }

  @Test
  void aHolidayCancelsTheDaysWindow() {
    Schedule s = Schedule.parse(
        "Mon-Fri 08:00-19:00", BERLIN, Schedule.parseHolidays("2026-12-24, 2026-12-25"));
    assertThat(s.isOpen(Instant.parse("2026-12-24T10:00:00Z"))).isFalse();
    assertThat(s.isOpen(Instant.parse("2026-12-23T10:00:00Z"))).isTrue();
    // Thursday 24th and Friday 25th are holidays: the next opening is Monday 28th 08:00 CET.
    assertThat(s.nextChange(Instant.parse("2026-12-23T18:00:00Z")))
        .contains(Instant.parse("2026-12-28T07:00:00Z"));
  }

  @Test
  void aScheduleAskedAgainAndAgainAnswersAsAFreshOneDoes() {
    // The schedule remembers its last change found; forwards, backwards and across DST changes
    // (Santiago's come at
    // midnight, Berlin's skip 02:00-03:00), overnight windows and a run of holidays longer than a
    // week, it must
    // answer every question as a schedule that never answered one.
    String[][] cases = {
      {"Mon-Fri 08:00-19:00", "Europe/Berlin", "2026-03-30,2026-03-31"},
      {"Fri 22:00-02:00; Sat 10:00-14:00; Sun 23:30-24:00", "America/Santiago", ""},
      {"Mon,Wed 02:30-03:30; Sun 01:00-02:45", "Europe/Berlin", ""},
      {"Tue 09:00-10:00", "Asia/Kolkata", "2026-03-24,2026-03-31,2026-04-07,2026-04-14,2026-04-21"},
      {"24/7", "Pacific/Chatham", "2026-04-05"},
    };
    for (String[] c : cases) {
      ZoneId zone = ZoneId.of(c[1]);
      Set<java.time.LocalDate> holidays = Schedule.parseHolidays(c[2]);
      Schedule reused = Schedule.parse(c[0], zone, holidays);
      Instant from = Instant.parse("2026-03-20T00:00:00Z");
      for (int step = 0; step < 6 * 7 * 24 * 60 / 37; step++) {
        // Forwards by 37 minutes, now and then a jump back of up to a day and a half.
        Instant t = from.plusSeconds(37L * 60 * step - (step % 17 == 0 ? (step % 5) * 33_000L : 0));
        Schedule fresh = Schedule.parse(c[0], zone, holidays);
        if (step % 2 == 0) {
          assertThat(reused.nextChange(t))
              .as("%s, nextChange(%s)", c[0], t)
              .isEqualTo(fresh.nextChange(t));
        }
        assertThat(reused.isOpen(t)).as("%s, isOpen(%s)", c[0], t).isEqualTo(fresh.isOpen(t));
      }
    }
  }

  @Test
  void malformedSchedulesSayWhatIsWrong() {
    assertThatThrownBy(() -> Schedule.parse("Mon-Fri 8-19", BERLIN, Set.of()))
        .hasMessageStartingWith("WORKING_HOURS 'Mon-Fri 8-19': '8' is not a time HH:MM");
    assertThatThrownBy(() -> Schedule.parse("Mo-Fr 08:00-19:00", BERLIN, Set.of()))
        .hasMessageStartingWith(
            "WORKING_HOURS 'Mo-Fr 08:00-19:00': 'Mo' is not a day; use Mon Tue Wed Thu Fri Sat Sun");
    assertThatThrownBy(() -> Schedule.parse("Mon-Fri", BERLIN, Set.of()))
        .hasMessageStartingWith("WORKING_HOURS 'Mon-Fri': 'Mon-Fri' is not 'DAYS HH:MM-HH:MM'");
    assertThatThrownBy(() -> Schedule.parse("Mon 09:00-09:00", BERLIN, Set.of()))
        .hasMessageStartingWith(
            "WORKING_HOURS 'Mon 09:00-09:00': '09:00-09:00' opens and closes at the same time");
    assertThatThrownBy(() -> Schedule.parse("Mon 25:00-26:00", BERLIN, Set.of()))
        .hasMessageStartingWith(
            "WORKING_HOURS 'Mon 25:00-26:00': '25:00' is not a valid time of day");
    assertThatThrownBy(() -> Schedule.parseHolidays("2026-12-24,24.12.2026"))
        .hasMessage(
            "HOLIDAYS '2026-12-24,24.12.2026': '24.12.2026' is not an ISO date like 2026-12-24");
  }
}
