package offhours.stack;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the model is hosted (template parameter {@code Hosting}, variable {@code HOSTING}): the same consumer, results
 * and ledger for each; what the controller switches differs.
 */
public enum Hosting {
  /** A real-time endpoint the controller creates and deletes. */
  SCHEDULED("scheduled"),
  /** A real-time endpoint that stays, with an inference component whose copy count the controller sets (0 or N). */
  SCALE_TO_ZERO("scale-to-zero"),
  /** A serverless endpoint owned by the stack: nothing to schedule, cold starts and throttling defer. */
  SERVERLESS("serverless");

  private final String value;

  Hosting(String value) {
    this.value = value;
  }

  /** The spelling of the template parameter and the variable. */
  public String value() {
    return value;
  }

  /** Reads the variable's value, spelled exactly as the template's parameter allows. */
  public static Hosting parse(String value) {
    for (Hosting h : values()) {
      if (h.value.equals(value)) {
        return h;
      }
    }
    throw new IllegalArgumentException(
        "HOSTING must be one of " + spellings() + ", got '" + value + "'");
  }

  /** "scheduled, scale-to-zero or serverless". */
  public static String spellings() {
    String all = Arrays.stream(values()).map(Hosting::value).collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return all.substring(0, last) + " or " + all.substring(last + 2);
  }
}
