package offhours.endpoint;

import java.time.LocalDate;
import java.util.List;

/** The savings ledger: items pk "ledger", sk "YYYY-MM-DD" (dates in the configured time zone) in the control table. */
public interface Ledger {

  /** One day's totals, or an increment to them. */
  record Day(LocalDate date, long endpointSeconds, long outsideScheduleSeconds, long starts, long stops) {
    Day plus(Day other) {
      return new Day(date, endpointSeconds + other.endpointSeconds, outsideScheduleSeconds + other.outsideScheduleSeconds,
          starts + other.starts, stops + other.stops);
    }
  }

  /** Adds the increment atomically to the day's item (DynamoDB ADD). */
  void add(Day increment);

  /** Days from {@code from} to {@code to} inclusive that have an item, oldest first. */
  List<Day> days(LocalDate from, LocalDate to);
}
