package offhours.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;

/**
 * " (did you mean 'results'?)" for a mistyped command or option: the nearest known name, when it is close enough
 * that the typo is likely (one edit for names of up to four characters, two for longer ones; swapping two neighbouring
 * characters is one edit, so {@code --lable} finds {@code --label}). Case does not count: names are lower-case, and
 * {@code --hosting SCALE-TO-ZERO} finds {@code scale-to-zero}. Empty otherwise.
 */
final class DidYouMean {

  private DidYouMean() {}

  /** The note for {@code typed} among {@code names}, each shown as {@code prefix + name} ("--" for options). */
  static String among(String typed, Collection<String> names, String prefix) {
    String lower = typed.toLowerCase(Locale.ROOT);
    return names.stream()
        .filter(
            name -> distance(lower, name.toLowerCase(Locale.ROOT)) <= (name.length() <= 4 ? 1 : 2))
        .min(Comparator.comparingInt(name -> distance(lower, name.toLowerCase(Locale.ROOT))))
        .map(name -> " (did you mean '" + prefix + name + "'?)")
        .orElse("");
  }

  /** Edits from {@code a} to {@code b}: insertions, deletions, substitutions and swaps of two neighbours. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
