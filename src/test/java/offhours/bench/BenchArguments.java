package offhours.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The bench command's arguments: {@code --quick} and {@code --only} with a comma-separated list of its sections. A
 * word it does not know is refused, naming what it takes, where it would have printed a table without the lines asked
 * for (an unknown section) or without the shorter run (a misspelt {@code --quick}).
 */
record BenchArguments(boolean quick, List<String> sections) {

  /** Every section, in the order the table prints them. */
  static final List<String> SECTIONS =
      List.of("drain", "standin", "consumer", "cold", "packages", "container");

  static final String USAGE =
      "usage: scripts/bench [--quick] [--only " + String.join(",", SECTIONS) + "]";

  static BenchArguments parse(List<String> args) {
    boolean quick = false;
    List<String> sections = SECTIONS;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--quick")) {
        quick = true;
      } else if (arg.equals("--only")) {
        if (i + 1 == args.size() || args.get(i + 1).startsWith("--")) {
          throw new IllegalArgumentException(
              "--only needs the sections to run, separated by commas: " + String.join(",", SECTIONS)
                  + "; " + USAGE);
        }
        sections = sections(args.get(++i));
      } else {
        throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
      }
    }
    return new BenchArguments(quick, sections);
  }

  private static List<String> sections(String list) {
    List<String> sections = new ArrayList<>();
    for (String section : list.split(",", -1)) {
      if (!SECTIONS.contains(section)) {
        throw new IllegalArgumentException("--only names no section '" + section
            + "'; the sections are " + String.join(", ", SECTIONS));
      }
      sections.add(section);
    }
    return List.copyOf(sections);
  }
}
