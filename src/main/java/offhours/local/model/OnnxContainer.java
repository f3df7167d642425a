package offhours.local.model;

import ai.onnxruntime.OrtException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.aws.PayloadLimits;
import offhours.local.api.Loopback;
import offhours.local.api.UnreadBody;
import offhours.local.model.DecodeBudget.ImageTooLargeException;
import offhours.local.model.ImagePreprocessor.UndecodableImageException;
import offhours.units.Shown;

/**
 * The built-in model container: serves an ONNX image classifier over the SageMaker hosting contract
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html) on 127.0.0.1.
 * {@code GET /ping} answers 200 once the model is loaded (it is loaded before the port opens);
 * {@code POST /invocations} takes JPEG/PNG bytes and answers the built-in image-classification response,
 * a JSON array of class probabilities in the model's output order. The model, its checks and its inference are
 * {@link OnnxClassifier}'s; this class owns the HTTP side: the loopback server and its threads, the refusal of other
 * hosts and of web pages, and the status each request gets.
 */
public final class OnnxContainer implements AutoCloseable {
  /** Content types the SageMaker built-in image classifier accepts for image bytes. */
  private static final Set<String> IMAGE_TYPES =
      Set.of("application/x-image", "image/jpeg", "image/png");
  /** The largest body InvokeEndpoint passes on to a container: no larger request can reach one on SageMaker. */
  private static final int MAX_PAYLOAD_BYTES = PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES;

  private final OnnxClassifier classifier;
  private final HttpServer server;
  private final ExecutorService executor;
  private final String host;

  private OnnxContainer(OnnxClassifier classifier, HttpServer server, ExecutorService executor) {
    this.classifier = classifier;
    this.server = server;
    this.executor = executor;
    this.host = "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Loads the model and starts serving on 127.0.0.1:{@code port} (0 = any free port), pixels scaled to [0, 1]. */
  public static OnnxContainer start(Path onnxModel, int port) throws IOException {
    return start(onnxModel, port, Preprocessing.DEFAULT);
  }

  /**
   * Serves {@code model.onnx()} after checking that its labels file names as many classes as the model
   * outputs, so a mismatched {@code --model}/{@code --labels} pair fails at start, not in every result.
   */
  public static OnnxContainer start(ModelFiles model, int port, Preprocessing preprocessing)
      throws IOException {
    List<String> labels = model.readLabels();
    OnnxContainer container = start(model.onnx(), port, preprocessing);
    try {
      container.classifier.checkLabels(model, labels);
    } catch (IOException e) {
      container.close();
      throw e;
    }
    return container;
  }

  /**
   * Loads {@code model.onnx()} only to compare its output with the labels file, and fails naming both counts: what
   * local mode checks at start, before the endpoint (and its container) exists. The input is read as the given
   * preprocessing feeds it: a dynamic height and width take its input size, without which, or with one the input's
   * fixed size contradicts, the model is refused.
   *
   * @return whether the model's input fixes its own height and width, so that an input size given changes nothing
   */
  public static boolean checkLabels(ModelFiles model, Preprocessing preprocessing)
      throws IOException {
    List<String> labels = model.readLabels();
    try (OnnxClassifier probe =
        OnnxClassifier.load(model.onnx(), preprocessing, DecodeBudget.ofHeap().bytes())) {
      probe.checkLabels(model, labels);
      return probe.ownSize();
    }
  }

  /** As {@link #start(Path, int)}, with the resize, normalization and input size a user's own model expects. */
  public static OnnxContainer start(Path onnxModel, int port, Preprocessing preprocessing)
      throws IOException {
    return start(onnxModel, port, preprocessing, DecodeBudget.ofHeap().bytes());
  }

  /** As {@link #start(Path, int, Preprocessing)}, decoding images within {@code decodeBudgetBytes} at a time. */
  static OnnxContainer start(
      Path onnxModel, int port, Preprocessing preprocessing, long decodeBudgetBytes)
      throws IOException {
    OnnxClassifier classifier = OnnxClassifier.load(onnxModel, preprocessing, decodeBudgetBytes);
    try {
      Loopback.limitRequestTime();
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      AtomicInteger threads = new AtomicInteger();
      ExecutorService executor = Executors.newFixedThreadPool(workerThreads(), r -> {
        Thread t = new Thread(r, "onnx-container-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      var container = new OnnxContainer(classifier, server, executor);
      // One context for every path: the JDK matches a context by prefix (so "/pingx" and
      // "/invocations/x" would be served as the contract's paths) and answers a path of none with
      // its own HTML 404.
      server.createContext("/", container::route);
      server.setExecutor(executor);
      server.start();
      return container;
    } catch (IOException | RuntimeException e) {
      try {
        classifier.close();
      } catch (IllegalStateException closing) {
        e.addSuppressed(closing);
      }
      throw OnnxClassifier.notStarted(e);
    }
  }

  /** Requests served at once: one per core, at least two (so a ping is never stuck behind an inference). */
  static int workerThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  /** http://127.0.0.1:PORT, the base of /ping and /invocations. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      // Closing the native session under a running inference would crash the JVM, so let requests
      // finish; if one hangs, leak the session rather than crash.
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        executor.shutdownNow();
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    classifier.close();
  }

  /**
   * Only the local SageMaker may call the container: a request that names another host (DNS rebinding, or a host in
   * its request line: {@link Loopback#targetRefusal}) or comes from a web page (it carries Origin) is answered 403.
   */
  private boolean refused(HttpExchange exchange) throws IOException {
    String target = Loopback.targetRefusal(exchange.getRequestURI());
    if (target != null) {
      refuseUnread(exchange, 403, "text/plain", target);
      return true;
    }
    var headers = exchange.getRequestHeaders();
    if (headers.containsKey("Origin") || !host.equals(Loopback.header(headers, "Host"))) {
      refuseUnread(
          exchange,
          403,
          "text/plain",
          "the model container answers only the local SageMaker on " + host);
      return true;
    }
    return false;
  }

  /** The contract's two paths exactly; any other is a 404 in the container's words. */
  private void route(HttpExchange exchange) throws IOException {
    switch (exchange.getRequestURI().getPath()) {
      case "/ping" -> ping(exchange);
      case "/invocations" -> invocations(exchange);
      default -> {
        try (exchange) {
          if (!refused(exchange)) {
            refuseUnread(
                exchange,
                404,
                "text/plain",
                "no such path; the model container serves GET /ping and POST /invocations");
          }
        }
      }
    }
  }

  private void ping(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (refused(exchange)) {
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        refuseUnread(exchange, 405, "text/plain", "use GET /ping");
        return;
      }
      // The model is loaded before the port opens, so answering at all means ready.
      exchange.sendResponseHeaders(200, -1);
    }
  }

  private void invocations(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (refused(exchange)) {
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.getResponseHeaders().set("Allow", "POST");
        refuseUnread(
            exchange, 405, "text/plain", "use POST /invocations with the image bytes as the body");
        return;
      }
      String type = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
      if (!IMAGE_TYPES.contains(type)) {
        refuseUnread(
            exchange,
            415,
            "text/plain",
            "unsupported content type '" + Shown.value(type)
                + "'; send the image bytes as application/x-image, image/jpeg or image/png");
        return;
      }
      Optional<byte[]> read = UnreadBody.readAtMost(
          exchange,
          MAX_PAYLOAD_BYTES,
          answer -> send(
              answer,
              413,
              "text/plain",
              "payload is larger than " + MAX_PAYLOAD_BYTES
                  + " bytes, the most InvokeEndpoint accepts"));
      if (read.isEmpty()) {
        return;
      }
      byte[] body = read.get();
      String response;
      try {
        response = json(classifier.classify(body));
      } catch (UndecodableImageException e) {
        send(exchange, 400, "text/plain", e.getMessage());
        return;
      } catch (ImageTooLargeException e) {
        send(exchange, 413, "text/plain", e.getMessage());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        send(exchange, 503, "text/plain", "the container is stopping");
        return;
      } catch (OrtException | IllegalStateException e) {
        send(exchange, 500, "text/plain", "inference failed: " + e.getMessage());
        return;
      } catch (RuntimeException e) {
        // Anything else is the container's fault: an answer, never a dropped connection.
        send(exchange, 500, "text/plain", "inference failed: " + e);
        return;
      }
      send(exchange, 200, "application/json", response);
    }
  }

  /** The model this container serves. */
  OnnxClassifier classifier() {
    return classifier;
  }

  private static String json(float[] values) {
    StringBuilder sb = new StringBuilder(values.length * 12).append('[');
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalStateException("the model produced " + values[i] + " for class " + i);
      }
      sb.append(i == 0 ? "" : ",").append(values[i]);
    }
    return sb.append(']').toString();
  }

  private static String mediaType(String header) {
    if (header == null) {
      return "";
    }
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  /**
   * A refusal before the body is read: answered at once, then up to a payload's worth of the body is read and dropped
   * ({@link UnreadBody#refuse}). Left unread, the JDK's server closes the connection on it, and a caller that reads
   * the answer only once its body is sent gets a reset in place of the answer, which it reads as a model crash.
   */
  private static void refuseUnread(
      HttpExchange exchange, int status, String contentType, String body) throws IOException {
    UnreadBody.refuse(
        exchange, MAX_PAYLOAD_BYTES + 1L, answer -> send(answer, status, contentType, body));
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .set(
            "Content-Type",
            contentType + (contentType.startsWith("text/") ? "; charset=utf-8" : ""));
    if (status >= 400) {
      // A refusal may leave part of the request body unread, and the server then drops the
      // connection: saying so keeps the caller from sending its next request on it (it would get no
      // answer, read as a model crash).
      exchange.getResponseHeaders().set("Connection", "close");
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
