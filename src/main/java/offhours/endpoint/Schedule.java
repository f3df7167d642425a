package offhours.endpoint;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import offhours.units.Shown;

/**
 * Working hours in a named time zone, with holidays: "Mon-Fri 08:00-19:00", "Mon,Wed 09:00-12:00; Sat 10:00-14:00",
 * "24/7", or "" (never). A window whose end is not after its start runs past midnight ("Fri 22:00-02:00"); "24:00" is
 * the end of the day. A holiday (a local date) cancels every window that starts on it.
 *
 * <p>Local times are resolved the way a person reads a wall clock across DST: a time that does not exist (the skipped
 * hour of a spring change) means the instant the clocks jump, so a 02:30 opening on 2026-03-29 in Europe/Berlin opens
 * at 03:00 local; a time that occurs twice (the repeated autumn hour) means its first occurrence, so a window is never
 * counted twice. Windows are half-open [open, close).
 */
public final class Schedule {

  private record Window(
      Set<DayOfWeek> days, LocalTime open, LocalTime close, boolean closesAtMidnight) {}

  private final String text;
  private final List<Window> windows;
  private final Map<DayOfWeek, List<Window>>
      byDay; // the windows that start on each day of the week
  private final ZoneId zone;
  private final Set<LocalDate> holidays;

  /**
   * isOpen is {@code open} from {@code from} until {@code until}, its next change: the last one {@link #nextChange}
   * found, which answers the many questions a controller's run and a simulated minute ask within it without another
   * search. Immutable, so threads that share a schedule at worst search again.
   */
  private record Segment(Instant from, Instant until, boolean open) {
    boolean holds(Instant t) {
      return !t.isBefore(from) && t.isBefore(until);
    }
  }

  private volatile Segment last;

  private Schedule(String text, List<Window> windows, ZoneId zone, Set<LocalDate> holidays) {
    this.text = text;
    this.windows = List.copyOf(windows);
    this.byDay = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : DayOfWeek.values()) {
      byDay.put(d, this.windows.stream().filter(w -> w.days().contains(d)).toList());
    }
    this.zone = Objects.requireNonNull(zone, "zone");
    this.holidays = Set.copyOf(holidays);
  }

  /** Parses {@code workingHours}; the message of the exception names the part that is wrong and shows the format. */
  public static Schedule parse(String workingHours, ZoneId zone, Set<LocalDate> holidays) {
    String text = workingHours == null ? "" : workingHours.strip();
    List<Window> windows = new ArrayList<>();
    if (text.equals("24/7")) {
      windows.add(
          new Window(EnumSet.allOf(DayOfWeek.class), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, true));
    } else if (!text.isEmpty()) {
      for (String part : text.split(";")) {
        windows.add(parseWindow(part.strip(), text));
      }
    }
    return new Schedule(text, windows, zone, holidays);
  }

  private static Window parseWindow(String part, String whole) {
    String[] dayAndTime = part.split("\\s+");
    if (dayAndTime.length != 2) {
      throw invalid(whole, "'" + Shown.value(part) + "' is not 'DAYS HH:MM-HH:MM'");
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String item : dayAndTime[0].split(",")) {
      String[] range = item.split("-");
      if (range.length == 1) {
        days.add(day(range[0], whole));
      } else if (range.length == 2) {
        DayOfWeek from = day(range[0], whole);
        DayOfWeek to = day(range[1], whole);
        for (DayOfWeek d = from; ; d = d.plus(1)) {
          days.add(d);
          if (d == to) {
            break;
          }
        }
      } else {
        throw invalid(
            whole, "'" + Shown.value(item) + "' is not a day or a range of days like Mon-Fri");
      }
    }
    String[] times = dayAndTime[1].split("-");
    if (times.length != 2) {
      throw invalid(
          whole, "'" + Shown.value(dayAndTime[1]) + "' is not a time range like 08:00-19:00");
    }
    LocalTime open = time(times[0], whole, false);
    boolean closesAtMidnight = times[1].equals("24:00");
    LocalTime close = closesAtMidnight ? LocalTime.MIDNIGHT : time(times[1], whole, true);
    if (open.equals(close) && !closesAtMidnight) {
      throw invalid(
          whole, "'" + Shown.value(dayAndTime[1]) + "' opens and closes at the same time");
    }
    return new Window(days, open, close, closesAtMidnight);
  }

  private static DayOfWeek day(String token, String whole) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().substring(0, 3).equalsIgnoreCase(token)) {
        return d;
      }
    }
    throw invalid(
        whole, "'" + Shown.value(token) + "' is not a day; use Mon Tue Wed Thu Fri Sat Sun");
  }

  private static LocalTime time(String token, String whole, boolean isClose) {
    if (!token.matches("\\d\\d:\\d\\d")) {
      throw invalid(
          whole,
          "'" + Shown.value(token) + "' is not a time HH:MM"
              + (isClose ? " (24:00 closes at midnight)" : ""));
    }
    try {
      return LocalTime.parse(token);
    } catch (DateTimeParseException e) {
      throw invalid(whole, "'" + Shown.value(token) + "' is not a valid time of day");
    }
  }

  private static IllegalArgumentException invalid(String whole, String why) {
    return new IllegalArgumentException(
        "WORKING_HOURS '" + Shown.value(whole) + "': " + why
            + "; examples: 'Mon-Fri 08:00-19:00', 'Mon,Wed 09:00-12:00; Sat 10:00-14:00', '24/7', '' (never)");
  }

  public ZoneId zone() {
    return zone;
  }

  public boolean isOpen(Instant now) {
    Segment known = last;
    if (known != null && known.holds(now)) {
      return known.open();
    }
    return openAt(now);
  }

  private boolean openAt(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    for (LocalDate d = today.minusDays(1); !d.isAfter(today); d = d.plusDays(1)) {
      for (Window w : windowsOn(d)) {
        if (!now.isBefore(openAt(d, w)) && now.isBefore(closeAt(d, w))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first instant after {@code now} at which {@link #isOpen} changes; empty for "24/7", "" and the like. */
  public Optional<Instant> nextChange(Instant now) {
    Segment known = last;
    if (known != null && known.holds(now)) {
      return Optional.of(known.until());
    }
    boolean open = openAt(now);
    LocalDate today = LocalDate.ofInstant(now, zone);
    // Most changes come within a day, so the search widens: the windows that start from yesterday
    // to tomorrow, to a
    // week and a day later (every weekly schedule), to 400 days (a long run of holidays). A change
    // found is taken
    // if it comes before the first day the search left out begins, where the earliest window it
    // left out could open
    // or close: then no window could change isOpen sooner, and the change is the first.
    for (int horizon : new int[] {1, 8, 400}) {
      Optional<Instant> change = firstChange(open, now, today, horizon);
      if (change.isPresent()
          && (horizon == 400
              || change.get().isBefore(resolve(today.plusDays(horizon + 1L).atStartOfDay())))) {
        last = new Segment(now, change.get(), open);
        return change;
      }
    }
    return Optional.empty();
  }

  /**
   * The first open or close after {@code now}, of the windows that start from the day before {@code today} to
   * {@code horizon} days after it, at which {@link #isOpen} is no longer {@code open}.
   */
  private Optional<Instant> firstChange(boolean open, Instant now, LocalDate today, int horizon) {
    TreeSet<Instant> boundaries = new TreeSet<>();
    for (LocalDate d = today.minusDays(1); !d.isAfter(today.plusDays(horizon)); d = d.plusDays(1)) {
      for (Window w : windowsOn(d)) {
        boundaries.add(openAt(d, w));
        boundaries.add(closeAt(d, w));
      }
    }
    for (Instant b : boundaries.tailSet(now, false)) {
      if (openAt(b) != open) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /** The next instant at or after {@code now} at which the schedule is open; empty if it never opens again. */
  public Optional<Instant> nextOpening(Instant now) {
    return isOpen(now) ? Optional.of(now) : nextChange(now);
  }

  private List<Window> windowsOn(LocalDate d) {
    if (holidays.contains(d)) {
      return List.of();
    }
    return byDay.get(d.getDayOfWeek());
  }

  private Instant openAt(LocalDate d, Window w) {
    return resolve(d.atTime(w.open()));
  }

  private Instant closeAt(LocalDate d, Window w) {
    boolean nextDay = w.closesAtMidnight() || !w.close().isAfter(w.open());
    return resolve((nextDay ? d.plusDays(1) : d).atTime(w.close()));
  }

  private Instant resolve(LocalDateTime local) {
    ZoneOffsetTransition t = zone.getRules().getTransition(local);
    if (t != null && t.isGap()) {
      return t.getInstant(); // the skipped hour: the clocks jump to its end
    }
    return ZonedDateTime.of(local, zone)
        .toInstant(); // the repeated hour: ZonedDateTime takes the earlier offset
  }

  @Override
  public String toString() {
    return (text.isEmpty() ? "never" : text) + " " + zone
        + (holidays.isEmpty() ? "" : " except " + new TreeSet<>(holidays));
  }

  /** Parses "2026-12-24,2026-12-25" into dates; blank means none. */
  static Set<LocalDate> parseHolidays(String csv) {
    Set<LocalDate> dates = new TreeSet<>();
    if (csv == null || csv.isBlank()) {
      return dates;
    }
    for (String token : csv.split(",")) {
      try {
        dates.add(LocalDate.parse(token.strip()));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "HOLIDAYS '" + Shown.value(csv) + "': '" + Shown.value(token.strip())
                + "' is not an ISO date like 2026-12-24",
            e);
      }
    }
    return dates;
  }
}
