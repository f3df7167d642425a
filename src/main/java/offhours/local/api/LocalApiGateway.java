package offhours.local.api;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import offhours.api.ApiConfig;
import offhours.api.ApiResponse;
import offhours.api.ApiRoutes;
import offhours.api.HttpEvents;
import offhours.cache.CacheFiles;
import offhours.local.invocation.FunctionInvoker;
import offhours.local.invocation.Invoked;
import offhours.units.Shown;

/**
 * Local mode's API Gateway: an HTTP server on 127.0.0.1 that turns each request into a payload format 2.0 event,
 * invokes the API's function on the local Lambda with it (a stream of JSON in, a stream of JSON out) and sends back
 * the answer. A path or query sent as raw UTF-8 is read as the text it is ({@link RequestTarget}), as one sent
 * percent-encoded. Like an HTTP API it decodes the path before the function sees it ({@link GatewayPath}: routes on
 * the path decoded once, hands the function the path decoded twice, so a key with '%' or '?' cannot travel in it),
 * answers 404 {@code {"message":"Not Found"}} for a path without a route, signed or not (an HTTP API matches a route
 * before its authorization; so does a target that is no path, {@code //status} or {@code *}, which the JDK's server
 * would answer with its HTML 404, and one that is no URI gets 400 saying why: {@link #unplaced}), 413 over 10 MB,
 * and answers for the function with a 500 when the event would exceed Lambda's 6 MB, as AWS never invokes it then.
 * A {@code Cookie} header reaches the function as the event's {@code cookies} ({@link HttpEvents#request}).
 *
 * <p>The function runs as on Lambda, each request an invocation of the local Lambda's ({@link FunctionInvoker}): in an
 * execution environment, with a context of its own (a new request ID, its time left counting down from the function's
 * timeout), so the API cuts its calls by its deadline locally too. An invocation still running at the timeout ends
 * its environment, the stack's log says "Task timed out" under the function's logger, and the caller gets what an
 * HTTP API answers for a Lambda function that failed: 500 {@code {"message":"Internal Server Error"}}. (The function's
 * Timeout, {@link offhours.stack.StackSpec#API_TIMEOUT_SECONDS}, ends the invocation before the HTTP API's 30 s
 * integration timeout, after which it would answer 503 instead.) The invocation runs on a thread of its own, so the
 * front answers at most {@link #INTEGRATION_MARGIN} after the timeout even when the handler does not heed its
 * interrupt.
 *
 * <p>Locked down like the other local services: it listens on 127.0.0.1 only; a request must name this server in its
 * Host (127.0.0.1:PORT or localhost:PORT, so a DNS-rebound page cannot reach it) and send a path alone, no host in its
 * request line ({@link Loopback#targetRefusal}); any Origin header is refused (no
 * web page may call it); and every request is signed as the deployed API's IAM authorization wants it (SigV4, for
 * {@code execute-api}), with the local stack's credentials, or carries {@code Authorization: Bearer TOKEN}, where TOKEN
 * is random per stack and kept in a file only the user can read: a local shortcut ({@link ApiAuthorization}).
 */
public final class LocalApiGateway implements AutoCloseable {

  /**
   * A function's answer headers (in any case) that name this connection, not the answer, which a proxy drops (RFC
   * 9110, section 7.6.1) and the front sets itself: a {@code Connection: keep-alive} would undo the
   * {@code Connection: close} its server answers with, and let a second request on the connection reach the JDK's
   * server past the {@link TargetGate}; a {@code Transfer-Encoding} would contradict the length the front sends.
   */
  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection",
      "keep-alive",
      "proxy-connection",
      "te",
      "trailer",
      "transfer-encoding",
      "upgrade");

  /**
   * API Gateway's HTTP API payload limit
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
   */
  private static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

  /**
   * How much longer than the function's timeout the front waits for an invocation to end: the local Lambda ends it at
   * the timeout, and answers at once unless the handler does not heed its interrupt. One second, as an HTTP API's 30 s
   * integration timeout is a second longer than the API function's 29 s Timeout.
   */
  static final Duration INTEGRATION_MARGIN = Duration.ofSeconds(1);

  private final Loopback server;
  private final FunctionInvoker function;
  private final String token;
  private final ApiAuthorization authorization;
  private final Clock clock;
  // One thread per invocation in flight; one that outlived its timeout has been interrupted.
  private final ExecutorService invocations = Executors.newCachedThreadPool(
      Thread.ofPlatform().name("local-api-function-", 0).daemon().factory());

  private LocalApiGateway(
      FunctionInvoker function,
      Loopback bound,
      String token,
      SignatureCheck signatures,
      Clock clock,
      Loopback.Startup start)
      throws IOException {
    this.function = function;
    this.server = bound;
    this.token = token;
    this.authorization = new ApiAuthorization(token, signatures);
    this.clock = clock;
    // Served only now that all it reads, the server's own port too, is set.
    start.start(server, this::serve, this::unplaced);
  }

  /**
   * Serves {@code function} (the API's, on the local Lambda) on a free port of 127.0.0.1 with a new random token, and
   * to requests whose signature {@code signatures} takes (the local stack's credentials, for {@code execute-api}).
   */
  public static LocalApiGateway start(
      FunctionInvoker function, SignatureCheck signatures, Clock clock) throws IOException {
    return start(function, signatures, clock, Loopback::start);
  }

  /** As above, started by {@code start} once whole. */
  static LocalApiGateway start(
      FunctionInvoker function, SignatureCheck signatures, Clock clock, Loopback.Startup start)
      throws IOException {
    Loopback bound = Loopback.bind(0, 4, "local-api-http");
    try {
      return new LocalApiGateway(
          function, bound, Loopback.randomToken(32), signatures, clock, start);
    } catch (IOException | RuntimeException e) {
      bound.close();
      throw e;
    }
  }

  public URI endpoint() {
    return URI.create(server.origin());
  }

  public String token() {
    return token;
  }

  /** Where {@code offhours local start} keeps the token: local/api-token under the cache directory. */
  public static Path tokenFile(Path cacheDir) {
    return cacheDir.resolve("local").resolve("api-token");
  }

  /** Writes {@code token} to {@code file}, readable by the user only, atomically. */
  public static void writeToken(Path file, String token) throws IOException {
    CacheFiles.writeAtomically(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Refused refusal = refusal(exchange);
      if (refusal != null) {
        refuse(exchange, refusal);
        return;
      }
      String method = exchange.getRequestMethod();
      RequestTarget target;
      boolean routed;
      try {
        // Raw UTF-8 read back as the text it is (RequestTarget); then routed on the path decoded
        // once (and decoded again for the function below), as an HTTP API does. A target refused
        // on the way is a 400 without an invocation; AWS's own body for it is unverified: this
        // one says why.
        target = RequestTarget.of(exchange);
        routed = ApiRoutes.match(method, GatewayPath.routed(target.path())).isPresent();
      } catch (IllegalArgumentException e) {
        refuse(exchange, new Refused(400, e.getMessage(), false));
        return;
      }
      // An HTTP API answers a path no route matches before any route's authorization: 404
      // {"message":"Not Found"}, with or without credentials.
      if (!routed) {
        refuse(exchange, new Refused(404, "Not Found", false));
        return;
      }
      Headers requestHeaders = exchange.getRequestHeaders();
      Refused unauthorized = authorization.beforeBody(method, target, requestHeaders);
      if (unauthorized != null) {
        refuse(exchange, unauthorized);
        return;
      }
      Optional<byte[]> read =
          UnreadBody.readAtMost(exchange, MAX_BODY_BYTES, LocalApiGateway::tooLarge);
      if (read.isEmpty()) {
        return;
      }
      byte[] body = read.get();
      // What of a signature only the body decides is checked once it is read, after a 413.
      if (ApiAuthorization.signed(requestHeaders)) {
        Refused badSignature = authorization.afterBody(method, target, requestHeaders, body);
        if (badSignature != null) {
          refused(exchange, badSignature);
          return;
        }
      }
      byte[] event;
      try {
        String path = GatewayPath.deliver(target.path());
        Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
        headers.put("X-Forwarded-Proto", List.of("http"));
        event = HttpEvents.request(
            method,
            path,
            target.query(),
            headers,
            body,
            UUID.randomUUID().toString(),
            clock.instant(),
            exchange.getRemoteAddress().getAddress().getHostAddress());
      } catch (IllegalArgumentException e) {
        send(exchange, ApiResponse.error(400, e.getMessage()));
        return;
      }
      if (event.length > ApiConfig.LAMBDA_PAYLOAD_BYTES) {
        // Lambda refuses the invocation and API Gateway answers for a function that never ran: a
        // 5xx. Its exact status and body on an HTTP API are unverified (not documented; no capture
        // found): this is a 500 as for any failed invocation, saying why.
        send(
            exchange,
            ApiResponse.error(
                500,
                "Internal Server Error: the request is " + event.length + " bytes as a Lambda"
                    + " event (the body base64-encoded); Lambda invokes with at most "
                    + ApiConfig.LAMBDA_PAYLOAD_BYTES + ", so the function did not run"));
        return;
      }
      byte[] answer = invoke(event);
      if (answer == null) {
        // What an HTTP API answers when the function fails or times out.
        send(exchange, ApiResponse.error(500, "Internal Server Error"));
        return;
      }
      try {
        HttpEvents.Reply reply = HttpEvents.response(answer);
        reply.headers().forEach((k, v) -> {
          if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT))) {
            exchange.getResponseHeaders().set(k, v);
          }
        });
        exchange.sendResponseHeaders(
            reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        try (OutputStream o = exchange.getResponseBody()) {
          o.write(reply.body());
        }
      } catch (RuntimeException e) {
        System.err.println("offhours local API: the handler's answer is unreadable: " + e);
        send(exchange, ApiResponse.error(500, "Internal Server Error"));
      }
    }
  }

  /**
   * Answers a request whose target is no path the JDK's server routes ({@link Loopback.UnplacedTarget}) in the front's
   * JSON, after the checks of every request: as an HTTP API answers a path no route matches, 404
   * {@code {"message":"Not Found"}} for one that parses ({@code *}, {@code //status}, {@code results}); 403 for one
   * that names a scheme ({@code http://host}, {@code mailto:x}), as for any target naming a host; 400 saying why for
   * one that is no URI ({@code ?object=%zz}), whose answer from AWS is unverified.
   */
  private void unplaced(HttpExchange exchange, Loopback.UnplacedTarget target) throws IOException {
    Refused refused = target.namesScheme()
        ? new Refused(403, Loopback.targetRefusal(target.uri()), false)
        : refusal(exchange);
    if (refused == null) {
      refused = target.refusal() != null
          ? new Refused(400, target.refusal(), false)
          : new Refused(404, "Not Found", false);
    }
    refuse(exchange, refused);
  }

  /**
   * Invokes the function with {@code event} and returns what it wrote; null when it failed or ran out of time, which
   * the local Lambda has written to the function's log.
   */
  private byte[] invoke(byte[] event) {
    Future<Invoked> run = invocations.submit(() -> function.invoke(event));
    try {
      Invoked invoked =
          run.get(function.timeout().plus(INTEGRATION_MARGIN).toNanos(), TimeUnit.NANOSECONDS);
      return invoked.failed() ? null : invoked.response();
    } catch (TimeoutException e) {
      run.cancel(true);
      System.err.println("offhours local API: the function's handler did not stop at its timeout");
    } catch (ExecutionException e) {
      System.err.println("offhours local API: the invocation failed: " + e.getCause());
    } catch (InterruptedException e) {
      // The front is closing: the invocation ends with it.
      run.cancel(true);
      Thread.currentThread().interrupt();
    }
    return null;
  }

  /**
   * Answers {@code refused} before reading the body: at once, with {@code Connection: close} when there is a body, then
   * up to the 10 MB limit's worth of it is read and dropped (none for a page's), as the page of {@code offhours ui}
   * refuses ({@link UnreadBody#refuse}). Left unread, the rest makes the JDK's server close the connection after 64 KB
   * of it, and a client that reads the answer only once it has sent its body gets a reset in place of the answer.
   */
  private static void refuse(HttpExchange exchange, Refused refused) throws IOException {
    UnreadBody.refuseUnread(
        exchange,
        refused.fromElsewhere() ? 0 : MAX_BODY_BYTES + 1L,
        answer -> refused(answer, refused));
  }

  /** Answers {@code refused}, with the header that names its fault, if any. */
  private static void refused(HttpExchange exchange, Refused refused) throws IOException {
    if (refused.status() == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    }
    if (refused.errorType() != null) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", refused.errorType());
    }
    send(exchange, ApiResponse.error(refused.status(), refused.message()));
  }

  /** Why a request is refused whatever it asks (its target, its Host, an Origin), or null. */
  private Refused refusal(HttpExchange exchange) {
    String target = Loopback.targetRefusal(exchange.getRequestURI());
    if (target != null) {
      return new Refused(403, target, false);
    }
    String host = Loopback.header(exchange.getRequestHeaders(), "Host");
    if (!server.isThisServer(host)) {
      return new Refused(
          403,
          "Host '" + Shown.value(host) + "' is not this server; call " + server.origin(),
          true);
    }
    if (exchange.getRequestHeaders().containsKey("Origin")) {
      return new Refused(403, "requests from web pages (with an Origin header) are refused", true);
    }
    return null;
  }

  private static void tooLarge(HttpExchange exchange) throws IOException {
    send(exchange, ApiResponse.error(413, "Request Entity Too Large"));
  }

  private static void send(HttpExchange exchange, ApiResponse response) throws IOException {
    byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(response.status(), body.length);
    try (OutputStream o = exchange.getResponseBody()) {
      o.write(body);
    }
  }

  @Override
  public void close() {
    server.close();
    invocations.shutdownNow();
  }
}
