package offhours.units;

import java.util.List;

/**
 * A count and its noun in the grammar of the count, as every table and message of offhours says it: "1 start",
 * "2 starts", "0 days". One rule for the CLI, the simulation's tables, the hosting page, the controller's decisions
 * and cost table and the functions' log lines, so none of them falls back to "day(s)" or prints "1 invocations".
 * Nouns are the regular English ones (an "s" added); a caller with another plural says both forms. The choices of a
 * setting are said one way too ({@link #either}), and a list of names ({@link #all}). Every function's zip carries this
 * class (src/assembly): keep it free of dependencies.
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
    return joined(choices, " or ");
  }

  /** "a", "a and b", "a, b and c": every one of the things a message names, in their order. */
  public static String all(List<String> names) {
    return joined(names, " and ");
  }

  private static String joined(List<String> words, String lastJoin) {
    if (words.isEmpty()) {
      throw new IllegalArgumentException("nothing to say");
    }
    int last = words.size() - 1;
    return last == 0
        ? words.get(0)
        : String.join(", ", words.subList(0, last)) + lastJoin + words.get(last);
  }
}
