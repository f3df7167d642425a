package offhours.endpoint.sim;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A recorded upload trace: one ISO-8601 instant with an offset per line ({@code 2026-10-19T07:14:15Z},
 * {@code 2026-10-19T09:14:15+02:00}); blank lines and {@code #} comments (whole lines or after an instant) are
 * ignored. The lines may come in any order (files of several buckets or prefixes put together) and the same instant
 * may repeat (many uploads in one second are real): the uploads come back sorted, each line one upload.
 */
public final class TraceFile {

  private TraceFile() {}

  /**
   * A parsed trace: its uploads in time order, and the number of the first line whose instant is earlier than a line
   * above it (0 when the file was in order), for a note that it was sorted.
   */
  public record RecordedTrace(List<Instant> uploads, int firstOutOfOrderLine) {}

  /** Parses the lines of {@code source} (named in errors); a bad line fails with its number and what is expected. */
  public static List<Instant> parse(String source, List<String> lines) {
    return read(source, lines).uploads();
  }

  /** {@link #parse}, saying where the file was out of order. */
  public static RecordedTrace read(String source, List<String> lines) {
    List<Instant> uploads = new ArrayList<>();
    int outOfOrder = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (text.isEmpty()) {
        continue;
      }
      try {
        Instant upload = OffsetDateTime.parse(text).toInstant();
        if (outOfOrder == 0 && !uploads.isEmpty() && upload.isBefore(uploads.getLast())) {
          outOfOrder = i + 1;
        }
        uploads.add(upload);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            source + " line " + (i + 1) + ": '" + shorten(text)
                + "' is not an ISO-8601 instant with an offset, like 2026-10-19T07:14:15Z or 2026-10-19T09:14:15+02:00");
      }
    }
    if (uploads.isEmpty()) {
      throw new IllegalArgumentException(
          source + " has no upload instants (one ISO-8601 instant per line)");
    }
    uploads.sort(null);
    return new RecordedTrace(List.copyOf(uploads), outOfOrder);
  }

  private static String shorten(String text) {
    String printable = text.codePoints()
        .map(c -> c < 0x20 || c == 0x7f ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
    return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
  }
}
