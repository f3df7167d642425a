package offhours.classify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import offhours.inference.ImageFormat;

/**
 * A tiny stand-in for the SageMaker runtime that speaks InvokeEndpoint's wire protocol
 * (POST /endpoints/{name}/invocations), until the local SageMaker replaces it. It answers like the
 * built-in image-classification algorithm: PNGs are mostly "Neutral", JPEGs mostly "Drawing", and a
 * JPEG without its end-of-image marker is a ModelError with the container's 400, as a real container
 * that cannot decode it would give.
 */
final class InvokeEndpointServer implements AutoCloseable {

  private final HttpServer server;
  final List<String> invokedEndpoints = new CopyOnWriteArrayList<>();
  volatile boolean absent;
  /** Answer ServiceUnavailable (503), which the SDK retries. */
  volatile boolean unavailable;
  /** Hold every answer this long (a model slower than the caller's attempt timeout). */
  volatile long delayMillis;

  InvokeEndpointServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/endpoints/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String name = path.substring("/endpoints/".length(), path.length() - "/invocations".length());
    byte[] image;
    try (InputStream in = exchange.getRequestBody()) {
      image = in.readAllBytes();
    }
    invokedEndpoints.add(name);
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (unavailable) {
      respond(exchange, 503, "ServiceUnavailable", "{\"message\":\"The service is unavailable, try again later.\"}");
    } else if (absent) {
      respond(exchange, 400, "ValidationException",
          "{\"message\":\"Endpoint " + name + " of account 123456789012 not found.\"}");
    } else if (!exchange.getRequestHeaders().getFirst("Content-Type").equals("application/x-image")) {
      respond(exchange, 400, "ValidationError", "{\"message\":\"unsupported content type\"}");
    } else if (ImageFormat.of(image) == ImageFormat.JPEG
        && !(image[image.length - 2] == (byte) 0xFF && image[image.length - 1] == (byte) 0xD9)) {
      respond(exchange, 424, "ModelError", "{\"Message\":\"Received client error (400) from primary with message"
          + " \\\"image file is truncated\\\".\",\"OriginalStatusCode\":400,\"OriginalMessage\":\"image file is truncated\"}");
    } else if (ImageFormat.of(image) == ImageFormat.PNG) {
      respond(exchange, 200, null, "[0.02, 0.01, 0.9, 0.02, 0.05]");
    } else {
      respond(exchange, 200, null, "[0.8, 0.05, 0.1, 0.03, 0.02]");
    }
  }

  private static void respond(HttpExchange exchange, int status, String errorType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (errorType != null) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
