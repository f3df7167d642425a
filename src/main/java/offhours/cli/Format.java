package offhours.cli;

import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Small text helpers shared by the commands. */
final class Format {

  /** How many items of a list a line names ({@link #firstOf}). */
  static final int LISTED = 10;

  private Format() {}

  /**
   * The first {@link #LISTED} of {@code items} joined by {@code separator}, then the separator and "..." when there
   * are more: "m-1, m-2, ...". Not escaped: its caller shows it through {@link Terminal#printable}.
   */
  static String firstOf(Collection<String> items, String separator) {
    return String.join(separator, items.stream().limit(LISTED).toList())
        + (items.size() > LISTED ? separator + "..." : "");
  }

  /**
   * {@code text} as {@link Terminal#printable} shows it, cut with "…" to take at most {@code columns} columns of a
   * terminal ({@link TextTable#width}), the "…" included. A cut falls only between the characters a reader sees
   * (grapheme clusters: "e" and a combining accent, a surrogate pair, an emoji with its modifiers stay together) and
   * never inside the escape of a control character ({@code \u202e} is kept whole or left out).
   */
  static String fit(String text, int columns) {
    String shown = Terminal.printable(text);
    if (TextTable.width(shown) <= columns) {
      return shown;
    }
    int room = columns - 1; // the "…" takes a column
    StringBuilder cut = new StringBuilder();
    BreakIterator clusters = BreakIterator.getCharacterInstance(Locale.ROOT);
    clusters.setText(text);
    for (int start = clusters.first(), end = clusters.next();
        end != BreakIterator.DONE;
        start = end, end = clusters.next()) {
      // Escaped one cluster at a time, so an escape is measured, kept or dropped as a whole.
      String cluster = Terminal.printable(text.substring(start, end));
      int width = TextTable.width(cluster);
      if (width > room) {
        break;
      }
      cut.append(cluster);
      room -= width;
    }
    return cut + "…";
  }

  /**
   * As {@link #fit}, but an object key keeps its end as well as its start ("photos/2026/…/IMG_0042.jpg"): keys under
   * one long prefix differ at the end, where the file's name is, and cut after their first 39 columns every one of
   * them read the same. The end gets half the columns, the start the rest.
   */
  static String fitKey(String key, int columns) {
    String shown = Terminal.printable(key);
    if (TextTable.width(shown) <= columns) {
      return shown;
    }
    List<String> clusters = new ArrayList<>();
    BreakIterator breaks = BreakIterator.getCharacterInstance(Locale.ROOT);
    breaks.setText(key);
    for (int start = breaks.first(), end = breaks.next();
        end != BreakIterator.DONE;
        start = end, end = breaks.next()) {
      clusters.add(Terminal.printable(key.substring(start, end)));
    }
    int room = columns - 1; // the "…" takes a column
    int tailRoom = room / 2;
    int first = clusters.size();
    while (first > 0 && TextTable.width(clusters.get(first - 1)) <= tailRoom) {
      tailRoom -= TextTable.width(clusters.get(--first));
    }
    StringBuilder head = new StringBuilder();
    int headRoom = room - (room / 2 - tailRoom);
    for (int i = 0; i < first && TextTable.width(clusters.get(i)) <= headRoom; i++) {
      head.append(clusters.get(i));
      headRoom -= TextTable.width(clusters.get(i));
    }
    return head + "…" + String.join("", clusters.subList(first, clusters.size()));
  }

  /**
   * What went wrong with a file, in words: the JDK's messages for a missing file or a denied one are the bare path
   * ({@code NoSuchFileException}, {@code AccessDeniedException}), and for bytes that are not UTF-8 "Input length = 1".
   */
  static String fileProblem(Exception e) {
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    return switch (cause) {
      case NoSuchFileException n -> "no such file or folder";
      case AccessDeniedException a -> "permission denied";
      case CharacterCodingException c -> "it is not UTF-8 text";
      case FileSystemException f when f.getReason() != null -> f.getReason();
      default -> String.valueOf(cause.getMessage());
    };
  }
}
