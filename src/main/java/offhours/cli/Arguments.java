package offhours.cli;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.results.ResultsTable;
import offhours.stack.StackSpec;

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

  /**
   * {@link #nonEmpty} for an object key, which S3 never makes longer than {@link StackSpec#MAX_KEY_BYTES}: a longer one
   * can have no result, so it is refused as a typo rather than answered with nothing found.
   */
  public Optional<String> objectKey(String option) {
    Optional<String> key = nonEmpty(option, "an object key");
    key.ifPresent(k -> withinKeyBytes(option, k, "no object can have it"));
    return key;
  }

  /** Refuses {@code value} of {@code option} when it is longer than any S3 key: {@code consequence} says why. */
  private static void withinKeyBytes(String option, String value, String consequence) {
    int bytes = value.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > StackSpec.MAX_KEY_BYTES) {
      throw CliException.usage("--" + option + " is " + bytes
          + " bytes (UTF-8), and no S3 key is longer than " + StackSpec.MAX_KEY_BYTES + ": "
          + consequence);
    }
  }

  /**
   * A key prefix ({@code --prefix}, {@code --key-prefix}), which no S3 key starts with when it is longer than
   * {@link StackSpec#MAX_KEY_BYTES}: refused as a typo rather than answered with nothing found. An empty one
   * is refused: it is every key, and more likely an unset variable ({@code --prefix "$P"}) than meant, so every command
   * asks for the flag to be left out instead.
   *
   * @param without what leaving the flag out does, as in "leave --prefix out for WITHOUT"
   */
  public Optional<String> keyPrefix(String option, String without) {
    Optional<String> prefix = value(option);
    if (prefix.filter(String::isEmpty).isPresent()) {
      throw CliException.usage(
          "--" + option + " needs a key prefix, got an empty value (an unset variable?);"
              + " leave --" + option + " out for " + without);
    }
    prefix.ifPresent(p -> withinKeyBytes(option, p, "no object can start with it"));
    return prefix;
  }

  /**
   * {@link #nonEmpty} for a top label, the label index's partition key, which DynamoDB holds to
   * {@link ResultsTable#MAX_PARTITION_KEY_BYTES}: a Query with a longer one is a ValidationException that names neither
   * the option nor the fix (moto answers it with nothing found), and GET /results refuses it too.
   */
  public Optional<String> topLabel(String option) {
    Optional<String> label = nonEmpty(option, "a top label such as Neutral");
    // A label is a class name, which is never blank (ModelContract refuses a blank one); one with a
    // control character is a paste or an escape gone wrong, and the table shows none.
    label.filter(String::isBlank).ifPresent(l -> {
      throw CliException.usage("--" + option
          + " needs a top label such as Neutral, got only spaces:" + " no class name is blank");
    });
    label.filter(l -> l.codePoints().anyMatch(Character::isISOControl)).ifPresent(l -> {
      throw CliException.usage("--" + option + " needs a top label such as Neutral, got '"
          + Terminal.value(l) + "', which has a control character: no class name offhours shows"
          + " has one");
    });
    label
        .map(l -> l.getBytes(StandardCharsets.UTF_8).length)
        .filter(bytes -> bytes > ResultsTable.MAX_PARTITION_KEY_BYTES)
        .ifPresent(bytes -> {
          throw CliException.usage("--" + option + " is " + bytes
              + " bytes (UTF-8), and no top label is longer than "
              + ResultsTable.MAX_PARTITION_KEY_BYTES + " (the label index's key allows no more): no"
              + " result can have it");
        });
    return label;
  }
}
