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
 * rate), ends at max(s + n / rate, the arrival-bound completion). A dynamic program over runs finds the cheapest split.
 * It is a lower bound, not a schedule a controller could follow: it ignores that periods may not overlap, the
 * trigger's start and the consumer's latency. Uploads due after the period (or never) are optional: left to be served
 * after it, at no cost here.
 *
 * <p>The cut that makes it near linear. Write a run from i as P + Q, P its uploads i..m and Q those from m + 1 on;
 * S, E and A for a run's serving start, end and arrival-bound completion; p = 1 / rate; I(X) = [S - wake, E + stop]
 * the time a period is paid for, its cost the part of I(X) within [0, horizon]. However far Q reaches, S(Q) >=
 * sigma_m = min over k > m of (due_k - (k - m) p), and alpha = A(Q) - |Q| p only grows (it is at least a_j - (j - m
 * - 1) p for Q's last upload j). R starts serving by S(P) and ends after A(Q). If E(Q) = A(Q), I(Q) lies in I(R) from
 * sigma_m - wake on; otherwise Q serves back to back from S(Q) >= alpha, and I(R) holds I(Q) moved earlier to start
 * at alpha - wake, which the horizon clips no more (it starts after 0). Either way I(R) holds I(P), then the gap from
 * E(P) + stop to min(sigma_m, alpha) - wake, then I(Q) or its copy: cost(R) >= cost(P) + gap + cost(Q), the gap
 * clipped to [0, horizon]. So once some m leaves a gap above a rounding slack, best[m + 1] + cost(Q) <= best[i] +
 * cost(P) + cost(Q) strictly beats this and every longer run from i, and the scan from i stops. A strictly beaten
 * candidate never sets best[] nor the count of starts, so the answer is the full program's to the bit. The slack,
 * (n + 32) x 1e-14 of the largest magnitude, is far above what the arrival chain and the sums can round away. The
 * arrival times alone would not do: a burst the drain cannot meet in time pulls its period's start back over an
 * earlier idle stretch, and joining the earlier uploads then costs less than a second wake. On the traces a scan
 * stops about a budget and a wake after its first upload, or a wake after the opening that ends a night.
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
    double horizon = seconds(start, end);
    double per = 1 / drainPerSecond;
    List<double[]> owed = new ArrayList<>(); // {arrival, due} in seconds from start
    double largest = Math.abs(horizon); // of the times, for the rounding slack
    for (Instant u : uploads) {
      Optional<Instant> d = due.apply(u);
      if (d.isPresent() && !d.get().isAfter(end)) {
        double a = seconds(start, u);
        owed.add(new double[] {a, Math.max(seconds(start, d.get()), a + per)});
        largest = Math.max(largest, Math.max(Math.abs(a), Math.abs(owed.getLast()[1])));
      }
    }
    owed.sort((x, y) ->
        Double.compare(x[1], y[1]) != 0 ? Double.compare(x[1], y[1]) : Double.compare(x[0], y[0]));
    int n = owed.size();
    double[] arrival = new double[n]; // in due order, flat for the scans
    double[] dueAt = new double[n];
    for (int k = 0; k < n; k++) {
      arrival[k] = owed.get(k)[0];
      dueAt[k] = owed.get(k)[1];
    }
    double w = wake.toMillis() / 1000.0;
    double st = stop.toMillis() / 1000.0;
    double scale = 2 * largest + (n + 1) * per + w + st;
    double[] sigma = latestStartsAfter(dueAt, per);
    double[] best = new double[n + 1];
    int[] periods = new int[n + 1]; // of the best split of the first uploads
    java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
    best[0] = 0;
    for (int i = 0; i < n; i++) { // a period serving uploads i..j
      double slack = 1e-14 * (n + 32) * (scale + best[i]);
      double latestStart = Double.POSITIVE_INFINITY;
      double arrivalBound = Double.NEGATIVE_INFINITY;
      // The least E(P) + stop - (m + 1) p over the m < j with a gap before sigma_m.
      double cutKey = Double.POSITIVE_INFINITY;
      for (int j = i; j < n; j++) {
        if (arrival[j] - j * per - w - cutKey > slack) {
          break; // and a gap before alpha >= a_j - (j - m - 1) p: every longer run is beaten
        }
        int count = j - i + 1;
        latestStart = Math.min(latestStart, dueAt[j] - count * per);
        arrivalBound = Math.max(arrivalBound + per, arrival[j] + per);
        double serveEnd = Math.max(latestStart + count * per, arrivalBound);
        double cost = Math.max(0, Math.min(serveEnd + st, horizon) - Math.max(latestStart - w, 0));
        if (best[i] + cost < best[j + 1]) {
          best[j + 1] = best[i] + cost;
          periods[j + 1] = periods[i] + (cost > 0 ? 1 : 0);
        }
        double ended = Math.max(serveEnd + st, 0);
        if (j + 1 < n && Math.min(sigma[j] - w, horizon) - ended > slack) {
          cutKey = Math.min(cutKey, ended - (j + 1) * per);
        }
      }
    }
    return new Optimum(best[n] / 3600.0, periods[n]);
  }

  /** sigma[m]: no run of the uploads after m can start serving before it (infinite for the last). */
  private static double[] latestStartsAfter(double[] dueAt, double per) {
    int n = dueAt.length;
    double[] sigma = new double[n];
    double least = Double.POSITIVE_INFINITY; // of due_k - k p over k > m
    for (int m = n - 1; m >= 0; m--) {
      sigma[m] = least + m * per;
      least = Math.min(least, dueAt[m] - m * per);
    }
    return sigma;
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
