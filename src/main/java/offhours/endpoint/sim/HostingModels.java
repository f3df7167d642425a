package offhours.endpoint.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import offhours.units.Plurals;

/**
 * The hosting options that need no controller, each a small queueing model over the same uploads: requests are served
 * first come, first served, one instance (or serverless worker) at a time at {@link HostingAssumptions#service()} per
 * image, and wait while there is no capacity (as offhours' consumer does: the message waits in SQS).
 */
final class HostingModels {

  /** The period simulated and the budget the misses are counted against. */
  record Period(List<Instant> uploads, Instant start, Instant end, ZoneId zone, Duration budget) {
    private double hours() {
      return Duration.between(start, end).toMillis() / 3_600_000.0;
    }
  }

  private HostingModels() {}

  static HostingRow alwaysOn(Period p, HostingAssumptions a, HostingPrices prices) {
    List<Instant[]> capacity = List.<Instant[]>of(new Instant[] {p.start(), p.end()});
    List<Instant[]> results = fifo(p.uploads(), capacity, a.service(), p.end());
    return new HostingRow(
        "always on",
        p.hours(),
        "endpoint-h",
        p.hours() * prices.instanceHourUsd(),
        WaitStats.of(p.uploads(), results, p.end(), p.budget()),
        capacity,
        results,
        "one instance, 24/7");
  }

  /** The seed's schedule: create every day at a fixed UTC time, delete at another, whatever is queued. */
  static HostingRow cron(Period p, HostingAssumptions a, HostingPrices prices) {
    List<Instant[]> billed = new ArrayList<>();
    List<Instant[]> capacity = new ArrayList<>();
    LocalDate first = LocalDate.ofInstant(p.start(), ZoneOffset.UTC).minusDays(1);
    LocalDate last = LocalDate.ofInstant(p.end(), ZoneOffset.UTC);
    for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
      Instant create = d.atTime(a.cronStartUtc()).toInstant(ZoneOffset.UTC);
      Instant delete = d.atTime(a.cronStopUtc()).toInstant(ZoneOffset.UTC);
      if (!delete.isAfter(create)) {
        delete = delete.plus(Duration.ofDays(1)); // a window across midnight UTC
      }
      Instant from = later(create, p.start());
      Instant to = earlier(delete.plus(a.deleteDelay()), p.end());
      if (from.isBefore(to)) {
        billed.add(new Instant[] {from, to});
      }
      Instant ready = create.plus(a.createDelay());
      if (ready.isBefore(delete)) {
        capacity.add(new Instant[] {ready, delete});
      }
    }
    List<Instant[]> results = fifo(p.uploads(), capacity, a.service(), p.end());
    return billedWhileUp(
        "seed's UTC cron",
        p,
        prices,
        billed,
        results,
        String.format(
            java.util.Locale.ROOT,
            "create %s, delete %s UTC, daily",
            a.cronStartUtc(),
            a.cronStopUtc()));
  }

  /** A hosting billed by the instance-hour for the intervals {@code billed}, serving {@code results}. */
  private static HostingRow billedWhileUp(
      String name,
      Period p,
      HostingPrices prices,
      List<Instant[]> billed,
      List<Instant[]> results,
      String note) {
    double hours = hours(billed);
    return new HostingRow(
        name,
        hours,
        "endpoint-h",
        hours * prices.instanceHourUsd(),
        WaitStats.of(p.uploads(), results, p.end(), p.budget()),
        billed,
        results,
        note);
  }

  /**
   * Inference component with copies and instances scaling to 0: a request that finds no copy fails, the alarm on
   * NoCapacityInvocationFailures adds one (launching an instance first if none is left), and after the drain the
   * copies, then the instance, go after their idle times. Billed while the instance exists.
   */
  static HostingRow scaleToZero(Period p, HostingAssumptions a, HostingPrices prices) {
    List<Instant[]> billed = new ArrayList<>();
    List<Instant[]> results = new ArrayList<>();
    Instant free = Instant.MIN;
    Instant copiesUntil = Instant.MIN;
    Instant instanceUntil = Instant.MIN;
    Instant billedFrom = null;
    for (Instant u : p.uploads()) {
      Instant t = later(u, free);
      Instant ready = t;
      if (!t.isBefore(copiesUntil)) {
        if (t.isBefore(instanceUntil)) {
          ready = t.plus(a.alarmDelay()).plus(a.copyLoad());
        } else {
          if (billedFrom != null) {
            billed.add(new Instant[] {billedFrom, instanceUntil});
          }
          billedFrom = t.plus(a.alarmDelay());
          ready = billedFrom.plus(a.instanceLaunch()).plus(a.copyLoad());
        }
      }
      Instant done = ready.plus(a.service());
      if (done.isAfter(p.end())) {
        // Its instance, launched or already up, is still billed when the period ends.
        instanceUntil = p.end();
        break;
      }
      results.add(new Instant[] {u, done});
      free = done;
      copiesUntil = done.plus(a.copiesIdle());
      instanceUntil = copiesUntil.plus(a.instancesIdle());
    }
    // A launch asked for in the period's last moments starts after it: nothing of it is billed
    // here.
    if (billedFrom != null && billedFrom.isBefore(p.end())) {
      billed.add(new Instant[] {billedFrom, earlier(instanceUntil, p.end())});
    }
    return billedWhileUp(
        "scale-to-zero",
        p,
        prices,
        billed,
        results,
        "wake " + minutes(a.alarmDelay().plus(a.instanceLaunch()).plus(a.copyLoad()))
            + ", idle to 0: " + minutes(a.copiesIdle()) + " + " + minutes(a.instancesIdle()));
  }

  /**
   * Serverless inference: up to {@code serverlessConcurrency} workers, each request on the worker free first, a cold
   * start when that worker has been idle longer than it stays warm. Billed per GB-second of processing (cold starts
   * are not billed) and per GB of data.
   */
  static HostingRow serverless(Period p, HostingAssumptions a, HostingPrices prices) {
    if (!prices.serverlessAvailable()) {
      return HostingRow.unavailable(
          "serverless",
          "GB-s",
          "n/a: serverless is CPU only, " + prices.instanceType() + " is an accelerated type");
    }
    Instant[] freeAt = new Instant[a.serverlessConcurrency()];
    java.util.Arrays.fill(freeAt, Instant.MIN);
    List<Instant[]> results = new ArrayList<>();
    int coldStarts = 0;
    for (Instant u : p.uploads()) {
      int w = 0;
      for (int i = 1; i < freeAt.length; i++) {
        if (freeAt[i].isBefore(freeAt[w])) {
          w = i;
        }
      }
      Instant start = later(u, freeAt[w]);
      boolean cold = freeAt[w].equals(Instant.MIN)
          || Duration.between(freeAt[w], start).compareTo(a.serverlessWarm()) > 0;
      coldStarts += cold ? 1 : 0;
      Instant done = start.plus(cold ? a.serverlessColdStart() : Duration.ZERO).plus(a.service());
      freeAt[w] = done;
      if (!done.isAfter(p.end())) {
        results.add(new Instant[] {u, done});
      }
    }
    double gbSeconds = results.size() * a.serverlessMemoryGb() * a.service().toNanos() / 1e9;
    double dataGb =
        results.size() * (a.imageMegabytes() + HostingAssumptions.ANSWER_MEGABYTES) / 1000.0;
    double usd = gbSeconds * prices.serverlessGbSecondUsd() + dataGb * prices.serverlessGbDataUsd();
    return new HostingRow(
        "serverless",
        gbSeconds,
        "GB-s",
        usd,
        WaitStats.of(p.uploads(), results, p.end(), p.budget()),
        List.of(),
        results,
        String.format(
            java.util.Locale.ROOT,
            "%.0f GB, concurrency %d, %s",
            a.serverlessMemoryGb(),
            a.serverlessConcurrency(),
            Plurals.of(coldStarts, "cold start")));
  }

  /** Batch transform: one job a day at a fixed local time for everything uploaded before it. */
  static HostingRow batch(Period p, HostingAssumptions a, HostingPrices prices) {
    List<Instant[]> billed = new ArrayList<>();
    List<Instant[]> results = new ArrayList<>();
    int next = 0;
    int jobs = 0;
    LocalDate first = LocalDate.ofInstant(p.start(), p.zone());
    for (LocalDate d = first; ; d = d.plusDays(1)) {
      Instant at = d.atTime(a.batchAt()).atZone(p.zone()).toInstant();
      if (at.isBefore(p.start())) {
        continue;
      }
      if (!at.isBefore(p.end())) {
        break;
      }
      Instant done = at.plus(a.batchStartup());
      int before = next;
      while (next < p.uploads().size() && p.uploads().get(next).isBefore(at)) {
        done = done.plus(a.service());
        results.add(new Instant[] {p.uploads().get(next++), done});
      }
      if (next > before) {
        jobs++;
        billed.add(new Instant[] {at, earlier(done, p.end())});
      }
    }
    results.removeIf(r -> r[1].isAfter(p.end()));
    double hours = hours(billed);
    return new HostingRow(
        "batch transform",
        hours,
        "job-h",
        hours * prices.instanceHourUsd(),
        WaitStats.of(p.uploads(), results, p.end(), p.budget()),
        billed,
        results,
        Plurals.of(jobs, "job") + " at " + a.batchAt() + " " + p.zone().getId() + ", "
            + minutes(a.batchStartup()) + " start");
  }

  /**
   * First come, first served on one instance that serves only inside {@code capacity} (sorted, disjoint); an image
   * started before a window closes finishes. Results after {@code end} are left out (still waiting).
   */
  private static List<Instant[]> fifo(
      List<Instant> uploads, List<Instant[]> capacity, Duration service, Instant end) {
    List<Instant[]> results = new ArrayList<>();
    Instant free = Instant.MIN;
    int window = 0;
    for (Instant u : uploads) {
      Instant t = later(u, free);
      while (window < capacity.size() && !t.isBefore(capacity.get(window)[1])) {
        window++;
      }
      if (window == capacity.size()) {
        break;
      }
      t = later(t, capacity.get(window)[0]);
      Instant done = t.plus(service);
      if (done.isAfter(end)) {
        break;
      }
      results.add(new Instant[] {u, done});
      free = done;
    }
    return results;
  }

  static double hours(List<Instant[]> periods) {
    long millis = 0;
    for (Instant[] b : periods) {
      millis += Duration.between(b[0], b[1]).toMillis();
    }
    return millis / 3_600_000.0;
  }

  static String minutes(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }

  static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
