package offhours.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses a leaf command's arguments against its options: {@code --flag}, {@code --opt value}, {@code --opt=value}. */
final class ArgumentParser {

  private ArgumentParser() {}

  /** True if {@code --help} or {@code -h} appears before a {@code --} separator. */
  static boolean wantsHelp(List<String> args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        return false;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        return true;
      }
    }
    return false;
  }

  static Arguments parse(String commandPath, List<Option> options, List<String> args) {
    Map<String, Option> byName = new LinkedHashMap<>();
    options.forEach(o -> byName.put(o.name(), o));
    List<String> operands = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        operands.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        operands.add(arg);
        continue;
      }
      int equals = arg.indexOf('=');
      String name =
          arg.startsWith("--") ? arg.substring(2, equals < 0 ? arg.length() : equals) : null;
      Option option = name == null ? null : byName.get(name);
      if (option == null) {
        String shown = equals < 0 ? arg : arg.substring(0, equals);
        throw CliException.usage("unknown option " + Terminal.value(shown) + " for '" + commandPath
            + "'" + (name == null ? "" : DidYouMean.among(name, byName.keySet(), "--")));
      }
      String value;
      if (!option.takesValue()) {
        if (equals >= 0) {
          throw CliException.usage("option --" + name + " takes no value");
        }
        value = "";
      } else if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        value = args.get(++i);
      } else {
        throw CliException.usage("option --" + name + " needs a value: " + option.display());
      }
      if (values.putIfAbsent(name, value) != null) {
        throw CliException.usage("option --" + name + " was given twice");
      }
    }
    return new Arguments(operands, values);
  }
}
