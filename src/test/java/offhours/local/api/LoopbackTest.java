package offhours.local.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class LoopbackTest {

  @Test
  void aLocalServerGivesItsClientsThirtySecondsToSendARequest() throws Exception {
    try (Loopback server = Loopback.bind(0, 1, "loopback-test")) {
      server.start(exchange -> exchange.close(), (exchange, target) -> {});
      assertThat(server.port()).isPositive();
    }

    // Read by the JDK's server when its first instance is made; unset, a client may take forever.
    assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).isEqualTo("30");
    assertThat(System.getProperty("sun.net.httpserver.maxRspTime"))
        .as("no limit on answering: a model load or a controller run may take minutes")
        .isNull();
  }

  @Test
  void aServerStartedTwiceOrAfterItClosedSaysWhich() throws Exception {
    Loopback started = Loopback.bind(0, 1, "loopback-test");
    int port = started.port();
    started.start(exchange -> exchange.close(), (exchange, target) -> {});
    assertThatThrownBy(() -> started.start(exchange -> exchange.close(), (exchange, t) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this server on port " + port + " was started already");
    started.close();
    assertThatThrownBy(() -> started.start(exchange -> exchange.close(), (exchange, t) -> {}))
        .as("closed after it started")
        .hasMessage("this server on port " + port + " was closed; bind a new one to serve again");

    Loopback neverStarted = Loopback.bind(0, 1, "loopback-test");
    int other = neverStarted.port();
    neverStarted.close();
    assertThatThrownBy(() -> neverStarted.start(exchange -> exchange.close(), (exchange, t) -> {}))
        .as("closed before it started: close starts it only to stop it")
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this server on port " + other + " was closed; bind a new one to serve again");
  }

  /**
   * What the JDK's server would answer itself, with its HTML 400 or 404 before any handler runs, or by closing the
   * connection, reaches the server's answer for an unplaced target instead (here 418 with what it was told), its target
   * as sent; what the JDK's server routes reaches the handler, raw, for offhours' own decoding to read or refuse.
   */
  @Test
  void targetsTheJdksServerWouldAnswerItselfReachTheServersOwnAnswer() throws Exception {
    List<String> reached = new CopyOnWriteArrayList<>();
    try (Loopback server = serve(reached)) {
      List<String> noUri = List.of(
          "/results?key=%zz",
          "/results/%G1",
          "/results?key=%",
          "/results?key=%4",
          "/results?key=a{b",
          "/results?key=a|b",
          "/results?key=a\\b",
          "/results?key=a#b#c",
          "/results?key=a\u0001b",
          "/results?key=" + utf8ReadAsLatin1("€"),
          "/results?key=" + utf8ReadAsLatin1("à"),
          "//");
      for (String target : noUri) {
        assertThat(response(server, target))
            .as(target)
            .startsWith("HTTP/1.1 418 ")
            .contains("\r\nConnection: close\r\n")
            .endsWith("\r\n\r\n" + target + " no URI: the request's target is no URI (");
      }
      List<String> noPath =
          List.of("*", "//host", "results", "http://host", "mailto:x", "localhost:80");
      for (String target : noPath) {
        assertThat(response(server, target))
            .as(target)
            .startsWith("HTTP/1.1 418 ")
            .endsWith("\r\n\r\n" + target + " a URI without a path");
      }
      assertThat(reached).as("the handler never ran").isEmpty();

      Map<String, String> passed = Map.of(
          "/results?key=%00%0A%FF",
          "/results key=%00%0A%FF",
          "/results/%2F%25?key=a%20b",
          "/results/%2F%25 key=a%20b",
          "/results?key=a#b",
          "/results key=a",
          "/results?key=" + utf8ReadAsLatin1("é"),
          "/results key=Ã©",
          "/.unplaced-0123?*",
          "/.unplaced-0123 *");
      for (Map.Entry<String, String> e : passed.entrySet()) {
        assertThat(response(server, e.getKey()))
            .as(e.getKey())
            .startsWith("HTTP/1.1 204 ")
            .contains("\r\nConnection: close\r\n");
      }
      assertThat(reached)
          .as("raw, as sent, for offhours' own decoding to read or refuse")
          .containsExactlyInAnyOrderElementsOf(passed.values());
    }
  }

  /**
   * The gate judges the line the JDK's server reads as the request line, wherever that is: after any number of blank
   * lines (the JDK's server skips them all), and past a CR that ends no line ("\r\r\n" does not end one for it). A
   * line longer than the gate reads never reaches the JDK's server, which would take it whole: the gate answers 414,
   * in the JSON of the servers' other errors (before, in plain text).
   */
  @Test
  void theGateJudgesTheLineTheJdksServerReadsAsTheRequestLine() throws Exception {
    List<String> reached = new CopyOnWriteArrayList<>();
    try (Loopback server = serve(reached)) {
      String host = "Host: " + server.origin().substring(7) + "\r\nConnection: close\r\n\r\n";
      for (String before : List.of("\r\n".repeat(17), "\r\n".repeat(1000), "\r\r\n")) {
        assertThat(sent(server, before + "GET * HTTP/1.1\r\n" + host))
            .as(before.length() + " bytes before")
            .startsWith("HTTP/1.1 418 ")
            .endsWith(" a URI without a path");
      }
      for (String sent : List.of(
          "GET //" + "a".repeat(TargetGate.LONGEST_LINE) + " HTTP/1.1\r\n" + host,
          "\r\n".repeat(TargetGate.LONGEST_LINE / 2) + "GET * HTTP/1.1\r\n" + host)) {
        assertThat(sent(server, sent))
            .startsWith("HTTP/1.1 414 ")
            .contains("\r\nContent-Type: application/json; charset=utf-8\r\n")
            .contains("\r\n\r\n{\"message\":\"the request line, with any blank lines before it,")
            .endsWith("is longer than 65536 bytes; send a shorter target\"}");
      }
      assertThat(reached).as("the handler never ran").isEmpty();
    }
  }

  /**
   * What {@link Loopback#targetRefusal} is for: the JDK's server routes a target that names a host by its path alone,
   * so it reaches the handler, whose Host check alone would answer a request RFC 9112 says is for that host.
   */
  @Test
  void aTargetThatNamesAHostReachesTheHandlerWhichMustRefuseIt() throws Exception {
    List<String> reached = new CopyOnWriteArrayList<>();
    try (Loopback server = serving(
        exchange -> {
          try (exchange) {
            reached.add(exchange.getRequestURI().getRawPath() + " "
                + Loopback.targetRefusal(exchange.getRequestURI()));
            exchange.sendResponseHeaders(204, -1);
          }
        },
        (exchange, target) -> {
          throw new AssertionError(target);
        })) {
      for (String target : List.of(
          "http://evil.example/results", "HTTP://evil.example/results", "//evil.example/results")) {
        assertThat(response(server, target)).as(target).startsWith("HTTP/1.1 204 ");
      }
      assertThat(response(server, "/results")).startsWith("HTTP/1.1 204 ");

      String because =
          ", which RFC 9112 makes the request's host in place of its Host header; send the"
              + " path alone ('/results')";
      assertThat(reached)
          .containsExactly(
              "/results the request's target names a scheme or host ('http://evil.example')"
                  + because,
              "/results the request's target names a scheme or host ('HTTP://evil.example')"
                  + because,
              "/results the request's target names a scheme or host ('//evil.example')" + because,
              "/results null");
    }
  }

  /**
   * A server whose handler records each path and query it gets and answers 204, and which answers an unplaced target
   * with 418 and the target as it was sent, then whether it is a URI.
   */
  private static Loopback serve(List<String> reached) throws Exception {
    return serving(
        exchange -> {
          try (exchange) {
            reached.add(exchange.getRequestURI().getRawPath() + " "
                + exchange.getRequestURI().getRawQuery());
            exchange.sendResponseHeaders(204, -1);
          }
        },
        (exchange, target) -> {
          byte[] body = (target.target() + " "
                  + (target.uri() == null
                      ? "no URI: " + target.refusal().substring(0, 32)
                      : "a URI without a path"))
              .getBytes(StandardCharsets.ISO_8859_1);
          exchange.sendResponseHeaders(418, body.length);
          exchange.getResponseBody().write(body);
        });
  }

  /** A server on a free port, serving {@code handler} and {@code unplaced} with one thread. */
  private static Loopback serving(HttpHandler handler, Loopback.Unplaced unplaced)
      throws Exception {
    Loopback server = Loopback.bind(0, 1, "loopback-test");
    server.start(handler, unplaced);
    return server;
  }

  /** {@code text}'s UTF-8 bytes, one char each: what the JDK's server makes of them in a request line. */
  private static String utf8ReadAsLatin1(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  /** The whole answer to {@code request}, its bytes sent as they are. */
  private static String sent(Loopback server, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** The whole answer to GET {@code target}, its bytes sent as they are. */
  private static String response(Loopback server, String target) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: " + server.origin().substring(7)
              + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
