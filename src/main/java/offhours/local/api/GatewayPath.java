package offhours.local.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What an API Gateway HTTP API makes of a request's path before its Lambda integration sees it, so that the local
 * front hands the function the {@code rawPath} AWS would. AWS does not document this; it is what live captures show
 * (published by third parties, 2026-09, us-west-2): the path is percent-decoded, cut at a '?' that the decoding
 * produced, and percent-decoded a second time; a path the second decoding cannot read is refused with 400 and the
 * function is not invoked. So {@code question%3Fvalue} arrives as {@code question}, {@code literal%252Fvalue} as
 * {@code literal/value}, {@code literal%2525value} as {@code literal%value}, and {@code percent%25done} never arrives.
 * A '+' stays a plus sign. This is why the API names keys with '%' or '?' in a query parameter (decoded once).
 */
final class GatewayPath {

  private GatewayPath() {}

  /**
   * The path the function is given for {@code rawPath}, the request line's path still percent-encoded; a path API
   * Gateway refuses throws {@link IllegalArgumentException} with the reason.
   */
  static String deliver(String rawPath) {
    String once = decode(rawPath, "the path");
    int question = once.indexOf('?');
    String cut = question < 0 ? once : once.substring(0, question);
    return decode(cut, "the path once decoded (an HTTP API decodes it twice)");
  }

  /** RFC 3986 percent-decoding (UTF-8); '+' stays '+'. */
  static String decode(String text, String what) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
        int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0) {
          throw new IllegalArgumentException(what + " has a '%' that starts no percent escape at"
              + " position " + i + "; name a key with '%' or '?' as GET /results?object=KEY");
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
        bytes.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " has percent escapes that are not UTF-8");
    }
  }
}
