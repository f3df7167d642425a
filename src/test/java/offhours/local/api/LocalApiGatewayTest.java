package offhours.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.api.ApiResponse;
import offhours.api.HttpEvents;
import offhours.local.auth.ApiSignatures;
import offhours.local.auth.StackCredentials;
import offhours.local.lambda.ExecutionEnvironment;
import offhours.local.lambda.LocalLambda;
import offhours.stack.StackSpec;
import offhours.testing.FunctionLog;
import offhours.testing.PartlySent;
import offhours.testing.RawUtf8Request;
import offhours.testing.ReadToClose;
import offhours.testing.UnusedSqs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local front over a real socket: its refusals, each saying why, whole, before any handler runs; and the event it
 * hands the function.
 */
class LocalApiGatewayTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TEN_MEGABYTES = 10 * 1024 * 1024;
  // Never called: no mapping is created here.
  private final SqsClient sqs = UnusedSqs.client();
  /** The local Lambda the API's function runs on, as in local mode. */
  private final LocalLambda lambda = LocalLambda.builder(sqs).start();

  @AfterEach
  void close() {
    lambda.close();
    sqs.close();
  }

  /** A front whose function, offhours-api with the template's Timeout, runs {@code handler}. */
  private LocalApiGateway front(RequestStreamHandler handler) throws IOException {
    return front(
        "offhours-api", environment -> handler, Duration.ofSeconds(StackSpec.API_TIMEOUT_SECONDS));
  }

  /** A front whose function {@code name} starts each execution environment with {@code init}. */
  private LocalApiGateway front(String name, ExecutionEnvironment.Init init, Duration timeout)
      throws IOException {
    lambda.registerFunction(name, init, timeout);
    return LocalApiGateway.start(
        lambda.invoker(name),
        new ApiSignatures(StackCredentials.generate(), "us-east-1"),
        Clock.systemUTC());
  }

  @Test
  void aRefusedRequestReadsItsWholeReason() throws Exception {
    try (LocalApiGateway gateway = front((in, out, context) -> {
      throw new AssertionError("a refused request reached the handler");
    })) {
      int port = gateway.endpoint().getPort();
      String own = "127.0.0.1:" + port;
      String bearer = "Authorization: Bearer " + gateway.token() + "\r\n";

      Answer rebound = get(port, "Host: evil:" + port + "\r\n" + bearer);
      assertThat(rebound.status).isEqualTo(403);
      assertThat(rebound.message)
          .isEqualTo("Host 'evil:" + port + "' is not this server; call http://" + own);

      Answer twice = get(port, "Host: " + own + "\r\nHost: evil:" + port + "\r\n" + bearer);
      assertThat(twice.status).as("a second Host, the first this server's").isEqualTo(403);
      assertThat(twice.message)
          .isEqualTo(
              "Host '" + own + ", evil:" + port + "' is not this server; call http://" + own);

      // RFC 9112 section 3.2.2: an absolute-form target names the host the request is for, whatever
      // Host says. Before, these were served as GET /status.
      for (String target : List.of(
          "http://evil.example/status", "//evil.example/status", "http://" + own + "/status")) {
        Answer absolute = request(port, "GET " + target, "Host: " + own + "\r\n" + bearer);
        assertThat(absolute.status).as(target).isEqualTo(403);
        assertThat(absolute.message)
            .as(target)
            .startsWith("the request's target names a scheme or host ('")
            .endsWith("send the path alone ('/status')");
      }
      assertThat(request(port, "GET http://evil.example/status", "Host: " + own + "\r\n" + bearer)
              .message)
          .isEqualTo("the request's target names a scheme or host ('http://evil.example'), which"
              + " RFC 9112 makes the request's host in place of its Host header; send the path"
              + " alone ('/status')");

      Answer page = get(port, "Host: " + own + "\r\nOrigin: https://evil.example\r\n" + bearer);
      assertThat(page.status).isEqualTo(403);
      assertThat(page.message)
          .isEqualTo("requests from web pages (with an Origin header) are refused");

      Answer stranger =
          get(port, "Host: " + own + "\r\nAuthorization: Bearer " + "0".repeat(64) + "\r\n");
      assertThat(stranger.status).isEqualTo(401);
      assertThat(stranger.head).containsIgnoringCase("WWW-Authenticate: Bearer");
      assertThat(stranger.message)
          .startsWith("send 'Authorization: Bearer TOKEN' with the token of this local stack");

      // curl -H "Authorization: Bearer $OFFHOURS_API_TOKEN" with the variable unset: the shortcut
      // without a token,
      // a 401 that says so, not a 403 about a SigV4 header.
      Answer empty = get(port, "Host: " + own + "\r\nAuthorization: Bearer \r\n");
      assertThat(empty.status).isEqualTo(401);
      assertThat(empty.message)
          .startsWith(
              "'Authorization: Bearer' came without a token (is the variable that should hold it"
                  + " empty?): send 'Authorization: Bearer TOKEN'");
    }
  }

  /**
   * An HTTP authentication scheme is case-insensitive (RFC 9110, section 11.1): the stack's token sent as
   * {@code bearer} or {@code BEARER} reaches the function. Before, it got a 403 saying the header was no SigV4 header.
   */
  @Test
  void theBearerSchemeIsReadInAnyCase() throws Exception {
    List<byte[]> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      int port = gateway.endpoint().getPort();
      String host = "Host: 127.0.0.1:" + port + "\r\n";
      for (String scheme : List.of("bearer", "BEARER", "Bearer")) {
        Answer answer =
            get(port, host + "Authorization: " + scheme + " " + gateway.token() + "\r\n");
        assertThat(answer.status).as(scheme).isEqualTo(200);
      }
      assertThat(events).hasSize(3);
    }
  }

  @Test
  void theFunctionGetsThePathAndQueryAsAnHttpApiDeliversThem() throws Exception {
    List<byte[]> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      int port = gateway.endpoint().getPort();
      String headers =
          "Host: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + gateway.token() + "\r\n";

      String query = "label=tabby%2C+tabby+cat&key=a%2Bb&next=x&next=y";
      assertThat(request(port, "GET /results/tags/%231%2C%20caf%C3%A9%20%2Ba.png?" + query, headers)
              .status)
          .isEqualTo(200);
      JsonNode event = JSON.readTree(events.getFirst());
      assertThat(event.get("routeKey").asText()).isEqualTo("GET /results/{key+}");
      assertThat(event.get("rawPath").asText()).isEqualTo("/results/tags/#1, café +a.png");
      assertThat(event.at("/pathParameters/key").asText()).isEqualTo("tags/#1, café +a.png");
      assertThat(event.get("rawQueryString").asText()).as("left encoded").isEqualTo(query);
      assertThat(event.get("queryStringParameters"))
          .isEqualTo(
              JSON.readTree("{\"label\":\"tabby, tabby cat\",\"key\":\"a+b\",\"next\":\"x,y\"}"));

      // Routed on the path decoded once: "/%73tatus", not "/status".
      Answer twice = request(port, "GET /%2573tatus", headers);
      assertThat(twice.status).isEqualTo(404);
      assertThat(events).as("no invocation for a path without a route").hasSize(1);
    }
  }

  /**
   * A path no route matches is an HTTP API's own 404, {@code {"message":"Not Found"}}, with the token or without it: an
   * HTTP API matches the route before the route's authorization. Before, a request without the token got 401 here.
   */
  @Test
  void aPathWithoutARouteIsApiGatewaysJson404WithOrWithoutTheToken() throws Exception {
    List<byte[]> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      int port = gateway.endpoint().getPort();
      String host = "Host: 127.0.0.1:" + port + "\r\n";
      for (String authorization : List.of(
          "Authorization: Bearer " + gateway.token() + "\r\n",
          "Authorization: Bearer " + "0".repeat(64) + "\r\n",
          "")) {
        for (String line : List.of("GET /nope", "GET /status/", "GET /classify", "POST /status")) {
          Answer answer = request(port, line, host + authorization);
          assertThat(answer.status).as(line).isEqualTo(404);
          assertThat(answer.message).as(line).isEqualTo("Not Found");
          assertThat(answer.head).as(line).containsIgnoringCase("content-type: application/json");
        }
      }
      assertThat(events).as("no invocation").isEmpty();
    }
  }

  /**
   * A request that comes the moment the front starts serving meets the whole front: here asked before its start
   * returns, answered 404 for its path. Before, the front served before its server was set, and such a request met
   * none (a NullPointerException on the server's thread at the Host check, the connection closed without an answer).
   */
  @Test
  void aRequestTheMomentTheFrontServesMeetsTheWholeFront() throws Exception {
    lambda.registerFunction(
        "offhours-api",
        environment -> (in, out, context) -> {},
        Duration.ofSeconds(StackSpec.API_TIMEOUT_SECONDS));
    List<Answer> first = new ArrayList<>();
    Loopback.Startup askingAtOnce = (bound, handler, unplaced) -> {
      bound.start(handler, unplaced);
      try {
        first.add(request(bound.port(), "GET /nope", "Host: 127.0.0.1:" + bound.port() + "\r\n"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    try (LocalApiGateway gateway = LocalApiGateway.start(
        lambda.invoker("offhours-api"),
        new ApiSignatures(StackCredentials.generate(), "us-east-1"),
        Clock.systemUTC(),
        askingAtOnce)) {
      assertThat(first).extracting(Answer::status).containsExactly(404);
    }
  }

  /**
   * A Cookie header reaches the function as an HTTP API hands it on (payload format 2.0): each cookie an element of the
   * event's {@code cookies}, and no {@code cookie} in its {@code headers}. Before, the header was left in
   * {@code headers}.
   */
  @Test
  void aCookieHeaderReachesTheFunctionAsTheEventsCookies() throws Exception {
    List<byte[]> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      int port = gateway.endpoint().getPort();

      assertThat(request(
                  port,
                  "GET /status",
                  "Host: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + gateway.token()
                      + "\r\nCookie: session=abc123; theme=dark\r\n")
              .status)
          .isEqualTo(200);

      JsonNode event = JSON.readTree(events.getFirst());
      assertThat(event.get("cookies"))
          .isEqualTo(JSON.readTree("[\"session=abc123\",\"theme=dark\"]"));
      assertThat(event.get("headers").has("cookie")).isFalse();
    }
  }

  @Test
  void aTargetSentAsRawUtf8ReachesTheFunctionAsTheTextItsClientSent() throws Exception {
    List<byte[]> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      int port = gateway.endpoint().getPort();
      Map<String, String> bearer = Map.of("Authorization", "Bearer " + gateway.token());

      RawUtf8Request raw = RawUtf8Request.get(
          port, "/results/été/大京%20crème.png?object=été/大京%20crème+brûlée.png", bearer);
      assertThat(raw.status()).as(raw.body()).isEqualTo(200);
      JsonNode event = JSON.readTree(events.getFirst());
      assertThat(event.get("rawPath").asText()).isEqualTo("/results/été/大京 crème.png");
      assertThat(event.at("/pathParameters/key").asText()).isEqualTo("été/大京 crème.png");
      assertThat(event.get("rawQueryString").asText())
          .as("the characters the client's bytes spell, its escapes as sent")
          .isEqualTo("object=été/大京%20crème+brûlée.png");
      assertThat(event.at("/queryStringParameters/object").asText())
          .isEqualTo("été/大京 crème brûlée.png");

      RawUtf8Request latin1 = RawUtf8Request.get(
          port, "/results?object=\u00E9t\u00E9.png".getBytes(StandardCharsets.ISO_8859_1), bearer);
      assertThat(latin1.status()).isEqualTo(400);
      assertThat(JSON.readTree(latin1.body()).get("message").asText())
          .isEqualTo("the query has raw bytes that are not UTF-8: 0xE9 is cut short: 0xE9 starts a"
              + " character of 3 bytes; send text as UTF-8, its bytes as they are or"
              + " percent-encoded");
      assertThat(events).as("no invocation for a target that is not UTF-8").hasSize(1);
    }
  }

  @Test
  void aBodyDeclaredOverTenMegabytesIsRefusedWithoutWaitingForIt() throws Exception {
    List<byte[]> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      int port = gateway.endpoint().getPort();

      // Before, the front read up to 10 MB first, so this answer waited for a body never sent.
      String answer = PartlySent.answer(
          port,
          "POST /classify HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer "
              + gateway.token() + "\r\nContent-Type: image/jpeg\r\nContent-Length: "
              + (11 * 1024 * 1024) + "\r\n",
          "a few bytes".getBytes(StandardCharsets.US_ASCII));

      assertThat(answer)
          .startsWith("HTTP/1.1 413 ")
          .containsIgnoringCase("Connection: close")
          .endsWith("{\"message\":\"Request Entity Too Large\"}");

      // Sent whole and read to the end of the connection: 10 MB and a byte are read and dropped,
      // the rest drained by the JDK's server on closing, and the connection closes.
      byte[] over = new byte[TEN_MEGABYTES + 1_000];
      assertThat(ReadToClose.answer(
              port,
              "POST /classify HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer "
                  + gateway.token() + "\r\nContent-Type: image/jpeg\r\nContent-Length: "
                  + over.length + "\r\n",
              over))
          .startsWith("HTTP/1.1 413 ")
          .containsIgnoringCase("Connection: close")
          .endsWith("{\"message\":\"Request Entity Too Large\"}");
      assertThat(events).isEmpty();
    }
  }

  /**
   * The front's own refusals (no token, a host in the request line) reach a client that sends its whole body before it
   * reads, and reads to the end of the connection ({@link ReadToClose}): the answer goes at once, up to 10 MB of the
   * body is read and dropped, and the connection closes. Before, none of the body was read, the JDK's server closed
   * the connection after 64 KB of it, and this client got a reset in place of the answer. A page's body (Origin) is
   * never read: it gets only what the JDK's server drains on closing.
   */
  @Test
  void aRefusalReachesAClientThatSendsItsWholeBodyBeforeReading() throws Exception {
    List<byte[]> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      int port = gateway.endpoint().getPort();
      String host = "Host: 127.0.0.1:" + port + "\r\n";
      byte[] body = new byte[TEN_MEGABYTES];
      String length = "Content-Type: image/jpeg\r\nContent-Length: " + body.length + "\r\n";

      String stranger = ReadToClose.answer(
          port,
          "POST /classify HTTP/1.1\r\n" + host + "Authorization: Bearer " + "0".repeat(64) + "\r\n"
              + length,
          body);
      assertThat(stranger)
          .startsWith("HTTP/1.1 401 ")
          .containsIgnoringCase("WWW-Authenticate: Bearer")
          .containsIgnoringCase("Connection: close")
          .contains("{\"message\":\"send 'Authorization: Bearer TOKEN' with the token of this local"
              + " stack");
      String absolute = ReadToClose.answer(
          port,
          "POST http://evil.example/classify HTTP/1.1\r\n" + host + "Authorization: Bearer "
              + gateway.token() + "\r\n" + length,
          body);
      assertThat(absolute)
          .startsWith("HTTP/1.1 403 ")
          .containsIgnoringCase("Connection: close")
          .contains("the request's target names a scheme or host ('http://evil.example')");
      String page = ReadToClose.answer(
          port,
          "POST /classify HTTP/1.1\r\n" + host + "Origin: https://evil.example\r\nAuthorization:"
              + " Bearer " + gateway.token() + "\r\nContent-Length: 2000\r\n",
          new byte[2000]);
      assertThat(page)
          .startsWith("HTTP/1.1 403 ")
          .containsIgnoringCase("Connection: close")
          .endsWith(
              "{\"message\":\"requests from web pages (with an Origin header) are" + " refused\"}");

      // Answered before the body is sent, not once the drop is done.
      assertThat(PartlySent.answer(
              port,
              "POST /classify HTTP/1.1\r\n" + host + "Authorization: Bearer " + "0".repeat(64)
                  + "\r\n" + length,
              new byte[10]))
          .startsWith("HTTP/1.1 401 ")
          .containsIgnoringCase("Connection: close");
      assertThat(events).isEmpty();
    }
  }

  /**
   * The handler runs as on Lambda: each request with a context of its own, a new request ID, the function's name, and
   * no more time than the function's timeout. Before, it got no context, so the API had no deadline locally.
   */
  @Test
  void theFunctionRunsWithTheDeadlineOfItsTimeout() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Integer> remaining = new CopyOnWriteArrayList<>();
    try (LocalApiGateway gateway = front((in, out, context) -> {
      remaining.add(context.getRemainingTimeInMillis());
      seen.add(context.getAwsRequestId() + " " + context.getFunctionName() + " "
          + context.getInvokedFunctionArn());
      out.write(HttpEvents.write(ApiResponse.json(200, Map.of())));
    })) {
      int port = gateway.endpoint().getPort();
      String headers =
          "Host: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + gateway.token() + "\r\n";
      assertThat(get(port, headers).status).isEqualTo(200);
      assertThat(get(port, headers).status).isEqualTo(200);
    }
    assertThat(remaining)
        .hasSize(2)
        .allSatisfy(left -> assertThat(left)
            .isPositive()
            .isLessThanOrEqualTo(StackSpec.API_TIMEOUT_SECONDS * 1000));
    assertThat(seen)
        .allSatisfy(line -> assertThat(line)
            .endsWith(" offhours-api arn:aws:lambda:us-east-1:123456789012:function:offhours-api"));
    assertThat(seen.get(0).split(" ")[0])
        .as("a request ID per request")
        .isNotEqualTo(seen.get(1).split(" ")[0]);
  }

  /**
   * An invocation that outlives its function's timeout (here 1 s, Lambda's least) gets what an HTTP API answers for a
   * function that timed out, 500 {"message":"Internal Server Error"}; the handler's thread is interrupted, the
   * function's log says it timed out, and its execution environment ends: what it opened is closed, a line its handler
   * logs afterwards is dropped, and the next request gets a fresh environment (a second init). The handler here never
   * returns unless interrupted, so a front without a deadline leaves the request hanging (until the client's 60 s read
   * timeout, a guard, ends it).
   */
  @Test
  void anInvocationThatOutlivesItsTimeoutGetsApiGatewaysAnswerAndEndsItsEnvironment()
      throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    AtomicInteger inits = new AtomicInteger();
    List<String> closed = new CopyOnWriteArrayList<>();
    try (FunctionLog log = new FunctionLog("offhours-api-short");
        LocalApiGateway gateway = front(
            "offhours-api-short",
            environment -> {
              int init = inits.incrementAndGet();
              environment.open(() -> closed.add("environment " + init));
              return (in, out, context) -> {
                if (init == 1) {
                  try {
                    Thread.sleep(Long.MAX_VALUE);
                  } catch (InterruptedException e) {
                    context.getLogger().log("interrupted, after its environment ended");
                    interrupted.countDown();
                    return;
                  }
                }
                out.write(HttpEvents.write(ApiResponse.json(200, Map.of())));
              };
            },
            Duration.ofSeconds(1))) {
      int port = gateway.endpoint().getPort();
      String headers =
          "Host: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + gateway.token() + "\r\n";
      Answer answer = get(port, headers);
      assertThat(answer.status).isEqualTo(500);
      assertThat(answer.message).isEqualTo("Internal Server Error");
      assertThat(interrupted.await(30, TimeUnit.SECONDS))
          .as("the handler interrupted")
          .isTrue();
      assertThat(closed).as("what the ended environment opened").containsExactly("environment 1");
      assertThat(get(port, headers).status)
          .as("the next request, in a fresh environment")
          .isEqualTo(200);
      assertThat(inits).hasValue(2);
      assertThat(log.lines())
          .as("the handler's line after its environment ended is dropped")
          .singleElement()
          .asString()
          .endsWith(" Task timed out after 1.0 seconds");
    }
  }

  /**
   * A handler that does not heed its interrupt still gets the caller its 500, at most {@link
   * LocalApiGateway#INTEGRATION_MARGIN} after the timeout: the front does not wait for it to return.
   */
  @Test
  void aHandlerThatIgnoresItsInterruptDoesNotHoldTheAnswer() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (LocalApiGateway gateway = front(
        "offhours-api-stuck",
        environment -> (in, out, context) -> {
          while (true) {
            try {
              release.await();
              return;
            } catch (InterruptedException ignored) {
              // as a handler stuck in a call that does not heed interrupts
            }
          }
        },
        Duration.ofSeconds(1))) {
      int port = gateway.endpoint().getPort();
      Answer answer = get(
          port,
          "Host: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + gateway.token() + "\r\n");
      assertThat(answer.status).isEqualTo(500);
    } finally {
      release.countDown();
    }
  }

  /** A front whose function records each event it is given in {@code events} and answers 200. */
  private LocalApiGateway recording(List<byte[]> events) throws Exception {
    return front((in, out, context) -> {
      events.add(in.readAllBytes());
      out.write(HttpEvents.write(ApiResponse.json(200, Map.of())));
    });
  }

  /**
   * A function that answers with {@code Connection: keep-alive} does not keep the connection open: its server closes
   * each connection after one answer, so a second request sent with the first, whose line the gate never reads, never
   * reaches the JDK's server, which would answer its {@code *} with its HTML 404.
   */
  @Test
  void aFunctionsConnectionHeaderDoesNotKeepTheConnectionOpen() throws Exception {
    try (LocalApiGateway gateway = front((in, out, context) -> out.write(
        "{\"statusCode\":200,\"headers\":{\"Connection\":\"keep-alive\",\"Keep-Alive\":\"timeout=5\"},\"body\":\"{}\"}"
            .getBytes(StandardCharsets.UTF_8)))) {
      int port = gateway.endpoint().getPort();
      String host = "Host: 127.0.0.1:" + port + "\r\n";
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(60_000);
        socket
            .getOutputStream()
            .write(("GET /status HTTP/1.1\r\n" + host + "Authorization: Bearer " + gateway.token()
                    + "\r\n\r\nOPTIONS * HTTP/1.1\r\n" + host + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String whole =
            new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(whole).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\n{}");
        assertThat(whole.split("HTTP/1.1 ", -1)).as("one answer").hasSize(2);
        assertThat(whole.toLowerCase(Locale.ROOT))
            .contains("\r\nconnection: close\r\n")
            .doesNotContain("keep-alive");
      }
    }
  }

  @Test
  void whatARefusedRequestSaidOfItsHostOrTargetIsQuotedEscapedAndCut() throws Exception {
    try (LocalApiGateway gateway = front((in, out, context) -> {
      throw new AssertionError("a refused request reached the handler");
    })) {
      int port = gateway.endpoint().getPort();
      String own = "Host: 127.0.0.1:" + port + "\r\n";
      String bearer = "Authorization: Bearer " + gateway.token() + "\r\n";

      assertThat(get(port, "Host: " + "h".repeat(5000) + "\r\n" + bearer).message)
          .isEqualTo("Host '" + "h".repeat(60)
              + "... (5000 characters)' is not this server; call http://127.0.0.1:" + port);
      assertThat(get(port, "Host: evil\u001b[2J\u0000\u0007:" + port + "\r\n" + bearer).message)
          .startsWith("Host 'evil\\x1b[2J\\x00\\x07:" + port + "' is not this server");
      assertThat(request(port, "GET http://" + "e".repeat(4993) + "/status", own + bearer).message)
          .isEqualTo("the request's target names a scheme or host ('http://" + "e".repeat(53)
              + "... (5000 characters)'), which RFC 9112 makes the request's host in place of its Host"
              + " header; send the path alone ('/status')");
      assertThat(request(port, "GET //evil.example/" + "s".repeat(4999), own + bearer).message)
          .endsWith("send the path alone ('/" + "s".repeat(59) + "... (5000 characters)')");
    }
  }

  /**
   * A target the JDK's server would answer itself with its HTML page, or by closing the connection, gets the front's
   * JSON with the headers of its other errors: what an HTTP API answers a path without a route, 404
   * {@code {"message":"Not Found"}}, for one that is no path ({@code OPTIONS *}, {@code //status}, {@code results}),
   * token or not; 403 for one that names a scheme, as any target naming a host; 400 saying why for one that is no URI.
   * A foreign Host is refused first, as for any request. The function never runs.
   */
  @Test
  void aTargetTheJdksServerWouldAnswerItselfGetsTheFrontsJson() throws Exception {
    try (LocalApiGateway gateway = front((in, out, context) -> {
      throw new AssertionError("a request without a route reached the handler");
    })) {
      int port = gateway.endpoint().getPort();
      String own = "Host: 127.0.0.1:" + port + "\r\n";
      String bearer = "Authorization: Bearer " + gateway.token() + "\r\n";
      Answer routeless = request(port, "GET /nothing-here", own + bearer);
      assertThat(routeless.status).isEqualTo(404);

      for (String line : List.of("OPTIONS *", "GET //status", "GET results", "POST //status?x=1")) {
        for (String token : List.of(bearer, "")) {
          Answer answer = request(port, line, own + token);
          assertThat(answer.status).as(line).isEqualTo(404);
          assertThat(answer.message).as(line).isEqualTo("Not Found");
          assertThat(withoutDate(answer.head))
              .as(line + ": the head of any 404 of the front's")
              .isEqualTo(withoutDate(routeless.head));
        }
      }
      Answer scheme = request(port, "GET http://127.0.0.1:" + port, own + bearer);
      assertThat(scheme.status).isEqualTo(403);
      assertThat(scheme.message)
          .startsWith(
              "the request's target names a scheme or host ('http://127.0.0.1:" + port + "')");
      assertThat(request(port, "GET mailto:x", own + bearer).message)
          .startsWith("the request's target names a scheme or host ('mailto:')");

      Answer noUri = request(port, "GET /status?object=%zz", own + bearer);
      assertThat(noUri.status).isEqualTo(400);
      assertThat(noUri.head).contains("\r\nContent-type: application/json; charset=utf-8\r\n");
      assertThat(noUri.message)
          .isEqualTo("the request's target is no URI (Malformed escape pair at index 15:"
              + " '/status?object=%zz'); percent-encode in it a '%' that starts no escape, a space, a"
              + " control character, any of \" < > \\ ^ ` { | } and raw UTF-8 such as 'à' or '€'");
      assertThat(request(port, "GET /status?object=a\u0001b", own + bearer).message)
          .startsWith("the request's target is no URI (Illegal character in query at index 16:"
              + " '/status?object=a\\x01b')");

      Answer foreign = request(port, "OPTIONS *", "Host: evil.example\r\n" + bearer);
      assertThat(foreign.status).isEqualTo(403);
      assertThat(foreign.message).startsWith("Host 'evil.example' is not this server");
    }
  }

  /** {@code head} without its Date line, which says when it was sent. */
  private static String withoutDate(String head) {
    return head.replaceAll("(?im)^date:[^\r\n]*\r\n", "");
  }

  private record Answer(int status, String head, String message) {}

  /** GET /status with {@code headers} (each ending in CRLF), read whole. */
  private static Answer get(int port, String headers) throws Exception {
    return request(port, "GET /status", headers);
  }

  /** {@code line} ("METHOD TARGET", the target sent as it is) with {@code headers}, read whole. */
  private static Answer request(int port, String line, String headers) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(60_000); // a guard: a request the front leaves hanging fails
      OutputStream out = socket.getOutputStream();
      out.write((line + " HTTP/1.1\r\n" + headers + "Connection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String whole = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = whole.indexOf("\r\n\r\n");
      String head = whole.substring(0, split);
      JsonNode body = JSON.readTree(whole.substring(split + 4));
      return new Answer(
          Integer.parseInt(head.split(" ")[1]), head, body.path("message").asText());
    }
  }
}
