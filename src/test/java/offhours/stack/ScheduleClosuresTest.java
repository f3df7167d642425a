package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import offhours.endpoint.Schedule;
import org.junit.jupiter.api.Test;

/**
 * QueueAgeAlarm watches SQS's age of the oldest upload, which cannot tell a closed schedule from a fault: it fires in
 * every closure longer than OldestMessageAlarmSeconds. The closures README and template.yaml quote, measured with the
 * controller's own {@link Schedule} on the template's default WorkingHours and TimeZone, and the default threshold
 * against them.
 */
class ScheduleClosuresTest {

  private final Map<String, Object> template;
  private final String readme;

  ScheduleClosuresTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    readme = Files.readString(Path.of("README.md"));
  }

  private Map<String, Object> parameter(String name) {
    return StackResolver.map(StackResolver.map(template.get("Parameters")).get(name));
  }

  /** The default schedule with {@code holidays}. */
  private Schedule schedule(Set<LocalDate> holidays) {
    return Schedule.parse(
        String.valueOf(parameter("WorkingHours").get("Default")),
        ZoneId.of(String.valueOf(parameter("TimeZone").get("Default"))),
        holidays);
  }

  /** The longest closure that begins between {@code from} (an open instant) and {@code until}, in elapsed time. */
  private static Duration longestClosure(Schedule schedule, Instant from, Instant until) {
    assertThat(schedule.isOpen(from))
        .as("the search starts inside working hours")
        .isTrue();
    Duration longest = Duration.ZERO;
    Instant closes = schedule.nextChange(from).orElseThrow();
    while (closes.isBefore(until)) {
      Instant opens = schedule.nextChange(closes).orElseThrow();
      Duration closure = Duration.between(closes, opens);
      longest = closure.compareTo(longest) > 0 ? closure : longest;
      closes = schedule.nextChange(opens).orElseThrow();
    }
    return longest;
  }

  private Duration longestClosureOfTheWeekFrom(LocalDate wednesday, Set<LocalDate> holidays) {
    Schedule schedule = schedule(holidays);
    Instant from = wednesday.atTime(12, 0).atZone(schedule.zone()).toInstant();
    return longestClosure(schedule, from, from.plus(Duration.ofDays(7)));
  }

  @Test
  void theClosuresTheDocsQuoteAreWhatTheDefaultScheduleDoes() {
    Duration weekend = longestClosureOfTheWeekFrom(LocalDate.of(2026, 6, 10), Set.of());
    // May Day 2026 is a Friday: Thursday's close to Monday's opening.
    Duration longWeekend =
        longestClosureOfTheWeekFrom(LocalDate.of(2026, 4, 29), Set.of(LocalDate.of(2026, 5, 1)));
    // Easter 2026: Good Friday and Easter Monday, after the change to summer time.
    Duration easter = longestClosureOfTheWeekFrom(
        LocalDate.of(2026, 4, 1), Set.of(LocalDate.of(2026, 4, 3), LocalDate.of(2026, 4, 6)));
    assertThat(weekend).isEqualTo(Duration.ofHours(61));
    assertThat(longWeekend).isEqualTo(Duration.ofHours(85));
    assertThat(easter).isEqualTo(Duration.ofHours(109));
    assertThat(readme)
        .contains("waits about " + weekend.toHours() + " hours for Monday's opening")
        .contains("before a holiday about " + longWeekend.toHours() + " hours")
        .contains("Tuesday morning is about " + easter.toHours() + " hours: " + easter.toSeconds()
            + " or more");
    assertThat(String.valueOf(parameter("OldestMessageAlarmSeconds").get("Description")))
        .contains("long weekend (about " + longWeekend.toHours() + " hours")
        .contains("about " + easter.toHours() + " hours (" + easter.toSeconds() + " s)");
  }

  @Test
  void theDefaultThresholdOutlastsALongWeekendButNotEaster() {
    Duration threshold = Duration.ofSeconds(
        Long.parseLong(String.valueOf(parameter("OldestMessageAlarmSeconds").get("Default"))));
    Duration longWeekend =
        longestClosureOfTheWeekFrom(LocalDate.of(2026, 4, 29), Set.of(LocalDate.of(2026, 5, 1)));
    Duration easter = longestClosureOfTheWeekFrom(
        LocalDate.of(2026, 4, 1), Set.of(LocalDate.of(2026, 4, 3), LocalDate.of(2026, 4, 6)));
    assertThat(threshold).isGreaterThan(longWeekend);
    // Easter fires the default: the docs must say to raise it (theClosuresTheDocsQuote...), and the
    // 14 days of retention leave room to.
    assertThat(threshold).isLessThan(easter);
    assertThat(easter)
        .isLessThan(Duration.ofSeconds(Long.parseLong(
            String.valueOf(parameter("OldestMessageAlarmSeconds").get("MaxValue")))));
  }

  @Test
  void aClosureAcrossTheChangeToSummerTimeIsAnHourShorterThanTheWallClockSays() {
    // Easter 2027 spans the change of 2027-03-28: Thursday 19:00 to Tuesday 08:00 is 109 wall-clock
    // hours, 108 of SQS's.
    Duration easter2027 = longestClosureOfTheWeekFrom(
        LocalDate.of(2027, 3, 24), Set.of(LocalDate.of(2027, 3, 26), LocalDate.of(2027, 3, 29)));
    assertThat(easter2027).isEqualTo(Duration.ofHours(108));
    assertThat(LocalDateTime.of(2027, 3, 25, 19, 0).plusHours(109))
        .isEqualTo(LocalDateTime.of(2027, 3, 30, 8, 0));
  }
}
