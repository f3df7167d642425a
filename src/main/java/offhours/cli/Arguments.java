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

  /**
   * An option whose empty value can only be a mistake (an unset shell variable: {@code --label "$LABEL"}): no top
   * label, S3 key or model name is empty, and DynamoDB refuses an empty key value with a ValidationException that
   * names neither the option nor the fix, where a filter on it quietly matches nothing.
   *
   * @param what what the option needs, as in "--label needs WHAT"
   */
  public Optional<String> nonEmpty(String option, String what) {
    Optional<String> value = value(option);
    if (value.filter(String::isEmpty).isPresent()) {
      throw CliException.usage("--" + option + " needs " + what + ", got an empty value");
    }
    return value;
  }
}
