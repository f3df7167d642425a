package offhours.ui;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import offhours.api.JsonText;
import offhours.api.ResultsQuery;
import offhours.local.api.Loopback;
import offhours.local.api.RequestTarget;
import offhours.local.api.UnreadBody;

/**
 * The page of {@code offhours ui} and its JSON, on 127.0.0.1 only.
 *
 * <p>Nobody but the user who started it may use it: every request names this server in its Host (so a DNS-rebound page
 * cannot reach it), and any Origin must be this server's own. The page and its assets hold no data and load without a
 * token; everything else carries the random token of the URL it printed in the X-Offhours-Token header, never in its
 * address: a request to them with {@code token} in the query is refused (400), as addresses are what logs, history and
 * proxies keep. The page's script moves the token out of the address bar and history into the tab's sessionStorage, and
 * fetches thumbnails with the header, so no URL the browser keeps holds it. GET never changes anything; uploads and the
 * controller's actions are POSTs with the header, which a page elsewhere cannot send without a CORS preflight this
 * server never grants. Every answer forbids framing, sniffing, referrers and caching, and the page runs under a
 * Content-Security-Policy that allows only this server's own script, style and images: nothing is loaded from the
 * network. Untrusted text (object keys, reasons, labels) leaves as HTML-safe JSON ({@link JsonText}) and the page puts
 * it into the document as text, never as markup.
 */
public final class UiServer implements AutoCloseable {

  /**
   * The page's server's log: the first read of an outage cut at the page's deadline, with the SDK's own words
   * ({@link PageDeadline}), and when the stack answers again ({@link StackOutage}).
   */
  private static final System.Logger LOG = System.getLogger(UiServer.class.getName());

  /** Images: the jar's icon ('self') and thumbnails, fetched with the token header and shown from blob: URLs. */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  static final String TOKEN_HEADER = "X-Offhours-Token";

  private final UiData data;
  private final Loopback server;
  private final String token;
  private final StackOutage outage;

  /**
   * What an upload is refused for before it is stored (its name, its type, then its size over the stack's limit), asked
   * by the POST and by GET /api/upload/check alike; GET /api/status tells the page the limit, so it asks. Asked for
   * once per request that needs them: the stack's limit as last read, which a redeploy may change while the page runs.
   */
  private final Supplier<UploadRules> uploads;

  private UiServer(UiData data, int port, String token, Supplier<UploadRules> uploads, Clock clock)
      throws IOException {
    this.data = Objects.requireNonNull(data, "data");
    this.token = token;
    this.uploads = Objects.requireNonNull(uploads, "uploads");
    this.outage = new StackOutage(LOG, clock);
    this.server = Loopback.serve(port, 8, "offhours-ui-http", this::serve, this::unplaced);
  }

  /**
   * Serves {@code data} on 127.0.0.1:{@code port} (0: a free port) with a new random token, refusing uploads by
   * {@code uploads}: the rules of the stack's limit as last read (the page's settings, {@link Refreshed}), asked for by
   * each request that refuses or checks an upload or tells the page the limit.
   */
  public static UiServer start(UiData data, int port, Supplier<UploadRules> uploads)
      throws IOException {
    return start(data, port, uploads, Clock.systemUTC());
  }

  /** As above, an outage timed by {@code clock}. */
  static UiServer start(UiData data, int port, Supplier<UploadRules> uploads, Clock clock)
      throws IOException {
    return new UiServer(data, port, Loopback.randomToken(24), uploads, clock);
  }

  /** The page's address, with its token: the one thing to open. */
  public URI url() {
    return URI.create(server.origin() + "/?token=" + token);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      secure(exchange.getResponseHeaders());
      String method = exchange.getRequestMethod();
      // What the log names a read by, its outage its own (StackOutage): the route as sent.
      String request = method + " " + exchange.getRequestURI().getRawPath();
      try {
        // A key sent as raw UTF-8 (curl does) is read as the text it is, as one percent-encoded.
        RequestTarget target = RequestTarget.of(exchange);
        String path = target.path();
        Map<String, String> query = Requests.query(target.query());
        PageRefusal refused = refusal(exchange, path, query);
        if (refused != null) {
          refuse(exchange, refused.status(), refused.message(), refused.fromElsewhere());
          return;
        }
        if (PageFiles.isAsset(path)) {
          if (!method.equals("GET")) {
            notAllowed(exchange, "GET", "assets are read with GET");
            return;
          }
          asset(exchange, path);
          return;
        }
        route(exchange, method, path, query);
        outage.answered(request);
      } catch (UiData.UiException e) {
        // The stack's own error (no such object) is an answer; a source S3 stopped sending is not.
        if (e.cut() == null) {
          outage.answered(request);
          error(exchange, e.status(), e.getMessage());
        } else {
          outage.cut(request, e.cut());
          noAnswer(exchange, e.status(), e.getMessage());
        }
      } catch (IllegalArgumentException e) {
        // Refused before the stack was asked: its outage, if any, goes on.
        refuse(exchange, 400, e.getMessage(), false);
      } catch (RuntimeException e) {
        PageDeadline.CutRead cut = PageDeadline.cutIn(e);
        if (cut == null) {
          // The page says what the log does: an error of the stack's own ends its outage.
          if (PageDeadline.answeredIn(e)) {
            outage.answered(request);
            error(exchange, 502, PageDeadline.failedRead(e));
          } else {
            noAnswer(exchange, 502, PageDeadline.failedRead(e));
          }
          return;
        }
        // The page says it in its words; the SDK's, for who needs them, go to the server's log.
        outage.cut(request, cut);
        noAnswer(exchange, 502, cut.words());
      } catch (OutOfMemoryError e) {
        // One request's memory is dropped with it; the server and the other requests go on.
        error(
            exchange, 503, "this request needed more memory than the page's server has; try again");
      }
    }
  }

  private void route(HttpExchange exchange, String method, String path, Map<String, String> query)
      throws IOException, UiData.UiException {
    boolean get = method.equals("GET");
    boolean post = method.equals("POST");
    switch (path) {
      case "/", "/index.html" -> {
        if (!get) {
          notAllowed(exchange, "GET", "the page is read with GET");
          return;
        }
        asset(exchange, "/index.html");
      }
      case "/api/status" -> {
        if (!get) {
          notAllowed(exchange, "GET", "status is read with GET");
          return;
        }
        Requests.takes(query, path);
        json(exchange, 200, withUpload(data.status()));
      }
      case "/api/results" -> {
        if (!get) {
          notAllowed(exchange, "GET", "results are read with GET");
          return;
        }
        Requests.takes(query, path, "limit", "label", "status", "key", "next");
        int limit = Requests.limit(query.get("limit"));
        json(
            exchange,
            200,
            data.results(
                new ResultsQuery.Filter(query.get("label"), query.get("status"), query.get("key")),
                limit,
                query.get("next")));
      }
      case "/api/ledger" -> {
        if (!get) {
          notAllowed(exchange, "GET", "the ledger is read with GET");
          return;
        }
        Requests.takes(query, path, "days");
        json(exchange, 200, data.ledger(Requests.days(query.get("days"))));
      }
      case "/api/thumb" -> {
        if (!get) {
          notAllowed(exchange, "GET", "thumbnails are read with GET");
          return;
        }
        Requests.takes(query, path, "key");
        byte[] jpeg = data.thumbnail(Requests.key(query.get("key"))).jpeg();
        exchange.getResponseHeaders().set("Content-Type", "image/jpeg");
        send(exchange, 200, jpeg);
      }
      case "/api/upload/check" -> {
        if (!get) {
          notAllowed(exchange, "GET", "an upload is checked with GET, without the file");
          return;
        }
        Requests.takes(query, path, "key", "bytes");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(
            "refusal",
            uploads
                .get()
                .of(query.get("key"), Requests.bytes(query.get("bytes")))
                .map(UploadRules.UploadRefusal::message)
                .orElse(null));
        json(exchange, 200, answer);
      }
      case "/api/upload" -> {
        if (!post) {
          notAllowed(exchange, "POST", "uploads are POSTed");
          return;
        }
        Requests.takes(query, path, "key");
        String key = query.get("key");
        // One upload goes by one limit, whatever a read of the settings meanwhile changes.
        UploadRules rules = uploads.get();
        // The name and the type say nothing of the file: refused before a byte of it is read.
        Optional<UploadRules.UploadRefusal> refused = rules.ofName(key);
        if (refused.isPresent()) {
          refuse(exchange, refused.get().status(), refused.get().message(), false);
          return;
        }
        Optional<byte[]> body = UnreadBody.readAtMost(
            exchange, rules.maxBytes(), answer -> tooLarge(answer, key, rules));
        if (body.isEmpty()) {
          return;
        }
        data.upload(key, body.get());
        json(exchange, 201, Map.of("key", key, "bytes", body.get().length));
      }
      default -> {
        if (path.startsWith("/api/endpoint/")) {
          if (!post) {
            notAllowed(exchange, "POST", "the endpoint is started and stopped with POST");
            return;
          }
          Requests.takes(query, path);
          json(exchange, 200, data.control(path.substring("/api/endpoint/".length())));
          return;
        }
        refuse(exchange, 404, "nothing here", false);
      }
    }
  }

  /**
   * GET /api/status with what the page needs to refuse a file before sending it: the upload limit and, when it is
   * assumed, why. The page holds no rule of its own: told these, it asks GET /api/upload/check of every file; without
   * them (an older server) it sends, and this refuses.
   */
  private Map<String, Object> withUpload(Map<String, Object> status) {
    UploadRules rules = uploads.get();
    Map<String, Object> upload = new LinkedHashMap<>();
    upload.put("maxBytes", rules.maxBytes());
    rules.assumption().ifPresent(why -> upload.put("assumption", why));
    Map<String, Object> answer = new LinkedHashMap<>(status);
    answer.put("upload", upload);
    return answer;
  }

  /**
   * The 413 of an upload over the limit ({@link UnreadBody#readAtMost}): sent at once, with the size its Content-Length
   * declares, when that is over the limit; or, for a file sent in chunks, which declares none, once a byte over the
   * limit has come, without its size, which the rest of the body would tell and is not waited for.
   */
  private static void tooLarge(HttpExchange exchange, String key, UploadRules rules)
      throws IOException {
    long declared = UnreadBody.declaredLength(exchange);
    UploadRules.UploadRefusal refusal =
        declared > rules.maxBytes() ? rules.tooLarge(key, declared) : rules.tooLarge(key);
    error(exchange, refusal.status(), refusal.message());
  }

  /**
   * Why a request is refused: its status (400, 401 or 403), the message, and whether it comes from a page elsewhere
   * (another site, or a name rebound to this server), whose body is never read.
   */
  private record PageRefusal(int status, String message, boolean fromElsewhere) {}

  /** Why a request is refused, or null. */
  private PageRefusal refusal(HttpExchange exchange, String path, Map<String, String> query) {
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
          "the token goes in the " + TOKEN_HEADER + " header, not in the address: an address is"
              + " kept by logs and history (only the page, '/', takes it there)",
          false);
    }
    if (!Loopback.sameToken(headers.getFirst(TOKEN_HEADER), token)) {
      return new PageRefusal(
          401, "open the address 'offhours ui' printed: it carries the page's token", false);
    }
    return null;
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

  /**
   * A request whose target is no path the JDK's server routes ({@link Loopback.UnplacedTarget}), in the page's JSON
   * after its checks of any request: 404 for a target that parses ({@code *}, {@code //status}), 403 for one that names
   * a scheme, 400 saying why for one that is no URI ({@code ?key=%zz}).
   */
  private void unplaced(HttpExchange exchange, Loopback.UnplacedTarget target) throws IOException {
    secure(exchange.getResponseHeaders());
    PageRefusal refused = target.namesScheme()
        ? new PageRefusal(403, Loopback.targetRefusal(target.uri()), false)
        : elsewhere(exchange.getRequestHeaders());
    if (refused == null) {
      refused = target.refusal() != null
          ? new PageRefusal(400, target.refusal(), false)
          : new PageRefusal(404, "nothing here", false);
    }
    refuse(exchange, refused.status(), refused.message(), refused.fromElsewhere());
  }

  private static void secure(Headers headers) {
    headers.set("Content-Security-Policy", CSP);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    headers.set("Cache-Control", "no-store");
  }

  private static void asset(HttpExchange exchange, String path) throws IOException {
    Optional<PageFiles.File> file = PageFiles.read(path);
    if (file.isEmpty()) {
      error(exchange, 404, "no asset " + path);
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", file.get().contentType());
    send(exchange, 200, file.get().bytes());
  }

  private static void json(HttpExchange exchange, int status, Object value) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    send(exchange, status, JsonText.write(value).getBytes(StandardCharsets.UTF_8));
  }

  /** A 405 with the method the route takes in {@code Allow}, as RFC 9110 (section 15.5.6) asks of one. */
  private void notAllowed(HttpExchange exchange, String allow, String message) throws IOException {
    exchange.getResponseHeaders().set("Allow", allow);
    refuse(exchange, 405, message, false);
  }

  /**
   * A refusal of a request whose body is not read: answered at once with {@code Connection: close}, then, unless the
   * request comes from a page elsewhere, up to an upload's worth of the body is read and dropped
   * ({@link UnreadBody#refuse}). Left unread, the rest makes the JDK's server close the connection while the client
   * is still sending: a client that reads the answer only once it has sent its body then gets a reset in place of
   * these words. A request without a body is answered as any other.
   */
  private void refuse(HttpExchange exchange, int status, String message, boolean fromElsewhere)
      throws IOException {
    long drain = fromElsewhere ? 0 : uploads.get().maxBytes() + 1L;
    UnreadBody.refuseUnread(exchange, drain, answer -> error(answer, status, message));
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    json(exchange, status, Map.of("message", message));
  }

  /**
   * The {@code status} (a 502) of a read the stack did not answer (or answered part of, then fell silent), marked
   * {@code "answered": false}: the page tells it from an error the stack answered with, which is an answer.
   */
  private static void noAnswer(HttpExchange exchange, int status, String message)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", message);
    body.put("answered", false);
    json(exchange, status, body);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
