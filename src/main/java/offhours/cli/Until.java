package offhours.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.units.Times;

/**
 * {@code --until TIME}: an instant, a local date-time, a time today, or a duration from now. A local date-time and a
 * time of day are read in the stack's zone, the one its schedule runs in and every time offhours shows is in (endpoint
 * status, the page, the controller's reasons), not in the zone of the shell the command runs in: someone in Lisbon
 * who keeps a Berlin stack on "until 18:00" means the 18:00 its status will show. The text is read in two steps, so
 * that text no form reads is a usage error before the stack is looked up, and its instant is known once the stack's
 * zone is.
 */
final class Until {

  private static final String FORMS =
      "an ISO-8601 instant (2026-11-25T18:00:00Z or 2026-11-25T18:00+01:00),"
          + " a local date-time (2026-11-25T18:00), a time today (18:00) or a duration (2h, 90m, 1h30m, 1d)";

  static final List<String> EXAMPLES = List.of(
      "an ISO-8601 instant: 2026-11-25T18:00:00Z or 2026-11-25T18:00+01:00",
      "a date-time in the stack's time zone: 2026-11-25T18:00",
      "a time today in the stack's time zone: 18:00",
      "a duration from now: 2h, 90m, 1h30m, 1d");

  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?");
  private static final Pattern TIME_OF_DAY = Pattern.compile("\\d{1,2}:\\d{2}");
  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT);

  /** What the text says, before a zone is known. */
  private sealed interface Form {}

  private record FromNow(Duration length) implements Form {}

  private record At(Instant instant) implements Form {}

  private record LocalAt(LocalDateTime dateTime) implements Form {}

  private record Today(LocalTime time) implements Form {}

  /**
   * The furthest an override may reach. The controller keeps it as an instant in its control state, which would take
   * any, but an override is for an evening, a batch or a holiday: an end further than a year is a typo (99999999999h is
   * eleven million years) or hours that belong in the schedule.
   */
  static final Duration LONGEST = Duration.ofDays(366);

  private final String text;
  private final Form form;

  private Until(String text, Form form) {
    this.text = text;
    this.form = form;
  }

  /** The text as given, stripped, as messages quote it. */
  String text() {
    return text;
  }

  /** Reads {@code text} as one of the forms, or fails with a usage error that lists them. */
  static Until read(String text) {
    String stripped = text.strip();
    Form form = form(stripped);
    if (form == null) {
      throw unreadable(text);
    }
    return new Until(stripped, form);
  }

  /**
   * Refuses, before the stack is looked up, what needs no zone to refuse: a duration longer than {@link #LONGEST}, and
   * an instant with its offset (2020-01-01T00:00:00Z) that is past or further than that; a local date-time and a time
   * of day wait for the stack's zone ({@link #at}).
   */
  void check(Instant now) {
    switch (form) {
      case FromNow f -> {
        if (f.length().compareTo(LONGEST) > 0) {
          throw tooFar();
        }
      }
      case At a -> at(now, ZoneOffset.UTC);
      default -> {}
    }
  }

  /**
   * The instant meant, counted from {@code now} and with local forms read in {@code zone}; a usage error when it is
   * not after {@code now}, saying what the time is in that zone.
   */
  Instant at(Instant now, ZoneId zone) {
    Instant until;
    try {
      until = switch (form) {
        case FromNow f -> now.plus(f.length());
        case At a -> a.instant();
        case LocalAt l -> l.dateTime().atZone(zone).toInstant();
        case Today t ->
          ZonedDateTime.of(LocalDate.ofInstant(now, zone), t.time(), zone).toInstant();
      };
    } catch (DateTimeException | ArithmeticException e) {
      throw unreadable(text); // a duration past what an instant holds
    }
    if (until.isAfter(now.plus(LONGEST))) {
      throw tooFar();
    }
    if (until.isAfter(now)) {
      return until;
    }
    ZonedDateTime there = now.atZone(zone).truncatedTo(ChronoUnit.SECONDS);
    throw switch (form) {
      case Today t ->
        CliException.usage(
            "--until " + text + " today in " + Times.zone(zone) + " has already passed (it is "
                + there.toLocalTime().truncatedTo(ChronoUnit.MINUTES)
                + " there now); give a date-time such as "
                + there.toLocalDate().plusDays(1) + "T" + t.time() + " or a duration such as 2h");
      case LocalAt l ->
        CliException.usage("--until " + text + " in " + Times.zone(zone)
            + " is not in the future (it is " + MINUTES.format(there) + " there now)");
      default ->
        CliException.usage("--until " + text + " is not in the future (it is "
            + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(there) + " in " + Times.zone(zone)
            + " now)");
    };
  }

  private static Form form(String text) {
    Matcher duration = DURATION.matcher(text);
    try {
      if (!text.isEmpty() && duration.matches()) {
        return new FromNow(Duration.ofDays(number(duration.group(1)))
            .plusHours(number(duration.group(2)))
            .plusMinutes(number(duration.group(3))));
      }
      if (TIME_OF_DAY.matcher(text).matches()) {
        return new Today(LocalTime.parse(text.length() == 4 ? "0" + text : text));
      }
      // Z is an offset like +01:00, so both read alike, seconds optional as ISO-8601 has them
      // (Instant.parse would insist on seconds: 2026-11-25T18:00Z would be refused).
      if (text.endsWith("Z") || text.endsWith("z")) {
        return new At(OffsetDateTime.parse(text.toUpperCase(Locale.ROOT)).toInstant());
      }
      if (text.matches(".*T.*[+-]\\d{2}:?\\d{2}$")) {
        return new At(OffsetDateTime.parse(text).toInstant());
      }
      return new LocalAt(LocalDateTime.parse(text));
    } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
      return null; // also a duration past what a number holds
    }
  }

  private CliException tooFar() {
    return CliException.usage("--until " + text + " is more than " + LONGEST.toDays()
        + " days away: an override lasts at most a year (longer hours belong in the schedule)");
  }

  private static CliException unreadable(String text) {
    return CliException.usage("cannot read --until '" + text + "'; use " + FORMS);
  }

  private static long number(String group) {
    return group == null ? 0 : Long.parseLong(group);
  }
}
