package offhours.endpoint.sim;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import offhours.endpoint.ControlState;
import offhours.endpoint.ControlStore;
import offhours.endpoint.Ledger;

/** The control table in memory, with the same conditional-write semantics as the DynamoDB adapter. */
public final class MemoryControlTable implements ControlStore, Ledger {
  private ControlState state;
  private final TreeMap<LocalDate, Day> ledger = new TreeMap<>();
  private Instant started;

  @Override
  public synchronized Optional<ControlState> load() {
    return Optional.ofNullable(state);
  }

  @Override
  public synchronized boolean save(ControlState next, long expectedVersion) {
    long stored = state == null ? 0 : state.version();
    if (stored != expectedVersion) {
      return false;
    }
    state = next;
    return true;
  }

  @Override
  public synchronized boolean save(ControlState next, long expectedVersion, List<Day> counted) {
    if (!save(next, expectedVersion)) {
      return false;
    }
    counted.forEach(this::add);
    return true;
  }

  @Override
  public synchronized void add(Day d) {
    ledger.merge(
        d.date(),
        d,
        (a, b) -> new Day(
            a.date(),
            a.endpointSeconds() + b.endpointSeconds(),
            a.outsideScheduleSeconds() + b.outsideScheduleSeconds(),
            a.starts() + b.starts(),
            a.stops() + b.stops()));
  }

  @Override
  public synchronized List<Day> days(LocalDate from, LocalDate to) {
    return List.copyOf(ledger.subMap(from, true, to, true).values());
  }

  @Override
  public synchronized void start(Instant at) {
    if (started == null) {
      started = at;
    }
  }

  @Override
  public synchronized Optional<Instant> started() {
    return Optional.ofNullable(started);
  }

  @Override
  public synchronized Optional<LocalDate> firstDay() {
    return ledger.isEmpty() ? Optional.empty() : Optional.of(ledger.firstKey());
  }
}
