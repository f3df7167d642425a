package offhours.aws;

import java.util.Locale;

/**
 * Text that SQS accepts in a message body or a String message attribute. SQS refuses the whole SendMessage when the
 * text holds a character outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html, MessageBody; a
 * String attribute value has the same restrictions, API_MessageAttributeValue.html): an ANSI escape (ESC), a NUL, or
 * half of a surrogate pair in a model container's error text would fail the send.
 */
public final class SqsText {

  private SqsText() {}

  /**
   * {@code text} with every character SQS refuses written as an escape ({@code \}{@code u001b}; an unpaired surrogate
   * likewise), cut to at most {@code maxChars} chars ending in "..." if longer, never inside a surrogate pair or an
   * escape.
   */
  public static String of(String text, int maxChars) {
    if (maxChars < 4) {
      throw new IllegalArgumentException("maxChars must be at least 4, got " + maxChars);
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 16);
    int kept = -1; // the length of out when it last fitted maxChars - 3, once out is longer
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (out.length() <= maxChars - 3) {
        kept = out.length();
      }
      if (allowed(c)) {
        out.appendCodePoint(c);
      } else {
        out.append(String.format(Locale.ROOT, "\\u%04x", c));
      }
      if (out.length() > maxChars) {
        return out.substring(0, kept) + "...";
      }
    }
    return out.toString();
  }

  /** Whether SQS accepts code point {@code c}; a lone surrogate (0xD800-0xDFFF) is refused. */
  static boolean allowed(int c) {
    return c == 0x9
        || c == 0xA
        || c == 0xD
        || (c >= 0x20 && c <= 0xD7FF)
        || (c >= 0xE000 && c <= 0xFFFD)
        || (c >= 0x10000 && c <= 0x10FFFF);
  }
}
