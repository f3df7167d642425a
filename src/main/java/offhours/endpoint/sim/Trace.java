package offhours.endpoint.sim;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;

/** Upload traces: seeded, so a simulation is reproducible. */
public enum Trace {
  /**
   * An office: on weekdays 2-4 upload sessions between 08:00 and 18:30 (someone drops a folder of 10-150 images over
   * up to 15 minutes) and 2-5 single uploads during the day; 0-2 uploads in the evening; 0-4 on weekend days.
   */
  OFFICE_HOURS("office-hours") {
    @Override
    void day(LocalDate d, ZoneId zone, Random rnd, List<Instant> out) {
      boolean weekend =
          d.getDayOfWeek() == DayOfWeek.SATURDAY || d.getDayOfWeek() == DayOfWeek.SUNDAY;
      if (weekend) {
        singles(d, zone, rnd, out, rnd.nextInt(5), 9 * 3600, 21 * 3600);
        return;
      }
      int sessions = 2 + rnd.nextInt(3);
      for (int s = 0; s < sessions; s++) {
        Instant start = at(d, zone, 8 * 3600 + rnd.nextInt(10 * 3600 + 1800));
        int images = 10 + rnd.nextInt(141);
        int spread = 60 + rnd.nextInt(14 * 60);
        for (int i = 0; i < images; i++) {
          out.add(start.plusSeconds(rnd.nextInt(spread)));
        }
      }
      singles(d, zone, rnd, out, 2 + rnd.nextInt(4), 8 * 3600, 19 * 3600);
      singles(d, zone, rnd, out, rnd.nextInt(3), 19 * 3600, 23 * 3600);
    }
  },
  /** 1-3 large bursts (300-2000 images within 10 minutes) a day at any hour, weekends included. */
  BURSTY("bursty") {
    @Override
    void day(LocalDate d, ZoneId zone, Random rnd, List<Instant> out) {
      int bursts = 1 + rnd.nextInt(3);
      for (int b = 0; b < bursts; b++) {
        Instant start = at(d, zone, rnd.nextInt(24 * 3600));
        int images = 300 + rnd.nextInt(1701);
        for (int i = 0; i < images; i++) {
          out.add(start.plusSeconds(rnd.nextInt(600)));
        }
      }
    }
  },
  /** A steady trickle around the clock: one upload every 5 minutes on average (Poisson). */
  ALWAYS("always") {
    @Override
    void day(LocalDate d, ZoneId zone, Random rnd, List<Instant> out) {
      Instant t = d.atStartOfDay(zone).toInstant();
      Instant end = d.plusDays(1).atStartOfDay(zone).toInstant();
      while (true) {
        t = t.plusSeconds(Math.max(1, (long) (-Math.log(1 - rnd.nextDouble()) * 300)));
        if (!t.isBefore(end)) {
          return;
        }
        out.add(t);
      }
    }
  };

  private final String label;

  Trace(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** By its label: office-hours, bursty, always. */
  public static Trace named(String label) {
    for (Trace t : values()) {
      if (t.label.equals(label)) {
        return t;
      }
    }
    throw new IllegalArgumentException("trace '" + label + "' is not one of "
        + Arrays.stream(values()).map(Trace::label).collect(Collectors.joining(", ")));
  }

  /** Upload instants for {@code days} local days from {@code start}, sorted. */
  public List<Instant> uploads(LocalDate start, int days, ZoneId zone, long seed) {
    Random rnd = new Random(seed);
    List<Instant> out = new ArrayList<>();
    for (int i = 0; i < days; i++) {
      day(start.plusDays(i), zone, rnd, out);
    }
    out.sort(null);
    return out;
  }

  abstract void day(LocalDate d, ZoneId zone, Random rnd, List<Instant> out);

  private static void singles(
      LocalDate d,
      ZoneId zone,
      Random rnd,
      List<Instant> out,
      int n,
      int fromSecond,
      int toSecond) {
    for (int i = 0; i < n; i++) {
      out.add(at(d, zone, fromSecond + rnd.nextInt(toSecond - fromSecond)));
    }
  }

  private static Instant at(LocalDate d, ZoneId zone, int secondOfDay) {
    return d.atTime(LocalTime.ofSecondOfDay(secondOfDay)).atZone(zone).toInstant();
  }

  @Override
  public String toString() {
    return label.toLowerCase(Locale.ROOT);
  }
}
