package offhours.units;

import java.util.List;

/**
 * A count and its noun in the grammar of the count, as every table and message of offhours says it: "1 start",
 * "2 starts", "0 days". One rule for the CLI, the simulation's tables, the hosting page, the controller's decisions
 * and cost table and the functions' log lines, so none of them falls back to "day(s)" or prints "1 invocations".
 * Nouns are the regular English ones (an "s" added); a caller with another plural says both forms. The choices of a
 * setting are said one way too ({@link #either}). Every function's zip carries this class (src/assembly): keep it free
 * of dependencies.
 */
public final class Plurals {

  private Plurals() {}

  /** 1 day, 7 days, 0 days. */
  public static String of(long count, String noun) {
    return of(count, noun, noun + "s");
  }

  /** 1 copy, 2 copies: for a noun whose plural is not the noun and an "s". */
  public static String of(long count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }

  /** "a", "a or b", "a, b or c": the choices a message offers, in their order. */
  public static String either(List<String> choices) {
    if (choices.isEmpty()) {
      throw new IllegalArgumentException("no choices to say");
    }
    int last = choices.size() - 1;
    return last == 0
        ? choices.get(0)
        : String.join(", ", choices.subList(0, last)) + " or " + choices.get(last);
  }
}
