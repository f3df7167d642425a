package offhours.cli;

import java.util.List;

/**
 * One command of {@code offhours}, e.g. {@code upload}, or a group of subcommands such as {@code endpoint}.
 *
 * <p>A leaf command declares its options and operands; {@link Main} parses the command line against
 * them (so {@code --help}, unknown options and missing values behave the same everywhere) and then calls
 * {@link #run}. A group returns its {@link #subcommands()} and is never run itself; build one with
 * {@link #group}. Register commands in {@link Commands#all()}.
 */
public interface Command {

  /** The word that selects this command on the command line, e.g. {@code "upload"}. */
  String name();

  /** One line for the parent's help, e.g. "upload images to the bucket". */
  String summary();

  /** The options this command accepts; {@code --help} is implicit. */
  default List<Option> options() {
    return List.of();
  }

  /** The operands after the options as shown in the usage line, e.g. {@code "PATH..."}; empty for none. */
  default String operands() {
    return "";
  }

  /** Paragraphs after the option list in {@code --help}: what the command does, examples. */
  default String description() {
    return "";
  }

  /** Non-empty for a group: {@code offhours endpoint status} selects {@code status} here. */
  default List<Command> subcommands() {
    return List.of();
  }

  /**
   * Runs the command and returns its exit code (0 success, 1 failure). Throw {@link CliException} for
   * a failure with a message; usage errors ({@link CliException#usage}) exit 2 with a pointer to
   * {@code --help}.
   */
  default int run(Invocation call) throws Exception {
    throw new UnsupportedOperationException(name() + " is a group of subcommands");
  }

  /** A command that only groups {@code subcommands}, e.g. {@code endpoint status|start|stop}. */
  static Command group(String name, String summary, List<Command> subcommands) {
    List<Command> copy = List.copyOf(subcommands);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("group '" + name + "' has no subcommands");
    }
    return new Command() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String summary() {
        return summary;
      }

      @Override
      public List<Command> subcommands() {
        return copy;
      }
    };
  }
}
