package offhours.local.api;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import offhours.api.Utf8Bytes;

/**
 * A request's path and query as text, the way its client meant them, for local mode's servers (the local API front and
 * the page of {@code offhours ui}); their percent escapes are left for the decoding that follows
 * ({@link offhours.api.UrlDecoding}, {@link GatewayPath}).
 *
 * <p>The JDK's server reads a request line one byte per char ({@code sun.net.httpserver.Request#readLine}), so a key
 * sent as raw UTF-8 (curl sends {@code ?object=été.jpg} as it is: 'é' is the two bytes 0xC3 0xA9) reaches a handler
 * as "Ã©tÃ©.jpg", which names another object, or none. Here each char of the raw path and query is taken back as the
 * byte it was read from, and the bytes are read as UTF-8, strictly ({@link Utf8Bytes}): bytes that are not UTF-8 are
 * refused with what is wrong with them, never replaced by U+FFFD. Percent escapes are ASCII, so they come through
 * unchanged and are decoded as UTF-8 after: a key sent raw, percent-encoded, or partly each way names the same object.
 * A character cannot be split between the two (a raw 0xC3 before {@code %A9}): the raw bytes must be UTF-8 by
 * themselves. Raw UTF-8 with a byte from 0x80 to 0xA0 ('à', '€', most CJK, every emoji) never gets here: no URI, it
 * is answered 400 before the handler runs ({@link Loopback.UnplacedTarget}), and such a key must be percent-encoded.
 *
 * <p>What API Gateway hands the function for raw UTF-8 is not documented: the payload format 2.0 page
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html) shows only
 * an ASCII {@code rawQueryString}, the same parameters decoded in {@code queryStringParameters}, and a decoded
 * {@code rawPath} (what the local front hands for encoded paths follows captures, see {@link GatewayPath}). An event
 * is JSON, text, so raw bytes can reach the function only as the characters they spell; the local front gives
 * {@code rawQueryString} the query as this text (escapes as sent, raw UTF-8 as its characters) and decodes
 * {@code queryStringParameters} and the path from it. No capture of AWS with raw UTF-8 has been found to check this.
 *
 * @param path the path, percent escapes as sent
 * @param query the query, percent escapes as sent, or null when the target has no '?'
 */
public record RequestTarget(String path, String query) {

  /** The exchange's target as text; raw bytes that are not UTF-8 throw {@link IllegalArgumentException}. */
  public static RequestTarget of(HttpExchange exchange) {
    URI uri = exchange.getRequestURI();
    return new RequestTarget(
        text(uri.getRawPath(), "the path"), text(uri.getRawQuery(), "the query"));
  }

  /** {@code raw}, one char per byte as the JDK's server read it, as the UTF-8 text those bytes are. */
  static String text(String raw, String what) {
    if (raw == null || raw.chars().allMatch(c -> c < 0x80)) {
      return raw;
    }
    byte[] bytes = new byte[raw.length()];
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c > 0xFF) {
        throw new IllegalStateException(what + " has " + String.format("U+%04X", (int) c)
            + ", which is no byte: a request target is read one byte per char");
      }
      bytes[i] = (byte) c;
    }
    return Utf8Bytes.decode(
        bytes,
        problem -> what + " has raw bytes that are not UTF-8: " + problem
            + "; send text as UTF-8, its bytes as they are or percent-encoded");
  }
}
