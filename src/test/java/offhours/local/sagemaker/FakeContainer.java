package offhours.local.sagemaker;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-JVM model container speaking the SageMaker contract. {@code /invocations} echoes the payload as
 * JSON {@code {"contentType":..., "accept":..., "bytes":N}} unless the payload is one of the commands
 * {@code status:NNN} (answer NNN), {@code sleep:MS} or {@code gather}: wait, up to a minute, until
 * {@link #gathering} has counted down to zero (so the answer comes only when that many requests are in at once).
 */
final class FakeContainer implements ModelContainer {
  final AtomicInteger pingStatus = new AtomicInteger(200);
  final AtomicInteger invocations = new AtomicInteger();
  volatile boolean closed;
  volatile CountDownLatch gathering = new CountDownLatch(0);
  private final HttpServer server;

  FakeContainer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/ping", exchange -> {
      try (exchange) {
        exchange.sendResponseHeaders(pingStatus.get(), -1);
      }
    });
    server.createContext("/invocations", exchange -> {
      try (exchange) {
        invocations.incrementAndGet();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String text = new String(body, 0, Math.min(body.length, 64), StandardCharsets.UTF_8);
        if (text.startsWith("sleep:")) {
          try {
            Thread.sleep(Long.parseLong(text.substring(6).trim()));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (text.startsWith("gather")) {
          CountDownLatch all = gathering;
          all.countDown();
          try {
            all.await(1, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (text.startsWith("status:")) {
          byte[] answer = ("model says no: " + text).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(Integer.parseInt(text.substring(7).trim()), answer.length);
          exchange.getResponseBody().write(answer);
          return;
        }
        String attributes = exchange.getRequestHeaders().getFirst("X-Amzn-SageMaker-Custom-Attributes");
        if (attributes != null) {
          exchange.getResponseHeaders().set("X-Amzn-SageMaker-Custom-Attributes", "echo:" + attributes);
        }
        byte[] answer = ("{\"contentType\":\"" + exchange.getRequestHeaders().getFirst("Content-Type")
            + "\",\"accept\":\"" + exchange.getRequestHeaders().getFirst("Accept") + "\",\"bytes\":" + body.length
            + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
      }
    });
    server.start();
  }

  @Override
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
  }
}
