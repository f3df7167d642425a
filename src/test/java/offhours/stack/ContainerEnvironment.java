package offhours.stack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The model container's environment as the template's {@code ContainerEnvironment} parameter spells it: NAME=VALUE
 * pairs joined with commas, e.g. {@code HF_MODEL_ID=google/vit-base-patch16-224,HF_TASK=image-classification}.
 * CloudFormation cannot turn a string into a map, so the template's Model lists each name it passes through
 * ({@link #NAMES}); a name outside that list, a name given twice or a value with other characters is refused here and by
 * the parameter's pattern alike (ParameterConstraintsTest). No offhours code parses the parameter (the template's
 * conditions split it), so this reading of it lives with the tests.
 */
public final class ContainerEnvironment {

  /** The names the template passes through: the Hugging Face inference toolkit's and SageMaker's serving toolkits'. */
  public static final List<String> NAMES = List.of(
      "HF_MODEL_ID",
      "HF_TASK",
      "HF_MODEL_REVISION",
      "SAGEMAKER_PROGRAM",
      "SAGEMAKER_SUBMIT_DIRECTORY",
      "SAGEMAKER_CONTAINER_LOG_LEVEL",
      "SAGEMAKER_MODEL_SERVER_WORKERS",
      "SAGEMAKER_MODEL_SERVER_TIMEOUT");

  /** A value: letters, digits and {@code _ . / : @ + -}, 1 to 256 of them (no shell, no separators, no spaces). */
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_./:@+-]{1,256}");

  private ContainerEnvironment() {}

  /** The variables {@code spec} names, in its order; empty for an empty or blank spec. */
  public static Map<String, String> parse(String spec) {
    if (spec == null || spec.isEmpty()) {
      return Map.of();
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String pair : spec.split(",", -1)) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            "ContainerEnvironment: '" + pair + "' is not NAME=VALUE");
      }
      String name = pair.substring(0, eq);
      String value = pair.substring(eq + 1);
      if (!NAMES.contains(name)) {
        throw new IllegalArgumentException("ContainerEnvironment: "
            + (name.isEmpty()
                ? "a pair without a name"
                : "'" + name + "' is not one of the names the template passes through: "
                    + String.join(", ", NAMES)));
      }
      if (!VALUE.matcher(value).matches()) {
        throw new IllegalArgumentException("ContainerEnvironment: the value of " + name
            + " must be 1 to 256 letters," + " digits or _ . / : @ + -");
      }
      if (env.putIfAbsent(name, value) != null) {
        throw new IllegalArgumentException("ContainerEnvironment: " + name + " is given twice");
      }
    }
    return Collections.unmodifiableMap(env);
  }
}
