package offhours.classify;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import offhours.inference.ImageFormat;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;

/**
 * A tiny stand-in for the SageMaker runtime that speaks InvokeEndpoint's wire protocol
 * (POST /endpoints/{name}/invocations), until the local SageMaker replaces it. It answers like the
 * built-in image-classification algorithm: PNGs are mostly "Neutral", JPEGs mostly "Drawing", and a
 * JPEG without its end-of-image marker is a ModelError with the container's 400, as a real container
 * that cannot decode it would give.
 */
final class InvokeEndpointServer implements AutoCloseable {

  private final StubHttpServer server = StubHttpServer.start(this::handle);
  final List<String> invokedEndpoints = new CopyOnWriteArrayList<>();
  volatile boolean absent;
  /** Answer ServiceUnavailable (503), which the SDK retries. */
  volatile boolean unavailable;
  /** Hold every answer this long (a model slower than the caller's attempt timeout). */
  volatile long delayMillis;

  URI endpoint() {
    return server.uri();
  }

  private Reply handle(Request request) {
    String path = request.path();
    if (!path.startsWith("/endpoints/") || !path.endsWith("/invocations")) {
      return Reply.empty(404);
    }
    String name = path.substring("/endpoints/".length(), path.length() - "/invocations".length());
    byte[] image = request.body();
    invokedEndpoints.add(name);
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (unavailable) {
      return error(
          503,
          "ServiceUnavailable",
          "{\"message\":\"The service is unavailable, try again later.\"}");
    } else if (absent) {
      return error(
          400,
          "ValidationException",
          "{\"message\":\"Endpoint " + name + " of account 123456789012 not found.\"}");
    } else if (!"application/x-image".equals(request.header("Content-Type"))) {
      return error(400, "ValidationError", "{\"message\":\"unsupported content type\"}");
    } else if (ImageFormat.of(image) == ImageFormat.JPEG
        && !(image[image.length - 2] == (byte) 0xFF && image[image.length - 1] == (byte) 0xD9)) {
      return error(
          424,
          "ModelError",
          "{\"Message\":\"Received client error (400) from primary with message"
              + " \\\"image file is truncated\\\".\",\"OriginalStatusCode\":400,\"OriginalMessage\":\"image file is truncated\"}");
    } else if (ImageFormat.of(image) == ImageFormat.PNG) {
      return Reply.json(200, "[0.02, 0.01, 0.9, 0.02, 0.05]");
    }
    return Reply.json(200, "[0.8, 0.05, 0.1, 0.03, 0.02]");
  }

  private static Reply error(int status, String errorType, String body) {
    return Reply.json(status, body).withHeader("x-amzn-ErrorType", errorType);
  }

  @Override
  public void close() {
    server.close();
  }
}
