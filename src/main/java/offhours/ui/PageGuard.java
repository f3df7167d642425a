package offhours.ui;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.util.Map;
import offhours.local.api.Loopback;

/**
 * What {@link UiServer} checks of every request before it serves it, and the headers every answer carries: that it
 * names this server in its Host (so a DNS-rebound page cannot reach it), that any Origin is this server's own, that
 * its target is a path of this server, and, but for the page and its assets, that it carries the page's token in the
 * {@value UiServer#TOKEN_HEADER} header and not in its address.
 */
final class PageGuard {

  /** Images: the jar's icon ('self') and thumbnails, fetched with the token header and shown from blob: URLs. */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /**
   * Why a request is refused: its status (400, 401, 403 or 404), the message, and whether it comes from a page
   * elsewhere (another site, or a name rebound to this server), whose body is never read.
   */
  record PageRefusal(int status, String message, boolean fromElsewhere) {}

  private final Loopback server;
  private final String token;

  PageGuard(Loopback server, String token) {
    this.server = server;
    this.token = token;
  }

  /** The headers every answer carries: no framing, sniffing, referrers or caching, and the page's CSP. */
  static void secure(Headers headers) {
    headers.set("Content-Security-Policy", CSP);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    headers.set("Cache-Control", "no-store");
  }

  /** Why a request for {@code path} with {@code query} is refused, or null. */
  PageRefusal refusal(HttpExchange exchange, String path, Map<String, String> query) {
    String target = Loopback.targetRefusal(exchange.getRequestURI());
    if (target != null) {
      return new PageRefusal(403, target, false);
    }
    PageRefusal elsewhere = elsewhere(exchange.getRequestHeaders());
    if (elsewhere != null) {
      return elsewhere;
    }
    Headers headers = exchange.getRequestHeaders();
    if (PageFiles.isPublic(path)) {
      // The same files for everyone, no data in them. They read no parameter and ignore any: the
      // page's own address carries the token, and a browser or a proxy may add a cache buster. The
      // data routes refuse a parameter they do not take (Requests.takes).
      return null;
    }
    if (query.containsKey("token")) {
      return new PageRefusal(
          400,
          "the token goes in the " + UiServer.TOKEN_HEADER + " header, not in the address: an"
              + " address is kept by logs and history (only the page, '/', takes it there)",
          false);
    }
    if (!Loopback.sameToken(headers.getFirst(UiServer.TOKEN_HEADER), token)) {
      return new PageRefusal(
          401,
          "open the address 'offhours ui' printed: it carries the page's token (a script sends"
              + " that token=... in the " + UiServer.TOKEN_HEADER + " header)",
          false);
    }
    return null;
  }

  /**
   * Why a request whose target is no path the JDK's server routes ({@link Loopback.UnplacedTarget}) is refused, after
   * the checks of any request: 404 for a target that parses ({@code *}, {@code //status}), 403 for one that names a
   * scheme, 400 saying why for one that is no URI ({@code ?key=%zz}).
   */
  PageRefusal unplaced(HttpExchange exchange, Loopback.UnplacedTarget target) {
    PageRefusal refused = target.namesScheme()
        ? new PageRefusal(403, Loopback.targetRefusal(target.uri()), false)
        : elsewhere(exchange.getRequestHeaders());
    if (refused != null) {
      return refused;
    }
    return target.refusal() != null
        ? new PageRefusal(400, target.refusal(), false)
        : new PageRefusal(404, "nothing here", false);
  }

  /** Why a request from elsewhere (another host named, another site's page) is refused, or null. */
  private PageRefusal elsewhere(Headers headers) {
    if (!server.isThisServer(Loopback.header(headers, "Host"))) {
      return new PageRefusal(403, "this page answers only at " + server.origin(), true);
    }
    String origin = Loopback.header(headers, "Origin");
    if (origin != null && !server.isOwnOrigin(origin)) {
      return new PageRefusal(403, "requests from other sites are refused", true);
    }
    return null;
  }
}
