package offhours.units;

import java.util.Locale;

/**
 * Text from outside (a setting, a flag, an object key, a model's words) as offhours' messages show it. A terminal obeys
 * the control characters in such text (ESC starts sequences that clear the screen or set the window title), so they are
 * shown as escapes ({@link #escaped}); and a value an error quotes is cut to its start past {@value #LONGEST}
 * characters ({@link #value}), so that a 5,000-character setting does not fill the screen with itself. One rule for
 * the CLI and the functions' own errors; every function's zip carries this class (src/assembly): keep it free of
 * dependencies.
 */
public final class Shown {

  /** The most characters of a value an error quotes whole. */
  public static final int LONGEST = 80;

  /** How many characters of a longer value it quotes, before "... (N characters)". */
  public static final int KEPT = 60;

  private Shown() {}

  /**
   * {@code text} with every control character shown as an escape: C0 controls, DEL and C1 controls as {@code \xHH}
   * (ESC is {@code \x1b}, a line feed {@code \x0a}), the invisible bidirectional and line-separator controls as
   * {@code \}{@code uHHHH}. Everything else, including any other unicode, is kept. Null stays null.
   */
  public static String escaped(String text) {
    return escape(text, false);
  }

  /** As {@link #escaped}, keeping line feeds: for messages of several lines. */
  public static String escapedLines(String text) {
    return escape(text, true);
  }

  /**
   * {@code value} as an error quotes it: {@link #escaped}, and when it is longer than {@value #LONGEST} characters
   * (code points), its first {@value #KEPT} and how long it is: {@code abcd... (5000 characters)}. "null" for null.
   */
  public static String value(String value) {
    if (value == null) {
      return "null";
    }
    int length = value.codePointCount(0, value.length());
    if (length <= LONGEST) {
      return escaped(value);
    }
    return escaped(value.substring(0, value.offsetByCodePoints(0, KEPT))) + "... ("
        + Plurals.of(length, "character") + ")";
  }

  private static String escape(String text, boolean keepLineFeeds) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = isControl(c) && !(keepLineFeeds && c == '\n');
      if (control && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (!control) {
          out.append(c);
        } else if (c < 0x100) {
          out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
        } else {
          out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /** Whether {@link #escaped} shows {@code c} as an escape. */
  public static boolean isControl(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u061c'
        || c == '\u200e'
        || c == '\u200f'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\u2028'
        || c == '\u2029';
  }
}
