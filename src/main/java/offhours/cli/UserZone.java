package offhours.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Pattern;
import offhours.units.IanaZones;

/**
 * The user's time zone: a {@code --time-zone} flag where a command takes one, else the JDK's default, which the JDK
 * takes from {@code TZ} (or this machine's zone when TZ is unset), refused where the JDK did not read TZ as the zone
 * it means. The JDK reads a TZ that is a zone id it knows ({@code Europe/Paris}, {@code UTC}, {@code Etc/UTC},
 * {@code GMT0}, {@code EST5EDT}) as that zone, and any other TZ without a word as a fixed offset: GMT for a name that
 * is no zone ({@code Europe/Pariss}) and for {@code UTC0}; {@code GMT+01:00} all year for {@code CET-1CEST}, its summer
 * time lost; {@code GMT+01:00} for {@code GMT+1}, which POSIX reads as an hour west of Greenwich. The local stack
 * would then keep its working hours and ledger days in that offset.
 *
 * <p>Accepted, besides TZ unset or empty (this machine's zone): a zone id Java knows, with or without POSIX's leading
 * ':' ({@code Europe/Paris}, {@code :Europe/Paris}, {@code UTC}, {@code Etc/UTC}, {@code GMT}, {@code GMT0}); and, as
 * UTC, the zero-offset POSIX forms of UTC and GMT that the JDK reads as GMT: {@code UTC0}, {@code UTC00},
 * {@code UTC+0}, {@code UTC-0}, {@code UTC+00}, {@code UTC-00}, {@code UTC0:00}, {@code UTC+00:00},
 * {@code UTC+00:00:00}, the same with GMT for UTC ({@code GMT+0}, {@code GMT-00:00} ...), each also after a ':'; and,
 * as the zone it names, a path to a zone file ({@code /usr/share/zoneinfo/Europe/Paris}), which the JDK reads as the
 * offset of the moment.
 * Refused: every other TZ the JDK read as GMT or as a {@code GMT±hh:mm} offset, such as {@code Europe/Pariss},
 * {@code CET-1CEST}, {@code GMT+1}, {@code UTC+1}, {@code WET0} (POSIX: WET all year; tzdb's WET has summer time) or
 * {@code Z}. A zone the JDK was given otherwise ({@code -Duser.timezone=Europe/Paris}) is used as it is.
 */
final class UserZone {

  /** What the JDK makes of a TZ it cannot name: GMT, or the C library's offset for now (GMT+01:00). */
  private static final Pattern JDK_FALLBACK = Pattern.compile("GMT([+-][0-9]{2}:[0-9]{2})?");

  private static final Pattern ZERO_OFFSET = Pattern.compile("(UTC|GMT)[+-]?00?(:00(:00)?)?");

  private static final ZoneId UTC = ZoneId.of("UTC");

  private static final String ZONEINFO = "/zoneinfo/";

  private UserZone() {}

  /**
   * The system clock, whose zone is {@link #check}ed when a command first asks for it: a command that never reads a
   * time of day runs whatever TZ says.
   */
  static Clock clock(Map<String, String> env) {
    return clock(env, Clock.systemDefaultZone());
  }

  /** {@code jdkClock}, whose zone the JDK took from {@code env}'s TZ, {@link #check}ed when asked for it. */
  static Clock clock(Map<String, String> env, Clock jdkClock) {
    return new Checked(jdkClock, env.get("TZ"));
  }

  /**
   * A {@code --time-zone} flag's zone (cost, ui, simulate, local start and run, demo), by the rule of the functions'
   * TIME_ZONE ({@link IanaZones}): an IANA id Java knows, not a fixed offset. The template's TimeZone lists fewer.
   */
  static ZoneId flag(String value) {
    try {
      return IanaZones.parse("--time-zone", value);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
  }

  /**
   * {@code jdkZone}, or UTC for a zero-offset POSIX form of it, unless the JDK read {@code tz} as an offset it does
   * not mean (then an error naming it).
   */
  static ZoneId check(String tz, ZoneId jdkZone) {
    if (tz == null || tz.isBlank() || !JDK_FALLBACK.matcher(jdkZone.getId()).matches()) {
      return jdkZone;
    }
    // A leading ':' is POSIX's "the rest names a zone file", as in TZ=:Europe/Paris, which the JDK
    // reads.
    String name = tz.startsWith(":") ? tz.substring(1) : tz;
    ZoneId file = zoneFile(name);
    if (file != null) {
      return file;
    }
    boolean gmt = jdkZone.getId().equals("GMT");
    if (gmt && name.equals("GMT")) {
      return jdkZone;
    }
    if (gmt && ZERO_OFFSET.matcher(name).matches()) {
      return UTC;
    }
    String read = gmt
        ? "is no time zone Java knows, so Java would read it as GMT"
        : "Java reads as the fixed offset " + jdkZone.getId() + " all year, not as POSIX does (no"
            + " summer time, and GMT+1 east of Greenwich where POSIX puts it west)";
    // A local stack keeps the zone it was started in: this command's own times are what TZ sets.
    throw CliException.failure("TZ is '" + Terminal.value(tz) + "', which " + read
        + ": the times of day this command reads or shows would be " + (gmt ? "in " : "at ")
        + jdkZone.getId()
        + ", as would the working hours of a local stack started so; set TZ to an IANA zone such"
        + " as Europe/Paris or unset it to use this machine's zone;"
        + " local start and demo also take --time-zone Europe/Paris");
  }

  /**
   * The zone a TZ that is a path to a tzdb file names ({@code /usr/share/zoneinfo/Europe/Paris}, its {@code posix/}
   * copy too), which the C library reads as that zone and the JDK as the file's offset now, all year; null for any
   * other TZ, or a file whose name is no zone Java knows.
   */
  private static ZoneId zoneFile(String name) {
    int at = name.lastIndexOf(ZONEINFO);
    if (!name.startsWith("/") || at < 0) {
      return null;
    }
    String id = name.substring(at + ZONEINFO.length()).replaceFirst("^posix/", "");
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      return null;
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
