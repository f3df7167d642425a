package offhours.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/**
 * The user's time zone: the JDK's default, read from {@code TZ} (or this machine's zone when TZ is unset), but refused
 * where the JDK fell back to GMT because TZ names no zone it knows. The JDK does so without a word
 * ({@code TZ=Europe/Pariss} gives GMT), and the local stack would then keep its working hours and ledger days in GMT.
 */
final class UserZone {

  private UserZone() {}

  /**
   * The system clock, whose zone is {@link #check}ed when a command first asks for it: a command that never reads a
   * time of day runs whatever TZ says.
   */
  static Clock clock(Map<String, String> env) {
    return new Checked(Clock.systemDefaultZone(), env.get("TZ"));
  }

  /** {@code jdkZone}, unless it is the JDK's GMT for a {@code tz} that is no zone (then an error naming it). */
  static ZoneId check(String tz, ZoneId jdkZone) {
    if (tz == null || tz.isBlank() || !jdkZone.getId().equals("GMT")) {
      return jdkZone;
    }
    // A leading ':' is POSIX's "the rest names a zone file", as in TZ=:Europe/Paris, which the JDK
    // reads.
    String name = tz.startsWith(":") ? tz.substring(1) : tz;
    try {
      ZoneId.of(name);
      return jdkZone;
    } catch (DateTimeException noZone) {
      throw CliException.failure(
          "TZ is '" + Terminal.printable(tz) + "', which is no time zone Java"
              + " knows, so times would be read and the local stack's hours kept in GMT; set TZ to an"
              + " IANA zone such as Europe/Paris, or unset it to use this machine's zone");
    }
  }

  /** A clock that checks its zone when asked for it. */
  private static final class Checked extends Clock {
    private final Clock clock;
    private final String tz;

    Checked(Clock clock, String tz) {
      this.clock = clock;
      this.tz = tz;
    }

    @Override
    public ZoneId getZone() {
      return check(tz, clock.getZone());
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return clock.withZone(zone);
    }

    @Override
    public Instant instant() {
      return clock.instant();
    }

    @Override
    public long millis() {
      return clock.millis();
    }
  }
}
