package offhours.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * template.yaml's comments as one text: each line's words after its {@code #}, joined with single spaces, so that a
 * test can look for what a comment quotes across its line breaks. YAML cannot name a value in a comment, so the tests
 * that read this tie a number a comment shows to the value it stands for.
 */
public final class TemplateComments {

  private TemplateComments() {}

  /** The comments of {@code template.yaml}. */
  public static String read() throws IOException {
    return of(Files.readString(Path.of("template.yaml")));
  }

  /** The comments of a template's text: only whole-line comments, as the template writes them. */
  static String of(String template) {
    return template
        .lines()
        .map(String::strip)
        .filter(line -> line.startsWith("#"))
        .map(line -> line.substring(1).strip())
        .collect(Collectors.joining(" "))
        .replaceAll("\\s+", " ");
  }
}
