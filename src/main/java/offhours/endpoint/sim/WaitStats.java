package offhours.endpoint.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits from upload to result under one hosting option, and how many missed the budget.
 *
 * @param misses results that came more than the budget after their upload, plus uploads still waiting at the end of
 *     the period that had already waited longer than the budget
 * @param pending uploads without a result at the end of the period, still waiting
 * @param expired uploads the option dropped before it served them (asynchronous inference's RequestTTLSeconds): no
 *     result ever, each one a miss whatever the budget, none pending
 */
public record WaitStats(
    Duration p50, Duration p99, Duration max, int misses, int pending, int expired) {

  /** From the uploads and the results, each {upload, result}; the period ends at {@code end}. */
  public static WaitStats of(
      List<Instant> uploads, List<Instant[]> results, Instant end, Duration budget) {
    return of(uploads, results, List.of(), end, budget);
  }

  /**
   * The same, where {@code expired} (some of the uploads, by their upload time) were dropped unserved: they count as
   * misses, not as pending.
   */
  public static WaitStats of(
      List<Instant> uploads,
      List<Instant[]> results,
      List<Instant> expired,
      Instant end,
      Duration budget) {
    List<Long> waits = new ArrayList<>(results.size());
    int misses = 0;
    for (Instant[] r : results) {
      long wait = Duration.between(r[0], r[1]).toMillis();
      waits.add(wait);
      misses += wait > budget.toMillis() ? 1 : 0;
    }
    // Results are not keyed by upload: the uploads left over are the ones without a result, oldest
    // first.
    List<Instant> open = new ArrayList<>(uploads);
    open.sort(null);
    List<Instant> done = new ArrayList<>(results.size() + expired.size());
    results.forEach(r -> done.add(r[0]));
    done.addAll(expired);
    done.sort(null);
    int pending = 0;
    int j = 0;
    for (Instant u : open) {
      if (j < done.size() && done.get(j).equals(u)) {
        j++;
        continue;
      }
      pending++;
      misses += Duration.between(u, end).compareTo(budget) > 0 ? 1 : 0;
    }
    waits.sort(null);
    return new WaitStats(
        at(waits, 50),
        at(waits, 99),
        waits.isEmpty() ? Duration.ZERO : Duration.ofMillis(waits.getLast()),
        misses + expired.size(),
        pending,
        expired.size());
  }

  private static Duration at(List<Long> sorted, int percentile) {
    if (sorted.isEmpty()) {
      return Duration.ZERO;
    }
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return Duration.ofMillis(sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))));
  }
}
