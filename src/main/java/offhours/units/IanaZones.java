package offhours.units;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The one rule for a zone a user gives offhours: the functions' TIME_ZONE, the CLI's {@code --time-zone}. An IANA zone
 * id Java knows ({@code Europe/Berlin}, {@code US/Eastern}, {@code UTC}, {@code Etc/UTC}, {@code Etc/GMT+1}), each
 * meaning what tzdb says. The template's TimeZone takes fewer, the zones its AllowedValues list ({@code UTC} and the
 * Area/Location ones, not {@code US/Eastern}, {@code Etc/UTC} or {@code Etc/GMT+1}); each of those this rule takes
 * (ParameterConstraintsTest). Not a fixed offset, which {@link ZoneId#of} also
 * reads ({@code +02:00}, {@code -5}, {@code Z}, {@code GMT+1}, {@code UTC+3}): it has no summer time, and it reads two
 * ways: Java puts {@code GMT+1} an hour east of Greenwich, POSIX (and tzdb's {@code Etc/GMT+1}) an hour west. Every
 * function's zip carries this class (src/assembly): keep it free of dependencies but {@link Shown}.
 */
public final class IanaZones {

  private IanaZones() {}

  /**
   * {@code value} as the zone it names; refused, naming {@code setting} (TIME_ZONE, --time-zone), the value and what is
   * allowed, when it is not an IANA zone id Java knows.
   */
  public static ZoneId parse(String setting, String value) {
    if (value == null || !ZoneId.getAvailableZoneIds().contains(value)) {
      throw new IllegalArgumentException(
          setting + " needs an IANA zone such as Europe/Berlin, got '"
              + Shown.value(value) + "'"
              + (offset(value)
                  ? ", a fixed offset: it has no summer time, and Java puts GMT+1 an hour east of"
                      + " Greenwich where POSIX puts it west; give the zone whose clocks you mean"
                  : ""));
    }
    return ZoneId.of(value);
  }

  /** Whether {@code value} is one of the fixed offsets {@link ZoneId#of} reads ({@code +01:00}, {@code UTC+1}). */
  private static boolean offset(String value) {
    try {
      return value != null && ZoneId.of(value).getRules().isFixedOffset();
    } catch (DateTimeException e) {
      return false;
    }
  }
}
