package offhours.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * A README command line's words as a shell splits them, for the tests that run those commands as written (the AWS CLI
 * lines of ReadmeAwsCommandsIT, LocalStartAwsCliIT and RemovingTheStackReadmeIT): on spaces, quotes removed, what they
 * hold kept together. The lines have no escapes, variables nor globs; an unclosed quote is an error.
 */
public final class ShellWords {

  private ShellWords() {}

  public static List<String> split(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == ' ') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unclosed quote in " + command);
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
