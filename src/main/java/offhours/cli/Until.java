package offhours.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code --until TIME}: an instant, a local date-time, a time today, or a duration from now. */
final class Until {

  private static final String FORMS =
      "an ISO-8601 instant (2026-11-25T18:00:00Z or 2026-11-25T18:00+01:00),"
          + " a local date-time (2026-11-25T18:00), a time today (18:00) or a duration (2h, 90m, 1h30m, 1d)";

  static final List<String> EXAMPLES = List.of(
      "an ISO-8601 instant: 2026-11-25T18:00:00Z or 2026-11-25T18:00+01:00",
      "a date-time in the local zone: 2026-11-25T18:00",
      "a time today in the local zone: 18:00",
      "a duration from now: 2h, 90m, 1h30m, 1d");

  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?");
  private static final Pattern TIME_OF_DAY = Pattern.compile("\\d{1,2}:\\d{2}");

  private Until() {}

  static Instant parse(String text, Clock clock) {
    Instant now = clock.instant();
    Instant until = read(text.strip(), now, clock);
    if (until == null) {
      throw CliException.usage("cannot read --until '" + text + "'; use " + FORMS);
    }
    if (!until.isAfter(now)) {
      String shownNow = LocalTime.ofInstant(now, clock.getZone())
          .truncatedTo(ChronoUnit.MINUTES)
          .toString();
      if (TIME_OF_DAY.matcher(text.strip()).matches()) {
        throw CliException.usage(text.strip() + " today has already passed (it is " + shownNow
            + " now); give a date-time such as " + LocalDate.now(clock).plusDays(1) + "T"
            + text.strip()
            + " or a duration such as 2h");
      }
      throw CliException.usage("--until " + text + " is not in the future (it is "
          + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
              now.atZone(clock.getZone()).truncatedTo(ChronoUnit.SECONDS))
          + " now)");
    }
    return until;
  }

  /** A duration counts from {@code now}, the instant the result is checked against: "0m" is not in the future. */
  private static Instant read(String text, Instant now, Clock clock) {
    Matcher duration = DURATION.matcher(text);
    try {
      if (!text.isEmpty() && duration.matches()) {
        Duration length = Duration.ofDays(number(duration.group(1)))
            .plusHours(number(duration.group(2)))
            .plusMinutes(number(duration.group(3)));
        return now.plus(length);
      }
      if (TIME_OF_DAY.matcher(text).matches()) {
        LocalTime time = LocalTime.parse(text.length() == 4 ? "0" + text : text);
        return ZonedDateTime.of(LocalDate.now(clock), time, clock.getZone()).toInstant();
      }
      if (text.endsWith("Z") || text.endsWith("z")) {
        return Instant.parse(text.toUpperCase(Locale.ROOT));
      }
      if (text.matches(".*T.*[+-]\\d{2}:?\\d{2}$")) {
        return OffsetDateTime.parse(text).toInstant();
      }
      return LocalDateTime.parse(text).atZone(clock.getZone()).toInstant();
    } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
      return null; // also a duration past what a number or an instant holds
    }
  }

  private static long number(String group) {
    return group == null ? 0 : Long.parseLong(group);
  }
}
