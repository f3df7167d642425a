package offhours.cli;

/** Small text helpers shared by the commands. */
final class Format {

  private Format() {}

  /** {@code text} cut to {@code max} code points, ending with "…" when cut. */
  static String truncate(String text, int max) {
    if (text.codePointCount(0, text.length()) <= max) {
      return text;
    }
    int end = text.offsetByCodePoints(0, max - 1);
    return text.substring(0, end) + "…";
  }

  static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
