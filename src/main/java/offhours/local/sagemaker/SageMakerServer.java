package offhours.local.sagemaker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.local.api.Loopback;
import offhours.local.auth.GuardFilter;
import offhours.local.auth.RequestGuard;
import offhours.local.auth.RequestGuard.Refusal;
import offhours.units.Shown;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The local SageMaker's one HTTP server on 127.0.0.1, for {@link LocalSageMaker}: every request passes the
 * {@link RequestGuard} (signed with the service's credentials, addressed to its port, no Origin, a body within
 * InvokeEndpoint's limit), then goes by path to the control plane ({@code POST /} with
 * {@code X-Amz-Target: SageMaker.<Operation>}, AWS JSON 1.1, {@link ControlApi}) or the runtime
 * ({@code POST /endpoints/{EndpointName}/invocations}, REST-JSON, {@link Invoker}), and any failure is answered in
 * the error shape of the protocol the request spoke.
 */
final class SageMakerServer {
  private static final Pattern INVOCATIONS = Pattern.compile("^/endpoints/([^/]+)/invocations$");
  private static final String JSON_1_1 = "application/x-amz-json-1.1";
  private static final String REST_JSON = "application/json";
  private static final String REQUEST_ID = "x-amzn-RequestId";

  private final ObjectMapper json;
  private final ControlApi controlApi;
  private final Invoker invoker;
  private final HttpServer server;
  private final URI endpoint;

  private SageMakerServer(
      ObjectMapper json,
      ControlApi controlApi,
      Invoker invoker,
      AwsBasicCredentials credentials,
      String region,
      ExecutorService requests)
      throws IOException {
    this.json = json;
    this.controlApi = controlApi;
    this.invoker = invoker;
    Loopback.limitRequestTime();
    // Port 0: a free one on loopback, which endpoint() reports.
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(requests);
    // The control plane and the runtime sign as service "sagemaker" (both SDK clients' signing
    // name).
    RequestGuard guard = new RequestGuard(
        credentials, region, "sagemaker", "the local SageMaker", Clock.systemUTC());
    guard.listeningOn(server.getAddress().getPort());
    server
        .createContext("/", this::serve)
        .getFilters()
        .add(new GuardFilter(
            guard,
            LocalSageMaker.MAX_PAYLOAD_BYTES,
            // What the runtime answered for an oversized body (a bare 413, no error code; reported
            // in github.com/aws/sagemaker-python-sdk/issues/171 with the limit of that time).
            new Refusal(
                413,
                null,
                "HTTP content length exceeded " + LocalSageMaker.MAX_PAYLOAD_BYTES + " bytes."),
            (exchange, refusal) -> error(
                exchange,
                new AwsError(refusal.status(), refusal.type(), refusal.message()),
                contentType(exchange))));
    server.start();
    this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Serves {@code controlApi} and {@code invoker} on a free loopback port, answering on {@code requests}' threads. */
  static SageMakerServer start(
      ObjectMapper json,
      ControlApi controlApi,
      Invoker invoker,
      AwsBasicCredentials credentials,
      String region,
      ExecutorService requests)
      throws IOException {
    return new SageMakerServer(json, controlApi, invoker, credentials, region, requests);
  }

  /** The one URL for both the control plane and the runtime, e.g. {@code http://127.0.0.1:43121}. */
  URI endpoint() {
    return endpoint;
  }

  /** Stops serving at once; a request in flight loses its connection. */
  void stop() {
    server.stop(0);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      try {
        route(exchange);
      } catch (RuntimeException e) {
        // A bug here must reach the caller as the service's internal failure, not a dropped
        // connection.
        error(
            exchange,
            new AwsError(500, "InternalFailure", "Local SageMaker failed: " + e),
            JSON_1_1);
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    Matcher invocation = INVOCATIONS.matcher(path);
    if ("POST".equals(exchange.getRequestMethod()) && invocation.matches()) {
      invoke(exchange, URLDecoder.decode(invocation.group(1), StandardCharsets.UTF_8));
    } else if ("POST".equals(exchange.getRequestMethod()) && path.equals("/")) {
      control(exchange);
    } else {
      drain(exchange.getRequestBody());
      error(
          exchange,
          new AwsError(
              404,
              "UnknownOperationException",
              Shown.value(exchange.getRequestMethod()) + " " + Shown.value(path)
                  + " is not a SageMaker operation; the control plane is POST / with X-Amz-Target: SageMaker.<Operation>,"
                  + " the runtime is POST /endpoints/{EndpointName}/invocations."),
          JSON_1_1);
    }
  }

  private void control(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String target =
        Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("X-Amz-Target"), "");
    String operation =
        target.startsWith("SageMaker.") ? target.substring("SageMaker.".length()) : target;
    ObjectNode out;
    try {
      JsonNode in = body.length == 0 ? json.createObjectNode() : json.readTree(body);
      out = controlApi.handle(operation, in);
    } catch (AwsError e) {
      error(exchange, e, JSON_1_1);
      return;
    } catch (JsonProcessingException e) {
      error(
          exchange,
          new AwsError(
              400,
              "SerializationException",
              "The request body is not JSON: " + Shown.escaped(e.getOriginalMessage())),
          JSON_1_1);
      return;
    }
    respond(exchange, 200, JSON_1_1, json.writeValueAsBytes(out));
  }

  private void invoke(HttpExchange exchange, String endpointName) throws IOException {
    var headers = exchange.getRequestHeaders();
    byte[] body =
        exchange.getRequestBody().readAllBytes(); // at most MAX_PAYLOAD_BYTES: the guard read it
    // Chosen here, not when the answer is written: a refusal's message names it
    // (PayloadLimits.SERVERLESS_INVOKE_BYTES).
    String requestId = UUID.randomUUID().toString();
    exchange.getResponseHeaders().set(REQUEST_ID, requestId);
    Invoker.Response response;
    try {
      response = invoker.invoke(
          endpointName,
          new Invoker.Request(
              requestId,
              headers.getFirst("Content-Type"),
              headers.getFirst("Accept"),
              headers.getFirst(Invoker.CUSTOM_ATTRIBUTES),
              headers.getFirst(Invoker.INFERENCE_COMPONENT),
              body));
    } catch (AwsError e) {
      error(exchange, e, REST_JSON);
      return;
    }
    exchange.getResponseHeaders().set("x-Amzn-Invoked-Production-Variant", response.variant());
    if (response.customAttributes() != null) {
      exchange.getResponseHeaders().set(Invoker.CUSTOM_ATTRIBUTES, response.customAttributes());
    }
    respond(exchange, 200, response.contentType(), response.body());
  }

  private static void drain(InputStream in) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
  }

  /**
   * Both protocols' error shape: the SDK takes the code from {@code x-amzn-ErrorType} (or {@code __type})
   * and the message from the body's {@code message}; extra members (ModelError's) are body fields.
   */
  private void error(HttpExchange exchange, AwsError e, String contentType) throws IOException {
    ObjectNode body = json.createObjectNode();
    if (e.type != null) {
      body.put("__type", e.type);
      exchange.getResponseHeaders().set("x-amzn-ErrorType", e.type);
    }
    body.put("message", e.getMessage());
    e.fields.forEach((k, v) -> body.set(k, json.valueToTree(v)));
    respond(exchange, e.status, contentType, json.writeValueAsBytes(body));
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (!exchange.getResponseHeaders().containsKey(REQUEST_ID)) {
      exchange.getResponseHeaders().set(REQUEST_ID, UUID.randomUUID().toString());
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** The runtime's paths answer in REST-JSON, the control plane in AWS JSON 1.1. */
  private static String contentType(HttpExchange exchange) {
    return INVOCATIONS.matcher(exchange.getRequestURI().getRawPath()).matches()
        ? REST_JSON
        : JSON_1_1;
  }
}
