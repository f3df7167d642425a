package offhours.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The savings ledger: items pk "ledger", sk "YYYY-MM-DD" (dates in the configured time zone) in the control table. */
public interface Ledger {

  /** One day's totals, or an increment to them. */
  record Day(
      LocalDate date, long endpointSeconds, long outsideScheduleSeconds, long starts, long stops) {
    Day plus(Day other) {
      return new Day(
          date,
          endpointSeconds + other.endpointSeconds,
          outsideScheduleSeconds + other.outsideScheduleSeconds,
          starts + other.starts,
          stops + other.stops);
    }

    /**
     * The billing seconds from {@code from} to {@code to} per local day of {@code schedule}'s zone, split at midnight
     * and at schedule changes so that each day gets its own seconds and its outside-schedule share.
     */
    static List<Day> split(Schedule schedule, Instant from, Instant to) {
      ZoneId zone = schedule.zone();
      Map<LocalDate, Day> days = new LinkedHashMap<>();
      Instant t = from;
      while (t.isBefore(to)) {
        LocalDate day = LocalDate.ofInstant(t, zone);
        Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
        Instant change = schedule.nextChange(t).orElse(end);
        if (change.isBefore(end)) {
          end = change;
        }
        if (end.isAfter(to)) {
          end = to;
        }
        // The second boundaries crossed, not the interval's whole seconds: runs (every ~10 s while
        // a backlog drains) fall at any millisecond, and consecutive intervals share their ends, so
        // the counts add up to the whole period's seconds; truncating each interval would drop up
        // to a second per run.
        long seconds = end.getEpochSecond() - t.getEpochSecond();
        long outside = schedule.isOpen(t) ? 0 : seconds;
        days.merge(day, new Day(day, seconds, outside, 0, 0), Day::plus);
        t = end;
      }
      return List.copyOf(days.values());
    }
  }

  /**
   * The hours an always-on endpoint has been on in local day {@code date} by {@code now}, had it started at
   * {@code since} (the stack's start, {@link #stackStart}; midnight of the first day where that is not known): the
   * whole day (its real length, 23 or 25 h on DST days) once it is over, the hours since its midnight while it is
   * today, and on the day of {@code since} only those from it; none before. What a day's ledger is compared with: it
   * cannot hold hours that are still to come, nor hours before the stack could bill any.
   */
  static double alwaysOnHours(LocalDate date, ZoneId zone, Instant since, Instant now) {
    Instant midnight = date.atStartOfDay(zone).toInstant();
    Instant start = since.isAfter(midnight) ? since : midnight;
    Instant end = date.plusDays(1).atStartOfDay(zone).toInstant();
    return Math.max(0, Duration.between(start, now.isBefore(end) ? now : end).toSeconds()) / 3600.0;
  }

  /**
   * Records when the ledger starts counting: the controller's first run that claims a step, before which no endpoint
   * of the stack can have billed (or, for a stack whose controller ran before this was recorded, the earliest instant
   * its ledger is known to cover: {@link RunLedger#startOf}). Only the first call writes; a later one changes nothing.
   */
  void start(Instant at);

  /**
   * When the ledger started counting ({@link #start}); empty before the controller's first run, or for a stack whose
   * controller has not yet run this version. Written once and never changed: a reader that has it may keep it.
   */
  Optional<Instant> started();

  /** The ledger's first day, the oldest that has an item; empty while it has none. */
  Optional<LocalDate> firstDay();

  /**
   * Where a stack's always-on starts counting: the one rule {@code cost} (with {@code --stack} or on the local stack),
   * the UI's page and the API's {@code /status} follow, so the three agree on every day, the first included.
   * The earlier of {@code recorded}, the ledger's own start ({@link #started}, in the table every reader reads), and
   * {@code known}, what the reader knows of the stack's start: its CloudFormation CreationTime for {@code cost
   * --stack}, the local stack's start from its state file, nothing for {@code /status}. Both are instants the stack
   * existed by, and an always-on endpoint would have billed from the first: the controller records its first run, which
   * can follow the stack's creation by a minute or more (the local stack's first tick can follow an upload made at
   * once), and an upload made before it is still the stack's. Either alone when only one is known (before the
   * controller's first run, or for /status); empty when neither is: the reader counts from midnight of the first day it
   * counts (/status: today; {@link #alwaysOnHours} does the same with an earlier instant).
   */
  static Optional<Instant> stackStart(Optional<Instant> recorded, Optional<Instant> known) {
    if (recorded.isEmpty() || known.isEmpty()) {
      return recorded.isPresent() ? recorded : known;
    }
    return Optional.of(recorded.get().isBefore(known.get()) ? recorded.get() : known.get());
  }

  /** Adds the increment atomically to the day's item (DynamoDB ADD). */
  void add(Day increment);

  /** Days from {@code from} to {@code to} inclusive that have an item, oldest first. */
  List<Day> days(LocalDate from, LocalDate to);
}
