package offhours.ui;

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
 * it into the document as text, never as markup. The checks of each request and the headers of each answer are
 * {@link PageGuard}'s.
 */
public final class UiServer implements AutoCloseable {

  /**
   * The page's server's log: the first read of an outage cut at the page's deadline, with the SDK's own words
   * ({@link PageDeadline}), and when the stack answers again ({@link StackOutage}).
   */
  private static final System.Logger LOG = System.getLogger(UiServer.class.getName());

  static final String TOKEN_HEADER = "X-Offhours-Token";

  private final UiData data;
  private final Loopback server;
  private final String token;
  /** What every request is checked by before it is served: whose it is, and from where. */
  private final PageGuard guard;

  private final StackOutage outage;

  /**
   * What an upload is refused for before it is stored (its name, its type, then its size over the stack's limit), asked
   * by the POST and by GET /api/upload/check alike; GET /api/status tells the page the limit, so it asks. Asked for
   * once per request that needs them: the stack's limit as last read, which a redeploy may change while the page runs.
   */
  private final Supplier<UploadRules> uploads;

  private UiServer(
      UiData data,
      Loopback bound,
      String token,
      Supplier<UploadRules> uploads,
      Clock clock,
      Loopback.Startup start)
      throws IOException {
    this.data = Objects.requireNonNull(data, "data");
    this.server = bound;
    this.token = token;
    this.uploads = Objects.requireNonNull(uploads, "uploads");
    this.outage = new StackOutage(LOG, clock);
    this.guard = new PageGuard(server, token);
    // Served only now that all it reads is set: on a fixed --port a request may come at once.
    start.start(server, this::serve, this::unplaced);
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
    return start(data, port, uploads, clock, Loopback::start);
  }

  /** As above, started by {@code start} once whole. */
  static UiServer start(
      UiData data, int port, Supplier<UploadRules> uploads, Clock clock, Loopback.Startup start)
      throws IOException {
    Loopback bound = Loopback.bind(port, 8, "offhours-ui-http");
    try {
      return new UiServer(data, bound, Loopback.randomToken(24), uploads, clock, start);
    } catch (IOException | RuntimeException e) {
      bound.close();
      throw e;
    }
  }

  /** The page's address, with its token: the one thing to open. */
  public URI url() {
    return URI.create(server.origin() + "/?token=" + token);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      PageGuard.secure(exchange.getResponseHeaders());
      String method = exchange.getRequestMethod();
      // What the log names a read by, its outage its own (StackOutage): the route as sent.
      String request = method + " " + exchange.getRequestURI().getRawPath();
      try {
        // A key sent as raw UTF-8 (curl does) is read as the text it is, as one percent-encoded.
        RequestTarget target = RequestTarget.of(exchange);
        String path = target.path();
        Map<String, String> query = Requests.query(target.query());
        PageGuard.PageRefusal refused = guard.refusal(exchange, path, query);
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
          noAnswer(exchange, e.status(), e.getMessage(), true);
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
            // Not asked at all when this machine's setup stopped the read: said as that.
            String setup = LocalSetup.in(e);
            noAnswer(
                exchange, 502, setup == null ? PageDeadline.failedRead(e) : setup, setup == null);
          }
          return;
        }
        // The page says it in its words; the SDK's, for who needs them, go to the server's log.
        outage.cut(request, cut);
        noAnswer(exchange, 502, cut.words(), true);
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
   * A request whose target is no path the JDK's server routes ({@link Loopback.UnplacedTarget}), in the page's JSON
   * after its checks of any request ({@link PageGuard#unplaced}).
   */
  private void unplaced(HttpExchange exchange, Loopback.UnplacedTarget target) throws IOException {
    PageGuard.secure(exchange.getResponseHeaders());
    PageGuard.PageRefusal refused = guard.unplaced(exchange, target);
    refuse(exchange, refused.status(), refused.message(), refused.fromElsewhere());
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
   * {@code "answered": false}: the page tells it from an error the stack answered with, which is an answer. One this
   * machine's setup stopped before it was sent ({@link LocalSetup}) is marked {@code "asked": false} too.
   */
  private static void noAnswer(HttpExchange exchange, int status, String message, boolean asked)
      throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", message);
    body.put("answered", false);
    if (!asked) {
      body.put("asked", false);
    }
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
