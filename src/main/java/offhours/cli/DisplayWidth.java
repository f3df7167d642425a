package offhours.cli;

import java.text.BreakIterator;
import java.util.Locale;

/**
 * How many columns text takes on a terminal, one grapheme cluster (what a reader sees as one character) at a time:
 * an "e" and a combining accent, a flag (two regional indicators), a thumb with a skin tone, a family joined by zero
 * width joiners each take the columns of one character, not the sum of their code points'.
 *
 * <p>A cluster is as wide as its first code point ({@link #wide}: East_Asian_Width W or F, or Emoji_Presentation),
 * except that an emoji asked for in emoji presentation (U+FE0F, VS16) or joined into an emoji sequence (U+200D before
 * an Extended_Pictographic) takes two columns, and one asked for in text presentation (U+FE0E, VS15) takes one. That
 * is how terminals that measure clusters draw them; a terminal that still adds up code points draws a family wider,
 * so a table line may then overrun by a few columns, never cut a character in two. Clusters are the JDK's
 * ({@link BreakIterator}, extended grapheme clusters of UAX #29: https://www.unicode.org/reports/tr29/); widths are
 * UAX #11's (https://www.unicode.org/reports/tr11/) and emoji properties UTS #51's
 * (https://www.unicode.org/reports/tr51/).
 */
final class DisplayWidth {

  private static final int ZERO_WIDTH_SPACE = 0x200B;
  private static final int ZERO_WIDTH_JOINER = 0x200D;
  private static final int TEXT_PRESENTATION = 0xFE0E;
  private static final int EMOJI_PRESENTATION = 0xFE0F;

  /**
   * The code points Unicode's EastAsianWidth.txt marks W or F (15.1.0:
   * https://www.unicode.org/Public/15.1.0/ucd/EastAsianWidth.txt), apart from the Emoji_Presentation ones that
   * {@link Character#isEmojiPresentation} answers from the JDK's own copy of emoji-data.txt; unassigned code points
   * between them are taken in, so that a range is a block: pairs of first and last code point.
   */
  private static final int[] WIDE = {
    0x1100, 0x115F, // Hangul Jamo initial consonants
    0x2329, 0x232A, // angle brackets
    0x2E80, 0x303E, // CJK radicals, Kangxi radicals, CJK symbols and punctuation
    0x3041, 0x3247, // Hiragana, Katakana, Bopomofo, Hangul compatibility Jamo, Kanbun, enclosed CJK
    0x3250, 0x4DBF, // enclosed CJK, CJK compatibility, CJK extension A
    0x4E00, 0xA4C6, // CJK unified ideographs, Yi
    0xA960, 0xA97C, // Hangul Jamo extended A
    0xAC00, 0xD7A3, // Hangul syllables
    0xF900, 0xFAFF, // CJK compatibility ideographs
    0xFE10, 0xFE19, // vertical forms
    0xFE30, 0xFE6B, // CJK compatibility forms, small form variants
    0xFF01, 0xFF60, // fullwidth forms
    0xFFE0, 0xFFE6, // fullwidth signs
    0x16FE0, 0x1B2FB, // ideographic symbols, Tangut, Khitan, kana supplements, Nushu
    0x1F200, 0x1F265, // enclosed ideographic supplement
    0x20000, 0x3FFFD, // CJK extensions B and later (planes 2 and 3)
  };

  private DisplayWidth() {}

  /** The columns of {@code text}: the sum of its grapheme clusters'. */
  static int of(String text) {
    BreakIterator clusters = BreakIterator.getCharacterInstance(Locale.ROOT);
    clusters.setText(text);
    int columns = 0;
    for (int start = clusters.first(), end = clusters.next();
        end != BreakIterator.DONE;
        start = end, end = clusters.next()) {
      columns += cluster(text.substring(start, end));
    }
    return columns;
  }

  /** The columns of one grapheme cluster: 0, 1 or 2. */
  private static int cluster(String cluster) {
    int first = cluster.codePointAt(0);
    int type = Character.getType(first);
    if (type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || (first >= ZERO_WIDTH_SPACE && first <= ZERO_WIDTH_JOINER)) {
      return 0; // a mark or a joiner with nothing before it to attach to
    }
    if (Character.isEmoji(first) && cluster.length() > Character.charCount(first)) {
      if (cluster.indexOf(EMOJI_PRESENTATION) >= 0 || joinsPictographs(cluster)) {
        return 2;
      }
      if (cluster.indexOf(TEXT_PRESENTATION) >= 0) {
        return 1;
      }
    }
    return wide(first) ? 2 : 1;
  }

  /** Whether a zero width joiner in {@code cluster} is followed by an Extended_Pictographic: an emoji ZWJ sequence. */
  private static boolean joinsPictographs(String cluster) {
    for (int i = cluster.indexOf(ZERO_WIDTH_JOINER);
        i >= 0 && i + 1 < cluster.length();
        i = cluster.indexOf(ZERO_WIDTH_JOINER, i + 1)) {
      if (Character.isExtendedPictographic(cluster.codePointAt(i + 1))) {
        return true;
      }
    }
    return false;
  }

  /** Whether a terminal draws {@code c} two columns wide: East_Asian_Width W or F, or an emoji by default. */
  private static boolean wide(int c) {
    if (Character.isEmojiPresentation(c)) {
      return true;
    }
    for (int i = 0; i < WIDE.length && c >= WIDE[i]; i += 2) {
      if (c <= WIDE[i + 1]) {
        return true;
      }
    }
    return false;
  }
}
