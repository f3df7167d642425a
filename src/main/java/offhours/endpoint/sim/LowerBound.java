package offhours.endpoint.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The fewest endpoint-hours any schedule could spend on a trace, knowing every upload in advance: the offline optimum
 * the controller is measured against.
 *
 * <p>The model: an endpoint period costs its wake (create to answering), its serving time and its stop (delete to
 * gone), clipped to the simulated period; while serving it classifies {@code drainPerSecond} images, first come first
 * served; each upload must be classified by its due time. Because due times grow with upload times (a budget after the
 * upload or the next opening), some optimal schedule serves contiguous runs of uploads, one per period, and each run's
 * period starts serving as late as its due times allow: s = min over its uploads k of (due_k - (k - first + 1) /
 * rate), ends at max(s + n / rate, the arrival-bound completion). A dynamic program over runs (O(n^2)) finds the
 * cheapest split. It is a lower bound, not a schedule a controller could follow: it ignores that periods may not
 * overlap, the trigger's start and the consumer's latency. Uploads due after the period (or never) are optional:
 * left to be served after it, at no cost here.
 */
final class LowerBound {

  private LowerBound() {}

  /**
   * The optimum: its endpoint-hours and how many periods (starts) it takes. Where it starts fewer times than a
   * controller, it stayed on past a drain for an upload it knew was coming, which no controller can know.
   */
  record Optimum(double hours, int starts) {}

  /**
   * The optimal plan for {@code uploads} from {@code start} to {@code end}; {@code due} maps an upload instant to its
   * due instant (empty: never due).
   */
  static Optimum plan(
      List<Instant> uploads,
      Function<Instant, Optional<Instant>> due,
      Duration wake,
      Duration stop,
      double drainPerSecond,
      Instant start,
      Instant end) {
    if (drainPerSecond <= 0) {
      throw new IllegalArgumentException("drain rate must be positive, got " + drainPerSecond);
    }
    List<double[]> owed = new ArrayList<>(); // {arrival, due} in seconds from start
    double horizon = seconds(start, end);
    double per = 1 / drainPerSecond;
    for (Instant u : uploads) {
      Optional<Instant> d = due.apply(u);
      if (d.isPresent() && !d.get().isAfter(end)) {
        double a = seconds(start, u);
        owed.add(new double[] {a, Math.max(seconds(start, d.get()), a + per)});
      }
    }
    owed.sort((x, y) ->
        Double.compare(x[1], y[1]) != 0 ? Double.compare(x[1], y[1]) : Double.compare(x[0], y[0]));
    int n = owed.size();
    double w = wake.toMillis() / 1000.0;
    double st = stop.toMillis() / 1000.0;
    double[] best = new double[n + 1];
    int[] periods = new int[n + 1]; // of the best split of the first uploads
    java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
    best[0] = 0;
    for (int i = 0; i < n; i++) { // a period serving uploads i..j
      double latestStart = Double.POSITIVE_INFINITY;
      double arrivalBound = Double.NEGATIVE_INFINITY;
      for (int j = i; j < n; j++) {
        double[] k = owed.get(j);
        int count = j - i + 1;
        latestStart = Math.min(latestStart, k[1] - count * per);
        arrivalBound = Math.max(arrivalBound + per, k[0] + per);
        double serveEnd = Math.max(latestStart + count * per, arrivalBound);
        double cost = Math.max(0, Math.min(serveEnd + st, horizon) - Math.max(latestStart - w, 0));
        if (best[i] + cost < best[j + 1]) {
          best[j + 1] = best[i] + cost;
          periods[j + 1] = periods[i] + (cost > 0 ? 1 : 0);
        }
      }
    }
    return new Optimum(best[n] / 3600.0, periods[n]);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
