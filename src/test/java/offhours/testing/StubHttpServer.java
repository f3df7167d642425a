package offhours.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The tests' one stub HTTP server: 127.0.0.1 on a free port, every request recorded and answered by a function of
 * it. For an AWS API it stands in for, or a callback (a CloudFormation response URL, a credentials endpoint).
 */
public final class StubHttpServer implements AutoCloseable {

  /** A request as received: method, path, query (null without one), headers (first value each), body. */
  public record Request(
      String method, String path, String query, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** A header's first value, case-insensitive, or null. */
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(null);
    }
  }

  /** An answer: status, headers, body (empty: no body). */
  public record Reply(int status, Map<String, String> headers, byte[] body) {
    public static Reply json(int status, String json) {
      return new Reply(
          status,
          Map.of("Content-Type", "application/json"),
          json.getBytes(StandardCharsets.UTF_8));
    }

    public static Reply empty(int status) {
      return new Reply(status, Map.of(), new byte[0]);
    }

    public Reply withHeader(String name, String value) {
      Map<String, String> all = new java.util.LinkedHashMap<>(headers);
      all.put(name, value);
      return new Reply(status, all, body);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private StubHttpServer(Function<Request, Reply> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", exchange -> serve(exchange, answer));
    server.start();
  }

  /** A started server answering every request with {@code answer}. */
  public static StubHttpServer start(Function<Request, Reply> answer) {
    try {
      return new StubHttpServer(answer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** http://127.0.0.1:PORT */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The requests so far, in the order they arrived. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void serve(HttpExchange exchange, Function<Request, Reply> answer) throws IOException {
    try (exchange) {
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
      Request request = new Request(
          exchange.getRequestMethod(),
          exchange.getRequestURI().getPath(),
          exchange.getRequestURI().getRawQuery(),
          headers,
          exchange.getRequestBody().readAllBytes());
      requests.add(request);
      Reply reply = answer.apply(request);
      reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
      exchange.sendResponseHeaders(
          reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
      exchange.getResponseBody().write(reply.body());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
