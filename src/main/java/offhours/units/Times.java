package offhours.units;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way offhours shows an instant to a reader: "2026-11-26 08:00 Europe/Berlin", the date and the time of day in
 * a named zone (the stack's TimeZone, in which the controller speaks), to the minute as the controller's reasons say
 * them. An ISO instant ("2026-11-26T07:00:00Z") beside such a reason makes a reader convert one into the other, and a
 * time without its zone ("8:00 AM") is wrong for every reader in another. Machine-read output (JSON) keeps ISO.
 */
public final class Times {

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  /** An ISO-8601 instant in UTC as offhours and the AWS SDK write them, with or without seconds and fractions. */
  private static final Pattern ISO_INSTANT =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?Z");

  private Times() {}

  /**
   * "2026-11-26 08:00 Europe/Berlin": a ZonedDateTime's own text ("2026-11-26T08:00+01:00[Europe/Berlin]") reads as a
   * Java value.
   */
  public static String at(Instant t, ZoneId zone) {
    return LOCAL.format(t.atZone(zone)) + " " + zone(zone);
  }

  /** "Europe/Berlin", and "UTC" for ZoneOffset.UTC, whose id "Z" reads as a typo after a time. */
  public static String zone(ZoneId zone) {
    return zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
  }

  /**
   * {@code text} with every ISO instant in it ("started by timer for 2026-11-25T09:39:40Z", a control-state
   * attribute) said as {@link #at} says it.
   */
  public static String inText(String text, ZoneId zone) {
    Matcher iso = ISO_INSTANT.matcher(text);
    StringBuilder out = new StringBuilder();
    while (iso.find()) {
      iso.appendReplacement(
          out, Matcher.quoteReplacement(at(OffsetDateTime.parse(iso.group()).toInstant(), zone)));
    }
    return iso.appendTail(out).toString();
  }
}
