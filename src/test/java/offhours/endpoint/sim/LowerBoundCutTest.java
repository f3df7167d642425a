package offhours.endpoint.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The lower bound's cut changes no answer: on many seeded random traces {@link LowerBound#plan} gives exactly the
 * hours and starts of the full quadratic program it replaced, kept here as the reference.
 */
class LowerBoundCutTest {

  private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

  @Test
  void theCutPlanEqualsTheFullProgramOnRandomTraces() {
    Random rnd = new Random(20261205L);
    int cases = 0;
    int withStarts = 0;
    for (int t = 0; t < 3000; t++) {
      Case c = randomCase(rnd);
      LowerBound.Optimum fast =
          LowerBound.plan(c.uploads, c.due, c.wake, c.stop, c.rate, START, c.end);
      LowerBound.Optimum full = fullProgram(c.uploads, c.due, c.wake, c.stop, c.rate, START, c.end);
      assertThat(fast).as("case %d: %s", t, c).isEqualTo(full);
      cases++;
      withStarts += full.starts() > 1 ? 1 : 0;
    }
    assertThat(cases).isEqualTo(3000);
    assertThat(withStarts).as("traces whose optimum starts more than once").isGreaterThan(1000);
  }

  @Test
  void aBurstTheDrainCannotMeetStillJoinsTheEarlierUploadWhenThatIsCheaper() {
    // One upload at 01:00 due at 01:10, then at 01:30 a burst of 1000 due at 01:30:01 at one image
    // a second: the burst's latest start is 01:13:21, so serving the first upload within that
    // period beats a second wake.
    List<Instant> uploads = new ArrayList<>();
    Map<Instant, Optional<Instant>> dues = new HashMap<>();
    Instant one = START.plus(Duration.ofHours(1));
    uploads.add(one);
    dues.put(one, Optional.of(one.plus(Duration.ofMinutes(10))));
    Instant burst = one.plus(Duration.ofMinutes(30));
    for (int i = 0; i < 1000; i++) {
      uploads.add(burst);
    }
    dues.put(burst, Optional.of(burst.plusSeconds(1)));
    Case c = new Case(
        uploads,
        dues::get,
        Duration.ofMinutes(5),
        Duration.ofMinutes(2),
        1.0,
        START.plus(Duration.ofDays(1)));
    LowerBound.Optimum fast =
        LowerBound.plan(c.uploads, c.due, c.wake, c.stop, c.rate, START, c.end);
    assertThat(fast).isEqualTo(fullProgram(c.uploads, c.due, c.wake, c.stop, c.rate, START, c.end));
    assertThat(fast.starts()).isEqualTo(1);
  }

  private record Case(
      List<Instant> uploads,
      Function<Instant, Optional<Instant>> due,
      Duration wake,
      Duration stop,
      double rate,
      Instant end) {
    @Override
    public String toString() {
      return uploads.size() + " uploads, wake " + wake + ", stop " + stop + ", rate " + rate
          + ", end " + end;
    }
  }

  /**
   * A trace of Poisson arrivals or bursts (some more than the drain can meet in time), some before the start or after
   * the end, each due a budget after it, at the next opening, or never.
   */
  private static Case randomCase(Random rnd) {
    long horizonMillis = Duration.ofHours(2 + rnd.nextInt(70)).toMillis();
    Instant end = START.plusMillis(horizonMillis);
    double rate = List.of(0.05, 0.3, 1.0, 2.5, 7.0).get(rnd.nextInt(5));
    Duration wake =
        Duration.ofMillis(rnd.nextInt(4) == 0 ? rnd.nextInt(5000) : rnd.nextInt(20 * 60_000));
    Duration stop = Duration.ofMillis(rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(5 * 60_000));
    Duration budget = Duration.ofMillis(
        rnd.nextBoolean() ? 1000 + rnd.nextInt(10 * 60_000) : rnd.nextInt(4 * 3_600_000));
    long openEvery = Duration.ofHours(1 + rnd.nextInt(24)).toMillis();
    long openFor = (long) (openEvery * rnd.nextDouble());
    double noDue = rnd.nextInt(3) == 0 ? 0.2 * rnd.nextDouble() : 0;
    boolean bursty = rnd.nextBoolean();
    double meanGapMillis = 1000 + rnd.nextDouble() * (rnd.nextBoolean() ? 120_000 : 1_800_000);
    int size = rnd.nextInt(8) == 0 ? rnd.nextInt(4) : 1 + rnd.nextInt(250);
    List<Instant> uploads = new ArrayList<>();
    Map<Instant, Optional<Instant>> dues = new HashMap<>();
    long at = -Duration.ofHours(1).toMillis() + (long) (rnd.nextDouble() * 3_600_000);
    while (uploads.size() < size) {
      at += (long) (-Math.log(1 - rnd.nextDouble()) * meanGapMillis);
      int copies = bursty && rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(60) : 1;
      for (int i = 0; i < copies && uploads.size() < size; i++) {
        Instant u = START.plusMillis(at + (bursty ? rnd.nextInt(3000) : 0));
        uploads.add(u);
        dues.computeIfAbsent(u, x -> due(x, rnd, noDue, budget, openEvery, openFor));
      }
    }
    return new Case(uploads, dues::get, wake, stop, rate, end);
  }

  private static Optional<Instant> due(
      Instant u, Random rnd, double noDue, Duration budget, long openEvery, long openFor) {
    if (rnd.nextDouble() < noDue) {
      return Optional.empty();
    }
    long since = Duration.between(START, u).toMillis();
    long phase = Math.floorMod(since, openEvery);
    if (phase < openFor) {
      return Optional.of(u.plus(budget)); // open: a budget after the upload
    }
    return Optional.of(u.plusMillis(openEvery - phase)); // closed: the next opening
  }

  /** The program before the cut, every run from every upload: O(n^2). */
  private static LowerBound.Optimum fullProgram(
      List<Instant> uploads,
      Function<Instant, Optional<Instant>> due,
      Duration wake,
      Duration stop,
      double drainPerSecond,
      Instant start,
      Instant end) {
    List<double[]> owed = new ArrayList<>();
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
    int[] periods = new int[n + 1];
    java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
    best[0] = 0;
    for (int i = 0; i < n; i++) {
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
    return new LowerBound.Optimum(best[n] / 3600.0, periods[n]);
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
