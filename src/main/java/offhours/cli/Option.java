package offhours.cli;

import java.util.List;
import java.util.Objects;

/**
 * An option a command accepts: a flag ({@code --json}) when {@code valueName} is null, else an option
 * with a value ({@code --label L}, also written {@code --label=L}).
 */
public record Option(String name, String valueName, String help) {

  /** The options most data commands share. */
  public static final Option JSON =
      flag("json", "print JSON, one object per line, instead of text");

  public static final Option STACK = value(
      "stack", "NAME", "use the deployed CloudFormation stack NAME instead of the local stack");

  /**
   * Options that may also come before the command ({@code offhours --stack prod results}); they reach the command
   * as if given after it, and are refused for a command that does not take them.
   */
  public static final List<Option> GLOBAL = List.of(STACK, JSON);

  public Option {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(help, "help");
    if (name.startsWith("-") || name.isBlank()) {
      throw new IllegalArgumentException("option name without dashes expected, got '" + name + "'");
    }
  }

  public static Option flag(String name, String help) {
    return new Option(name, null, help);
  }

  public static Option value(String name, String valueName, String help) {
    return new Option(name, Objects.requireNonNull(valueName, "valueName"), help);
  }

  public boolean takesValue() {
    return valueName != null;
  }

  /** How the option is shown in usage lines: {@code --label L} or {@code --json}. */
  public String display() {
    return takesValue() ? "--" + name + " " + valueName : "--" + name;
  }
}
