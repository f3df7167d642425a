package offhours.local.sagemaker;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The last thing a container command wrote to its log, for the endpoint's failure reason: a command that exits before
 * it serves (python's "can't open file", a missing module) says why in its last line, and the user should read it in
 * the reason rather than open the log. The line is the command's own text, so it is shown as one line with its
 * control characters escaped ({@code \}{@code x1b} for ESC), and cut to {@link #MAX_CHARS}.
 */
final class LogTail {
  /** At most this many characters of the line, escapes included, then "...". */
  static final int MAX_CHARS = 200;

  /** Bytes read from the end of the log: a last line is short; a longer one is cut anyway. */
  private static final int TAIL_BYTES = 8192;

  private LogTail() {}

  /**
   * The last non-blank line written to {@code log} from byte {@code from} on (where this launch's output starts, as
   * the log is appended to), escaped and cut; empty when there is none or the log cannot be read.
   */
  static Optional<String> lastLine(Path log, long from) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(from, file.length() - TAIL_BYTES);
      if (start >= file.length()) {
        return Optional.empty();
      }
      byte[] tail = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(tail);
      String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        if (!lines[i].isBlank()) {
          return Optional.of(oneLine(lines[i].strip()));
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code line} with control characters as {@code \}{@code xHH}, cut to {@link #MAX_CHARS}, never inside one. */
  static String oneLine(String line) {
    String escaped = escape(line, Integer.MAX_VALUE);
    return escaped.length() <= MAX_CHARS ? escaped : escape(line, MAX_CHARS - 3) + "...";
  }

  /** The escaped characters of {@code line} that fit in {@code max} chars, whole (a code point, an escape). */
  private static String escape(String line, int max) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < line.length(); ) {
      int c = line.codePointAt(i);
      i += Character.charCount(c);
      String shown = Character.isISOControl(c)
          ? String.format(Locale.ROOT, "\\x%02x", c)
          : Character.toString(c);
      if (out.length() + shown.length() > max) {
        break;
      }
      out.append(shown);
    }
    return out.toString();
  }
}
