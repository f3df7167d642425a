package offhours.endpoint.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/** One day of uploads worked out by hand, in UTC with a 60-minute budget, for the hosting models' tests. */
final class HostingFixtures {

  static final Instant DAY = Instant.parse("2026-03-23T00:00:00Z");
  static final HostingPrices PRICES = new HostingPrices("ml.m5.large", 0.1, 0.00002, 0.016);

  private HostingFixtures() {}

  /** {@code imagesPerSecond} per instance, office hours 08:00-18:00, and round times for every option. */
  static HostingAssumptions assumptions(double imagesPerSecond) {
    return new HostingAssumptions(
        imagesPerSecond,
        LocalTime.of(8, 0),
        LocalTime.of(18, 0),
        Duration.ofMinutes(10),
        Duration.ofMinutes(2),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(2),
        Duration.ofMinutes(15),
        Duration.ofMinutes(10),
        2,
        2,
        Duration.ofSeconds(10),
        Duration.ofMinutes(10),
        0.11,
        LocalTime.of(2, 0),
        Duration.ofMinutes(6));
  }

  static Instant at(String hhmmss) {
    return DAY.plus(Duration.between(LocalTime.MIDNIGHT, LocalTime.parse(hhmmss)));
  }

  /** {@link #DAY} with uploads at the given times of day. */
  static HostingModels.Period day(String... uploads) {
    return new HostingModels.Period(
        Arrays.stream(uploads).map(HostingFixtures::at).toList(),
        DAY,
        DAY.plus(Duration.ofDays(1)),
        ZoneOffset.UTC,
        Duration.ofMinutes(60));
  }

  static List<Duration> waits(HostingRow row) {
    return row.results().stream().map(r -> Duration.between(r[0], r[1])).toList();
  }
}
