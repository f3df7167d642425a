package offhours.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A section of README.md (or of another of the repository's Markdown files) as the tests that hold its text to the code
 * read it: from its heading line to the next heading of the same or a higher level (as many {@code #} or fewer), or to
 * the end of the file. Lines inside a fenced code block are never headings (a shell comment starts with {@code #}
 * too). A heading that is missing, or given twice, fails with its name and the file's, so a renamed section says which
 * test reads it instead of failing with an index out of range or searching the wrong text.
 */
public final class MarkdownSections {

  public static final Path README = Path.of("README.md");

  private MarkdownSections() {}

  /** The README's section under {@code heading}, the whole heading line: {@code "### Alarms"}. */
  public static String readme(String heading) {
    return of(README, heading);
  }

  /** The section under {@code heading} of the Markdown file {@code file}. */
  public static String of(Path file, String heading) {
    try {
      return section(Files.readString(file), heading, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The section under {@code heading} of {@code markdown}, its heading line first and its last line's newline kept;
   * {@code source} names the text in the failure.
   */
  public static String section(String markdown, String heading, String source) {
    int level = level(heading);
    if (level == 0) {
      throw new IllegalArgumentException(
          "'" + heading + "' is no Markdown heading: one to six '#', a space and a title");
    }
    List<String> lines = markdown.lines().toList();
    int start = -1;
    int end = lines.size();
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      if (line.stripTrailing().equals(heading)) {
        if (start >= 0) {
          throw new AssertionError(source + " has the heading '" + heading
              + "' twice (lines " + (start + 1) + " and " + (i + 1)
              + "); a test reads that section, so it must be one");
        }
        start = i;
      } else if (start >= 0 && end == lines.size()) {
        int found = level(line);
        if (found > 0 && found <= level) {
          end = i;
        }
      }
    }
    if (start < 0) {
      throw new AssertionError(source + " has no heading '" + heading
          + "': a test reads that section (renamed? rename it in the test too)");
    }
    return String.join("\n", lines.subList(start, end)) + "\n";
  }

  /** The level of a heading line (the number of its leading {@code #}), 0 for any other line. */
  private static int level(String line) {
    int hashes = 0;
    while (hashes < line.length() && line.charAt(hashes) == '#') {
      hashes++;
    }
    return hashes >= 1 && hashes <= 6 && line.length() > hashes + 1 && line.charAt(hashes) == ' '
        ? hashes
        : 0;
  }
}
