package offhours.cli;

import java.util.ArrayList;
import java.util.List;

/** Renders {@code --help} texts from the commands' own declarations, so help never drifts from parsing. */
final class Help {

  private static final Option HELP = Option.flag("help", "show this help");

  private Help() {}

  private static String usageLine(String commandPath, Command command) {
    if (!command.subcommands().isEmpty()) {
      return "usage: " + commandPath + " COMMAND [OPTIONS]";
    }
    StringBuilder line = new StringBuilder("usage: ").append(commandPath);
    if (!command.operands().isEmpty()) {
      line.append(' ').append(command.operands());
    }
    for (Option option : command.options()) {
      line.append(" [").append(option.display()).append(']');
    }
    return line.toString();
  }

  static String render(String commandPath, Command command) {
    StringBuilder text = new StringBuilder(usageLine(commandPath, command)).append("\n\n");
    text.append(command.summary()).append("\n\n");
    if (!command.subcommands().isEmpty()) {
      text.append("commands:\n");
      List<String[]> rows = new ArrayList<>();
      command.subcommands().forEach(c -> rows.add(new String[] {c.name(), c.summary()}));
      appendRows(text, rows);
      text.append("\noptions, before or after the command (for the commands that take them):\n");
      appendRows(
          text,
          Option.GLOBAL.stream().map(o -> new String[] {o.display(), o.help()}).toList());
      text.append("\nRun '")
          .append(commandPath)
          .append(" COMMAND --help' for a command's options.\n");
      return text.toString();
    }
    text.append("options:\n");
    List<String[]> rows = new ArrayList<>();
    command.options().forEach(o -> rows.add(new String[] {o.display(), o.help()}));
    rows.add(new String[] {HELP.display() + ", -h", HELP.help()});
    appendRows(text, rows);
    if (!command.description().isEmpty()) {
      text.append('\n').append(command.description().strip()).append('\n');
    }
    return text.toString();
  }

  private static void appendRows(StringBuilder text, List<String[]> rows) {
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    for (String[] row : rows) {
      text.append("  ")
          .append(row[0])
          .append(" ".repeat(width - row[0].length() + 3))
          .append(row[1])
          .append('\n');
    }
  }
}
