package offhours.cli;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import offhours.units.Shown;
import offhours.units.WholeNumbers;

/**
 * What the CLI prints for people: text made safe for a terminal, and the terminal's width.
 *
 * <p>Object keys, reasons, labels and the controller's state come from outside (anyone who may upload chooses a key;
 * a model container writes its own error text), and a terminal obeys the control characters in them: ESC starts
 * sequences that clear the screen, move the cursor, set the window title or, in some terminals, write files. Every
 * table and line of text output passes such values through {@link #printable}, and an error passes the value it
 * quotes through {@link #value}; {@code --json} output does not need it (JSON escapes control characters itself).
 */
final class Terminal {

  /** Columns assumed when COLUMNS is not set (output to a file or a pipe; scripts/offhours sets it on a terminal). */
  static final int DEFAULT_COLUMNS = 120;

  private Terminal() {}

  /** {@code text} with every control character shown as an escape ({@link Shown#escaped}). */
  static String printable(String text) {
    return Shown.escaped(text);
  }

  /** As {@link #printable}, keeping line feeds: for messages of several lines. */
  static String printableLines(String text) {
    return Shown.escapedLines(text);
  }

  /**
   * {@code value} as one word a shell reads back as exactly {@code value}, for a message to show and a user to paste:
   * as it is when plain, else in single quotes; with a control character, which a terminal must be shown as an
   * escape that single quotes would keep as text, in bash's {@code $'...'} ({@link #bashQuoted}). It holds no control
   * character, so {@link #printable} leaves it as it is. The one place the CLI quotes a value for a shell.
   */
  static String shellWord(String value) {
    if (SHELL_PLAIN.matcher(value).matches()) {
      return value;
    }
    return value.chars().anyMatch(c -> Shown.isControl((char) c))
        ? bashQuoted(value)
        : "'" + value.replace("'", "'\\''") + "'";
  }

  /**
   * {@code text} quoted for bash as {@code $'...'}, which gives back exactly {@code text}: a control character
   * ({@link Shown#isControl}) as the bytes of its UTF-8 in {@code \xHH} escapes, which bash reads alike in any locale
   * ({@code \x85} alone would be the byte 0x85, not U+0085), a backslash and a quote escaped, everything else as it is.
   */
  private static String bashQuoted(String text) {
    StringBuilder quoted = new StringBuilder(text.length() + 3).append("$'");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Shown.isControl(c)) {
        for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
          quoted.append(String.format(Locale.ROOT, "\\x%02x", b & 0xff));
        }
      } else {
        quoted.append(c == '\\' || c == '\'' ? "\\" + c : String.valueOf(c));
      }
    }
    return quoted.append('\'').toString();
  }

  private static final Pattern SHELL_PLAIN = Pattern.compile("[A-Za-z0-9_.,:/+=@%-]+");

  /**
   * A value as a message quotes it: escaped, and cut to its start past {@value Shown#LONGEST} characters
   * ({@link Shown#value}).
   */
  static String value(String text) {
    return Shown.value(text);
  }

  /**
   * The terminal's width from {@code COLUMNS} (as a shell and scripts/offhours set it), else {@link #DEFAULT_COLUMNS}.
   */
  static int columns(Map<String, String> env) {
    try {
      long columns = WholeNumbers.parse(env.getOrDefault("COLUMNS", ""));
      return columns > 0 && columns <= Integer.MAX_VALUE ? (int) columns : DEFAULT_COLUMNS;
    } catch (NumberFormatException e) {
      return DEFAULT_COLUMNS;
    }
  }
}
