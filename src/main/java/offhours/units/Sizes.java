package offhours.units;

import java.util.Locale;

/**
 * Sizes as offhours shows them, everywhere: the CLI's upload notes and progress, the consumer's verdicts, and the
 * refusals of the page and of POST /classify. One unit system, decimal (1 kB = 1,000 bytes, 1 MB = 1,000,000 bytes),
 * as S3's console counts and as the 12,000,000-byte package budget is stated. This class is in the Classify and API
 * functions' zips: keep it free of dependencies.
 */
public final class Sizes {

  private static final String[] UNITS = {"kB", "MB", "GB", "TB"};

  /**
   * What makes an image over the endpoint's limit fit, said after the limit ({@link #overLimit}) by every refusal of
   * one: the verdict, upload's note, the page's upload and POST /classify, each then saying how to send it again.
   */
  public static final String SHRINK = "resize or re-encode it under that size";

  /**
   * {@link #SHRINK} for an image stored in the bucket, in its verdict and in upload's note: a new upload is a new
   * object version, so its event classifies it again under the same key.
   */
  public static final String SHRINK_AND_UPLOAD_AGAIN =
      SHRINK + " and upload it again (the key is classified again on upload)";

  private Sizes() {}

  /** 17 B, 812 kB, 1.3 MB, 12 MB: one decimal below 10 of a unit, none above. */
  public static String format(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 999.95 && unit < UNITS.length - 1) {
      value /= 1000;
      unit++;
    }
    return String.format(Locale.ROOT, value < 9.95 ? "%.1f %s" : "%.0f %s", value, UNITS[unit]);
  }

  /**
   * "is 9.1 MB; the endpoint accepts at most 6.3 MB": an image of {@code bytes} over the endpoint's {@code limit}, each
   * size as {@link #formatAgainst} tells them apart, for a refusal to follow with {@link #SHRINK}.
   */
  public static String overLimit(long bytes, long limit) {
    return "is " + formatAgainst(bytes, limit) + "; the endpoint accepts at most "
        + formatAgainst(limit, bytes);
  }

  /**
   * {@code bytes} as {@link #format} shows it, with the exact count added when the rounded text would read the same
   * as {@code other}'s while the sizes differ: "6.3 MB (6,300,000 bytes)" next to a limit of 6,291,456 bytes.
   */
  public static String formatAgainst(long bytes, long other) {
    String text = format(bytes);
    return bytes != other && text.equals(format(other))
        ? text + String.format(Locale.ROOT, " (%,d bytes)", bytes)
        : text;
  }
}
