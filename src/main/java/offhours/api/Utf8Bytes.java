package offhours.api;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/**
 * Bytes read as UTF-8 text only when they are UTF-8 (RFC 3629, section 4: https://www.rfc-editor.org/rfc/rfc3629),
 * and otherwise refused with what is wrong with them. The JDK's decoders either put U+FFFD in place of bad bytes,
 * which in a key names another object, or report only that input is malformed; a client told "0xC0 0xAF is an
 * overlong form" knows what to fix. This is how offhours reads a request's bytes as text: the bytes of percent escapes
 * ({@link UrlDecoding}) and the raw bytes of a request line in local mode (offhours.local.api.RequestTarget).
 */
public final class Utf8Bytes {

  private static final HexFormat HEX =
      HexFormat.ofDelimiter(" ").withPrefix("0x").withUpperCase();

  private static final String OVERLONG =
      "a character in more bytes than it takes, which UTF-8 forbids";

  private Utf8Bytes() {}

  /**
   * {@code bytes} as text; bytes that are not UTF-8 throw {@link IllegalArgumentException} with the message
   * {@code refusal} makes of the problem (e.g. "0xA9 continues no character: a lone continuation byte").
   */
  public static String decode(byte[] bytes, UnaryOperator<String> refusal) {
    String problem = problem(bytes);
    if (problem != null) {
      throw new IllegalArgumentException(refusal.apply(problem));
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * What makes {@code bytes} not UTF-8, or null when they are. Each character is a lead byte and as many continuation
   * bytes (0x80-0xBF) as the lead says; the ranges of a second byte that RFC 3629's grammar narrows (after 0xE0, 0xED,
   * 0xF0, 0xF4) are what keep out overlong forms, UTF-16 surrogates and code points past U+10FFFF.
   */
  static String problem(byte[] bytes) {
    int i = 0;
    while (i < bytes.length) {
      int lead = bytes[i] & 0xFF;
      if (lead < 0x80) {
        i++;
        continue;
      }
      if (lead < 0xC0) {
        return hex(bytes, i, 1) + " continues no character: a lone continuation byte";
      }
      if (lead < 0xC2) {
        return hex(bytes, i, 1) + " starts only overlong forms: " + OVERLONG;
      }
      if (lead > 0xF4) {
        return hex(bytes, i, 1) + " is never a byte of UTF-8";
      }
      int length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
      for (int k = 1; k < length; k++) {
        if (i + k == bytes.length || (bytes[i + k] & 0xC0) != 0x80) {
          return hex(bytes, i, k) + " is cut short: " + hex(bytes, i, 1) + " starts a character of "
              + length + " bytes";
        }
      }
      int second = bytes[i + 1] & 0xFF;
      if ((lead == 0xE0 && second < 0xA0) || (lead == 0xF0 && second < 0x90)) {
        return hex(bytes, i, length) + " is an overlong form: " + OVERLONG;
      }
      if (lead == 0xED && second > 0x9F) {
        return hex(bytes, i, length) + " is a UTF-16 surrogate, which is no character";
      }
      if (lead == 0xF4 && second > 0x8F) {
        return hex(bytes, i, length) + " is past U+10FFFF, the last character";
      }
      i += length;
    }
    return null;
  }

  private static String hex(byte[] bytes, int from, int length) {
    return HEX.formatHex(bytes, from, from + length);
  }
}
