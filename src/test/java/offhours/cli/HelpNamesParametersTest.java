package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A command's help names a setting by the stack parameter an operator sets ({@code MaxDeferrals}), not by the
 * function's environment variable it reaches the code as ({@code MAX_DEFERRALS}), which no operator sets: {@code queue
 * --help} named MAX_DEFERRALS in the sentence that named MaxReceiveCount.
 */
class HelpNamesParametersTest {

  private static final Pattern PASSED_ON =
      Pattern.compile("(?m)^\\s+([A-Z][A-Z0-9_]+): !Ref ([A-Za-z0-9]+)$");

  @Test
  void noHelpNamesTheVariableAParameterIsPassedOnAs() throws IOException {
    String template = Files.readString(Path.of("template.yaml"));
    String parameters =
        template.substring(template.indexOf("\nParameters:"), template.indexOf("\nConditions:"));
    Map<String, String> variables = new LinkedHashMap<>();
    Matcher passed = PASSED_ON.matcher(template);
    while (passed.find()) {
      if (parameters.contains("\n  " + passed.group(2) + ":\n")) {
        variables.put(passed.group(1), passed.group(2));
      }
    }
    assertThat(variables)
        .as("parameters passed on as variables")
        .containsEntry("MAX_DEFERRALS", "MaxDeferrals");

    List<Command> commands = new ArrayList<>();
    Commands.all().forEach(c -> collect(c, commands));
    List<String> named = new ArrayList<>();
    for (Command command : commands) {
      String help = command.description() + " "
          + command.options().stream().map(Option::help).reduce("", (a, b) -> a + " " + b);
      variables.forEach((variable, parameter) -> {
        if (Pattern.compile("\\b" + variable + "\\b").matcher(help).find()) {
          named.add("'" + command.name() + " --help' names " + variable + " for " + parameter);
        }
      });
    }
    assertThat(named).isEmpty();
  }

  private static void collect(Command command, List<Command> into) {
    into.add(command);
    command.subcommands().forEach(c -> collect(c, into));
  }
}
