package offhours.local.api;

import offhours.api.UrlDecoding;

/**
 * What an API Gateway HTTP API makes of a request's path before its Lambda integration sees it, so that the local
 * front routes the request and hands the function the {@code rawPath} AWS would. AWS does not document this (its
 * payload 2.0 example shows only a plain path); this is what live captures of an HTTP API show:
 * https://github.com/hotsock/voker/blob/main/vokerhttp/testdata/ingress-paths.json (us-west-2, 2026-07, from
 * https://github.com/hotsock/voker/blob/main/examples/aws-ingress-probe/paths.py). The path is percent-decoded, cut
 * at a '?' that the decoding produced, and percent-decoded a second time; a path the second decoding cannot read is
 * refused with 400 and the function is not invoked. So {@code question%3Fvalue} arrives as {@code question},
 * {@code literal%252Fvalue} as {@code literal/value}, {@code literal%2525value} as {@code literal%value},
 * {@code hash%23value} as {@code hash#value}, and {@code percent%25done} never arrives.
 *
 * <p>Routes are matched on the path decoded once: a route {@code /{example}/thing} answers
 * {@code /a%252Fb/thing} and its function gets {@code a/b}, while {@code /a%2Fb/thing} is a 404 (reported for HTTP
 * APIs in the Stack Overflow question "How to encode parameters for AWS API Gateway (HTTP API)?", summarised at
 * https://www.volcengine.com/article/1333845). What a '+' becomes is not captured; it is kept, as RFC 3986 reads a
 * path. This is why the API names keys with '%', '?' or '+' in a query parameter (decoded once).
 */
final class GatewayPath {

  private static final String WHERE_INSTEAD =
      "; name a key with '%' or '?' as GET /results?object=KEY";

  private GatewayPath() {}

  /**
   * The path an HTTP API matches routes against: {@code rawPath}, the request line's path still percent-encoded,
   * decoded once and cut at a decoded '?'. A path that cannot be decoded throws {@link IllegalArgumentException}.
   */
  static String routed(String rawPath) {
    String once = decode(rawPath, "the path");
    int question = once.indexOf('?');
    return question < 0 ? once : once.substring(0, question);
  }

  /**
   * The path the function is given for {@code rawPath}; a path API Gateway refuses throws
   * {@link IllegalArgumentException} with the reason.
   */
  static String deliver(String rawPath) {
    return decode(routed(rawPath), "the path once decoded (an HTTP API decodes it twice)");
  }

  private static String decode(String text, String what) {
    try {
      return UrlDecoding.path(text, what);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage() + (e.getMessage().contains("position") ? WHERE_INSTEAD : ""), e);
    }
  }
}
