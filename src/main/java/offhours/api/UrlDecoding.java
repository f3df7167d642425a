package offhours.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Strict percent-decoding (UTF-8): an escape that is not two hex digits, or bytes that are not UTF-8
 * ({@link Utf8Bytes}), are refused rather than guessed at ({@link java.net.URLDecoder} turns bad UTF-8 into U+FFFD,
 * which would name another key). Characters that are not escapes stand for their own UTF-8 bytes, so a key may come
 * partly escaped and partly not.
 */
public final class UrlDecoding {

  private UrlDecoding() {}

  /** A path as RFC 3986 decodes it: '+' stays a plus sign. */
  public static String path(String text, String what) {
    return decode(text, false, what);
  }

  /** A query name or value as HTML forms encode it, and as API Gateway reads it: '+' is a space. */
  public static String form(String text, String what) {
    return decode(text, true, what);
  }

  private static String decode(String text, boolean plusIsSpace, String what) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
        int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0) {
          throw new IllegalArgumentException(
              what + " has a '%' that starts no percent escape at position " + i);
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c == '+' && plusIsSpace) {
        bytes.write(' ');
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
        bytes.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return Utf8Bytes.decode(
        bytes.toByteArray(),
        problem -> what + " has percent escapes that are not UTF-8: " + problem);
  }
}
