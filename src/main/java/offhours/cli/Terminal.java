package offhours.cli;

import java.util.Locale;
import java.util.Map;
import offhours.units.WholeNumbers;

/**
 * What the CLI prints for people: text made safe for a terminal, and the terminal's width.
 *
 * <p>Object keys, reasons, labels and the controller's state come from outside (anyone who may upload chooses a key;
 * a model container writes its own error text), and a terminal obeys the control characters in them: ESC starts
 * sequences that clear the screen, move the cursor, set the window title or, in some terminals, write files. Every
 * table and line of text output passes such values through {@link #printable}; {@code --json} output does not need
 * it (JSON escapes control characters itself).
 */
final class Terminal {

  /** Columns assumed when COLUMNS is not set (output to a file or a pipe; scripts/offhours sets it on a terminal). */
  static final int DEFAULT_COLUMNS = 120;

  private Terminal() {}

  /**
   * {@code text} with every control character shown as an escape: C0 controls, DEL and C1 controls as {@code \xHH}
   * (ESC is {@code \x1b}, a line feed {@code \x0a}), the invisible bidirectional and line-separator controls as
   * {@code \}{@code uHHHH}. Everything else, including any other unicode, is kept.
   */
  static String printable(String text) {
    return escape(text, false);
  }

  /** As {@link #printable}, keeping line feeds: for messages of several lines. */
  static String printableLines(String text) {
    return escape(text, true);
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

  private static boolean isControl(char c) {
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

  /** The terminal's width from {@code COLUMNS} (as a shell and scripts/offhours set it), else {@link #DEFAULT_COLUMNS}. */
  static int columns(Map<String, String> env) {
    try {
      long columns = WholeNumbers.parse(env.getOrDefault("COLUMNS", ""));
      return columns > 0 && columns <= Integer.MAX_VALUE ? (int) columns : DEFAULT_COLUMNS;
    } catch (NumberFormatException e) {
      return DEFAULT_COLUMNS;
    }
  }
}
