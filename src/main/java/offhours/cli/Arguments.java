package offhours.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A parsed command line: the operands in order and the value of each option given (flags map to ""). */
public record Arguments(List<String> operands, Map<String, String> options) {

  public Arguments {
    operands = List.copyOf(operands);
    options = Map.copyOf(options);
  }

  public boolean has(String option) {
    return options.containsKey(option);
  }

  public Optional<String> value(String option) {
    return Optional.ofNullable(options.get(option));
  }
}
